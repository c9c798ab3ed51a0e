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
  ['lpOrderId', 'lp_order_id', 'varchar'],
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
  ['routeRule', 'route_rule', 'varchar'],
  ['routeReason', 'route_reason', 'varchar'],
  ['routeFigures', 'route_figures', 'jsonb'],
  ['routeLpId', 'route_lp_id', 'int'],
  ['lpOrderId', 'lp_order_id', 'varchar'],
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
  ['internalNote', 'internal_note', 'text'],
  ['reversalOfId', 'reversal_of_id', 'bigint'],
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

const LP_ORDER_COLS: readonly Col[] = [
  ['orderId', 'order_id', 'bigint'],
  ['lpId', 'lp_id', 'int'],
  ['kind', 'kind', '"LpOrderKind"'],
  ['clOrdId', 'cl_ord_id', 'varchar'],
  ['symbol', 'symbol', 'varchar'],
  ['side', 'side', '"Side"'],
  ['volume', 'volume', 'numeric'],
  ['status', 'status', '"LpOrderStatus"', "'SENT'"],
  ['sentAt', 'sent_at', 'timestamptz'],
  ['quoteBid', 'quote_bid', 'numeric'],
  ['quoteAsk', 'quote_ask', 'numeric'],
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
  lpOrderId: ['lp_order_id', 'varchar'],
  routeRule: ['route_rule', 'varchar'],
  routeReason: ['route_reason', 'varchar'],
  routeFigures: ['route_figures', 'jsonb'],
  routeLpId: ['route_lp_id', 'int'],
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

/** Builds one statement: data-modifying CTEs for every insert and update, checked by the final SELECT. */
class Statement {
  readonly ctes: string[] = [];
  readonly params: unknown[] = [];
  /** Row counts the statement must see, as SQL, and their expected sum. */
  readonly checks: string[] = [];
  expected = 0;

  param(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }

  insertMany(table: string, cols: readonly Col[], rows: readonly object[], updatedAt: boolean) {
    if (!rows.length) return;
    // Only the columns some row sets; the others keep their defaults.
    const used = cols.filter(([field]) => rows.some((r) => (r as Record<string, unknown>)[field] !== undefined));
    // Every array travels as text[] and is cast in SQL: both drivers serialize text[] alike (PGlite does not
    // know how to send an array of an enum type).
    const unnest = used.map(([field, , type]) => {
      const values = rows.map((r) => {
        const v = wire((r as Record<string, unknown>)[field], type);
        return v === null ? null : String(v);
      });
      return `${this.param(values)}::text[]::${type === 'jsonb' ? 'text' : type}[]`;
    });
    const names = used.map(([, column]) => `"${column}"`);
    const select = used.map(([, , type, fallback], i) => {
      const v = type === 'jsonb' ? `c${i}::jsonb` : `c${i}`;
      // Always through COALESCE where the column has a default: the text then does not depend on the rows.
      return fallback !== undefined ? `COALESCE(${v}, ${fallback})` : v;
    });
    const alias = used.map((_, i) => `c${i}`).join(', ');
    const extraCol = updatedAt ? ', "updated_at"' : '';
    const extraVal = updatedAt ? ', now()' : '';
    this.ctes.push(
      `i${this.ctes.length} AS (INSERT INTO "${table}" (${names.join(', ')}${extraCol}) SELECT ${select.join(', ')}${extraVal} FROM unnest(${unnest.join(', ')}) AS u(${alias}) RETURNING 1)`,
    );
  }

  /**
   * Updates by id, grouped by the set of columns they change: one `UPDATE … FROM unnest(…)` per group, so the
   * statement's text depends on what kind of rows a batch holds, not on how many (and is prepared once).
   * A row is updated at most once per statement (PostgreSQL applies only one of several modifications of a
   * row in one statement): one account's commands never share a batch, so two updates of one row would be
   * a bug, and it is refused rather than half-applied.
   */
  updateMany(table: string, map: Record<string, readonly [string, string]>, updates: readonly { id: bigint; data: object }[]) {
    if (!updates.length) return;
    const seen = new Set<bigint>();
    const groups = new Map<string, { sets: { column: string; type: string; inc: boolean; field: string }[]; rows: { id: bigint; data: Record<string, unknown> }[] }>();
    for (const u of updates) {
      if (seen.has(u.id)) throw new Error(`sql-writer: ${table} row ${u.id} updated twice in one statement`);
      seen.add(u.id);
      const data = u.data as Record<string, unknown>;
      const sets: { column: string; type: string; inc: boolean; field: string }[] = [];
      for (const field in data) {
        const value = data[field];
        if (value === undefined) continue;
        const spec = map[field];
        if (!spec) throw new Error(`sql-writer: ${table}.${field} is not mapped`);
        const inc = value !== null && typeof value === 'object' && 'increment' in (value as object);
        sets.push({ column: spec[0], type: spec[1], inc, field });
      }
      if (!sets.length) continue;
      sets.sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
      const key = sets.map((x) => (x.inc ? '+' : '=') + x.column).join(',');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { sets, rows: [] }));
      g.rows.push({ id: u.id, data });
    }
    for (const g of groups.values()) {
      const ids = this.param(g.rows.map((r) => r.id.toString()));
      const cols = g.sets.map((x) => {
        const values = g.rows.map((r) => {
          const raw = r.data[x.field];
          const v = wire(x.inc ? (raw as { increment: unknown }).increment : raw, x.type);
          return v === null ? null : String(v);
        });
        return `${this.param(values)}::text[]::${x.type}[]`;
      });
      const alias = g.sets.map((_, i) => `c${i}`);
      const assign = g.sets.map((x, i) => (x.inc ? `"${x.column}" = t."${x.column}" + v.c${i}` : `"${x.column}" = v.c${i}`));
      const name = `u${this.ctes.length}`;
      this.ctes.push(
        `${name} AS (UPDATE "${table}" AS t SET ${assign.join(', ')}, "updated_at" = now() FROM unnest(${ids}::text[]::bigint[], ${cols.join(', ')}) AS v(id, ${alias.join(', ')}) WHERE t.id = v.id RETURNING 1)`,
      );
      this.checks.push(`(SELECT count(*) FROM ${name})`);
      this.expected += g.rows.length;
    }
  }

  balances(all: WriteSet['balances']) {
    // Two shapes, so a statement's text still depends only on the kinds of rows it holds.
    const balances = all.filter((b) => !b.credit);
    const credits = all.filter((b) => b.credit);
    if (credits.length) {
      const ids = this.param(credits.map((b) => String(b.accountId)));
      const before = this.param(credits.map((b) => b.before.toString()));
      const after = this.param(credits.map((b) => b.after.toString()));
      const cBefore = this.param(credits.map((b) => b.credit!.before.toString()));
      const cAfter = this.param(credits.map((b) => b.credit!.after.toString()));
      const name = `c${this.ctes.length}`;
      this.ctes.push(
        `${name} AS (UPDATE accounts AS a SET balance = v.after, credit = v.credit_after, updated_at = now() FROM unnest(${ids}::text[]::int[], ${before}::text[]::numeric[], ${after}::text[]::numeric[], ${cBefore}::text[]::numeric[], ${cAfter}::text[]::numeric[]) AS v(id, before, after, credit_before, credit_after) WHERE a.id = v.id AND a.balance = v.before AND a.credit = v.credit_before RETURNING 1)`,
      );
      this.checks.push(`(SELECT count(*) FROM ${name})`);
      this.expected += credits.length;
    }
    if (!balances.length) return;
    const ids = this.param(balances.map((b) => String(b.accountId)));
    const before = this.param(balances.map((b) => b.before.toString()));
    const after = this.param(balances.map((b) => b.after.toString()));
    const name = `b${this.ctes.length}`;
    this.ctes.push(
      `${name} AS (UPDATE accounts AS a SET balance = v.after, updated_at = now() FROM unnest(${ids}::text[]::int[], ${before}::text[]::numeric[], ${after}::text[]::numeric[]) AS v(id, before, after) WHERE a.id = v.id AND a.balance = v.before RETURNING 1)`,
    );
    this.checks.push(`(SELECT count(*) FROM ${name})`);
    this.expected += balances.length;
  }

  /**
   * One round trip, one implicit transaction: every CTE runs to completion, foreign keys are checked at the
   * end of the statement, and if any update found fewer rows than expected (a balance not what the single
   * writer expected, a missing row) the division by zero aborts the whole statement.
   */
  text(): string {
    const check = this.checks.length ? `1 / (CASE WHEN ${this.checks.join(' + ')} = ${this.expected} THEN 1 ELSE 0 END)` : '1';
    return `WITH ${this.ctes.join(',\n')}\nSELECT ${check} AS ok`;
  }
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

