// Writes a WriteSet with plain SQL: one multi-row INSERT … SELECT FROM unnest(arrays) per table, one UPDATE
// per changed row, one checked UPDATE for all balances. The ORM is kept out of the hot path (benchmarked:
// Prisma's createMany cost milliseconds of CPU per statement here).
import type { SqlTx } from '@broker/db';
import type { WriteSet } from './write-set.ts';

/** field, column, SQL type, and the column's default when it has one (used for rows that leave it unset). */
type Col = readonly [field: string, column: string, type: string, fallback?: string];

const POSITION_COLS: readonly Col[] = [
  ['id', 'id', 'bigint'],
  ['accountId', 'account_id', 'int'],
  ['symbol', 'symbol', 'varchar'],
  ['side', 'side', '"Side"'],
  ['volume', 'volume', 'numeric'],
  ['openPrice', 'open_price', 'numeric'],
  ['currentPrice', 'current_price', 'numeric'],
  ['openTime', 'open_time', 'timestamptz', 'now()'],
  ['sl', 'sl', 'numeric'],
  ['tp', 'tp', 'numeric'],
  ['trailingPips', 'trailing_pips', 'numeric'],
  ['trailingStepPips', 'trailing_step_pips', 'numeric'],
  ['margin', 'margin', 'numeric', '0'],
  ['commission', 'commission', 'numeric', '0'],
  ['venue', 'execution_venue', '"Venue"', "'BBOOK'"],
];

const ORDER_COLS: readonly Col[] = [
  ['id', 'id', 'bigint'],
  ['accountId', 'account_id', 'int'],
  ['symbol', 'symbol', 'varchar'],
  ['type', 'type', '"OrderType"'],
  ['side', 'side', '"Side"'],
  ['volume', 'volume', 'numeric'],
  ['filledVolume', 'filled_volume', 'numeric', '0'],
  ['price', 'price', 'numeric'],
  ['triggerPrice', 'trigger_price', 'numeric'],
  ['sl', 'sl', 'numeric'],
  ['tp', 'tp', 'numeric'],
  ['trailingPips', 'trailing_pips', 'numeric'],
  ['trailingStepPips', 'trailing_step_pips', 'numeric'],
  ['comment', 'comment', 'varchar'],
  ['timeInForce', 'time_in_force', '"TimeInForce"', "'GTC'"],
  ['expiresAt', 'expires_at', 'timestamptz'],
  ['status', 'status', '"OrderStatus"', "'PENDING'"],
  ['filledPrice', 'filled_price', 'numeric'],
  ['filledAt', 'filled_at', 'timestamptz'],
  ['positionId', 'position_id', 'bigint'],
  ['closesPositionId', 'closes_position_id', 'bigint'],
  ['rejectCode', 'reject_code', 'varchar'],
  ['rejectReason', 'reject_reason', 'varchar'],
  ['idempotencyKey', 'idempotency_key', 'varchar'],
  ['venue', 'venue', '"Venue"'],
  ['createdAt', 'created_at', 'timestamptz', 'now()'],
];

const TRADE_COLS: readonly Col[] = [
  ['id', 'id', 'bigint'],
  ['orderId', 'order_id', 'bigint'],
  ['positionId', 'position_id', 'bigint'],
  ['accountId', 'account_id', 'int'],
  ['symbol', 'symbol', 'varchar'],
  ['side', 'side', '"Side"'],
  ['entry', 'entry', 'varchar', "'OPEN'"],
  ['volume', 'volume', 'numeric'],
  ['price', 'price', 'numeric'],
  ['realizedPnl', 'realized_pnl', 'numeric'],
  ['commission', 'commission', 'numeric', '0'],
  ['swap', 'swap', 'numeric', '0'],
  ['venue', 'execution_venue', '"Venue"', "'BBOOK'"],
  ['executedAt', 'executed_at', 'timestamptz', 'now()'],
];

