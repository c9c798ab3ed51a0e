// npm run bench:quotes — the quote path's three rates:
//   (a) ticks/s through the engine pipeline (Engine.onRawQuote: validate, markup, quote store, candles,
//       TriggerIndex, trailing, revaluation of holders) with 10,000 open positions (SL/TP) and 10,000 pending
//       orders loaded from the database, quotes that do not trigger; once bare, once with what the wiring adds
//       (TickWriter.add, CandleStore.onTick, conflator.push);
//   (b) quote updates/s delivered to N Socket.IO clients (each watching 3 of 10 symbols), p50/p99 from LP
//       receipt (the tick's timestamp, set when the quote is pushed into the LP) to client receipt, with the
//       server in its own process (bench/lib/quote-server.ts) and a light load generator here speaking the
//       engine.io v4 / Socket.IO protocol over raw WebSockets;
//   (c) tick rows/s persisted by TickWriter into PostgreSQL.
//
//   node --import tsx bench/quotes.ts [--part a,b,c] [--seconds 4] [--clients 1000] [--rates 500,1000,2000,5000]
//        [--mode conflated,direct] [--interval 10] [--per-symbol] [--accounts 1000] [--rows 300000] [--per-turn 10,100,1000]
//   BENCH_CPU_PROF=/tmp/prof … writes a CPU profile of the (b) server process there.
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server the fresh databases go to.
// (a) runs the engine with Redis (latest quotes, as in production) at REDIS_URL, or at redis://127.0.0.1:6379
// when that answers; without it when neither does. It says which.
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Redis } from 'ioredis';
import { Decimal } from 'decimal.js';
import { Engine } from '../apps/engine/src/engine.ts';
import { markupPoints, pointsQuoteOf, pointsRules, PointsQuote, validatePoints } from '../apps/engine/src/domain/points.ts';
import type { SymbolSpec } from '../apps/engine/src/domain/types.ts';

import { createLogger } from '../apps/engine/src/logger.ts';
import type { RawQuote } from '../apps/engine/src/lp/adapter.ts';
import { ManualLp } from '../apps/engine/src/lp/manual.ts';
import { CandleBook } from '../apps/engine/src/marketdata/candles.ts';
import { CandleStore } from '../apps/engine/src/marketdata/candle-store.ts';
import { TickWriter } from '../apps/engine/src/marketdata/tick-writer.ts';
import { createBenchDatabase, insertBook, quoteTape } from './lib/setup.ts';
import { cpuIndexLine } from './lib/cpu-index.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const PARTS = opt('part', 'a,b,c').split(',');
const SECONDS = Number(opt('seconds', '4'));
const CLIENTS = Number(opt('clients', '1000'));
const RATES = opt('rates', '500,1000,2000,5000').split(',').map(Number);
const MODES = opt('mode', 'conflated').split(',') as ('conflated' | 'direct')[];
const INTERVAL = Number(opt('interval', '10'));
// Clients subscribe as the terminal does, with { batch: true }: one `ticks` message per window with all their
// changed symbols. --per-symbol: the older per-symbol rooms, one `tick` message per symbol (--batch: the default).
const BATCH = !args.includes('--per-symbol');
const ACCOUNTS = Number(opt('accounts', '1000'));
// --per-turn: quotes fed per event-loop turn in (a) (holders are revalued once per turn per quoted symbol), a
// sweep. A feed read off sockets hands the engine whatever arrived since the last turn: at 100,000 ticks/s a
// 1 ms turn holds ~100 of them (10 per symbol); 10 per turn (one per symbol) is the dearest case for the
// per-turn revaluation, 1,000 the cheapest.
const PER_TURNS = opt('per-turn', '10,100,1000').split(',').map((n) => Math.max(1, Number(n))).filter(Number.isFinite);
const ROWS = Number(opt('rows', '300000'));
const HERE = path.dirname(fileURLToPath(import.meta.url));
const silent = createLogger('bench', { silent: true });
const out = (s = '') => process.stdout.write(s + '\n');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (sorted: Float64Array | number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

// ───────────────────────────── (a) pipeline ─────────────────────────────

/** A connected client at REDIS_URL or the local default, or null (and why) when it does not answer. */
async function benchRedis(): Promise<{ redis: Redis | null; note: string }> {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  // The engine's own settings (server.ts); no retries while probing.
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return { redis, note: `with Redis at ${url}` };
  } catch (err) {
    redis.disconnect();
    return { redis: null, note: `without Redis (${url} did not answer: ${(err as Error).message})` };
  }
}

