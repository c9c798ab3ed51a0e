import type { Decimal } from 'decimal.js';
import type { PositionState, Quote, SymbolSpec } from './types.ts';

export type StopHit = 'SL_HIT' | 'TP_HIT';

/**
 * trading-rules.md: SL of BUY when bid <= SL, TP of BUY when bid >= TP; SL of SELL when ask >= SL, TP of SELL
 * when ask <= TP. Fills at the current bid (BUY) or ask (SELL), so a gap through the stop fills at the gap.
 */
export function stopHit(position: Pick<PositionState, 'side' | 'sl' | 'tp'>, quote: Pick<Quote, 'bid' | 'ask'>): StopHit | null {
  if (position.side === 'BUY') {
    if (position.sl && quote.bid.lte(position.sl)) return 'SL_HIT';
    if (position.tp && quote.bid.gte(position.tp)) return 'TP_HIT';
  } else {
    if (position.sl && quote.ask.gte(position.sl)) return 'SL_HIT';
    if (position.tp && quote.ask.lte(position.tp)) return 'TP_HIT';
  }
  return null;
}

/**
 * Trailing stop (distance D, step S, in pips). BUY: once bid - open >= D, SL = bid - D, then moved up whenever
 * bid - D >= SL + S; never down. SELL mirrors with the ask. Returns the new SL, or null when it stays.
 */
export function trailedStop(position: PositionState, quote: Pick<Quote, 'bid' | 'ask'>, symbol: Pick<SymbolSpec, 'pipSize' | 'digits'>): Decimal | null {
  const t = position.trailing;
  if (!t) return null;
  const distance = t.distancePips.times(symbol.pipSize);
  const step = t.stepPips.times(symbol.pipSize);
  if (position.side === 'BUY') {
    if (quote.bid.minus(position.openPrice).lt(distance)) return null;
    const candidate = quote.bid.minus(distance).toDecimalPlaces(symbol.digits);
    if (!position.sl) return candidate;
    return candidate.gte(position.sl.plus(step)) && candidate.gt(position.sl) ? candidate : null;
  }
  if (position.openPrice.minus(quote.ask).lt(distance)) return null;
  const candidate = quote.ask.plus(distance).toDecimalPlaces(symbol.digits);
  if (!position.sl) return candidate;
  return candidate.lte(position.sl.minus(step)) && candidate.lt(position.sl) ? candidate : null;
}
