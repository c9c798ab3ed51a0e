// Floating P&L from live quotes, with the same formulas the engine uses (trading-rules.md), all in Decimal.
import type { PositionDto, SymbolDto } from '@broker/api';
import { Decimal } from 'decimal.js';
import type { LiveQuote } from '../live/quote-store.ts';

type Quotes = ReadonlyMap<string, LiveQuote>;

const mid = (q: LiveQuote) => q.bid.plus(q.ask).div(2);

/** trading-rules.md, Currency conversion: direct pair (multiply), inverse pair (divide), else via USD. */
export function conversionRate(from: string, to: string, quotes: Quotes): Decimal | null {
  if (from === to) return new Decimal(1);
  const direct = quotes.get(from + to);
  if (direct) return mid(direct);
  const inverse = quotes.get(to + from);
  if (inverse) return new Decimal(1).div(mid(inverse));
  if (from !== 'USD' && to !== 'USD') {
    const a = conversionRate(from, 'USD', quotes);
    const b = conversionRate('USD', to, quotes);
    if (a && b) return a.mul(b);
  }
  return null;
}

/** BUY closes at the bid, SELL at the ask. */
export function closingPrice(side: 'BUY' | 'SELL', q: LiveQuote): Decimal {
  return side === 'BUY' ? q.bid : q.ask;
}

/**
 * BUY: (bid - open) * contractSize * volume * conv; SELL: (open - ask) * contractSize * volume * conv.
 * Null when a quote needed for the price or the conversion is missing.
 */
export function unrealizedPnl(p: PositionDto, symbol: SymbolDto, accountCcy: string, quotes: Quotes): Decimal | null {
  const q = quotes.get(p.symbol);
  if (!q) return null;
  const rate = conversionRate(symbol.quoteCurrency, accountCcy, quotes);
  if (!rate) return null;
  const diff = p.side === 'BUY' ? q.bid.minus(p.openPrice) : p.openPrice.minus(q.ask);
  return diff.mul(symbol.contractSize).mul(p.volume).mul(rate);
}

/** Margin a new order would take: notional at the fill price * max(1/leverage, marginPercent/100). */
export function requiredMargin(
  volume: Decimal,
  price: Decimal,
  symbol: SymbolDto,
  leverage: number,
  accountCcy: string,
  quotes: Quotes,
): Decimal | null {
  const rate = conversionRate(symbol.quoteCurrency, accountCcy, quotes);
  if (!rate || leverage <= 0) return null;
  const ratio = Decimal.max(new Decimal(1).div(leverage), symbol.marginPercent.div(100));
  return volume.mul(symbol.contractSize).mul(price).mul(rate).mul(ratio);
}