// Statement texts seen, by their prepared-statement names. A batch's text depends only on the kinds of rows
// it holds (tables, columns set, update shapes), so there are few of them; past the cap, texts run unnamed.
const NAMES = new Map<string, string>();
const MAX_NAMED = 500;
function statementName(text: string): string | undefined {
  const known = NAMES.get(text);
  if (known || NAMES.size >= MAX_NAMED) return known;
  const name = `ws${NAMES.size + 1}`;
  NAMES.set(text, name);
  return name;
}

/** Writes a whole write set (or a merged batch of them) atomically in one statement. */
export async function writeWriteSet(tx: SqlTx, ws: WriteSet): Promise<void> {
  const st = new Statement();
  st.insertMany('positions', POSITION_COLS, ws.positions, true);
  st.insertMany('orders', ORDER_COLS, ws.orders, true);
  st.insertMany('lp_orders', LP_ORDER_COLS, ws.lpOrders, true);
  st.updateMany('orders', ORDER_UPDATE, ws.orderUpdates);
  st.updateMany('positions', POSITION_UPDATE, ws.positionUpdates);
  st.insertMany('trades', TRADE_COLS, ws.trades, false);
  st.insertMany('ledger', LEDGER_COLS, ws.ledger, false);
  st.balances(ws.balances);
  st.insertMany('audit_log', AUDIT_COLS, ws.audit, false);
  if (!st.ctes.length) return;
  const text = st.text();
  try {
    await tx.query(text, st.params, { name: statementName(text) });
  } catch (err) {
    // 22012: the row-count check above — some expected row was not there to update.
    if ((err as { code?: string }).code === '22012') throw new BalanceConflict(st.expected, -1);
    throw err;
  }
}