async function pipeline() {
  out(`(a) pipeline: Engine.onRawQuote with ${fmt(10_000)} open positions and ${fmt(10_000)} pending orders on ${fmt(ACCOUNTS)} accounts, ${PER_TURNS.map(fmt).join(' / ')} quotes per event-loop turn`);
  const { database, symbols } = await createBenchDatabase();
  const t0 = performance.now();
  await insertBook(database.db.prisma, symbols, { accounts: ACCOUNTS, positions: 10_000, orders: 10_000 });
  const lp = new ManualLp();
  const { redis, note } = await benchRedis();
  out(`    engine ${note}`);
  const engine = new Engine({ db: database.db, redis, lp, jwtSecret: 'bench-secret-0123456789abcdef0123', logger: silent, marketHours: 'always-open' });
  await engine.start();
  const idx = engine.index as unknown as { size?: () => number };
  out(`    book inserted and loaded in ${fmt(performance.now() - t0)} ms${typeof idx.size === 'function' ? `; trigger index ${idx.size()}` : ''}`);
  const tape = quoteTape(symbols, 20_000);
  const raws: RawQuote[] = [];
  for (let i = 0; i < 20_000; i++) for (const t of tape) raws.push({ symbol: t[i]!.symbol, bid: t[i]!.bid, ask: t[i]!.ask, time: 0, lp: 'BENCH' });

  const run = async (label: string, extra: ((q: RawQuote) => void) | null, perTurn: number) => {
    let n = 0;
    const rejected0 = engine.rejectedQuotes;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    while (performance.now() - started < SECONDS * 1000) {
      const now = Date.now();
      for (let k = 0; k < perTurn; k++, n++) {
        const q = raws[n % raws.length]!;
        q.time = now;
        engine.onRawQuote(q);
        if (extra) extra(q);
      }
      // Let the per-turn work (revaluation of holders via setImmediate, writers) run as it would.
      await new Promise((r) => setImmediate(r));
    }
    const secs = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    out(`    ${`${label}, ${fmt(perTurn)}/turn`.padEnd(54)} ${fmt(n / secs).padStart(9)} ticks/s  (${((cpu.user + cpu.system) / 1000 / n * 1000).toFixed(1)} µs CPU/tick; ${fmt(engine.rejectedQuotes - rejected0)} rejected by validation)`);
    return n / secs;
  };
  const fired = { n: 0 };
  engine.events.on('order_filled', () => fired.n++);
  for (const perTurn of PER_TURNS) await run('bare engine', null, perTurn);
  const writer = new TickWriter({ prisma: database.db.prisma, log: silent });
  const store = new CandleStore({ prisma: database.db.prisma, book: new CandleBook(), log: silent });
  const pushes = { n: 0 };
  const feedWriters = (q: RawQuote) => {
    // What the engine's own wiring hands them: the platform quote it just stored (prices in points).
    const p = engine.quoteStore.get(q.symbol);
    if (p instanceof PointsQuote) {
      writer.add(p);
      store.onTickPoints(p.symbol, p.bidPts, p.digits, p.time);
    } else {
      writer.add({ time: q.time, symbol: q.symbol, bid: q.bid, ask: q.ask, lp: q.lp });
      store.onTick(q.symbol, q.bid, q.time);
    }
    pushes.n++;
  };
  for (const perTurn of PER_TURNS) await run('+ TickWriter.add + CandleStore.onTick', feedWriters, perTurn);
  out(`    (the second run also persists: ${fmt(writer.stats().written)} tick rows written, ${fmt(writer.stats().dropped)} dropped; orders filled during the runs: ${fired.n})`);
  await writer.stop();
  await store.stop();
  // Where a tick's time goes, piece by piece (single-threaded, no I/O).
  const spec = symbols[0]!;
  const a = new Decimal(spec.mid);
  const b = a.plus(spec.point.times(2));
  const micro = (label: string, fn: () => void, iters = 200_000) => {
    for (let i = 0; i < 10_000; i++) fn();
    const s = performance.now();
    for (let i = 0; i < iters; i++) fn();
    out(`      ${label.padEnd(46)} ${(((performance.now() - s) / iters) * 1000).toFixed(2)} µs`);
  };
  out('    pieces:');
  micro('Decimal: (bid+ask)/2, minus, abs, div, gt', () => void a.plus(b).div(2).minus(a).abs().div(a).gt(0.05));
  micro('Decimal: toFixed(5) ×3 (tick event)', () => void (a.toFixed(5), b.toFixed(5), b.minus(a).toFixed(5)));
  const book = new CandleBook();
  micro('CandleBook.addTick (6 timeframes)', () => book.addTick('EURUSD', a, Date.now()));
  micro('TickWriter.add', () => writer.add({ time: 1, symbol: 'EURUSD', bid: a, ask: b, lp: 'X' }));
  // The same steps as the engine now takes them, in integer points (domain/points.ts).
  const specObj = (engine as unknown as { symbolSpec: (n: string) => SymbolSpec | undefined }).symbolSpec(spec.name)!;
  const rules = pointsRules(specObj);
  const rawQ = { symbol: spec.name, bid: a, ask: b, time: Date.now(), lp: 'X' };
  const lastQ = pointsQuoteOf(rawQ, spec.digits, 0)!;
  micro('points: parse + validate + markup', () => {
    const pq = pointsQuoteOf(rawQ, rules.digits, 0)!;
    if (validatePoints(pq.bidPts, pq.askPts, pq.digits, rawQ.time, lastQ, rules, rawQ.time) === 'ok') markupPoints(pq, specObj, rules);
  });
  micro('CandleBook.addTickPoints (6 timeframes)', () => book.addTickPoints('EURUSD', lastQ.bidPts, lastQ.digits, Date.now()));
  await engine.stop();
  if (redis) out(`    Redis: ${fmt(engine.quoteStore.redisStats.keys)} quote keys written in ${fmt(engine.quoteStore.redisStats.flushes)} flushes`);
  redis?.disconnect();
  await database.drop();
}

