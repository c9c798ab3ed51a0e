import type { Decimal } from 'decimal.js';
import type { PositionState, SymbolSpec, Weekday } from './types.ts';

/**
 * trading-rules.md, Swap: at the daily rollover every position open across it accrues
 * volume * (swapLong | swapShort) in account currency, three times that on the symbol's triple-swap day.
 * `rolloverDay` is the weekday of the trading day the rollover closes.
 */
export function swapAccrual(position: Pick<PositionState, 'side' | 'volume'>, symbol: Pick<SymbolSpec, 'swapLong' | 'swapShort' | 'tripleSwapDay' | 'tradingHours'>, rolloverDay: Weekday): Decimal {
  const rate = position.side === 'BUY' ? symbol.swapLong : symbol.swapShort;
  // Symbols that trade every day (no sessions: crypto) charge each night once; the weekend is not carried.
  const triple = symbol.tradingHours.length > 0 && symbol.tripleSwapDay === rolloverDay;
  return position.volume.times(rate).times(triple ? 3 : 1);
}
