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
  /**
   * Unix ms (the clock's) at which the LP's current session began: its latest (re)connect. A quote received
   * before it belongs to an earlier session and never counts again, however young. Null or absent: the LP
   * has no sessions (simulated, manual).
   */
  sessionStart?: (lp: string) => number | null;
  /** Whether the LP may price this symbol at all (the simulated LP is no fallback for a real LP's symbol). */
  mayPrice?: (lp: string, symbol: string) => boolean;
  /**
   * The symbol's source went down (or out of its session) and no other LP can price it: the platform quote
   * is withdrawn, so orders get NO_QUOTE at once instead of filling on a dead feed's last price.
   */
  withdraw?: (symbol: string, lp: string) => void;
  clock: () => number;
  emit: (q: RawQuote) => void;
  /** Quotes from this LP override every feed while fresh (a dealer's manual quote). */
  overrideLp?: string;
}

const NONE: RawQuote[] = [];

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
  /** Changes of a symbol's source from one LP to another (every symbol). */
  failovers = 0;
  /** Platform quotes withdrawn because their source died with no LP to take over. */
  withdrawals = 0;
  /** The same two, per symbol (dealers: which symbols fail over, and how often). */
  readonly failoversBySymbol = new Map<string, number>();

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

  /** Every LP currently pricing a symbol, by symbol. */
  sources(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [symbol, q] of this.last) out.set(symbol, q.lp);
    return out;
  }

  /**
   * Whether an LP's quote held for a symbol may price it now, age aside: the LP is up, the quote came in its
   * current session, and the LP is allowed to price the symbol.
   */
  private live(h: Held, symbol: string): boolean {
    const lp = h.q.lp;
    if (!this.d.healthy(lp)) return false;
    const since = this.d.sessionStart?.(lp);
    if (since != null && h.at < since) return false;
    return !this.d.mayPrice || this.d.mayPrice(lp, symbol);
  }

  private fresh(symbol: string): Held[] {
    const book = this.books.get(symbol);
    if (!book) return [];
    const now = this.d.clock();
    const limit = this.d.staleAfterMs(symbol);
    const out: Held[] = [];
    for (const h of book.values()) if (now - h.at <= limit && this.live(h, symbol)) out.push(h);
    return out;
  }

  /**
   * The other LPs' fresh, live quotes of a symbol (cross-LP sanity: marketdata/quote-gate.ts compares an LP's
   * quote with them). The dealer's manual quote is not one of them.
   */
  others(symbol: string, lp: string): RawQuote[] {
    const book = this.books.get(symbol);
    // One LP (the common case): nobody to compare with, no work.
    if (!book || (book.size === 1 && book.has(lp))) return NONE;
    const now = this.d.clock();
    const limit = this.d.staleAfterMs(symbol);
    let out: RawQuote[] | null = null;
    for (const h of book.values()) {
      if (h.q.lp === lp || h.q.lp === this.d.overrideLp || now - h.at > limit || !this.live(h, symbol)) continue;
      (out ??= []).push(h.q);
    }
    return out ?? NONE;
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
      return this.d.clock() - only.at <= this.d.staleAfterMs(symbol) && this.live(only, symbol) ? only.q : null;
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
    const prev = this.last.get(symbol);
    if (!next) {
      // Nothing can price it. A source that merely went quiet keeps its last quote on show (orders refuse it
      // by age, domain/checks.ts); one that went down or out of its session takes it away at once.
      if (prev && !this.sourceLive(symbol, prev)) {
        this.last.delete(symbol);
        this.withdrawals++;
        this.d.withdraw?.(symbol, prev.lp);
      }
      return;
    }
    if (prev && prev.lp === next.lp && prev.time === next.time && cmp(prev, 'bid', next, 'bid') === 0 && cmp(prev, 'ask', next, 'ask') === 0) return;
    if (prev && prev.lp !== next.lp) {
      this.failovers++;
      this.failoversBySymbol.set(symbol, (this.failoversBySymbol.get(symbol) ?? 0) + 1);
    }
    this.last.set(symbol, next);
    this.d.emit(next);
  }

  /** Whether every LP behind a published quote (one, or two in BEST) is still live for the symbol. */
  private sourceLive(symbol: string, q: RawQuote): boolean {
    const book = this.books.get(symbol);
    for (const lp of q.lp.split('+')) {
      const held = book?.get(lp);
      if (!held || !this.live(held, symbol)) return false;
    }
    return true;
  }

  /** Re-decides every symbol whose current source is stale, down or out of its session (run on a short timer). */
  sweep(): void {
    const now = this.d.clock();
    for (const [symbol, q] of this.last) {
      const held = this.books.get(symbol)?.get(q.lp.split('+')[0]!);
      const dead = !held || now - held.at > this.d.staleAfterMs(symbol) || !this.sourceLive(symbol, q);
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
