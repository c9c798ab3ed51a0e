import type { Decimal } from 'decimal.js';
import { conversionRate, ONE } from './conversion.ts';
import type { PositionState, Quote, QuoteLookup, Side, SymbolSpec } from './types.ts';

/** BUY closes at the bid, SELL at the ask (trading-rules.md, Unrealized and realized P&L). */
export function closingPrice(side: Side, quote: Pick<Quote, 'bid' | 'ask'>): Decimal {
  return side === 'BUY' ? quote.bid : quote.ask;
}

/** BUY opens at the ask, SELL at the bid. */
export function openingPrice(side: Side, quote: Pick<Quote, 'bid' | 'ask'>): Decimal {
  return side === 'BUY' ? quote.ask : quote.bid;
}

/**
 * P&L of `volume` opened at `openPrice` and valued at `price`, in account currency, full precision.
 * BUY: (price - open) * contract * volume * conv; SELL: (open - price) * contract * volume * conv.
 */
export function pnlAt(
  side: Side,
  volume: Decimal,
  openPrice: Decimal,
  price: Decimal,
  symbol: SymbolSpec,
  accountCurrency: string,
  quotes: QuoteLookup,
): Decimal | undefined {
  const rate = conversionRate(symbol.quoteCurrency, accountCurrency, quotes);
  if (!rate) return undefined;
  const diff = side === 'BUY' ? price.minus(openPrice) : openPrice.minus(price);
  const pnl = diff.times(symbol.contractSize).times(volume);
  return rate === ONE ? pnl : pnl.times(rate);
}

/** Unrealized P&L of an open position at the current quote; undefined without a quote. */
export function unrealizedPnl(
  position: PositionState,
  symbol: SymbolSpec,
  accountCurrency: string,
  quotes: QuoteLookup,
): Decimal | undefined {
  const q = quotes(position.symbol);
  if (!q) return undefined;
  return pnlAt(position.side, position.volume, position.openPrice, closingPrice(position.side, q), symbol, accountCurrency, quotes);
}

/**
 * Positions ordered largest loss first (lowest unrealized P&L; ties by id), as stop out closes them;
 * positions that cannot be priced now come last, in id order.
 */
export function byLargestLoss(
  positions: readonly PositionState[],
  symbols: (symbol: string) => SymbolSpec | undefined,
  accountCurrency: string,
  quotes: QuoteLookup,
): PositionState[] {
  const priced = positions.map((p) => {
    const spec = symbols(p.symbol);
    return { p, pnl: spec ? unrealizedPnl(p, spec, accountCurrency, quotes) : undefined };
  });
  priced.sort((a, b) => {
    if (a.pnl === undefined || b.pnl === undefined) {
      if (a.pnl !== b.pnl) return a.pnl === undefined ? 1 : -1;
    } else {
      const c = a.pnl.comparedTo(b.pnl);
      if (c) return c;
    }
    return a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0;
  });
  return priced.map((x) => x.p);
}
