// Builds a real engine for a test: its own database (real PostgreSQL when DATABASE_URL is set, embedded
// PGlite otherwise), seeded, a manual LP, the real HTTP server and sockets on a free port.
import bcrypt from 'bcryptjs';
import { Decimal } from 'decimal.js';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { io, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD, seed } from '@broker/db';
import { createTestDatabase, type TestDatabase } from '@broker/db/testing';
import type { AppRouter, ClientToServerEvents, ServerToClientEvents } from '@broker/api';
import { transformer } from '@broker/api/transformer';
import { loadConfig, type EngineConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { ManualLp } from '../src/lp/manual.ts';
import type { EngineOptions } from '../src/engine.ts';
import { startEngine, type RunningEngine } from '../src/server.ts';

export interface TestEngine {
  running: RunningEngine;
  lp: ManualLp;
  database: TestDatabase;
  url: string;
  client(token?: string): ReturnType<typeof createTRPCClient<AppRouter>>;
  login(email: string): Promise<{ token: string; userId: number; accountIds: number[] }>;
  socket(token: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>>;
  /** A new CLIENT with one account funded through the ledger (written before the engine first loads it). */
  /**
   * Pushes an LP quote, first walking there from the symbol's current price in moves the spike rule accepts
   * when the jump would be refused (the seeded maxDeviation is 5%), so a test can start from its own prices
   * whatever ran before it. A move under 4.9% is one push, as `lp.push` would make it.
   */
  quoteTo(symbol: string, bid: string, ask: string): void;
  createTrader(opts?: { balance?: string; marginMode?: 'HEDGING' | 'NETTING'; leverage?: number; currency?: string }): Promise<{ token: string; userId: number; accountId: number }>;
  /**
   * Stops the engine and starts a new one on the same database (a restart); `running` and `url` follow.
   * `whileDown` runs between the two (the database as the stopped engine left it).
   */
  restart(opts?: { autoRollover?: boolean; whileDown?: () => Promise<void> }): Promise<void>;
  stop(): Promise<void>;
}

let traderSeq = 0;

export async function startTestEngine(
  opts: {
    redisUrl?: string;
    lpsFromDb?: boolean;
    beforeStart?: (db: TestDatabase['db']) => Promise<void>;
    env?: Record<string, string | undefined>;
    /** The engine's and the manual LP's time (default Date.now). */
    clock?: () => number;
    /** The daily rollover timer and its catch-up at start: off unless a test asks for it. */
    autoRollover?: boolean;
    /** Further engine options (e.g. the nightly reconciliation's check interval). */
    engine?: Partial<EngineOptions>;
    /** Configuration over the test defaults (production mode, a secret, CORS origins…). */
    config?: Partial<EngineConfig>;
  } = {},
): Promise<TestEngine> {
  const database = await createTestDatabase();
  await seed(database.db.prisma);
  await opts.beforeStart?.(database.db);
  const lp = new ManualLp(opts.clock);
  const config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    redisUrl: opts.redisUrl,
    jwtSecret: 'test-secret-0123456789abcdef',
    marketHours: 'always-open' as const,
    seed: false,
    ...opts.config,
  };
  const launch = (autoRollover: boolean) =>
    startEngine({ ...config, autoRollover }, { db: database.db, lp: opts.lpsFromDb ? undefined : lp, env: opts.env, clock: opts.clock, engine: opts.engine, logger: createLogger('engine', { silent: !process.env.ENGINE_TEST_LOGS }) });
  let running = await launch(opts.autoRollover ?? false);
  let url = running.url;
  const sockets: Socket[] = [];
  const client = (token?: string) =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${url}/trpc`, transformer, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
    });
  return {
    get running() {
      return running;
    },
    lp,
    database,
    get url() {
      return url;
    },
    client,
    async login(email) {
      const res = await client().auth.login.mutate({ email, password: DEMO_PASSWORD });
      return { token: res.token, userId: res.user.id, accountIds: res.accounts.map((a) => a.id) };
    },
    async socket(token) {
      const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', (e) => reject(e));
      });
      return s;
    },
    quoteTo(symbol, bid, ask) {
      const last = running.engine.quoteStore.get(symbol);
      const target = new Decimal(bid).plus(ask).div(2);
      const digits = Math.max(...[bid, ask].map((p) => p.split('.')[1]?.length ?? 0));
      let mid = last ? last.bid.plus(last.ask).div(2) : target;
      for (let steps = 0; mid.minus(target).abs().div(mid).gt('0.049'); steps++) {
        if (steps === 100) throw new Error(`quoteTo: cannot walk ${symbol} to ${bid} / ${ask}`);
        mid = mid.times(target.gt(mid) ? '1.045' : '0.955').toDecimalPlaces(digits);
        lp.push(symbol, mid.toFixed(digits), mid.toFixed(digits));
      }
      lp.push(symbol, bid, ask);
    },
    async createTrader(opts = {}) {
      const prisma = database.db.prisma;
      const n = `${process.pid}-${++traderSeq}-${Math.random().toString(36).slice(2, 8)}`;
      const balance = opts.balance ?? '10000';
      const user = await prisma.user.create({
        data: { email: `t-${n}@test.local`, username: `t-${n}`, name: `Test ${n}`, passwordHash: await bcrypt.hash(DEMO_PASSWORD, 4), role: 'CLIENT' },
      });
      const account = await prisma.$transaction(async (tx) => {
        const a = await tx.account.create({
          data: { accountNumber: `T-${n}`, userId: user.id, leverage: opts.leverage ?? 100, marginMode: opts.marginMode ?? 'HEDGING', currency: opts.currency ?? 'USD', balance },
        });
        await tx.ledgerEntry.create({ data: { accountId: a.id, type: 'DEPOSIT', amount: balance, balanceBefore: '0', balanceAfter: balance, method: 'INTERNAL', note: 'test funding' } });
        return a;
      });
      const res = await client().auth.login.mutate({ email: user.email, password: DEMO_PASSWORD });
      return { token: res.token, userId: user.id, accountId: account.id };
    },
    async restart(restartOpts = {}) {
      for (const s of sockets.splice(0)) s.disconnect();
      await running.stop();
      await restartOpts.whileDown?.();
      running = await launch(restartOpts.autoRollover ?? opts.autoRollover ?? false);
      url = running.url;
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      await running.stop();
      await database.drop();
    },
  };
}

/** The stable code of a failed call. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) return (e.data as { appCode?: string } | undefined)?.appCode ?? `TRPC:${e.message}`;
    throw e;
  }
  return 'OK';
}

export function nextEvent<T>(subscribe: (fn: (e: T) => void) => void, predicate: (e: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('event did not arrive')), timeoutMs);
    subscribe((e) => {
      if (predicate(e)) {
        clearTimeout(timer);
        resolve(e);
      }
    });
  });
}

/** Polls until `check` stops throwing (async effects: triggers run on the account's queue after a quote). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
