import type { Decimal } from 'decimal.js';
import { checkAccountCanTrade, checkStops, checkSymbolTradable, checkVolume } from './checks.ts';
import { reject, type Reject } from './reject.ts';
import type { AccountState, PendingOrderState, PendingType, Quote, QuoteLookup, Side, SymbolSpec, Trailing } from './types.ts';

export interface PendingOrderRequest {
  symbol: string;
  type: PendingType;
  side: Side;
  volume: Decimal;
  price: Decimal;
  stopPrice?: Decimal | null;
  sl?: Decimal | null;
  tp?: Decimal | null;
  trailing?: Trailing | null;
  expiresAt?: number | null;
}

/**
 * Where a pending order may rest: a BUY LIMIT below the ask, a BUY STOP above it, a SELL LIMIT above the bid,
 * a SELL STOP below it (an order already through the market would fill at once: that is a market order).
 * A STOP-LIMIT's stop obeys the STOP rule, and its limit sits on the BUY (SELL) side at or below (above) the stop.
 */
export function checkPendingPrice(req: Pick<PendingOrderRequest, 'type' | 'side' | 'price' | 'stopPrice'>, quote: Pick<Quote, 'bid' | 'ask'>): Reject | null {
  const { side, type, price } = req;
  const ref = side === 'BUY' ? quote.ask : quote.bid;
  const wrong = (msg: string) => reject('INVALID_PRICE', msg);
  if (type === 'LIMIT') {
    if (side === 'BUY' ? !price.lt(ref) : !price.gt(ref)) return wrong(`A ${side} LIMIT must be ${side === 'BUY' ? 'below the ask' : 'above the bid'} (${ref})`);
  } else if (type === 'STOP') {
    if (side === 'BUY' ? !price.gt(ref) : !price.lt(ref)) return wrong(`A ${side} STOP must be ${side === 'BUY' ? 'above the ask' : 'below the bid'} (${ref})`);
  } else {
    const stop = req.stopPrice;
    if (!stop) return wrong('A STOP-LIMIT needs a stop price');
    if (side === 'BUY' ? !stop.gt(ref) : !stop.lt(ref)) return wrong(`The stop of a ${side} STOP-LIMIT must be ${side === 'BUY' ? 'above the ask' : 'below the bid'} (${ref})`);
    if (side === 'BUY' ? price.gt(stop) : price.lt(stop)) return wrong(`The limit of a ${side} STOP-LIMIT must be ${side === 'BUY' ? 'at or below' : 'at or above'} its stop`);
  }
  return null;
}

/** Checks for placing (or modifying) a pending order; margin is checked when it triggers, not now. */
export function validatePendingOrder(
  account: AccountState,
  req: PendingOrderRequest,
  symbols: (name: string) => SymbolSpec | undefined,
  quotes: QuoteLookup,
  now: number,
): { ok: true; symbol: SymbolSpec } | Reject {
  const accountReject = checkAccountCanTrade(account);
  if (accountReject) return accountReject;
  const tradable = checkSymbolTradable(symbols(req.symbol), req.symbol, quotes, now);
  if (!tradable.ok) return tradable;
  const volumeReject = checkVolume(req.volume, tradable.symbol);
  if (volumeReject) return volumeReject;
  const priceReject = checkPendingPrice(req, tradable.quote);
  if (priceReject) return priceReject;
  const stopsReject = checkStops(req.side, req.price, req.sl, req.tp);
  if (stopsReject) return stopsReject;
  if (req.expiresAt !== undefined && req.expiresAt !== null && req.expiresAt <= now) return reject('INVALID_EXPIRY', 'The expiry must be in the future');
  return { ok: true, symbol: tradable.symbol };
}

export type TriggerAction = 'FILL' | 'BECOME_LIMIT';

/** trading-rules.md, Pending orders and stops: what the quote does to a pending order, if anything. */
export function pendingTrigger(order: Pick<PendingOrderState, 'type' | 'side' | 'price' | 'stopPrice'>, quote: Pick<Quote, 'bid' | 'ask'>): TriggerAction | null {
  const { side, price } = order;
  switch (order.type) {
    case 'LIMIT':
      return (side === 'BUY' ? quote.ask.lte(price) : quote.bid.gte(price)) ? 'FILL' : null;
    case 'STOP':
      return (side === 'BUY' ? quote.ask.gte(price) : quote.bid.lte(price)) ? 'FILL' : null;
    case 'STOP_LIMIT': {
      const stop = order.stopPrice;
      if (!stop) return pendingTrigger({ ...order, type: 'LIMIT' }, quote);
      return (side === 'BUY' ? quote.ask.gte(stop) : quote.bid.lte(stop)) ? 'BECOME_LIMIT' : null;
    }
  }
}

/** GTD orders expire at their time (trading-rules.md: the order becomes EXPIRED). */
export function isExpired(order: Pick<PendingOrderState, 'expiresAt'>, now: number): boolean {
  return order.expiresAt !== null && now >= order.expiresAt;
}

/** The price that decides a trigger, for indexing: STOP-LIMITs wait on their stop, the rest on their price. */
export function watchPrice(order: Pick<PendingOrderState, 'type' | 'price' | 'stopPrice'>): Decimal {
  return order.type === 'STOP_LIMIT' && order.stopPrice ? order.stopPrice : order.price;
}

/**
 * Which side of the book a pending order waits on: it triggers when the watched quote side (ask for BUY,
 * bid for SELL) goes `below-or-at` or `above-or-at` its watch price.
 */
export function triggerDirection(order: Pick<PendingOrderState, 'type' | 'side' | 'stopPrice'>): 'down' | 'up' {
  const type = order.type === 'STOP_LIMIT' && !order.stopPrice ? 'LIMIT' : order.type;
  if (type === 'LIMIT') return order.side === 'BUY' ? 'down' : 'up';
  return order.side === 'BUY' ? 'up' : 'down';
}
