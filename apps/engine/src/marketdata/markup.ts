import { Decimal } from 'decimal.js';
import { roundPrice, type Quote, type SymbolSpec } from '../domain/index.ts';

const TWO = new Decimal(2);

/** trading-rules.md, Quotes: bid -= markup * pip / 2, ask += markup * pip / 2, rounded to digits. */
export function applyMarkup(q: Quote, symbol: SymbolSpec): Quote {
  const half = symbol.markupPips.times(symbol.pipSize).div(TWO);
  return {
    ...q,
    bid: roundPrice(q.bid.minus(half), symbol.digits),
    ask: roundPrice(q.ask.plus(half), symbol.digits),
  };
}

export type QuoteVerdict = 'ok' | 'invalid' | 'crossed' | 'spike' | 'stale';

/** trading-rules.md, Quotes: bid > 0, ask >= bid, no spike beyond maxDeviation, not older than staleAfterMs. */
export function validateQuote(q: Quote, last: Quote | undefined, symbol: SymbolSpec, now: number): QuoteVerdict {
  if (!q.bid.isFinite() || !q.ask.isFinite() || q.bid.lte(0)) return 'invalid';
  if (q.ask.lt(q.bid)) return 'crossed';
  if (now - q.time > symbol.staleAfterMs) return 'stale';
  if (last) {
    // A filter, not money: floating point is exact enough to tell a 5% jump, and ten times cheaper.
    const lastMid = (last.bid.toNumber() + last.ask.toNumber()) / 2;
    const mid = (q.bid.toNumber() + q.ask.toNumber()) / 2;
    if (Math.abs(mid - lastMid) / lastMid > symbol.maxDeviation.toNumber()) return 'spike';
  }
  return 'ok';
}