const LEDGER_COLS: readonly Col[] = [
  ['id', 'id', 'bigint'],
  ['accountId', 'account_id', 'int'],
  ['type', 'type', '"LedgerType"'],
  ['amount', 'amount', 'numeric'],
  ['balanceBefore', 'balance_before', 'numeric'],
  ['balanceAfter', 'balance_after', 'numeric'],
  ['referenceId', 'reference_id', 'bigint'],
  ['referenceType', 'reference_type', 'varchar'],
  ['method', 'method', 'varchar'],
  ['note', 'note', 'text'],
  ['createdById', 'created_by_id', 'int'],
  ['createdAt', 'created_at', 'timestamptz', 'now()'],
];

const AUDIT_COLS: readonly Col[] = [
  ['actorId', 'actor_id', 'int'],
  ['actorRole', 'actor_role', 'varchar'],
  ['action', 'action', 'varchar'],
  ['entityType', 'entity_type', 'varchar'],
  ['entityId', 'entity_id', 'varchar'],
  ['details', 'details', 'jsonb', "'{}'::jsonb"],
  ['ip', 'ip', 'varchar'],
  ['createdAt', 'created_at', 'timestamptz', 'now()'],
];

const POSITION_UPDATE: Record<string, readonly [string, string]> = {
  volume: ['volume', 'numeric'],
  openPrice: ['open_price', 'numeric'],
  currentPrice: ['current_price', 'numeric'],
  margin: ['margin', 'numeric'],
  swap: ['swap', 'numeric'],
  commission: ['commission', 'numeric'],
  realizedPnl: ['realized_pnl', 'numeric'],
  unrealizedPnl: ['unrealized_pnl', 'numeric'],
  status: ['status', '"PositionStatus"'],
  closeTime: ['close_time', 'timestamptz'],
  closePrice: ['close_price', 'numeric'],
  closeReason: ['close_reason', '"CloseReason"'],
  sl: ['sl', 'numeric'],
  tp: ['tp', 'numeric'],
  trailingPips: ['trailing_pips', 'numeric'],
  trailingStepPips: ['trailing_step_pips', 'numeric'],
  lastSwapDay: ['last_swap_day', 'date'],
};

const ORDER_UPDATE: Record<string, readonly [string, string]> = {
  type: ['type', '"OrderType"'],
  status: ['status', '"OrderStatus"'],
  filledVolume: ['filled_volume', 'numeric'],
  filledPrice: ['filled_price', 'numeric'],
  filledAt: ['filled_at', 'timestamptz'],
  positionId: ['position_id', 'bigint'],
  closesPositionId: ['closes_position_id', 'bigint'],
  venue: ['venue', '"Venue"'],
  rejectCode: ['reject_code', 'varchar'],
  rejectReason: ['reject_reason', 'varchar'],
  price: ['price', 'numeric'],
  triggerPrice: ['trigger_price', 'numeric'],
  sl: ['sl', 'numeric'],
  tp: ['tp', 'numeric'],
  timeInForce: ['time_in_force', '"TimeInForce"'],
  expiresAt: ['expires_at', 'timestamptz'],
};

/** Values as the drivers take them in text arrays: decimals and ids as strings, times as ISO strings. */
function wire(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return type === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (type === 'jsonb') return JSON.stringify(v);
  if (typeof v === 'object' && typeof (v as { toString?: unknown }).toString === 'function' && !Array.isArray(v)) return String(v);
  return v;
}

