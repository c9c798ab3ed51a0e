// Shared by the concurrency and crash tests and by bench/orders.ts: extra traders (made in the database
// before the engine owns them), tRPC clients (HTTP or WebSocket) and a reconciliation of the books.
import bcrypt from 'bcryptjs';
import { Decimal } from 'decimal.js';
import WebSocket from 'ws';
import { createTRPCClient, createWSClient, httpLink, TRPCClientError, wsLink } from '@trpc/client';
import { DEMO_PASSWORD, type PrismaClient } from '@broker/db';
import type { AppRouter } from '@broker/api';
import { transformer } from '@broker/api/transformer';

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface Trader {
  email: string;
  userId: number;
  accountId: number;
}

/**
 * Creates `count` CLIENT users, each with one USD account opened by a DEPOSIT ledger row (the same shape
 * seed() gives the demo traders). Use before the engine starts, or on accounts the engine has never
 * seen (it loads unknown accounts lazily). deposit '0' creates the account with no ledger row.
 */
export async function createTraders(
  prisma: PrismaClient,
  opts: { count: number; prefix: string; deposit: string; marginMode?: 'HEDGING' | 'NETTING'; leverage?: number },
): Promise<Trader[]> {
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 4);
  const out: Trader[] = [];
  for (let i = 0; i < opts.count; i++) {
    const email = `${opts.prefix}${i}@load.local`;
    const t = await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, username: `${opts.prefix}${i}`, name: `Load ${opts.prefix}${i}`, role: 'CLIENT', passwordHash } });
      const account = await tx.account.create({
        data: {
          accountNumber: `LD-${opts.prefix}-${i}`,
          userId: user.id,
          type: 'DEMO',
          currency: 'USD',
          leverage: opts.leverage ?? 100,
          marginMode: opts.marginMode ?? 'HEDGING',
          balance: opts.deposit,
        },
      });
      if (!new Decimal(opts.deposit).isZero()) {
        await tx.ledgerEntry.create({
          data: { accountId: account.id, type: 'DEPOSIT', amount: opts.deposit, balanceBefore: '0', balanceAfter: opts.deposit, method: 'DEMO', note: 'load test deposit' },
        });
      }
      return { email, userId: user.id, accountId: account.id };
    });
    out.push(t);
  }
  return out;
}

export function httpClient(url: string, token?: string): Api {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, transformer, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
  });
}

