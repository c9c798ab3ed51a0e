'use client';
// Keeps the react-query caches of one account current from Socket.IO: balance, equity and margin from
// `account_update` (a back-office deposit shows up without a reload), positions from `position_update`,
// and the history tables after fills; pending orders from `order_update`; margin calls, stop outs and SL/TP
// hits become notices for the trader.
import type { AccountSummaryDto, OrderDto, PositionDto } from '@broker/api';
import type {
  AccountUpdateEvent,
  MarginCallEvent,
  OrderFilledEvent,
  OrderUpdateEvent,
  OrderWire,
  PositionUpdateEvent,
  PositionWire,
  PriceAlertEvent,
} from '@broker/api/socket';
import { useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useEffect } from 'react';
import { useTRPC } from '../trpc/react.ts';
import { REASON_LABELS, type NoticeStore } from './notices.ts';
import { useSocket } from './socket.tsx';

const dec = (s: string) => new Decimal(s);
const decOrNull = (s: string | null) => (s === null ? null : new Decimal(s));

function mergePosition(old: PositionDto, w: PositionWire): PositionDto {
  return {
    ...old,
    volume: dec(w.volume),
    openPrice: dec(w.openPrice),
    currentPrice: decOrNull(w.currentPrice),
    unrealizedPnl: dec(w.unrealizedPnL),
    sl: decOrNull(w.sl),
    tp: decOrNull(w.tp),
    swap: dec(w.swap),
    commission: dec(w.commission),
  };
}

function mergeOrder(old: OrderDto, w: OrderWire): OrderDto {
  return {
    ...old,
    type: w.type,
    volume: dec(w.volume),
    price: decOrNull(w.price),
    stopPrice: decOrNull(w.stopPrice),
    sl: decOrNull(w.sl),
    tp: decOrNull(w.tp),
    expiresAt: w.expiresAt === null ? null : new Date(w.expiresAt),
    status: w.status,
  };
}

const orderName = (o: OrderWire) => `${o.side} ${o.type.replace('_', '-')} ${o.volume} ${o.symbol}`;

