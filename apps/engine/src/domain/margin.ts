import { Decimal } from 'decimal.js';
import { conversionRate, ONE } from './conversion.ts';
import { ZERO } from './money.ts';
import type { AccountState, MarginMode, PositionState, QuoteLookup, SymbolSpec } from './types.ts';

const HUNDRED = new Decimal(100);

// Per symbol spec (an immutable value) and leverage: the ratio takes two divisions, worked out once.
const ratios = new WeakMap<SymbolSpec, Map<number, Decimal>>();

/** trading-rules.md: ratio = max(1 / leverage, marginPercent / 100). */
export function marginRatio(leverage: number, symbol: SymbolSpec): Decimal {
  let byLeverage = ratios.get(symbol);
  if (!byLeverage) ratios.set(symbol, (byLeverage = new Map()));
  let ratio = byLeverage.get(leverage);
  if (ratio === undefined) {
    ratio = Decimal.max(ONE.div(leverage), symbol.marginPercent.div(HUNDRED));
    if (byLeverage.size < 64) byLeverage.set(leverage, ratio);
  }
  return ratio;
}

/**
 * The leverage margin is computed with: the account's, capped by the risk settings' maxLeverage
 * (docs/trading-rules-notes.md: a cap lowered later applies to new positions; open ones keep their margin).
 */
export function effectiveLeverage(leverage: number, maxLeverage: number | null | undefined): number {
  return maxLeverage && maxLeverage > 0 && maxLeverage < leverage ? maxLeverage : leverage;
}

/** Notional in account currency at `price`, or undefined when the quote currency cannot be converted. */
export function notional(
  volume: Decimal,
  price: Decimal,
  symbol: SymbolSpec,
  accountCurrency: string,
  quotes: QuoteLookup,
): Decimal | undefined {
  const rate = conversionRate(symbol.quoteCurrency, accountCurrency, quotes);
  if (!rate) return undefined;
  const n = volume.times(symbol.contractSize).times(price);
  return rate === ONE ? n : n.times(rate);
}

/** A position's margin, fixed when it opens: notional(openPrice) * ratio. */
export function positionMargin(
  volume: Decimal,
  openPrice: Decimal,
  symbol: SymbolSpec,
  account: Pick<AccountState, 'currency' | 'leverage'>,
  quotes: QuoteLookup,
): Decimal | undefined {
  const n = notional(volume, openPrice, symbol, account.currency, quotes);
  return n?.times(marginRatio(account.leverage, symbol));
}

/**
 * Used margin. Netting accounts sum their positions; hedging accounts take, per symbol, the larger leg
 * (trading-rules.md: max(sum of BUY margins, sum of SELL margins)).
 */
export function usedMargin(mode: MarginMode, positions: Iterable<PositionState>): Decimal {
  if (mode === 'NETTING') {
    let total = ZERO;
    for (const p of positions) total = total.plus(p.margin);
    return total;
  }
  const legs = new Map<string, { buy: Decimal; sell: Decimal }>();
  for (const p of positions) {
    const leg = legs.get(p.symbol) ?? { buy: ZERO, sell: ZERO };
    if (p.side === 'BUY') leg.buy = leg.buy.plus(p.margin);
    else leg.sell = leg.sell.plus(p.margin);
    legs.set(p.symbol, leg);
  }
  let total = ZERO;
  for (const leg of legs.values()) total = total.plus(Decimal.max(leg.buy, leg.sell));
  return total;
}

/** Margin level in percent, or null when no margin is used. */
export function marginLevel(equity: Decimal, used: Decimal): Decimal | null {
  return used.isZero() ? null : equity.div(used).times(HUNDRED);
}
