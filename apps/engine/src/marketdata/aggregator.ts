import type { Decimal } from 'decimal.js';
import type { RawQuote } from '../lp/adapter.ts';
import { comparePoints, PointsQuote } from '../domain/points.ts';

export type AggregationMode = 'BEST' | 'FAILOVER';

export interface AggregatorDeps {
  mode: AggregationMode;
  /** A symbol's quote from one LP counts while it is younger than this (ms). */
  staleAfterMs: (symbol: string) => number;
  /** Lower is preferred (1 = primary). */
  priority: (lp: string) => number;
  /** Whether an LP is up (connected); a down LP's quotes no longer count. */
  healthy: (lp: string) => boolean;
  clock: () => number;
  emit: (q: RawQuote) => void;
  /** Quotes from this LP override every feed while fresh (a dealer's manual quote). */
  overrideLp?: string;
}

interface Held {
  q: RawQuote;
  at: number;
}

/**
 * Aggregation across healthy LPs (design.md §5.2–5.3). BEST: best bid and best ask across LPs (falling back
 * to the preferred LP when LPs cross each other); FAILOVER: the preferred LP's quote, and the next one's when
 * it goes stale or down. `sweep()` re-decides symbols whose source died, so failover happens within the
 * staleness threshold even if the dead LP never sends again.
 */
export class QuoteAggregator {
  private readonly books = new Map<string, Map<string, Held>>();
  private readonly last = new Map<string, RawQuote>();
  failovers = 0;

  constructor(private readonly d: AggregatorDeps) {}

  onQuote(q: RawQuote): void {
    let book = this.books.get(q.symbol);
    if (!book) this.books.set(q.symbol, (book = new Map()));
    const at = q.receivedAt ?? this.d.clock();
    const held = book.get(q.lp);
    if (held) {
      held.q = q;
      held.at = at;
    } else book.set(q.lp, { q, at });
    this.decide(q.symbol);
  }

  /**
   * The live feed's price of a symbol without the override LP (the dealer's manual quotes): the preferred
   * fresh quote of the other LPs, or null. The bound on a manual quote is measured from it (risk.ts).
   */
  feedQuote(symbol: string): RawQuote | null {
    const others = this.fresh(symbol).filter((h) => h.q.lp !== this.d.overrideLp);
    return others.length ? this.preferred(others).q : null;
  }

  /** The LP currently pricing a symbol. */
  sourceOf(symbol: string): string | undefined {
    return this.last.get(symbol)?.lp;
  }

  private fresh(symbol: string): Held[] {
    const book = this.books.get(symbol);
    if (!book) return [];
    const now = this.d.clock();
    const limit = this.d.staleAfterMs(symbol);
    const out: Held[] = [];
    for (const h of book.values()) if (now - h.at <= limit && this.d.healthy(h.q.lp)) out.push(h);
    return out;
  }

  private preferred(list: Held[]): Held {
    return list.reduce((a, b) => {
      const pa = this.d.priority(a.q.lp);
      const pb = this.d.priority(b.q.lp);
      return pb < pa || (pb === pa && b.at > a.at) ? b : a;
    });
  }

  aggregate(symbol: string): RawQuote | null {
    const book = this.books.get(symbol);
    if (book?.size === 1) {
      // One LP (the common case): no lists, no sorting.
      const only = book.values().next().value!;
      return this.d.clock() - only.at <= this.d.staleAfterMs(symbol) && this.d.healthy(only.q.lp) ? only.q : null;
    }
    const list = this.fresh(symbol);
    if (!list.length) return null;
    const override = this.d.overrideLp ? list.find((h) => h.q.lp === this.d.overrideLp) : undefined;
    if (override) return override.q;
    if (this.d.mode === 'FAILOVER' || list.length === 1) return this.preferred(list).q;
    let bid = list[0]!;
    let ask = list[0]!;
    for (const h of list) {
      if (cmp(h.q, 'bid', bid.q, 'bid') > 0) bid = h;
      if (cmp(h.q, 'ask', ask.q, 'ask') < 0) ask = h;
    }
    // LPs crossing one another would hand out an arbitrage: quote the preferred LP alone.
    if (cmp(bid.q, 'bid', ask.q, 'ask') > 0) return this.preferred(list).q;
    const lp = bid.q.lp === ask.q.lp ? bid.q.lp : `${bid.q.lp}+${ask.q.lp}`;
    const time = Math.max(bid.q.time, ask.q.time);
    const receivedAt = Math.max(bid.at, ask.at);
    const b = bid.q;
    const a = ask.q;
    if (b instanceof PointsQuote && a instanceof PointsQuote) {
      // The finer of the two scales holds both exactly (a coarser price times a power of ten).
      const d = Math.max(b.digits, a.digits);
      const bp = b.digits === d ? b.bidPts : b.bidPts * 10 ** (d - b.digits);
      const ap = a.digits === d ? a.askPts : a.askPts * 10 ** (d - a.digits);
      if (Number.isSafeInteger(bp) && Number.isSafeInteger(ap)) return new PointsQuote(symbol, bp, ap, d, time, lp, receivedAt);
    }
    return { symbol, bid: b.bid, ask: a.ask, time, lp, receivedAt };
  }

  private decide(symbol: string): void {
    const next = this.aggregate(symbol);
    if (!next) return;
    const prev = this.last.get(symbol);
    if (prev && prev.lp === next.lp && prev.time === next.time && cmp(prev, 'bid', next, 'bid') === 0 && cmp(prev, 'ask', next, 'ask') === 0) return;
    if (prev && prev.lp !== next.lp) this.failovers++;
    this.last.set(symbol, next);
    this.d.emit(next);
  }

  /** Re-decides every symbol whose current source is stale or down (run on a short timer). */
  sweep(): void {
    const now = this.d.clock();
    for (const [symbol, q] of this.last) {
      const held = this.books.get(symbol)?.get(q.lp.split('+')[0]!);
      const dead = !held || now - held.at > this.d.staleAfterMs(symbol) || q.lp.split('+').some((lp) => !this.d.healthy(lp));
      if (dead) this.decide(symbol);
    }
  }
}

/** Exact comparison of two quotes' prices: in points when both are PointsQuotes, else in Decimal. */
function cmp(x: RawQuote, xs: 'bid' | 'ask', y: RawQuote, ys: 'bid' | 'ask'): number {
  if (x instanceof PointsQuote && y instanceof PointsQuote) {
    return comparePoints(xs === 'bid' ? x.bidPts : x.askPts, x.digits, ys === 'bid' ? y.bidPts : y.askPts, y.digits);
  }
  return (x[xs] as Decimal).comparedTo(y[ys]);
}