export function useAccountStream(accountId: number | undefined, notices?: NoticeStore): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { socket, subscribe } = useSocket();

  useEffect(() => {
    if (!accountId) return;
    // Whatever changed between the page's first fetch and the engine joining this page to the account's room
    // (or while the connection was down) never arrives as an event: once the room is joined, fetch again.
    const refetch = () => {
      for (const queryKey of [trpc.account.summary.queryKey({ accountId }), trpc.account.positions.queryKey({ accountId }), trpc.account.orders.queryKey({ accountId })])
        void queryClient.invalidateQueries({ queryKey });
    };
    return subscribe({ type: 'account', accountId }, refetch);
  }, [accountId, subscribe, trpc, queryClient]);

  useEffect(() => {
    if (!socket || !accountId) return;
    const summaryKey = trpc.account.summary.queryKey({ accountId });
    const positionsKey = trpc.account.positions.queryKey({ accountId });
    const refreshHistory = () => {
      void queryClient.invalidateQueries({ queryKey: trpc.account.ledger.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.account.trades.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.account.history.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.account.statement.pathKey() });
    };

    const onAccount = (e: AccountUpdateEvent) => {
      if (e.accountId !== accountId) return;
      let balanceChanged = false;
      queryClient.setQueryData<AccountSummaryDto>(summaryKey, (old) => {
        if (!old) return old;
        balanceChanged = !old.balance.eq(e.balance) || !old.credit.eq(e.credit);
        return {
          ...old,
          balance: dec(e.balance),
          credit: dec(e.credit),
          equity: dec(e.equity),
          margin: dec(e.margin),
          freeMargin: dec(e.freeMargin),
          marginLevel: decOrNull(e.marginLevel),
          unrealizedPnl: dec(e.unrealizedPnL),
          marginCall: e.marginCall,
        };
      });
      if (!queryClient.getQueryData(summaryKey)) void queryClient.invalidateQueries({ queryKey: summaryKey });
      if (balanceChanged) refreshHistory();
      if (e.marginCall) {
        const a = notices?.get().alert;
        if (!a || a.accountId !== accountId)
          notices?.setAlert({ type: 'margin_call', accountId, marginLevel: e.marginLevel, closedPositions: [], at: Date.now() });
      } else notices?.clearMarginCall(accountId);
    };

    const onPosition = (e: PositionUpdateEvent) => {
      if (e.accountId !== accountId) return;
      let known = false;
      queryClient.setQueryData<PositionDto[]>(positionsKey, (old) => {
        if (!old) return old;
        known = old.some((p) => p.id === e.position.id);
        if (e.action === 'closed') return old.filter((p) => p.id !== e.position.id);
        return old.map((p) => (p.id === e.position.id ? mergePosition(p, e.position) : p));
      });
      // A new position carries fields the event does not (margin, open time): fetch it whole.
      if (!known || e.action !== 'modified') void queryClient.invalidateQueries({ queryKey: positionsKey });
      if (e.action === 'closed' || e.action === 'partially_closed') {
        void queryClient.invalidateQueries({ queryKey: summaryKey });
        refreshHistory();
        const p = e.position;
        const what = `#${p.id} ${p.side} ${p.volume} ${p.symbol}`;
        if (e.reason === 'SL_HIT' || e.reason === 'TP_HIT' || e.reason === 'STOP_OUT') {
          notices?.push({
            kind: e.reason,
            tone: e.reason === 'TP_HIT' ? 'ok' : e.reason === 'STOP_OUT' ? 'danger' : 'warn',
            title: `${REASON_LABELS[e.reason]} hit`.replace('Stop out hit', 'Stopped out'),
            // The event carries no realized P&L (the wire P&L is the unrealized one, 0 once closed): see Trade history.
            message: `${what} closed${p.currentPrice ? ` at ${p.currentPrice}` : ''}.`,
          });
        }
      }
    };

    const ordersKey = trpc.account.orders.queryKey({ accountId });
    const onOrder = (e: OrderUpdateEvent) => {
      if (e.accountId !== accountId) return;
      const gone = e.action === 'cancelled' || e.action === 'expired' || e.action === 'rejected' || e.action === 'filled';
      let known = false;
      queryClient.setQueryData<OrderDto[]>(ordersKey, (old) => {
        if (!old) return old;
        known = old.some((o) => o.id === e.order.id);
        if (gone) return old.filter((o) => o.id !== e.order.id);
        return old.map((o) => (o.id === e.order.id ? mergeOrder(o, e.order) : o));
      });
      if (!gone && !known) void queryClient.invalidateQueries({ queryKey: ordersKey });
      if (e.action === 'filled') {
        void queryClient.invalidateQueries({ queryKey: positionsKey });
        void queryClient.invalidateQueries({ queryKey: summaryKey });
        refreshHistory();
        notices?.push({ kind: 'ORDER_FILLED', tone: 'ok', title: 'Pending order filled', message: `#${e.order.id} ${orderName(e.order)}` });
      } else if (e.action === 'expired') {
        notices?.push({
          kind: 'ORDER_EXPIRED',
          tone: 'info',
          title: 'Pending order expired',
          message: `#${e.order.id} ${orderName(e.order)}`,
        });
      } else if (e.action === 'rejected') {
        notices?.push({
          kind: 'ORDER_REJECTED',
          tone: 'danger',
          title: `Pending order rejected${e.code ? ` (${e.code})` : ''}`,
          message: `#${e.order.id} ${orderName(e.order)}: ${e.message ?? 'rejected by the engine'}`,
        });
      } else if (e.action === 'triggered') {
        notices?.push({
          kind: 'ORDER_TRIGGERED',
          tone: 'info',
          title: 'Stop-limit triggered',
          message: `#${e.order.id} is now a limit order at ${e.order.price}`,
        });
      }
    };

    const onMarginCall = (e: MarginCallEvent) => {
      if (e.accountId !== accountId) return;
      notices?.setAlert({ type: e.type, accountId, marginLevel: e.marginLevel, closedPositions: e.closedPositions ?? [], at: Date.now() });
      if (e.type === 'stop_out') {
        void queryClient.invalidateQueries({ queryKey: positionsKey });
        void queryClient.invalidateQueries({ queryKey: summaryKey });
        refreshHistory();
      }
    };

    const onFilled = (e: OrderFilledEvent) => {
      if (e.accountId !== accountId) return;
      void queryClient.invalidateQueries({ queryKey: positionsKey });
      void queryClient.invalidateQueries({ queryKey: summaryKey });
      refreshHistory();
    };

    const onPriceAlert = (e: PriceAlertEvent) => {
      if (e.accountId !== accountId) return;
      void queryClient.invalidateQueries({ queryKey: trpc.alerts.list.pathKey() });
      const side = e.side === 'BID' ? 'Bid' : 'Ask';
      notices?.push({
        kind: 'PRICE_ALERT',
        tone: 'info',
        title: `Price alert: ${e.symbol}`,
        message: `${side} ${e.direction === 'ABOVE' ? 'rose' : 'fell'} to ${e.triggeredPrice} (alert ${e.direction === 'ABOVE' ? 'at or above' : 'at or below'} ${e.price})${e.note ? `: ${e.note}` : ''}.`,
      });
    };

    socket.on('account_update', onAccount);
    socket.on('price_alert', onPriceAlert);
    socket.on('position_update', onPosition);
    socket.on('order_filled', onFilled);
    socket.on('order_update', onOrder);
    socket.on('margin_call', onMarginCall);
    // Events missed while disconnected: catch up once the socket is back.
    const onReconnect = () => void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
    socket.io.on('reconnect', onReconnect);
    return () => {
      socket.off('account_update', onAccount);
      socket.off('price_alert', onPriceAlert);
      socket.off('position_update', onPosition);
      socket.off('order_filled', onFilled);
      socket.off('order_update', onOrder);
      socket.off('margin_call', onMarginCall);
      socket.io.off('reconnect', onReconnect);
    };
  }, [socket, accountId, queryClient, trpc, notices]);
}