/** A tRPC client over one WebSocket (the engine's /trpc-ws); close() ends the connection. */
export function wsClient(url: string, token?: string): { api: Api; close(): Promise<void> } {
  const ws = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc-ws`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : undefined,
    retryDelayMs: () => 200,
  });
  const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws, transformer })] });
  return { api, close: () => ws.close() };
}

export async function login(api: Api, email: string): Promise<{ token: string; userId: number; accountIds: number[] }> {
  const res = await api.auth.login.mutate({ email, password: DEMO_PASSWORD });
  return { token: res.token, userId: res.user.id, accountIds: res.accounts.map((a) => a.id) };
}

/** The stable application code of a failed call ('OK' when it succeeded); other failures are rethrown. */
export async function appCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (e instanceof TRPCClientError && (e.data as { appCode?: string } | undefined)?.appCode) return (e.data as { appCode: string }).appCode;
    throw e;
  }
}

export function appCodeOf(e: unknown): string | null {
  if (e instanceof TRPCClientError) return (e.data as { appCode?: string } | undefined)?.appCode ?? null;
  return null;
}

export interface Problem {
  check: string;
  detail: string;
}

/**
 * Reconciles the books from the database alone (trading-rules.md, Ledger; architecture.md, order flow).
 * Returns every violation found; [] means the books agree with themselves. accountIds limits the checks.
 */
export async function reconcile(prisma: PrismaClient, accountIds?: number[]): Promise<Problem[]> {
  const scope = (col: string) => (accountIds?.length ? `AND ${col} IN (${accountIds.map((n) => Number(n)).join(',')})` : '');
  const checks: Record<string, string> = {
    'balance == sum(ledger.amount)': `
      SELECT a.id::text AS detail_id, a.balance::text AS balance, COALESCE(SUM(l.amount), 0)::text AS ledger
        FROM accounts a LEFT JOIN ledger l ON l.account_id = a.id
       WHERE true ${scope('a.id')}
       GROUP BY a.id HAVING a.balance <> COALESCE(SUM(l.amount), 0)`,
    'ledger balance_after == balance_before + amount': `
      SELECT id::text AS detail_id, account_id, balance_before::text, amount::text, balance_after::text FROM ledger
       WHERE balance_after <> balance_before + amount ${scope('account_id')}`,
    'ledger rows chain (each starts where the previous ended)': `
      SELECT id::text AS detail_id, account_id, balance_before::text, prev::text FROM (
        SELECT id, account_id, balance_before, LAG(balance_after, 1, 0::numeric) OVER (PARTITION BY account_id ORDER BY id) AS prev FROM ledger WHERE true ${scope('account_id')}
      ) x WHERE balance_before <> prev`,
    // PARTIALLY_FILLED: an A-Book order the LP filled in part (an IOC remainder) books what was filled.
    'every position has its opening order (FILLED) ': `
      SELECT p.id::text AS detail_id, p.account_id FROM positions p
       WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.position_id = p.id AND o.status IN ('FILLED', 'PARTIALLY_FILLED')) ${scope('p.account_id')}`,
    'every position has its OPEN trade': `
      SELECT p.id::text AS detail_id, p.account_id FROM positions p
       WHERE NOT EXISTS (SELECT 1 FROM trades t WHERE t.position_id = p.id AND t.entry = 'OPEN') ${scope('p.account_id')}`,
    'every CLOSED position has a CLOSE trade': `
      SELECT p.id::text AS detail_id, p.account_id FROM positions p
       WHERE p.status = 'CLOSED' AND NOT EXISTS (SELECT 1 FROM trades t WHERE t.position_id = p.id AND t.entry = 'CLOSE') ${scope('p.account_id')}`,
    'every FILLED order has a trade': `
      SELECT o.id::text AS detail_id, o.account_id FROM orders o
       WHERE o.status IN ('FILLED', 'PARTIALLY_FILLED') AND NOT EXISTS (SELECT 1 FROM trades t WHERE t.order_id = o.id) ${scope('o.account_id')}`,
    'trades belong to FILLED orders of the same account': `
      SELECT t.id::text AS detail_id, t.account_id, o.status::text FROM trades t JOIN orders o ON o.id = t.order_id
       WHERE (o.status NOT IN ('FILLED', 'PARTIALLY_FILLED') OR o.account_id <> t.account_id) ${scope('t.account_id')}`,
    'REJECTED orders wrote nothing else': `
      SELECT o.id::text AS detail_id, o.account_id FROM orders o
       WHERE o.status = 'REJECTED' AND (o.position_id IS NOT NULL OR EXISTS (SELECT 1 FROM trades t WHERE t.order_id = o.id)) ${scope('o.account_id')}`,
    'trade-referenced ledger rows point at a trade of the account': `
      SELECT l.id::text AS detail_id, l.account_id, l.type::text FROM ledger l
       WHERE l.reference_type = 'TRADE' AND NOT EXISTS (SELECT 1 FROM trades t WHERE t.id = l.reference_id AND t.account_id = l.account_id) ${scope('l.account_id')}`,
    'commission booked == commission of OPEN trades': `
      SELECT a.id::text AS detail_id,
             (SELECT COALESCE(SUM(-amount), 0) FROM ledger l WHERE l.account_id = a.id AND l.type = 'COMMISSION')::text AS booked,
             (SELECT COALESCE(SUM(commission), 0) FROM trades t WHERE t.account_id = a.id AND t.entry = 'OPEN')::text AS traded
        FROM accounts a WHERE true ${scope('a.id')}
         AND (SELECT COALESCE(SUM(-amount), 0) FROM ledger l WHERE l.account_id = a.id AND l.type = 'COMMISSION')
          <> (SELECT COALESCE(SUM(commission), 0) FROM trades t WHERE t.account_id = a.id AND t.entry = 'OPEN')`,
    'realized P&L booked == realized P&L of CLOSE trades': `
      SELECT a.id::text AS detail_id FROM accounts a WHERE true ${scope('a.id')}
         AND (SELECT COALESCE(SUM(amount), 0) FROM ledger l WHERE l.account_id = a.id AND l.type = 'REALIZED_PNL')
          <> (SELECT COALESCE(SUM(realized_pnl), 0) FROM trades t WHERE t.account_id = a.id AND t.entry = 'CLOSE')`,
    'an open position volume == OPEN trade volume - CLOSE trade volume': `
      SELECT p.id::text AS detail_id, p.volume::text FROM positions p WHERE p.status = 'OPEN' ${scope('p.account_id')}
         AND p.volume <> (SELECT COALESCE(SUM(CASE WHEN t.entry = 'OPEN' THEN t.volume ELSE -t.volume END), 0) FROM trades t WHERE t.position_id = p.id)`,
  };
  const problems: Problem[] = [];
  for (const [check, sql] of Object.entries(checks)) {
    const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql);
    for (const r of rows.slice(0, 20)) problems.push({ check, detail: JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) });
    if (rows.length > 20) problems.push({ check, detail: `… and ${rows.length - 20} more` });
  }
  return problems;
}

/** Percentile (0..100) of an ascending-sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
