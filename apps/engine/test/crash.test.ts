// Issue acceptance 2: kill -9 the engine in the middle of a stream of market orders, restart it on the same
// database, and prove nothing acknowledged was lost, nothing is doubled by retries, and the books reconcile.
// The engine runs as a real child process (tsx apps/engine/src/main.ts) in its own process group.
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '@broker/db';
import { createTestDatabase, type TestDatabase } from '@broker/db/testing';
import { startChildEngine, type ChildEngine } from './load/child-engine.ts';
import { appCodeOf, createTraders, httpClient, login, reconcile, type Api, type Trader } from './load/fixtures.ts';

const SECRET = 'crash-test-secret-0123456789abcdef';
const CLIENTS = 50;
/** Acknowledgements to wait for before the kill (the stream is still in full flow then). */
const KILL_AFTER_ACKS = 300;
/** Stream, kill -9, restart: this many times before the final retry of everything. */
const CYCLES = 3;
const QUOTES: [string, string, string][] = [
  ['EURUSD', '1.08450', '1.08452'],
  ['GBPUSD', '1.26500', '1.26509'],
  ['BTCUSD', '67000.00', '67015.00'],
  ['XAUUSD', '2300.00', '2300.40'],
];

interface Sent {
  accountId: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: string;
  idempotencyKey: string;
  client: number;
}
type Ack = { kind: 'FILLED'; orderId: string } | { kind: 'REJECTED'; code: string };

const enabled = !!process.env.DATABASE_URL;
if (!enabled) {
  console.warn('crash.test.ts skipped: set DATABASE_URL (PostgreSQL). Embedded PGlite lives inside the test process, so the engine cannot be killed apart from its database.');
}