// ───────────────────────────── (b) fan-out ─────────────────────────────

interface Client {
  ws: WebSocket;
}

async function fanout(mode: 'conflated' | 'direct') {
  out(`(b) fan-out (${mode}${mode === 'conflated' ? `, ${INTERVAL} ms` : ''}, ${BATCH ? 'batched subscriptions as the terminal makes them' : 'per-symbol subscriptions'}): ${fmt(CLIENTS)} Socket.IO clients × 3 of 10 symbols; server in its own process`);
  const execArgv = ['--import', 'tsx'];
  if (process.env.BENCH_CPU_PROF) execArgv.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
  const child = fork(path.join(HERE, 'lib/quote-server.ts'), [mode, String(INTERVAL)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(type: string) => new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
  });
  const ready = await next<{ port: number; token: string; symbols: string[] }>('ready');
  const symbols = ready.symbols;

  // Latencies of the current window.
  let lat = new Float64Array(4_000_000);
  let nLat = 0;
  let received = 0;
  let recording = false;
  // One `tick` message carries one update; a batched `ticks` message carries several: count each.
  const onTick = (s: string) => {
    let i = s.indexOf('"timestamp":');
    if (i < 0) return;
    const now = Date.now();
    while (i >= 0) {
      received++;
      if (recording) {
        let ts = 0;
        for (let j = i + 12; j < s.length; j++) {
          const c = s.charCodeAt(j);
          if (c < 48 || c > 57) break;
          ts = ts * 10 + (c - 48);
        }
        if (nLat < lat.length) lat[nLat++] = now - ts;
      }
      i = s.indexOf('"timestamp":', i + 12);
    }
  };
  const connect = (k: number) =>
    new Promise<Client>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${ready.port}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
      const watch = [symbols[k % 10]!, symbols[(k + 3) % 10]!, symbols[(k + 7) % 10]!];
      ws.on('message', (data: Buffer) => {
        const s = data.toString();
        const c0 = s.charCodeAt(0);
        if (c0 === 52 /* 4 message */) {
          const c1 = s.charCodeAt(1);
          if (c1 === 50 /* 2 event */) return onTick(s);
          if (c1 === 48 /* 0 connect */) return ws.send(`420${JSON.stringify(['subscribe', { type: 'quotes', symbols: watch, ...(BATCH ? { batch: true } : {}) }])}`);
          if (c1 === 51 /* 3 ack */) return resolve({ ws });
          if (c1 === 52 /* 4 connect error */) return reject(new Error(s));
        } else if (c0 === 50 /* 2 ping */) ws.send('3');
        else if (c0 === 48 /* 0 open */) ws.send(`40${JSON.stringify({ token: ready.token })}`);
      });
      ws.on('error', reject);
    });
  const clients: Client[] = [];
  const t0 = performance.now();
  for (let k = 0; k < CLIENTS; k += 50) clients.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - k) }, (_, j) => connect(k + j)))));
  out(`    ${fmt(clients.length)} clients connected and subscribed in ${fmt(performance.now() - t0)} ms`);
  out(`    ${'quotes/s in'.padStart(12)} ${'delivered/s'.padStart(12)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'server CPU'.padStart(10)} ${'loadgen CPU'.padStart(11)} ${'srv µs/msg'.padStart(10)}  conflated`);
  // Warm-up (JIT, socket buffers), not recorded: the first measured rate would otherwise pay for it.
  child.send({ type: 'feed', rate: RATES[0] ?? 1000, seconds: 2 });
  await next('fed');
  await new Promise((r) => setTimeout(r, 300));
  for (const rate of RATES) {
    nLat = 0;
    received = 0;
    recording = true;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    child.send({ type: 'feed', rate, seconds: SECONDS });
    const fed = await next<{ sent: number; cpuMs: number; conflator: Record<string, number> | null }>('fed');
    await new Promise((r) => setTimeout(r, 50)); // the last flush in flight
    recording = false;
    const secs = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const sorted = lat.subarray(0, nLat).sort();
    const delivered = received / secs;
    const serverCpu = fed.cpuMs / (secs * 1000);
    out(
      `    ${fmt(fed.sent / SECONDS).padStart(12)} ${fmt(delivered).padStart(12)} ${pct(sorted, 50).toFixed(0).padStart(7)} ${pct(sorted, 99).toFixed(0).padStart(7)} ${sorted.length ? sorted[sorted.length - 1]!.toFixed(0).padStart(7) : '-'.padStart(7)} ${(serverCpu * 100).toFixed(0).padStart(9)}% ${(((cpu.user + cpu.system) / 1000 / (secs * 1000)) * 100).toFixed(0).padStart(10)}% ${((fed.cpuMs * 1000) / Math.max(1, received)).toFixed(1).padStart(10)}  ${fed.conflator ? `${fmt(fed.conflator.conflated!)} of ${fmt(fed.conflator.received!)} (skipped ${fmt(fed.conflator.skipped!)})` : '-'}`,
    );
    lat = lat.length ? lat : new Float64Array(4_000_000);
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const c of clients) c.ws.terminate();
  child.send({ type: 'stop' });
  await next('stopped');
}

