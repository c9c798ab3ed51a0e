// bench:quotes (a) and (c) for two checkouts in ONE process, alternating in short slices: on a machine whose
// speed changes from minute to minute (a shared 2-core VM), back-to-back runs of two commits differ by more
// than the change being measured; slices of a second, A B B A A B …, meet the same machine.
//
//   node --import tsx bench/ab-quotes.ts --other /path/to/other/checkout [--rounds 8] [--slice-ms 1000]
//        [--per-turn 100,1000] [--rows 100000]
//
// Each checkout gets its own engine (its own code, dependencies and database: createBenchDatabase and
// insertBook of that checkout, 10,000 positions and 10,000 pending orders on 1,000 accounts, Redis when it
// answers), fed the same quote tape as bench:quotes (a) "bare engine"; and its own TickWriter writing --rows
// ticks into its own database per slice, as (c) does with maxBatch 5,000 and 1 or 2 in flight. The other
// checkout needs its own `npm ci` (its node_modules resolve its packages).
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpuIndexLine } from './lib/cpu-index.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OTHER = path.resolve(opt('other', ''));
const ROUNDS = Number(opt('rounds', '8'));
const SLICE_MS = Number(opt('slice-ms', '1000'));
const PER_TURNS = opt('per-turn', '100,1000').split(',').map(Number);
const ROWS = Number(opt('rows', '100000'));
const out = (s = '') => process.stdout.write(s + '\n');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/* eslint-disable @typescript-eslint/no-explicit-any -- the two checkouts' modules are loaded at run time */
interface Side {
  name: string;
  root: string;
  engine: any;
  raws: { symbol: string; bid: unknown; ask: unknown; time: number; lp: string }[];
  tick: Map<number, { n: number; ms: number; cpuMs: number }>;
  rows: Map<number, { n: number; ms: number }>;
  mods: any;
  drop: () => Promise<void>;
}

async function side(name: string, root: string): Promise<Side> {
  const imp = (p: string) => import(pathToFileURL(path.join(root, p)).href);
  const setup = await imp('bench/lib/setup.ts');
  const { Engine } = await imp('apps/engine/src/engine.ts');
  const { ManualLp } = await imp('apps/engine/src/lp/manual.ts');
  const { createLogger } = await imp('apps/engine/src/logger.ts');
  const { TickWriter } = await imp('apps/engine/src/marketdata/tick-writer.ts');
  const { Redis } = createRequire(path.join(root, 'package.json'))('ioredis');
  const { database, symbols } = await setup.createBenchDatabase();
  await setup.insertBook(database.db.prisma, symbols, { accounts: 1000, positions: 10_000, orders: 10_000 });
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  let withRedis: any = redis;
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    withRedis = null;
  }
  const log = createLogger('bench', { silent: true });
  const engine = new Engine({ db: database.db, redis: withRedis, lp: new ManualLp(), jwtSecret: 'bench-secret-0123456789abcdef0123', logger: log, marketHours: 'always-open' });
  await engine.start();
  const tape = setup.quoteTape(symbols, 20_000);
  const raws: Side['raws'] = [];
  for (let i = 0; i < 20_000; i++) for (const t of tape) raws.push({ symbol: t[i]!.symbol, bid: t[i]!.bid, ask: t[i]!.ask, time: 0, lp: 'BENCH' });
  out(`    ${name}: ${root}, engine ${withRedis ? 'with' : 'without'} Redis`);
  return {
    name,
    root,
    engine,
    raws,
    tick: new Map(),
    rows: new Map(),
    mods: { setup, TickWriter, log },
    drop: async () => {
      await engine.stop();
      withRedis?.disconnect();
      await database.drop();
    },
  };
}

/** One slice of "bare engine" ticks at `perTurn` quotes per event-loop turn. */
async function tickSlice(s: Side, perTurn: number, offset: number): Promise<void> {
  let n = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - started < SLICE_MS) {
    const now = Date.now();
    for (let k = 0; k < perTurn; k++, n++) {
      const q = s.raws[(offset + n) % s.raws.length]!;
      q.time = now;
      s.engine.onRawQuote(q);
    }
    await new Promise((r) => setImmediate(r));
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const acc = s.tick.get(perTurn) ?? { n: 0, ms: 0, cpuMs: 0 };
  acc.n += n;
  acc.ms += ms;
  acc.cpuMs += (cpu.user + cpu.system) / 1000;
  s.tick.set(perTurn, acc);
}