describe.skipIf(!enabled)('kill -9 mid-stream, restart on the same database', () => {
  let database: TestDatabase;
  let engine: ChildEngine | null = null;
  let traders: Trader[];
  const logFile = path.join(os.tmpdir(), `engine-crash-${process.pid}.log`);

  beforeAll(async () => {
    database = await createTestDatabase();
    const prisma = database.db.prisma;
    // Before the engine owns the database: demo data, ten more traders, and position limits out of the way
    // (alternating orders on hedging accounts open a new position each time).
    await seed(prisma, { bcryptCost: 4 });
    traders = [
      ...(await createTraders(prisma, { count: 6, prefix: 'crash-h', deposit: '1000000', marginMode: 'HEDGING' })),
      ...(await createTraders(prisma, { count: 4, prefix: 'crash-n', deposit: '1000000', marginMode: 'NETTING' })),
    ];
    await prisma.riskSettings.updateMany({ where: { accountId: null }, data: { maxOpenPositions: 100_000, maxDailyVolume: '1000000' } });
  });

  afterAll(async () => {
    await engine?.stop().catch(() => undefined);
    await database?.drop();
  });

  async function start(): Promise<{ admin: Api; apis: Map<number, Api> }> {
    if (engine) throw new Error('an engine is already running');
    engine = await startChildEngine({ databaseUrl: database.url!, jwtSecret: SECRET, env: { ENGINE_SEED: 'false' }, logFile });
    const anon = httpClient(engine.url);
    const admin = httpClient(engine.url, (await login(anon, 'superadmin@broker.local')).token);
    for (const [symbol, bid, ask] of QUOTES) await admin.admin.risk.pushQuote.mutate({ symbol, bid: new Decimal(bid), ask: new Decimal(ask) });
    const apis = new Map<number, Api>();
    for (const t of traders) apis.set(t.accountId, httpClient(engine.url, (await login(anon, t.email)).token));
    return { admin, apis };
  }

  it('loses no acknowledged order, doubles nothing on retry, and the books reconcile', async () => {
    const prisma = database.db.prisma;
    const sent: Sent[] = [];
    const acks = new Map<string, Ack>();
    const unexpected: string[] = [];
    let apis!: Map<number, Api>;
    let committedUnacked = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      ({ apis } = await start());
      // ── 50 clients stream market orders with idempotency keys until the engine dies under them ──
      let killed: Promise<void> | null = null;
      const killAt = { acks: 0, inFlight: 0, ms: 0 };
      const t0 = Date.now();
      const acksBefore = acks.size;
      const sentBefore = sent.length;
      const kill = () => {
        if (killed) return;
        killAt.acks = acks.size - acksBefore;
        killAt.inFlight = sent.length - acks.size;
        killAt.ms = Date.now() - t0;
        killed = engine!.kill9();
      };
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          const trader = traders[c % traders.length]!;
          const api = apis.get(trader.accountId)!;
          for (let n = 0; ; n++) {
            const [symbol] = QUOTES[(c + n) % QUOTES.length]!;
            const req: Sent = { accountId: trader.accountId, symbol, side: n % 2 ? 'SELL' : 'BUY', volume: '0.01', idempotencyKey: `k${cycle}-c${c}-${n}`, client: c };
            sent.push(req);
            try {
              const { client: _c, ...input } = req;
              const res = await api.orders.market.mutate(input);
              acks.set(req.idempotencyKey, { kind: 'FILLED', orderId: res.order.id });
            } catch (e) {
              const code = appCodeOf(e);
              if (!code) return; // the connection died: this request is unacknowledged
              acks.set(req.idempotencyKey, { kind: 'REJECTED', code });
              unexpected.push(`${req.idempotencyKey}: ${code}`);
            }
            if (acks.size - acksBefore >= KILL_AFTER_ACKS) kill();
            // Keep sending until the connection dies, so requests are in flight when the process goes (a
            // client that stopped at the kill signal left none once a fast engine had answered them all).
          }
        }),
      );
      await killed;
      engine = null;
      const inFlight = sent.length - acks.size - (sentBefore - acksBefore);
      console.info(`crash ${cycle + 1}/${CYCLES}: kill -9 after ${killAt.ms} ms, ${killAt.acks} acknowledged this run, ${inFlight} requests left unanswered`);
      expect(inFlight).toBeGreaterThan(0);
      // Margin never binds here: every order the engine answered was filled.
      expect(unexpected).toEqual([]);

      // ── after the crash (read straight from the database): every acknowledged order exists exactly once ──
      const keyed = await prisma.order.findMany({ where: { idempotencyKey: { not: null } }, select: { id: true, accountId: true, idempotencyKey: true, status: true } });
      const byKey = new Map<string, typeof keyed>();
      for (const o of keyed) byKey.set(`${o.accountId}/${o.idempotencyKey}`, [...(byKey.get(`${o.accountId}/${o.idempotencyKey}`) ?? []), o]);
      const lost: string[] = [];
      for (const s of sent) {
        const ack = acks.get(s.idempotencyKey);
        if (!ack) continue;
        const rows = byKey.get(`${s.accountId}/${s.idempotencyKey}`) ?? [];
        if (rows.length !== 1 || (ack.kind === 'FILLED' && (rows[0]!.id.toString() !== ack.orderId || rows[0]!.status !== 'FILLED'))) {
          lost.push(`${s.idempotencyKey}: ${JSON.stringify(rows.map((r) => [r.id.toString(), r.status]))}`);
        }
      }
      expect(lost).toEqual([]);
      committedUnacked = sent.filter((s) => !acks.has(s.idempotencyKey) && byKey.has(`${s.accountId}/${s.idempotencyKey}`)).length;
      console.info(`crash ${cycle + 1}/${CYCLES}: ${keyed.length} keyed orders stored, ${acks.size} acknowledged, ${committedUnacked} committed but never acknowledged`);
      expect(await reconcile(prisma)).toEqual([]);
    }

    // ── restart once more and retry every request (acknowledged or not) with its key, 50 at a time ──
    ({ apis } = await start());
    const queue = [...sent];
    const retryProblems: string[] = [];
    let replayed = 0;
    let fresh = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let s = queue.shift(); s; s = queue.shift()) {
          const { client: _c, ...input } = s;
          const ack = acks.get(s.idempotencyKey);
          try {
            const res = await apis.get(s.accountId)!.orders.market.mutate(input);
            if (res.replayed) replayed++;
            else fresh++;
            if (ack?.kind === 'FILLED' && (!res.replayed || res.order.id !== ack.orderId)) retryProblems.push(`${s.idempotencyKey}: acknowledged ${ack.orderId}, retry gave ${res.order.id} replayed=${res.replayed}`);
            if (ack?.kind === 'REJECTED') retryProblems.push(`${s.idempotencyKey}: acknowledged as ${ack.code}, retry filled`);
          } catch (e) {
            retryProblems.push(`${s.idempotencyKey}: retry failed with ${appCodeOf(e) ?? (e as Error).message}`);
          }
        }
      }),
    );
    console.info(`crash: retried ${sent.length}: ${replayed} replayed, ${fresh} filled for the first time`);
    expect(retryProblems).toEqual([]);
    expect(fresh).toBe(sent.length - acks.size - committedUnacked);

    // Now every request exists exactly once.
    const after = await prisma.order.groupBy({ by: ['accountId', 'idempotencyKey'], where: { idempotencyKey: { not: null } }, _count: { _all: true } });
    expect(after.filter((g) => g._count._all !== 1)).toEqual([]);
    const sentKeys = new Set(sent.map((s) => `${s.accountId}/${s.idempotencyKey}`));
    expect(new Set(after.map((g) => `${g.accountId}/${g.idempotencyKey}`))).toEqual(sentKeys);
    expect(await prisma.order.count({ where: { accountId: { in: traders.map((t) => t.accountId) } } })).toBe(sent.length);
    expect(await prisma.trade.count({ where: { accountId: { in: traders.map((t) => t.accountId) } } })).toBeGreaterThanOrEqual(sent.length);

    // The books reconcile, and the restarted engine's memory agrees with them.
    expect(await reconcile(prisma)).toEqual([]);
    for (const t of traders) {
      const summary = await apis.get(t.accountId)!.account.summary.query({ accountId: t.accountId });
      const row = await prisma.account.findUniqueOrThrow({ where: { id: t.accountId } });
      const ledger = await prisma.ledgerEntry.aggregate({ where: { accountId: t.accountId }, _sum: { amount: true } });
      expect(summary.balance.toFixed(8)).toBe(new Decimal(row.balance.toString()).toFixed(8));
      expect(new Decimal(ledger._sum.amount!.toString()).eq(row.balance.toString())).toBe(true);
      const open = await prisma.position.count({ where: { accountId: t.accountId, status: 'OPEN' } });
      expect(summary.openPositions).toBe(open);
    }
  }, 240_000);
});
