// What the desk tells the world when the books change: order_filled, position_update, order_update,
// account_update and stop_out events, in the wire shapes of packages/api/src/socket.ts.
import { Decimal } from 'decimal.js';
import type { OrderWire, PositionWire } from '@broker/api/socket';
import type { DeskPublisher } from '../books/desk.ts';
import { closingPrice, unrealizedPnl, type PendingOrderState, type PositionState } from '../domain/index.ts';
import type { EngineCore } from './core.ts';

export function positionWire(c: EngineCore, p: PositionState): PositionWire {
  const spec = c.symbolSpec(p.symbol);
  const q = c.quoteStore.get(p.symbol);
  const account = c.book.peek(p.accountId);
  const pnl = spec && account ? unrealizedPnl(p, spec, account.currency, c.quoteStore.lookup) : undefined;
  return {
    id: p.id.toString(),
    symbol: p.symbol,
    side: p.side,
    volume: p.volume.toString(),
    openPrice: p.openPrice.toString(),
    currentPrice: q ? closingPrice(p.side, q).toString() : null,
    unrealizedPnL: (pnl ?? new Decimal(0)).toFixed(2),
    sl: p.sl?.toString() ?? null,
    tp: p.tp?.toString() ?? null,
    swap: p.swap.toFixed(2),
    commission: p.commission.toFixed(2),
  };
}

function orderWire(o: PendingOrderState, status: OrderWire['status']): OrderWire {
  return {
    id: o.id.toString(),
    symbol: o.symbol,
    type: o.type,
    side: o.side,
    volume: o.volume.toString(),
    price: o.price.toString(),
    stopPrice: o.stopPrice?.toString() ?? null,
    sl: o.sl?.toString() ?? null,
    tp: o.tp?.toString() ?? null,
    expiresAt: o.expiresAt,
    status,
  };
}

export function deskPublisher(c: EngineCore): DeskPublisher {
  return {
    orderFilled: (accountId, e) =>
      c.events.emit('order_filled', {
        type: 'order_filled',
        accountId,
        orderId: e.orderId.toString(),
        positionId: e.positionId?.toString() ?? null,
        symbol: e.symbol,
        side: e.side,
        volume: e.volume.toString(),
        filledPrice: e.price.toString(),
        timestamp: e.at,
      }),
    positionChanged: (accountId, action, p, extra) => {
      if (!c.hasAccountListeners(accountId)) return;
      const wire = positionWire(c, p);
      c.events.emit('position_update', {
        type: 'position_update',
        accountId,
        action,
        reason: extra?.reason,
        position: action === 'closed' ? { ...wire, currentPrice: extra?.closePrice?.toString() ?? wire.currentPrice, unrealizedPnL: '0.00' } : wire,
      });
    },
    orderChanged: (accountId, action, o, extra) => {
      const status: OrderWire['status'] =
        action === 'cancelled' ? 'CANCELLED' : action === 'expired' ? 'EXPIRED' : action === 'rejected' ? 'REJECTED' : action === 'filled' ? 'FILLED' : 'PENDING';
      c.events.emit('order_update', { type: 'order_update', accountId, action, order: orderWire(o, status), code: extra?.code, message: extra?.message });
    },
    accountChanged: (accountId) => {
      if (c.hasAccountListeners(accountId)) c.flow.publishAccount(accountId);
    },
    stopOut: (accountId, level, closed) =>
      c.events.emit('margin_call', { type: 'stop_out', accountId, marginLevel: level?.toFixed(2) ?? null, closedPositions: closed.map(String) }),
  };
}
