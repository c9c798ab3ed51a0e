import type { Decimal } from 'decimal.js';
import { roundStored } from './money.ts';
import type { PositionState, SymbolSpec, Weekday } from './types.ts';

/**
 * trading-rules.md, Swap: at the daily rollover every position open across it accrues
 * volume * (swapLong | swapShort) in account currency, three times that on the symbol's triple-swap day.
 * `rolloverDay` is the weekday of the trading day the rollover closes.
 */
export function swapAccrual(position: Pick<PositionState, 'side' | 'volume'>, symbol: Pick<SymbolSpec, 'swapLong' | 'swapShort' | 'tripleSwapDay' | 'dailyRollover'>, rolloverDay: Weekday): Decimal {
  if (!rollsOn(symbol, rolloverDay)) return position.volume.times(0);
  const rate = position.side === 'BUY' ? symbol.swapLong : symbol.swapShort;
  // Symbols that trade every day (crypto) charge each night once; the others carry the weekend on the triple day.
  const triple = !symbol.dailyRollover && symbol.tripleSwapDay === rolloverDay;
  return roundStored(position.volume.times(rate).times(triple ? 3 : 1));
}

/** Forex, metals and CFDs roll Monday to Friday (the weekend is in the triple day); daily symbols every day. */
export function rollsOn(symbol: Pick<SymbolSpec, 'dailyRollover'>, rolloverDay: Weekday): boolean {
  return !!symbol.dailyRollover || (rolloverDay !== 'SATURDAY' && rolloverDay !== 'SUNDAY');
}