// ───────────────────────────── (c) tick persistence ─────────────────────────────

async function persistence() {
  out(`(c) TickWriter → PostgreSQL: ${fmt(ROWS)} ticks added as fast as possible, time until all are written`);
  for (const [maxBatch, concurrency] of [[5000, 1], [5000, 2], [20000, 1]] as const) {
    const { database, symbols } = await createBenchDatabase();
    const setting = (await database.db.prisma.$queryRawUnsafe<{ setting: string }[]>(`SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'`))[0]?.setting ?? '?';
    const writer = new TickWriter({ prisma: database.db.prisma, log: silent, maxBatch, maxBuffer: ROWS, concurrency });
    const tape = quoteTape(symbols, Math.ceil(ROWS / symbols.length));
    const base = Date.now() - 3_600_000;
    const started = performance.now();
    for (let i = 0; i < ROWS; i++) {
      const s = i % symbols.length;
      const q = tape[s]![Math.floor(i / symbols.length)]!;
      writer.add({ time: base + Math.floor(i / symbols.length), symbol: q.symbol, bid: q.bid, ask: q.ask, lp: 'BENCH' });
      if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r));
    }
    await writer.stop();
    const secs = (performance.now() - started) / 1000;
    const st = writer.stats();
    const n = (await database.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*)::int8 AS n FROM ticks`))[0]?.n ?? 0n;
    out(`    maxBatch ${String(maxBatch).padStart(5)}, ${concurrency} in flight: ${fmt(Number(n) / secs).padStart(8)} rows/s  (${fmt(Number(n))} rows in ${secs.toFixed(2)} s, ${st.batches} statements, last ${st.lastFlushMs.toFixed(0)} ms, dropped ${st.dropped}; synchronous_commit=${setting})`);
    await database.drop();
  }
}

out(`bench:quotes — ${os.cpus().length} cores, node ${process.version}, load average ${load()}`);
out(cpuIndexLine('before the runs'));
if (PARTS.includes('a')) await pipeline();
if (PARTS.includes('b')) for (const m of MODES) await fanout(m);
if (PARTS.includes('c')) await persistence();
out(`load average at the end: ${load()}`);
out(cpuIndexLine('after the runs'));
