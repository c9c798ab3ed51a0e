'use client';
// Keeps the react-query caches of one account current from Socket.IO: balance, equity and margin from
// `account_update` (a back-office deposit shows up without a reload), positions from `position_update`,
// and the history tables after fills.
import type { AccountSummaryDto, PositionDto } from '@broker/api';
import type { AccountUpdateEvent, OrderFilledEvent, PositionUpdateEvent, PositionWire } from '@broker/api/socket';
import { useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useEffect } from 'react';
import { useTRPC } from '../trpc/react.ts';
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

export function useAccountStream(accountId: number | undefined): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { socket, subscribe } = useSocket();

  useEffect(() => {
    if (!accountId) return;
    return subscribe({ type: 'account', accountId });
  }, [accountId, subscribe]);

  useEffect(() => {
    if (!socket || !accountId) return;
    const summaryKey = trpc.account.summary.queryKey({ accountId });
    const positionsKey = trpc.account.positions.queryKey({ accountId });
    const refreshHistory = () => {
      void queryClient.invalidateQueries({ queryKey: trpc.account.ledger.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.account.trades.pathKey() });
    };

    const onAccount = (e: AccountUpdateEvent) => {
      if (e.accountId !== accountId) return;
      let balanceChanged = false;
      queryClient.setQueryData<AccountSummaryDto>(summaryKey, (old) => {
        if (!old) return old;
        balanceChanged = !old.balance.eq(e.balance);
        return {
          ...old,
          balance: dec(e.balance),
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
      }
    };

    const onFilled = (e: OrderFilledEvent) => {
      if (e.accountId !== accountId) return;
      void queryClient.invalidateQueries({ queryKey: positionsKey });
      void queryClient.invalidateQueries({ queryKey: summaryKey });
      refreshHistory();
    };

    socket.on('account_update', onAccount);
    socket.on('position_update', onPosition);
    socket.on('order_filled', onFilled);
    // Events missed while disconnected: catch up once the socket is back.
    const onReconnect = () => void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
    socket.io.on('reconnect', onReconnect);
    return () => {
      socket.off('account_update', onAccount);
      socket.off('position_update', onPosition);
      socket.off('order_filled', onFilled);
      socket.io.off('reconnect', onReconnect);
    };
  }, [socket, accountId, queryClient, trpc]);
}
