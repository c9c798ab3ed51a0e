import type { Decimal } from 'decimal.js';
import type { RawQuote } from '../lp/adapter.ts';

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
    book.set(q.lp, { q, at: q.receivedAt ?? this.d.clock() });
    this.decide(q.symbol);
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
      if (h.q.bid.gt(bid.q.bid)) bid = h;
      if (h.q.ask.lt(ask.q.ask)) ask = h;
    }
    // LPs crossing one another would hand out an arbitrage: quote the preferred LP alone.
    if (bid.q.bid.gt(ask.q.ask)) return this.preferred(list).q;
    const lp = bid.q.lp === ask.q.lp ? bid.q.lp : `${bid.q.lp}+${ask.q.lp}`;
    return { symbol, bid: bid.q.bid, ask: ask.q.ask, time: Math.max(bid.q.time, ask.q.time), lp, receivedAt: Math.max(bid.at, ask.at) };
  }

  private decide(symbol: string): void {
    const next = this.aggregate(symbol);
    if (!next) return;
    const prev = this.last.get(symbol);
    if (prev && same(prev.bid, next.bid) && same(prev.ask, next.ask) && prev.lp === next.lp && prev.time === next.time) return;
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

function same(a: Decimal, b: Decimal): boolean {
  return a.eq(b);
}
