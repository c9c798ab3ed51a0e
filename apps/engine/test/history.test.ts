// Market-data history: TickWriter (batched tick rows), CandleStore (bars persisted and reloaded) and the
// TimescaleDB switch, on a database of their own (real PostgreSQL when DATABASE_URL is set, PGlite otherwise).
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@broker/db';
import { createTestDatabase, type TestDatabase } from '@broker/db/testing';
import { createLogger } from '../src/logger.ts';
import { CandleBook } from '../src/marketdata/candles.ts';
import { CandleStore } from '../src/marketdata/candle-store.ts';
import { TickWriter, type TickRow } from '../src/marketdata/tick-writer.ts';
import { enableTimescale, timescaleStatements } from '../src/marketdata/timescale.ts';

const log = createLogger('history-test', { silent: true });
let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.db.prisma;
});
afterAll(async () => {
  await database?.drop();
});

const tick = (time: number, symbol: string, bid: string, ask: string, lp = 'TEST'): TickRow => ({ time, symbol, bid: new Decimal(bid), ask: new Decimal(ask), lp });
const count = async (where = 'TRUE') => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*)::int8 AS n FROM ticks WHERE ${where}`))[0]!.n);

/** The Prisma client, counting raw statements. */
function counting() {
  const calls = { n: 0 };
  const wrapped = {
    $executeRawUnsafe: (sql: string, ...values: unknown[]) => {
      calls.n++;
      return prisma.$executeRawUnsafe(sql, ...values);
    },
  } as unknown as PrismaClient;
  return { wrapped, calls };
}

describe('TickWriter', () => {
  it('writes a batch of ticks with exact prices and spread; recent() sees ticks before they are written', async () => {
    const t0 = Date.parse('2024-03-04T10:00:00.123Z');
    const w = new TickWriter({ prisma, log, flushIntervalMs: 60_000 });
    w.add(tick(t0, 'EURUSD', '1.08451', '1.08453'));
    w.add(tick(t0 + 1, 'GBPUSD', '1.26500', '1.26509'));
    w.add(tick(t0 + 2, 'EURUSD', '1.08452', '1.08455'));
    expect(w.recent('EURUSD', 10).map((t) => t.bid.toString())).toEqual(['1.08451', '1.08452']);
    expect(w.recent('EURUSD', 1).map((t) => t.bid.toString())).toEqual(['1.08452']);
    await w.flush();
    expect(w.recent('EURUSD', 10)).toEqual([]);
    const rows = await prisma.tick.findMany({ where: { lp: 'TEST' }, orderBy: { time: 'asc' } });
    expect(rows.map((r) => [r.time.getTime(), r.symbol, r.bid.toString(), r.ask.toString(), r.spread.toString(), r.lp])).toEqual([
      [t0, 'EURUSD', '1.08451', '1.08453', '0.00002', 'TEST'],
      [t0 + 1, 'GBPUSD', '1.265', '1.26509', '0.00009', 'TEST'],
      [t0 + 2, 'EURUSD', '1.08452', '1.08455', '0.00003', 'TEST'],
    ]);
    expect(w.stats()).toMatchObject({ received: 3, written: 3, dropped: 0, batches: 1, pending: 0 });
    await w.stop();
  });

  it('ticks of one symbol and LP in the same millisecond are all kept, in order, a microsecond apart', async () => {
    const t0 = Date.parse('2024-03-04T11:00:00.000Z');
    const w = new TickWriter({ prisma, log, flushIntervalMs: 60_000 });
    for (const bid of ['150.001', '150.002', '150.001']) w.add(tick(t0, 'USDJPY', bid, '150.010', 'SAMEMS'));
    w.add(tick(t0, 'USDJPY', '150.002', '150.011', 'OTHER-LP')); // another LP at the same ms: its own microsecond count
    expect(w.recent('USDJPY', 10).map((t) => [t.time, t.bid.toString()])).toEqual([
      [t0, '150.001'],
      [t0, '150.002'],
      [t0, '150.001'],
      [t0, '150.002'],
    ]);
    await w.flush();
    w.add(tick(t0, 'USDJPY', '150.004', '150.013', 'SAMEMS')); // a later batch, still the same ms
    w.add(tick(t0 + 5, 'USDJPY', '150.003', '150.012', 'SAMEMS'));
    w.add(tick(t0 - 1, 'USDJPY', '150.000', '150.009', 'SAMEMS')); // late and out of order: keeps its own time
    await w.stop();
    expect(w.stats()).toMatchObject({ batches: 2, failedBatches: 0, dropped: 0, written: 7 });
    const rows = await prisma.$queryRawUnsafe<{ us: string; lp: string; bid: string }[]>(
      `SELECT (extract(epoch FROM time) * 1000000)::int8::text AS us, lp, bid::text FROM ticks WHERE symbol = 'USDJPY' ORDER BY lp, time`,
    );
    const us0 = BigInt(t0) * 1000n;
    expect(rows.map((r) => [BigInt(r.us) - us0, r.lp, r.bid])).toEqual([
      [0n, 'OTHER-LP', '150.00200000'],
      [-1000n, 'SAMEMS', '150.00000000'],
      [0n, 'SAMEMS', '150.00100000'],
      [1n, 'SAMEMS', '150.00200000'],
      [2n, 'SAMEMS', '150.00100000'],
      [3n, 'SAMEMS', '150.00400000'],
      [5000n, 'SAMEMS', '150.00300000'],
    ]);
    // Read back through Prisma the times are the ticks' milliseconds.
    const viaPrisma = await prisma.tick.findMany({ where: { lp: 'SAMEMS' }, orderBy: { time: 'asc' } });
    expect(viaPrisma.map((r) => r.time.getTime() - t0)).toEqual([-1, 0, 0, 0, 0, 5]);
  });

  it('a batch retried after a commit whose answer was lost is not stored twice', async () => {
    const t0 = Date.parse('2024-03-04T12:00:00.000Z');
    let calls = 0;
    const lossy = {
      $executeRawUnsafe: async (sql: string, ...values: unknown[]) => {
        const n = await prisma.$executeRawUnsafe(sql, ...values);
        if (++calls === 1) throw new Error('connection reset (after the commit)');
        return n;
      },
    } as unknown as PrismaClient;
    const w = new TickWriter({ prisma: lossy, log, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) w.add(tick(t0, 'AUDUSD', '0.65500', '0.65509', 'RETRY'));
    await w.stop();
    expect(calls).toBe(2);
    expect(w.stats()).toMatchObject({ batches: 1, failedBatches: 1, dropped: 0 });
    expect(await count(`lp = 'RETRY'`)).toBe(3);
  });

  it.each([1, 2])('a 20,000-tick burst is written in a few statements (one per batch), %i in flight', async (concurrency) => {
    const { wrapped, calls } = counting();
    const w = new TickWriter({ prisma: wrapped, log, flushIntervalMs: 60_000, maxBatch: 5000, concurrency });
    const lp = `BURST${concurrency}`;
    const t0 = Date.parse('2024-03-05T00:00:00.000Z');
    const symbols = ['EURUSD', 'GBPUSD', 'XAUUSD', 'BTCUSD'];
    for (let i = 0; i < 20_000; i++) {
      const bid = new Decimal(1).plus(new Decimal(i).div(100_000));
      w.add({ time: t0 + Math.floor(i / symbols.length), symbol: symbols[i % symbols.length]!, bid, ask: bid.plus('0.00002'), lp });
    }
    await w.stop();
    expect(calls.n).toBe(4);
    expect(w.stats()).toMatchObject({ received: 20_000, written: 20_000, batches: 4, dropped: 0 });
    expect(await count(`lp = '${lp}'`)).toBe(20_000);
  });

  it('when the database cannot keep up, the oldest ticks are dropped and counted; the newest are kept', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const written: number[] = [];
    const slow = {
      $executeRawUnsafe: async (_sql: string, times: number[]) => {
        await gate;
        written.push(...times);
        return times.length;
      },
    } as unknown as PrismaClient;
    const w = new TickWriter({ prisma: slow, log, flushIntervalMs: 60_000, maxBatch: 10, maxBuffer: 100 });
    for (let i = 0; i < 10; i++) w.add(tick(i, 'EURUSD', '1.1', '1.2'));
    const inflight = w.flush(); // the first 10 are in flight, stuck
    for (let i = 10; i < 260; i++) w.add(tick(i, 'EURUSD', '1.1', '1.2'));
    expect(w.stats()).toMatchObject({ received: 260, dropped: 150, pending: 110 });
    expect(w.recent('EURUSD', 3).map((t) => t.time)).toEqual([257, 258, 259]);
    release();
    await inflight;
    await w.stop();
    // Times go to the database in epoch microseconds.
    expect(written.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((ms) => ms * 1000));
    expect(written.slice(10)).toEqual(Array.from({ length: 100 }, (_, i) => (160 + i) * 1000));
    expect(w.stats()).toMatchObject({ written: 110, dropped: 150, pending: 0 });
  });

  it('with a spill directory, a database that cannot keep up loses nothing: the overflow spills to disk and is written once it catches up', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const written: number[] = [];
    const slow = {
      $executeRawUnsafe: async (_sql: string, times: number[]) => {
        await gate;
        written.push(...times);
        return times.length;
      },
    } as unknown as PrismaClient;
    const spillDir = mkdtempSync(path.join(os.tmpdir(), 'tick-spill-'));
    const w = new TickWriter({ prisma: slow, log, flushIntervalMs: 60_000, maxBatch: 10, maxBuffer: 100, spillDir });
    for (let i = 0; i < 10; i++) w.add(tick(i, 'EURUSD', '1.1', '1.2'));
    const inflight = w.flush(); // the first 10 are in flight, stuck
    for (let i = 10; i < 260; i++) w.add(tick(i, 'EURUSD', '1.1', '1.2'));
    expect(w.stats()).toMatchObject({ received: 260, dropped: 0, spilled: 150, pending: 110, spillPending: 150 });
    release();
    await inflight;
    await w.flush();
    await w.stop();
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 260 }, (_, i) => i * 1000));
    expect(w.stats()).toMatchObject({ written: 260, dropped: 0, spilled: 150, replayed: 150, spillPending: 0, pending: 0 });
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('spills a batch that failed its retries instead of dropping it, and writes it when the database is back', async () => {
    let fail = true;
    const rows: number[] = [];
    const flaky = {
      $executeRawUnsafe: async (_sql: string, times: number[]) => {
        if (fail) throw new Error('connection refused');
        rows.push(...times);
        return times.length;
      },
    } as unknown as PrismaClient;
    const spillDir = mkdtempSync(path.join(os.tmpdir(), 'tick-spill-'));
    const w = new TickWriter({ prisma: flaky, log, flushIntervalMs: 60_000, maxAttempts: 1, spillDir });
    w.add(tick(1, 'EURUSD', '1.1', '1.2'));
    w.add(tick(2, 'GBPUSD', '1.3', '1.4'));
    await w.flush();
    expect(w.stats()).toMatchObject({ dropped: 0, spilled: 2, spillPending: 2 });
    fail = false;
    await w.flush();
    expect(rows.sort()).toEqual([1000, 2000]);
    expect(w.stats()).toMatchObject({ dropped: 0, replayed: 2, spillPending: 0 });
    await w.stop();
    expect(existsSync(spillDir) && readdirSync(spillDir)).toEqual([]);
  });

  it('spilled ticks keep every digit, symbol and LP through the spill file, and a later writer on the same directory writes them (and an earlier version\'s text spill)', async () => {
    const failing = {
      $executeRawUnsafe: async () => {
        throw new Error('connection refused');
      },
    } as unknown as PrismaClient;
    const spillDir = mkdtempSync(path.join(os.tmpdir(), 'tick-spill-'));
    const base = Date.UTC(2026, 0, 5, 9, 0, 0);
    const a = new TickWriter({ prisma: failing, log, flushIntervalMs: 60_000, maxAttempts: 1, spillDir });
    a.add(tick(base, 'SPILLA', '1.08450', '1.08452', 'LP-1'));
    a.add(tick(base, 'SPILLA', '1.08451', '1.08453', 'LP-1')); // the same ms: the next microsecond
    a.add(tick(base + 1, 'SPILLB', '150.012', '150.020', 'LP "2"'));
    // Beyond what points hold exactly (18 significant digits): kept as given.
    a.add(tick(base + 2, 'SPILLA', '1234567890.12345678', '1234567890.12345679', 'LP-1'));
    await a.flush();
    await a.stop();
    expect(a.stats()).toMatchObject({ received: 4, spilled: 4, dropped: 0, spillPending: 4 });
    expect(readdirSync(spillDir)).toHaveLength(1);
    // A spill file of the earlier text format, left in the same directory.
    writeFileSync(path.join(spillDir, '0-000000.tsv'), `${(base + 3) * 1000}\tSPILLB\t150.100\t150.108\tLP-OLD\n`);
    const b = new TickWriter({ prisma, log, flushIntervalMs: 60_000, spillDir });
    await b.flush();
    await b.stop();
    expect(b.stats()).toMatchObject({ replayed: 5, spillPending: 0, dropped: 0 });
    expect(readdirSync(spillDir)).toEqual([]);
    const rows = await prisma.$queryRawUnsafe<{ us: number; symbol: string; bid: string; ask: string; lp: string }[]>(
      `SELECT (extract(epoch from time) * 1000000)::float8 AS us, symbol, bid::text AS bid, ask::text AS ask, lp FROM ticks WHERE symbol IN ('SPILLA', 'SPILLB') ORDER BY time, symbol`,
    );
    expect(rows.map((r) => [Math.round(Number(r.us)) - base * 1000, r.symbol, new Decimal(r.bid).toString(), new Decimal(r.ask).toString(), r.lp])).toEqual([
      [0, 'SPILLA', '1.0845', '1.08452', 'LP-1'],
      [1, 'SPILLA', '1.08451', '1.08453', 'LP-1'],
      [1000, 'SPILLB', '150.012', '150.02', 'LP "2"'],
      [2000, 'SPILLA', '1234567890.12345678', '1234567890.12345679', 'LP-1'],
      [3000, 'SPILLB', '150.1', '150.108', 'LP-OLD'],
    ]);
  });

  it('a batch that keeps failing is dropped after its retries, and the writer goes on', async () => {
    let fail = true;
    const flaky = {
      $executeRawUnsafe: async (_sql: string, times: number[]) => {
        if (fail) throw new Error('connection refused');
        return times.length;
      },
    } as unknown as PrismaClient;
    const w = new TickWriter({ prisma: flaky, log, flushIntervalMs: 60_000, maxAttempts: 2 });
    w.add(tick(1, 'EURUSD', '1.1', '1.2'));
    await w.flush();
    expect(w.stats()).toMatchObject({ dropped: 1, failedBatches: 2, written: 0 });
    fail = false;
    w.add(tick(2, 'EURUSD', '1.1', '1.2'));
    await w.stop();
    expect(w.stats()).toMatchObject({ dropped: 1, written: 1, batches: 1 });
  });
});

describe('CandleStore', () => {
  const T = (hhmmss: string) => Date.parse(`2024-03-06T${hhmmss}Z`);
  const feed: [string, string][] = [
    ['09:58:30.000', '1.10000'],
    ['09:59:59.999', '1.10020'],
    ['10:00:00.000', '1.10100'],
    ['10:04:59.999', '1.10150'],
    ['10:05:00.000', '1.10030'],
  ];
  const bars = (book: CandleBook, tf: '1m' | '5m' | '15m' | '1h' | '4h' | '1d') =>
    book.get('EURUSD', tf, 100).map((b) => [b.time, b.open.toFixed(5), b.high.toFixed(5), b.low.toFixed(5), b.close.toFixed(5), b.ticks]);
  const stored = async (tf: string) =>
    (await prisma.candle.findMany({ where: { symbol: 'EURUSD', timeframe: tf }, orderBy: { time: 'asc' } })).map((r) => [
      r.time.getTime() / 1000,
      r.open.toFixed(5),
      r.high.toFixed(5),
      r.low.toFixed(5),
      r.close.toFixed(5),
      Number(r.volume),
    ]);

  it('persists changed bars in one upsert per flush, reloads them after a restart, and query() merges memory', async () => {
    const { wrapped, calls } = counting();
    const store = new CandleStore({ prisma: Object.assign(wrapped, { $queryRawUnsafe: prisma.$queryRawUnsafe.bind(prisma) }), book: new CandleBook(), log, flushIntervalMs: 0 });
    for (const [t, bid] of feed) store.onTick('EURUSD', new Decimal(bid), T(t));
    await store.flush();
    expect(calls.n).toBe(1);
    for (const tf of ['1m', '5m', '15m', '1h', '4h', '1d'] as const) expect(await stored(tf)).toEqual(bars(store.book, tf));
    expect(store.stats()).toMatchObject({ written: 5 + 3 + 2 + 2 + 1 + 1, batches: 1 });

    // More ticks in the current bars: only those bars are written again (ON CONFLICT DO UPDATE).
    store.onTick('EURUSD', new Decimal('1.10300'), T('10:05:10.000'));
    store.onTick('EURUSD', new Decimal('1.09900'), T('10:05:20.000'));
    await store.flush();
    expect(calls.n).toBe(2);
    expect(store.stats().written).toBe(14 + 6);
    for (const tf of ['1m', '5m', '15m', '1h', '4h', '1d'] as const) expect(await stored(tf)).toEqual(bars(store.book, tf));
    expect((await stored('1m')).at(-1)).toEqual([T('10:05:00.000') / 1000, '1.10030', '1.10300', '1.09900', '1.09900', 3]);
    await store.flush(); // nothing changed: no statement
    expect(calls.n).toBe(2);

    // Restart: a fresh book loaded from the database holds the same bars in every timeframe.
    const book2 = new CandleBook();
    const store2 = new CandleStore({ prisma, book: book2, log, flushIntervalMs: 0 });
    expect(await store2.loadInto(book2, { sinceMs: T('00:00:00.000') })).toBe(14);
    for (const tf of ['1m', '5m', '15m', '1h', '4h', '1d'] as const) expect(bars(book2, tf)).toEqual(bars(store.book, tf));
    // sinceMs filters by bar time
    expect(await new CandleStore({ prisma, book: new CandleBook(), log, flushIntervalMs: 0 }).loadInto(new CandleBook(), { sinceMs: T('10:05:00.000') })).toBe(2); // 1m and 5m

    // maxBarsPerSeries keeps the newest bars of each (symbol, timeframe)
    const book3 = new CandleBook();
    expect(await store2.loadInto(book3, { sinceMs: 0, maxBarsPerSeries: 1 })).toBe(6);
    expect(book3.get('EURUSD', '1m', 10).map((b) => b.time)).toEqual([T('10:05:00.000') / 1000]);

    // Ticks after the restart continue the loaded bar (its tick count goes on) and the next flush keeps it.
    store2.onTick('EURUSD', new Decimal('1.10500'), T('10:05:40.000'));
    store2.onTick('EURUSD', new Decimal('1.10400'), T('10:06:00.000'));
    const q = await store2.query('EURUSD', '1m', 3);
    expect(q.map((b) => [b.time, b.high.toFixed(5), b.close.toFixed(5), b.ticks])).toEqual([
      [T('10:04:00.000') / 1000, '1.10150', '1.10150', 1],
      [T('10:05:00.000') / 1000, '1.10500', '1.10500', 4],
      [T('10:06:00.000') / 1000, '1.10400', '1.10400', 1],
    ]);
    await store2.stop();
    expect((await stored('1m')).slice(-2)).toEqual([
      [T('10:05:00.000') / 1000, '1.10030', '1.10500', '1.09900', '1.10500', 4],
      [T('10:06:00.000') / 1000, '1.10400', '1.10400', '1.10400', '1.10400', 1],
    ]);
    // query() reads bars the in-memory book no longer has.
    const fresh = new CandleStore({ prisma, book: new CandleBook(), log, flushIntervalMs: 0 });
    expect((await fresh.query('EURUSD', '5m', 10)).map((b) => [b.time, b.open.toFixed(5), b.ticks])).toEqual([
      [T('09:55:00.000') / 1000, '1.10000', 2],
      [T('10:00:00.000') / 1000, '1.10100', 2],
      [T('10:05:00.000') / 1000, '1.10030', 5],
    ]);
    await store.stop();
  });
});

describe('TimescaleDB', () => {
  it('absent: enableTimescale keeps plain tables and says why', async () => {
    const res = await enableTimescale(prisma, log, { kind: database.db.kind });
    expect(res.enabled).toBe(false);
    expect(res.reason).toMatch(database.db.kind === 'pglite' ? /PGlite/ : /not available/);
    if (database.db.kind === 'postgres') {
      // Without the short-cut the server is really asked.
      expect(await enableTimescale(prisma, log)).toEqual({ enabled: false, reason: expect.stringMatching(/not available/) });
    }
    // The tables still work.
    const w = new TickWriter({ prisma, log });
    w.add(tick(Date.parse('2024-03-07T00:00:00Z'), 'ETHUSD', '3000.1', '3000.9'));
    await w.stop();
    expect(await count(`symbol = 'ETHUSD'`)).toBe(1);
  });

  it('present: the statements parse and bind against the real tables (TimescaleDB functions stubbed)', async () => {
    const stmts = timescaleStatements();
    expect(stmts[0]).toBe('CREATE EXTENSION IF NOT EXISTS timescaledb');
    expect(stmts.join('\n')).toMatch(/create_hypertable\('ticks', 'time', chunk_time_interval => INTERVAL '1 day'/);
    expect(stmts.join('\n')).toMatch(/create_hypertable\('ohlc', 'time', chunk_time_interval => INTERVAL '7 days'/);
    // Stand-ins with TimescaleDB's names and parameter names, so named arguments and the aggregate's SELECT
    // are checked by PostgreSQL itself. Only the WITH (timescaledb.continuous) option is PostgreSQL-unknown.
    await prisma.$executeRawUnsafe(`CREATE SCHEMA tsdb_stub`);
    const stubs = [
      `CREATE FUNCTION tsdb_stub.create_hypertable(relation regclass, time_column_name name, chunk_time_interval anyelement DEFAULT NULL::interval, if_not_exists boolean DEFAULT false, migrate_data boolean DEFAULT false) RETURNS text LANGUAGE sql AS $$ SELECT relation::text $$`,
      `CREATE FUNCTION tsdb_stub.time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT date_bin(bucket_width, ts, timestamptz '2000-01-03') $$`,
      `CREATE FUNCTION tsdb_stub.first_sf(anyelement, anyelement, timestamptz) RETURNS anyelement LANGUAGE sql AS $$ SELECT coalesce($1, $2) $$`,
      `CREATE AGGREGATE tsdb_stub.first(anyelement, timestamptz) (sfunc = tsdb_stub.first_sf, stype = anyelement)`,
      `CREATE FUNCTION tsdb_stub.last_sf(anyelement, anyelement, timestamptz) RETURNS anyelement LANGUAGE sql AS $$ SELECT $2 $$`,
      `CREATE AGGREGATE tsdb_stub.last(anyelement, timestamptz) (sfunc = tsdb_stub.last_sf, stype = anyelement)`,
      `CREATE FUNCTION tsdb_stub.add_continuous_aggregate_policy(continuous_aggregate regclass, start_offset interval, end_offset interval, schedule_interval interval, if_not_exists boolean DEFAULT false) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$`,
    ];
    for (const s of stubs) await prisma.$executeRawUnsafe(s);
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL search_path TO public, tsdb_stub`);
      for (const sql of stmts.slice(1)) await tx.$executeRawUnsafe(sql.replace(' WITH (timescaledb.continuous)', ''));
      await tx.$executeRawUnsafe(`REFRESH MATERIALIZED VIEW ohlc_1m_cagg`);
      const rows = await tx.$queryRawUnsafe<{ symbol: string; high: unknown; low: unknown; volume: bigint }[]>(
        `SELECT symbol, high, low, volume FROM ohlc_1m_cagg WHERE symbol = 'EURUSD' AND bucket = timestamptz '2024-03-04T10:00:00Z'`,
      );
      expect(rows.map((r) => [r.symbol, String(r.high), String(r.low), Number(r.volume)])).toEqual([['EURUSD', '1.08452', '1.08451', 2]]);
      await tx.$executeRawUnsafe(`DROP MATERIALIZED VIEW ohlc_1m_cagg`);
    });
    await prisma.$executeRawUnsafe(`DROP SCHEMA tsdb_stub CASCADE`);
  });
});