/** One slice of (c): ROWS ticks into a fresh TickWriter of this checkout (its own database), until all are written. */
async function rowSlice(s: Side, db: any, symbols: any[], concurrency: number, round: number): Promise<void> {
  const writer = new s.mods.TickWriter({ prisma: db.prisma, log: s.mods.log, maxBatch: 5000, maxBuffer: ROWS, concurrency });
  const tape = s.mods.setup.quoteTape(symbols, Math.ceil(ROWS / symbols.length));
  // Distinct times per round: the primary key (time, symbol, lp) would ignore a repeat.
  const base = Date.now() - 3_600_000 * (round + 2);
  const started = performance.now();
  for (let i = 0; i < ROWS; i++) {
    const k = i % symbols.length;
    const q = tape[k]![Math.floor(i / symbols.length)]!;
    writer.add({ time: base + Math.floor(i / symbols.length), symbol: q.symbol, bid: q.bid, ask: q.ask, lp: 'BENCH' });
    if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r));
  }
  await writer.stop();
  const ms = performance.now() - started;
  const acc = s.rows.get(concurrency) ?? { n: 0, ms: 0 };
  acc.n += writer.stats().written;
  acc.ms += ms;
  s.rows.set(concurrency, acc);
}

if (!opt('other', '')) throw new Error('--other /path/to/other/checkout');
out(`bench:ab-quotes — ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
out(cpuIndexLine('before the runs'));
const sides = [await side('other', OTHER), await side('this', HERE)];
const warm = async () => {
  for (const s of sides) for (const p of PER_TURNS) await tickSlice(s, p, 0);
  for (const s of sides) s.tick.clear();
};
await warm();
for (let r = 0; r < ROUNDS; r++) {
  // A B, then B A: neither side always goes first.
  const order = r % 2 ? [...sides].reverse() : sides;
  for (const p of PER_TURNS) for (const s of order) await tickSlice(s, p, r * 7919);
}
out(`(a) bare engine, ${ROUNDS} slices of ${SLICE_MS} ms per side and rate, alternating`);
for (const p of PER_TURNS) {
  const [a, b] = sides.map((s) => s.tick.get(p)!);
  const ra = (a!.n / a!.ms) * 1000;
  const rb = (b!.n / b!.ms) * 1000;
  out(`    ${`${fmt(p)}/turn`.padEnd(11)} other ${fmt(ra).padStart(9)} ticks/s (${((a!.cpuMs * 1000) / a!.n).toFixed(2)} µs CPU/tick)   this ${fmt(rb).padStart(9)} ticks/s (${((b!.cpuMs * 1000) / b!.n).toFixed(2)} µs CPU/tick)   this/other ${((rb / ra) * 100).toFixed(1)}%`);
}
for (const s of sides) await s.drop();

// (c): each side's own database per concurrency, alternating rounds.
const dbs = new Map<Side, { database: any; symbols: any[] }>();
for (const s of sides) dbs.set(s, await s.mods.setup.createBenchDatabase());
const rowRounds = Math.max(2, Math.ceil(ROUNDS / 2));
for (let r = 0; r < rowRounds; r++) {
  const order = r % 2 ? [...sides].reverse() : sides;
  for (const c of [1, 2]) for (const s of order) await rowSlice(s, dbs.get(s)!.database.db, dbs.get(s)!.symbols, c, r * 2 + c);
}
out(`(c) TickWriter → PostgreSQL, ${rowRounds} slices of ${fmt(ROWS)} rows per side, maxBatch 5,000, alternating`);
for (const c of [1, 2]) {
  const [a, b] = sides.map((s) => s.rows.get(c)!);
  const ra = (a!.n / a!.ms) * 1000;
  const rb = (b!.n / b!.ms) * 1000;
  out(`    ${c} in flight  other ${fmt(ra).padStart(9)} rows/s   this ${fmt(rb).padStart(9)} rows/s   this/other ${((rb / ra) * 100).toFixed(1)}%`);
}
for (const s of sides) await dbs.get(s)!.database.drop();
out(cpuIndexLine('after the runs'));
process.exit(0);