async function insertMany(tx: SqlTx, table: string, cols: readonly Col[], rows: readonly object[], updatedAt: boolean) {
  if (!rows.length) return;
  // Only the columns some row sets; the others keep their defaults.
  const used = cols.filter(([field]) => rows.some((r) => (r as Record<string, unknown>)[field] !== undefined));
  // Every array travels as text[] and is cast in SQL: both drivers serialize text[] alike (PGlite does not
  // know how to send an array of an enum type).
  const params = used.map(([field, , type]) =>
    rows.map((r) => {
      const v = wire((r as Record<string, unknown>)[field], type);
      return v === null ? null : String(v);
    }),
  );
  const names = used.map(([, column]) => `"${column}"`);
  const unnest = used.map(([, , type], i) => `$${i + 1}::text[]::${type === 'jsonb' ? 'text' : type}[]`);
  const select = used.map(([field, , type, fallback], i) => {
    const v = type === 'jsonb' ? `c${i}::jsonb` : `c${i}`;
    const gaps = fallback !== undefined && rows.some((r) => (r as Record<string, unknown>)[field] === undefined || (r as Record<string, unknown>)[field] === null);
    return gaps ? `COALESCE(${v}, ${fallback})` : v;
  });
  const alias = used.map((_, i) => `c${i}`).join(', ');
  const extraCol = updatedAt ? ', "updated_at"' : '';
  const extraVal = updatedAt ? ', now()' : '';
  await tx.query(
    `INSERT INTO "${table}" (${names.join(', ')}${extraCol}) SELECT ${select.join(', ')}${extraVal} FROM unnest(${unnest.join(', ')}) AS u(${alias})`,
    params,
  );
}

async function updateOne(tx: SqlTx, table: string, map: Record<string, readonly [string, string]>, id: bigint, data: Record<string, unknown>) {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (value === undefined) continue;
    const spec = map[field];
    if (!spec) throw new Error(`sql-writer: ${table}.${field} is not mapped`);
    const [column, type] = spec;
    if (value !== null && typeof value === 'object' && 'increment' in (value as object)) {
      params.push(wire((value as { increment: unknown }).increment, type));
      sets.push(`"${column}" = "${column}" + $${params.length}::${type}`);
    } else {
      params.push(wire(value, type));
      sets.push(`"${column}" = $${params.length}::${type}`);
    }
  }
  if (!sets.length) return;
  params.push(id.toString());
  const res = await tx.query(`UPDATE "${table}" SET ${sets.join(', ')}, "updated_at" = now() WHERE id = $${params.length}::bigint`, params);
  if (res.rowCount !== 1) throw new Error(`sql-writer: ${table} ${id} not found`);
}

/** The stored balance was not what the single writer expected: nothing of the batch was written. */
export class BalanceConflict extends Error {
  constructor(
    readonly expected: number,
    readonly updated: number,
  ) {
    super(`balance check failed: ${updated} of ${expected} accounts matched`);
    this.name = 'BalanceConflict';
  }
}

export async function writeWriteSet(tx: SqlTx, ws: WriteSet): Promise<void> {
  await insertMany(tx, 'positions', POSITION_COLS, ws.positions, true);
  await insertMany(tx, 'orders', ORDER_COLS, ws.orders, true);
  for (const u of ws.orderUpdates) await updateOne(tx, 'orders', ORDER_UPDATE, u.id, u.data as Record<string, unknown>);
  for (const u of ws.positionUpdates) await updateOne(tx, 'positions', POSITION_UPDATE, u.id, u.data as Record<string, unknown>);
  await insertMany(tx, 'trades', TRADE_COLS, ws.trades, false);
  await insertMany(tx, 'ledger', LEDGER_COLS, ws.ledger, false);
  if (ws.balances.length) {
    const res = await tx.query(
      `UPDATE accounts AS a SET balance = v.after, updated_at = now()
         FROM unnest($1::text[]::int[], $2::text[]::numeric[], $3::text[]::numeric[]) AS v(id, before, after)
        WHERE a.id = v.id AND a.balance = v.before`,
      [ws.balances.map((b) => String(b.accountId)), ws.balances.map((b) => b.before.toString()), ws.balances.map((b) => b.after.toString())],
    );
    if (res.rowCount !== ws.balances.length) throw new BalanceConflict(ws.balances.length, res.rowCount);
  }
  await insertMany(tx, 'audit_log', AUDIT_COLS, ws.audit, false);
}
