import type { Decimal } from 'decimal.js';
import type { Prisma } from '@broker/db';

/**
 * Everything one command writes, built before anything is written: rows carry ids from the IdAllocator so
 * they can reference one another. The GroupCommitter writes one or many write sets in one transaction.
 */
export interface WriteSet {
  positions: Prisma.PositionCreateManyInput[];
  orders: Prisma.OrderCreateManyInput[];
  orderUpdates: { id: bigint; data: Prisma.OrderUpdateManyMutationInput }[];
  positionUpdates: { id: bigint; data: Prisma.PositionUpdateManyMutationInput }[];
  trades: Prisma.TradeCreateManyInput[];
  ledger: Prisma.LedgerEntryCreateManyInput[];
  /**
   * The account's balance moves from `before` to `after` (checked: the single writer expects `before`), and its
   * credit likewise when `credit` is given (one update of the row for both).
   */
  balances: { accountId: number; before: Decimal; after: Decimal; credit?: { before: Decimal; after: Decimal } }[];
  audit: Prisma.AuditLogCreateManyInput[];
  /** LP orders recorded SENT with the order they carry (an A-Book order): durable together, before it goes out. */
  lpOrders: Prisma.LpOrderCreateManyInput[];
}

export function emptyWriteSet(): WriteSet {
  return { positions: [], orders: [], orderUpdates: [], positionUpdates: [], trades: [], ledger: [], balances: [], audit: [], lpOrders: [] };
}

export function mergeWriteSets(sets: readonly WriteSet[]): WriteSet {
  const out = emptyWriteSet();
  for (const s of sets) {
    out.positions.push(...s.positions);
    out.orders.push(...s.orders);
    out.orderUpdates.push(...s.orderUpdates);
    out.positionUpdates.push(...s.positionUpdates);
    out.trades.push(...s.trades);
    out.ledger.push(...s.ledger);
    out.balances.push(...s.balances);
    out.audit.push(...s.audit);
    out.lpOrders.push(...s.lpOrders);
  }
  return out;
}

export function isEmpty(ws: WriteSet): boolean {
  return (
    !ws.positions.length &&
    !ws.orders.length &&
    !ws.orderUpdates.length &&
    !ws.positionUpdates.length &&
    !ws.trades.length &&
    !ws.ledger.length &&
    !ws.balances.length &&
    !ws.audit.length &&
    !ws.lpOrders.length
  );
}
