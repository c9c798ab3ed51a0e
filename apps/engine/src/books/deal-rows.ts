// The rows a deal books, shared by every way a deal happens (a fill, a close, a stop out): its ledger rows
// and the rows of a closed leg (the position's update and the closing trade).
import type { AccountState, CloseLeg, LedgerPlan, Side } from '../domain/index.ts';
import type { CloseReason } from './desk-core.ts';
import type { WriteSet } from './write-set.ts';

export function ledgerRows(
  ws: WriteSet,
  accountId: number,
  rows: LedgerPlan[],
  tradeIds: Map<string, bigint>,
  ids: bigint[],
  now: Date,
  referenceType = 'TRADE',
) {
  rows.forEach((r, i) => {
    ws.ledger.push({
      id: ids[i]!,
      accountId,
      type: r.type,
      amount: r.amount.toString(),
      balanceBefore: r.balanceBefore.toString(),
      balanceAfter: r.balanceAfter.toString(),
      referenceType: tradeIds.has(r.ref) ? 'TRADE' : referenceType,
      referenceId: tradeIds.get(r.ref) ?? null,
      createdAt: now,
    });
  });
}

export function closeRows(
  ws: WriteSet,
  account: AccountState,
  leg: CloseLeg,
  symbol: string,
  orderId: bigint,
  tradeId: bigint,
  now: Date,
  reason: CloseReason,
) {
  const side: Side = leg.side === 'BUY' ? 'SELL' : 'BUY';
  const realized = leg.realizedPnl.plus(leg.swap).toString();
  ws.positionUpdates.push({
    id: leg.positionId,
    data: leg.remaining
      ? {
          volume: leg.remaining.volume.toString(),
          margin: leg.remaining.margin.toString(),
          swap: leg.remaining.swap.toString(),
          realizedPnl: { increment: realized },
        }
      : {
          status: 'CLOSED',
          closeTime: now,
          closePrice: leg.closePrice.toString(),
          currentPrice: leg.closePrice.toString(),
          closeReason: reason,
          swap: '0',
          unrealizedPnl: '0',
          realizedPnl: { increment: realized },
        },
  });
  ws.trades.push({
    id: tradeId,
    orderId,
    positionId: leg.positionId,
    accountId: account.id,
    symbol,
    side,
    entry: 'CLOSE',
    volume: leg.volume.toString(),
    price: leg.closePrice.toString(),
    realizedPnl: leg.realizedPnl.toString(),
    swap: leg.swap.toString(),
    executedAt: now,
  });
}
