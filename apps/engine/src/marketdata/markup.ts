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

/** trading-rules.md, Quotes: bid > 0, ask >= bid, no spike of maxDeviation or more, not older than staleAfterMs. */
export function validateQuote(q: Quote, last: Quote | undefined, symbol: SymbolSpec, now: number): QuoteVerdict {
  if (!q.bid.isFinite() || !q.ask.isFinite() || q.bid.lte(0)) return 'invalid';
  if (q.ask.lt(q.bid)) return 'crossed';
  if (now - q.time > symbol.staleAfterMs) return 'stale';
  if (last) {
    // |mid − lastMid| / lastMid >= maxDeviation, cross-multiplied (no division): the same exact rule the
    // engine applies in integer points (domain/points.ts, validatePoints).
    const sum = q.bid.plus(q.ask);
    const lastSum = last.bid.plus(last.ask);
    const move = sum.minus(lastSum).abs();
    if (!move.isZero() && move.gte(symbol.maxDeviation.times(lastSum))) return 'spike';
  }
  return 'ok';
}
