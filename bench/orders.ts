// npm run bench:orders — durable market orders per second through the API, and through the domain alone.
//
//   tsx bench/orders.ts [--seconds 8] [--clients 20,40,200] [--rates 1000,2000,2500] [--rate-clients 200] [--per-account 1]
//                       [--transport raw,ws,http|none] [--no-inprocess] [--abook-clients 10,20|none] [--abook-exec-delay 0]
//   Two kinds of run per transport: closed loop (--clients: each client sends its next order when the last is
//   acknowledged, so throughput is the most the path gives and latency is clients ÷ throughput) and open loop
//   (--rates: orders arrive at a fixed total rate from --rate-clients clients whether or not earlier ones are
//   answered, wrk2-style, latency from each order's scheduled time so a stall is not hidden).
//   transports: ws = @trpc/client's wsLink; raw = the same tRPC WebSocket protocol (JSON-RPC-like messages on
//   /trpc-ws, the same transformer) from a light client, so the load generator takes less of the 2 cores the
//   engine and PostgreSQL share with it; http = httpLink, one request per order.
//   BENCH_CPU_PROF=/tmp/prof … profiles the engine process (node --cpu-prof).
//   Every run against the separate engine also reports the engine's longest event-loop stall and its p99
//   event-loop delay over the measured window, while quotes flow (bench/lib/stall-probe.mjs, preloaded into the
//   engine: perf_hooks monitorEventLoopDelay at 1 ms resolution; it needs nothing from the engine's code, so
//   the same harness measures any commit).
//   A-Book (--abook-clients): the FIX 4.4 LP simulator (packages/quickfix, fill mode) in a process of its own,
//   a FIX LP row for it, an engine that runs the LPs of the database, and a dedicated set of accounts with a
//   client override to A_BOOK: closed loop, each order a NewOrderSingle to the LP and its execution report
//   (--abook-exec-delay: the simulator's ms before it answers) before the engine books and acknowledges it.
//
// API: a fresh PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
// many NETTING accounts with balances so large that margin never binds, the engine as a separate process
// (tsx apps/engine/src/main.ts, ENGINE_LP=manual), and this process as the load generator: closed-loop
// clients alternating BUY/SELL 0.01 on four symbols. An order counts once the engine acknowledged it, i.e.
// after its group-commit transaction committed (synchronous_commit is printed). Then a second, in-process
// run (engine and load in one process) reads the group committer's counters (batches, write sets).
// Domain: planMarketOrder in a loop on realistic accounts (hedging with 20 positions, netting with 4), with the
// same quotes throughout and with a new quote object for every order (no per-quote cache reused).
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Decimal } from 'decimal.js';
import WebSocket from 'ws';
import { transformer } from '@broker/api/transformer';
import { seed } from '@broker/db';
import { createTestDatabase } from '@broker/db/testing';
import { freePort, REPO_ROOT, startChildEngine } from '../apps/engine/test/load/child-engine.ts';
import { createTraders, httpClient, login, percentile, reconcile, wsClient, type Api } from '../apps/engine/test/load/fixtures.ts';
import { symbolFromRow } from '../apps/engine/src/books/mapping.ts';
import { planMarketOrder, positionMargin, type AccountState, type PositionState, type Quote, type RiskLimits, type Side } from '../apps/engine/src/domain/index.ts';
import { loadConfig } from '../apps/engine/src/config.ts';
import { createLogger } from '../apps/engine/src/logger.ts';
import { startEngine } from '../apps/engine/src/server.ts';
import { cpuIndexLine } from './lib/cpu-index.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const SECONDS = Number(opt('seconds', '8'));
const WARMUP_S = 2;
/** Between the first CPU snapshot and the measured window (see load()). */
const SETTLE_MS = 300;
// Clients per account: 1 by default, each client a trader on their own account. With 2, a client's order may
// wait for the other's commit (one writer per account), which is the engine being right, not slow.
const PER_ACCOUNT = Number(opt('per-account', '1'));
// --clients: the concurrent clients of each run (a sweep: each transport runs once per figure); every
// account has PER_ACCOUNT clients. --accounts N is the older spelling of --clients N×PER_ACCOUNT.
const CLIENT_COUNTS = args.includes('--accounts') ? [Number(opt('accounts', '100')) * PER_ACCOUNT] : opt('clients', '20,40,200').split(',').map(Number).filter((n) => n > 0);
const RATES = opt('rates', '1000,2000,2500').split(',').map(Number).filter((n) => n > 0);
const RATE_CLIENTS = Number(opt('rate-clients', '200'));
const ACCOUNTS = Math.max(...[...CLIENT_COUNTS, ...(RATES.length ? [RATE_CLIENTS] : [])].map((c) => Math.ceil(c / PER_ACCOUNT)));
type Transport = 'ws' | 'raw' | 'http';
const TRANSPORTS = opt('transport', 'raw,ws').split(',').filter((t) => t === 'ws' || t === 'raw' || t === 'http') as Transport[];
const TRANSPORT_LABEL: Record<Transport, string> = { ws: 'tRPC wsLink', raw: 'tRPC ws protocol, light client', http: 'tRPC httpLink' };
const IN_PROCESS = !args.includes('--no-inprocess');
// A-Book runs (closed loop, clients each on their own A-Book account); 'none' skips them.
const ABOOK_CLIENTS = opt('abook-clients', '10,20').split(',').map(Number).filter((n) => n > 0);
const ABOOK_EXEC_DELAY = Number(opt('abook-exec-delay', '0'));
const STALL_PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib/stall-probe.mjs');
const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-secret-0123456789abcdef0123';
const QUOTES: [string, string, string][] = [
  ['EURUSD', '1.08450', '1.08452'],
  ['GBPUSD', '1.26500', '1.26509'],
  ['USDJPY', '150.000', '150.012'],
  ['XAUUSD', '2300.00', '2300.40'],
];

const log = (s = '') => process.stdout.write(s + '\n');

// ───────────────────────────── CPU accounting (Linux /proc) ─────────────────────────────

const TICK_MS = 10; // USER_HZ 100
/** CPU ms per process (utime + stime) of the processes `filter` picks. */
function procCpu(filter: (stat: string[], comm: string) => boolean): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = raw.lastIndexOf(')');
      const comm = raw.slice(raw.indexOf('(') + 1, close);
      const f = raw.slice(close + 2).split(' '); // f[0] = state (field 3)
      if (filter(f, comm)) out.set(Number(d), (Number(f[11]) + Number(f[12])) * TICK_MS); // utime, stime (fields 14, 15)
    } catch {
      /* gone */
    }
  }
  return out;
}
/** CPU used between two snapshots by the processes alive at the second (one that exited meanwhile is not counted). */
function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}
const groupCpu = (pgid: number) => procCpu((f) => Number(f[2]) === pgid); // field 5 = pgrp
const postgresCpu = () => procCpu((_f, comm) => comm === 'postgres');
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ───────────────────────────── domain ─────────────────────────────

async function domainBench(symbolRows: Parameters<typeof symbolFromRow>[0][]) {
  const specs = new Map(symbolRows.map((r) => [r.name, { ...symbolFromRow(r), tradingHours: [] }]));
  const now = Date.now();
  const quotes = new Map<string, Quote>();
  const raw: [string, string, string][] = [...QUOTES, ['USDCHF', '0.90100', '0.90112'], ['AUDUSD', '0.65500', '0.65509'], ['EURGBP', '0.85700', '0.85712'], ['BTCUSD', '67000.00', '67015.00']];
  for (const [symbol, bid, ask] of raw) quotes.set(symbol, { symbol, bid: new Decimal(bid), ask: new Decimal(ask), time: now, lp: 'BENCH' });
  const risk: RiskLimits = {
    marginCallLevel: new Decimal(100),
    stopOutLevel: new Decimal(50),
    maxOpenPositions: 200,
    maxPositionSize: new Decimal(100),
    maxDailyVolume: new Decimal(1000),
    maxSymbolExposure: null,
    negativeBalanceProtection: true,
  };
  const ctx = { symbols: (n: string) => specs.get(n), quotes: (s: string) => quotes.get(s), risk, now, dailyVolume: new Decimal(12) };
  // A ring of distinct quotes per symbol (prices a few points apart): the "moving prices" cases take the next
  // one for every order, so nothing the domain caches per quote object (conversion rates, mids, doubles) is
  // reused from one order to the next — the worst case, where every order meets a new tick.
  const RING = 1024;
  const ring = new Map<string, Quote[]>();
  for (const [symbol, bid, ask] of raw) {
    const step = new Decimal(bid).decimalPlaces();
    const pt = new Decimal(1).div(new Decimal(10).pow(step));
    ring.set(
      symbol,
      Array.from({ length: RING }, (_, i) => {
        const shift = pt.times((i * 7) % 23);
        return { symbol, bid: new Decimal(bid).plus(shift), ask: new Decimal(ask).plus(shift), time: now, lp: 'BENCH' };
      }),
    );
  }
  let tick = 0;
  const movingCtx = { ...ctx, quotes: (s: string) => ring.get(s)?.[tick % RING] };
  const mk = (marginMode: 'HEDGING' | 'NETTING', count: number) => {
    const account: AccountState = { id: 1, userId: 1, currency: 'USD', leverage: 100, marginMode, status: 'ACTIVE', balance: new Decimal('250000.00'), credit: new Decimal(0) };
    const positions: PositionState[] = [];
    const names = marginMode === 'NETTING' ? QUOTES.map((q) => q[0]) : raw.map((q) => q[0]).filter((s) => s !== 'BTCUSD');
    for (let i = 0; i < count; i++) {
      const symbol = names[i % names.length]!;
      const q = quotes.get(symbol)!;
      const side: Side = i % 3 ? 'BUY' : 'SELL';
      const price = side === 'BUY' ? q.ask : q.bid;
      positions.push({
        id: BigInt(i + 1),
        accountId: 1,
        symbol,
        side,
        volume: new Decimal('0.10'),
        openPrice: price,
        margin: positionMargin(new Decimal('0.10'), price, specs.get(symbol)!, account, ctx.quotes)!,
        swap: new Decimal('-0.42'),
        commission: new Decimal('0.70'),
        sl: null,
        tp: null,
        openTime: now - 3_600_000,
        trailing: null,
      });
    }
    return { account, positions };
  };
  const cases = [
    { name: 'hedging, 20 open positions', ...mk('HEDGING', 20), moving: false },
    { name: 'netting, 4 open positions', ...mk('NETTING', 4), moving: false },
    { name: 'hedging, 20 open positions, a new quote every order', ...mk('HEDGING', 20), moving: true },
    { name: 'netting, 4 open positions, a new quote every order', ...mk('NETTING', 4), moving: true },
  ];
  const out: { name: string; perSec: number; usPerOrder: number }[] = [];
  for (const c of cases) {
    let n = 0;
    const run = (ms: number) => {
      const until = performance.now() + ms;
      let count = 0;
      while (performance.now() < until) {
        for (let i = 0; i < 100; i++, count++) {
          const [symbol] = QUOTES[count % QUOTES.length]!;
          if (c.moving) tick++;
          const plan = planMarketOrder(c.account, c.positions, { symbol, side: count % 2 ? 'SELL' : 'BUY', volume: new Decimal('0.01') }, c.moving ? movingCtx : ctx);
          if (!plan.ok) throw new Error(`domain bench: unexpected reject ${plan.code}: ${plan.message}`);
        }
      }
      return count;
    };
    run(500); // warm up
    const t0 = performance.now();
    n = run(2000);
    const ms = performance.now() - t0;
    out.push({ name: c.name, perSec: (n / ms) * 1000, usPerOrder: (ms * 1000) / n });
  }
  return out;
}

// ───────────────────────────── API load ─────────────────────────────

interface LoadResult {
  label: string;
  clients: number;
  /** Open loop: the offered rate. */
  rate?: number;
  seconds: number;
  ordersPerSec: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  engineCpuMsPerOrder?: number;
  pgCpuMsPerOrder: number;
  loadCpuMsPerOrder: number;
  committer?: CommitStats & { batchesPerSec: number };
  /** The engine's event loop over the measured window (stall probe). */
  stall?: Stall;
}

/** What bench/lib/stall-probe.mjs reports (ms): the longest delay of its 1 ms timer, p99, and about how many were late by over 4/10/20/50 ms. */
interface Stall {
  max: number;
  p99: number;
  p50: number;
  mean: number;
  samples: number;
  over: Record<string, number>;
  at: number;
}

/** The stall probe of an engine process: SIGUSR2 makes it write what it saw since the last signal, and start over. */
function stallProbe(pid: number, file: string) {
  const ask = async (): Promise<Stall | undefined> => {
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    try {
      process.kill(pid, 'SIGUSR2');
    } catch {
      return undefined;
    }
    // The engine answers within a turn of its event loop (a stall delays that too): bounded wait.
    for (let i = 0; i < 500; i++) {
      await new Promise((r) => setTimeout(r, 4));
      const now = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (now && now !== before) return JSON.parse(now) as Stall;
    }
    return undefined;
  };
  return { reset: async () => void (await ask()), read: ask };
}

/** The group committer's running totals: transactions, the write sets they carried, and ms spent committing. */
interface CommitStats {
  batches: number;
  writeSets: number;
  ms?: number;
}

/** The same totals from a separate engine's Prometheus /metrics. */
async function commitStatsFromMetrics(url: string): Promise<CommitStats> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split('\n').filter((l) => l.startsWith(name + ' ')).join('\n'))?.[2] ?? NaN);
  return { batches: value('engine_group_commit_seconds_count'), writeSets: value('engine_group_commit_write_sets_sum'), ms: value('engine_group_commit_seconds_sum') * 1000 };
}

let runCount = 0;

async function load(
  label: string,
  apis: { accountId: number; api: Api }[],
  opts: { seconds: number; enginePgid?: number; committer?: () => Promise<CommitStats> | CommitStats; rate?: number; stalls?: ReturnType<typeof stallProbe> },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError = '';
  let measuring = false;
  let done = false;
  let completed = 0;
  // Orders acknowledged between the two CPU snapshots (the per-order CPU figures), and whether we are there.
  let counting = false;
  let counted = 0;
  const clients = apis.flatMap((a) => Array.from({ length: PER_ACCOUNT }, (_, k) => ({ ...a, k })));
  let seq = 0;
  // Keys unique across runs: the same accounts trade in every run, and a reused key is (rightly) a replay.
  const runId = `r${++runCount}-${process.pid}`;
  const send = async (c: (typeof clients)[number], n: number, ci: number, t0: number) => {
    const [symbol] = QUOTES[(ci + n) % QUOTES.length]!;
    try {
      const res = await c.api.orders.market.mutate({ accountId: c.accountId, symbol, side: n % 2 ? 'SELL' : 'BUY', volume: '0.01', idempotencyKey: `${runId}-${seq++}` });
      if (res.replayed) throw new Error('REPLAYED: a fresh key was answered as a replay');
      if (measuring && t0 >= measureFrom) {
        latencies.push(performance.now() - t0);
        if (dump) dump.push(`${(t0 - measureFrom).toFixed(1)} ${(performance.now() - t0).toFixed(2)}`);
        completed++;
      }
      if (counting) counted++;
    } catch (e) {
      errors++;
      firstError ||= (e as Error).message;
    }
  };
  let measureFrom = Infinity;
  // BENCH_LATENCY_DUMP=file: each open-loop order's scheduled time (ms into the run) and latency, to look for stalls.
  const dump: string[] | null = process.env.BENCH_LATENCY_DUMP && opts.rate ? [] : null;
  // Open loop: order i is due at start + i/rate, sent by whichever client's turn it is, whatever is still
  // unanswered; its latency counts from when it was due.
  const openLoop = async (rate: number) => {
    const start = performance.now();
    const pending = new Set<Promise<void>>();
    for (let i = 0; !done; ) {
      const now = performance.now();
      const due = Math.floor(((now - start) / 1000) * rate);
      for (; i < due && !done; i++) {
        const ci = i % clients.length;
        const p = send(clients[ci]!, Math.floor(i / clients.length), ci, start + (i / rate) * 1000);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
  };
  const loops = opts.rate ? [openLoop(opts.rate)] : clients.map(async (c, ci) => {
    for (let n = 0; !done; n++) {
      const [symbol] = QUOTES[(ci + n) % QUOTES.length]!;
      const t0 = performance.now();
      try {
        const res = await c.api.orders.market.mutate({ accountId: c.accountId, symbol, side: n % 2 ? 'SELL' : 'BUY', volume: '0.01', idempotencyKey: `${runId}-${seq++}` });
        if (res.replayed) throw new Error('REPLAYED: a fresh key was answered as a replay');
        if (measuring) {
          latencies.push(performance.now() - t0);
          completed++;
        }
        if (counting) counted++;
      } catch (e) {
        errors++;
        firstError ||= (e as Error).message;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  });
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const snapshot = async () => ({ engine: opts.enginePgid ? groupCpu(opts.enginePgid) : new Map<number, number>(), pg: postgresCpu(), self: selfCpuMs(), gc: await opts.committer?.(), at: performance.now() });
  counting = true;
  const cpu0 = await snapshot();
  // The snapshot (a walk of /proc here, a /metrics scrape in the engine) stalls the load for tens of ms, and
  // the orders due meanwhile queue up: latency and throughput count from once that backlog has drained (seen
  // in BENCH_LATENCY_DUMP: orders due in the first ~100 ms after the snapshot waited 20–50 ms, every run).
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  // The engine's event-loop delays count from here (what came before, the snapshot's scrape included, is reset).
  await opts.stalls?.reset();
  const t0 = performance.now();
  measuring = true;
  measureFrom = t0;
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  // Read before the CPU snapshot, whose /metrics scrape is a stall of its own.
  const stall = await opts.stalls?.read();
  const cpu1 = await snapshot();
  counting = false;
  const between = (cpu1.at - cpu0.at) / 1000;
  done = true;
  await Promise.all(loops);
  if (firstError) log(`  ${label}: ${errors} errors, first: ${firstError}`);
  if (dump) writeFileSync(`${process.env.BENCH_LATENCY_DUMP}.${opts.rate}`, dump.join('\n') + '\n');
  latencies.sort((a, b) => a - b);
  return {
    label,
    clients: clients.length,
    rate: opts.rate,
    seconds: elapsed,
    ordersPerSec: completed / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    errors,
    engineCpuMsPerOrder: opts.enginePgid ? cpuDelta(cpu0.engine, cpu1.engine) / counted : undefined,
    pgCpuMsPerOrder: cpuDelta(cpu0.pg, cpu1.pg) / counted,
    loadCpuMsPerOrder: (cpu1.self - cpu0.self) / counted,
    stall,
    // Counted between the snapshots, like the CPU; per second of that span.
    committer:
      cpu0.gc && cpu1.gc
        ? {
            batchesPerSec: (cpu1.gc.batches - cpu0.gc.batches) / between,
            batches: cpu1.gc.batches - cpu0.gc.batches,
            writeSets: cpu1.gc.writeSets - cpu0.gc.writeSets,
            ms: cpu1.gc.ms !== undefined && cpu0.gc.ms !== undefined ? cpu1.gc.ms - cpu0.gc.ms : undefined,
          }
        : undefined,
  };
}

/**
 * A light client of the engine's tRPC WebSocket endpoint: one socket, messages `{id, method, params: {path,
 * input}}` as @trpc/client's wsLink sends them (input through the same transformer), answers matched by id;
 * the token goes in the upgrade request's Authorization header (the endpoint takes either).
 */
function rawWsClient(url: string, token: string): { api: Api; close(): Promise<void> } {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/trpc-ws`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    // The server's keep-alive (tRPC's PING, answered with PONG as wsLink does).
    if (text === 'PING') return void ws.send('PONG');
    const msg = JSON.parse(text) as { id?: number; result?: { data?: unknown }; error?: { json?: { message?: string; data?: { appCode?: string } } } };
    if (typeof msg.id !== 'number') return;
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.reject(new Error(`${msg.error.json?.data?.appCode ?? 'ERROR'}: ${msg.error.json?.message ?? ''}`));
    // The answer's plain JSON part is enough here (the order's id, `replayed`): turning its decimal strings back
    // into Decimals, as a trading client would, costs the load generator CPU the engine then lacks.
    else w.resolve((msg.result?.data as { json?: unknown } | undefined)?.json);
  });
  const call = async (method: 'query' | 'mutation', path: string, input: unknown) => {
    await open;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params: { path, input: transformer.serialize(input) } }));
    });
  };
  const api = { orders: { market: { mutate: (input: unknown) => call('mutation', 'orders.market', input) } } } as unknown as Api;
  return {
    api,
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

async function connect(url: string, transport: Transport, tokens: Map<number, string>) {
  const closers: (() => Promise<void>)[] = [];
  const apis = [...tokens].map(([accountId, token]) => {
    if (transport === 'http') return { accountId, api: httpClient(url, token) };
    if (transport === 'raw') {
      const c = rawWsClient(url, token);
      closers.push(c.close);
      return { accountId, api: c.api };
    }
    const c = wsClient(url, token);
    closers.push(c.close);
    return { accountId, api: c.api };
  });
  return { apis, close: () => Promise.all(closers.map((c) => c())) };
}

/**
 * The manual LP as a live feed: every symbol's quote again every 250 ms (the same prices, so fills stay
 * comparable), as an LP would stream them — quotes never go stale during a long sweep, and each one revalues
 * the accounts holding the symbol while orders run, as in production.
 */
function quoteFeed(admin: Api): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const [symbol, bid, ask] of QUOTES) await admin.admin.risk.pushQuote.mutate({ symbol, bid: new Decimal(bid), ask: new Decimal(ask) });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** The engine's node flags: the stall probe always, and a CPU profile into `profDir` when asked. */
function engineNodeArgs(profDir: string | undefined): string[] {
  return [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', pathToFileURL(STALL_PROBE).href];
}

const ABOOK_SYMBOLS: Record<string, string> = { 'EUR/USD': 'EURUSD', 'GBP/USD': 'GBPUSD', 'USD/JPY': 'USDJPY', 'XAU/USD': 'XAUUSD' };

/**
 * A-Book through the FIX simulator: the simulator in its own process (fill mode), a FIX LP row for it (the
 * seeded SIMULATED LP disabled, so only the FIX LP prices), an engine of its own that runs the database's LPs,
 * and hedging accounts of their own with a client override to A_BOOK. Closed loop with each of ABOOK_CLIENTS; the
 * quotes that flow are the simulator's market data (every 100 ms per symbol). An engine without the execution
 * API (older commits) gets no A-Book runs, and the report says so.
 */
async function abookRuns(databaseUrl: string, prisma: Awaited<ReturnType<typeof createTestDatabase>>['db']['prisma']): Promise<LoadResult[]> {
  const out: LoadResult[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-abook-'));
  const port = await freePort();
  const engineLog = path.join(os.tmpdir(), `bench-abook-engine-${process.pid}.log`);
  const sim = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'packages/quickfix/src/simulator-cli.ts'), '--port', String(port), '--sender', 'LPBENCH', '--target', 'BROKERBENCH', '--mode', 'fill', '--exec-delay', String(ABOOK_EXEC_DELAY), '--md-interval', '100', '--volatility', '0.00001', '--store', path.join(dir, 'sim-store'), '--quiet'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let simOut = '';
  sim.stdout.on('data', (d: Buffer) => (simOut += d.toString()));
  sim.stderr.on('data', (d: Buffer) => (simOut += d.toString()));
  const simExited = new Promise<number | null>((resolve) => sim.once('exit', (code) => resolve(code)));
  const started = await Promise.race([
    (async () => {
      while (!simOut.includes('LP simulator')) await new Promise((r) => setTimeout(r, 50));
      return true;
    })(),
    simExited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(false), 60_000)),
  ]);
  if (!started) {
    log(`A-Book: the FIX simulator did not start (${simOut.trim().split('\n').at(-1) ?? 'no output'}); no A-Book runs`);
    sim.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return out;
  }
  const stallFile = path.join(dir, 'stalls.json');
  let engine: Awaited<ReturnType<typeof startChildEngine>> | null = null;
  try {
    await prisma.liquidityProvider.updateMany({ where: { type: 'SIMULATED' }, data: { enabled: false } });
    await prisma.liquidityProvider.create({
      data: {
        name: 'FIX-BENCH',
        type: 'FIX',
        priority: 1,
        settings: { host: '127.0.0.1', port, senderCompId: 'BROKERBENCH', targetCompId: 'LPBENCH', heartBtInt: 5, symbols: Object.keys(ABOOK_SYMBOLS), fileStorePath: path.join(dir, 'lp-store') },
        symbolMap: ABOOK_SYMBOLS,
      },
    });
    const max = Math.max(...ABOOK_CLIENTS);
    // Hedging accounts: every order opens a position of its own, and only volume that opens is routed (an
    // order that reduces or closes fills where it is), so on netting accounts that rotate symbols nearly every
    // order would be a reduction filled on the B-Book.
    const traders = await createTraders(prisma, { count: max, prefix: 'abook', deposit: '100000000', marginMode: 'HEDGING', leverage: 100 });
    // Not ENGINE_LP=manual: the engine runs the LPs of the database (the manual LP is there as always).
    engine = await startChildEngine({ databaseUrl, jwtSecret: SECRET, env: { ENGINE_SEED: 'false', ENGINE_LP: 'database', STALL_PROBE_FILE: stallFile }, logFile: engineLog, nodeArgs: engineNodeArgs(process.env.BENCH_CPU_PROF) });
    const anon = httpClient(engine.url);
    const admin = httpClient(engine.url, (await login(anon, 'superadmin@broker.local')).token);
    const api = admin as unknown as {
      admin: {
        execution?: {
          updateConfig: { mutate(i: unknown): Promise<unknown> };
          setOverride: { mutate(i: unknown): Promise<unknown> };
        };
      };
    };
    try {
      await api.admin.execution!.updateConfig.mutate({ maxSlippagePips: '50', lpOrderTimeoutMs: 5000 });
    } catch (e) {
      log(`A-Book: this engine has no execution API (${(e as Error).message.slice(0, 80)}); no A-Book runs`);
      return out;
    }
    for (const t of traders) await api.admin.execution!.setOverride.mutate({ accountId: t.accountId, mode: 'A_BOOK', reason: 'bench: A-Book accounts' });
    const tokens = new Map<number, string>();
    for (const t of traders) tokens.set(t.accountId, (await login(anon, t.email)).token);
    // Until the FIX LP prices every symbol the load trades.
    const trader = httpClient(engine.url, tokens.values().next().value!);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const quotes = await trader.market.quotes.query({ symbols: QUOTES.map((q) => q[0]) });
      if (quotes.length === QUOTES.length && quotes.every((q) => q.lp === 'FIX-BENCH')) break;
      if (Date.now() > deadline) throw new Error(`A-Book: the FIX LP did not price ${QUOTES.map((q) => q[0]).join(', ')} within 60 s (${engineLog})`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const stalls = stallProbe(engine.pid, stallFile);
    for (const clients of ABOOK_CLIENTS) {
      const c = await connect(engine.url, 'raw', new Map([...tokens].slice(0, clients)));
      log(`running A-Book through the FIX simulator (exec delay ${ABOOK_EXEC_DELAY} ms): ${clients} accounts, closed loop, ${WARMUP_S}s warm-up + ${SECONDS}s …`);
      out.push(await load(`A-Book via FIX simulator (own process), light client`, c.apis, { seconds: SECONDS, enginePgid: engine.pid, committer: () => commitStatsFromMetrics(engine!.url), stalls }));
      await c.close();
    }
    const lpOrders = await prisma.lpOrder.groupBy({ by: ['status'], _count: { _all: true } });
    const ids = traders.map((t) => t.accountId);
    const byVenue = await prisma.order.groupBy({ by: ['venue', 'status'], where: { accountId: { in: ids } }, _count: { _all: true } });
    // Every order of these accounts must have gone to the LP: anything else is not an A-Book figure.
    const notAbook = byVenue.filter((g) => g.venue !== 'ABOOK').reduce((n, g) => n + g._count._all, 0);
    if (notAbook) log(`A-Book: ${notAbook} orders of the A-Book accounts did not go to the LP: the figures above are not all A-Book`);
    log(`A-Book: engine log ${engineLog}; LP orders ${lpOrders.map((g) => `${g.status} ${g._count._all}`).join(', ')}; the A-Book accounts' orders ${byVenue.map((g) => `${g.venue} ${g.status} ${g._count._all}`).join(', ')}`);
  } finally {
    await engine?.stop();
    sim.kill('SIGTERM');
    const t = setTimeout(() => sim.kill('SIGKILL'), 5000);
    await simExited;
    clearTimeout(t);
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function main() {
  log(`bench:orders — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  log(cpuIndexLine('before the runs'));
  const database = await createTestDatabase({ serverUrl: SERVER_URL });
  const prisma = database.db.prisma;
  try {
    const pgSettings = await prisma.$queryRawUnsafe<{ name: string; setting: string }[]>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'server_version')`,
    );
    log(`PostgreSQL: ${pgSettings.map((s) => `${s.name}=${s.setting}`).join(', ')}; database ${new URL(database.url!).pathname.slice(1)}`);
    await seed(prisma, { bcryptCost: 4 });
    const traders = await createTraders(prisma, { count: ACCOUNTS, prefix: 'bench', deposit: '100000000', marginMode: 'NETTING', leverage: 100 });
    await prisma.riskSettings.updateMany({ where: { accountId: null }, data: { maxOpenPositions: 100_000, maxDailyVolume: '100000000', maxPositionSize: '1000000' } });

    // ── domain ──
    const domain = await domainBench(await prisma.symbol.findMany());

    const results: LoadResult[] = [];
    // ── API, engine in its own process ──
    const engineLog = path.join(os.tmpdir(), `bench-engine-${process.pid}.log`);
    if (TRANSPORTS.length) {
    const profDir = process.env.BENCH_CPU_PROF; // a folder: the engine process writes a .cpuprofile there on exit
    const stallFile = path.join(os.tmpdir(), `bench-stalls-${process.pid}.json`);
    const engine = await startChildEngine({
      databaseUrl: database.url!,
      jwtSecret: SECRET,
      env: { ENGINE_SEED: 'false', STALL_PROBE_FILE: stallFile },
      logFile: engineLog,
      nodeArgs: engineNodeArgs(profDir),
    });
    const stalls = stallProbe(engine.pid, stallFile);
    try {
      const anon = httpClient(engine.url);
      // Manual quotes are SUPER_ADMIN's (docs/permissions.md).
      const admin = httpClient(engine.url, (await login(anon, 'superadmin@broker.local')).token);
      const feed = quoteFeed(admin);
      const tokens = new Map<number, string>();
      for (const t of traders) tokens.set(t.accountId, (await login(anon, t.email)).token);
      try {
        for (const transport of TRANSPORTS) {
          const runs = [...CLIENT_COUNTS.map((clients) => ({ clients, rate: undefined as number | undefined })), ...RATES.map((rate) => ({ clients: RATE_CLIENTS, rate }))];
          for (const { clients, rate } of runs) {
            const accounts = Math.ceil(clients / PER_ACCOUNT);
            const c = await connect(engine.url, transport, new Map([...tokens].slice(0, accounts)));
            log(`running ${transport} (engine in its own process): ${accounts} accounts × ${PER_ACCOUNT} clients, ${rate ? `open loop at ${rate}/s` : 'closed loop'}, ${WARMUP_S}s warm-up + ${SECONDS}s, ${(await prisma.order.count()).toLocaleString('en-US')} orders in the books already …`);
            results.push(await load(`${TRANSPORT_LABEL[transport]}, separate engine process`, c.apis, { seconds: SECONDS, enginePgid: engine.pid, rate, committer: () => commitStatsFromMetrics(engine.url), stalls }));
            await c.close();
          }
        }
      } finally {
        await feed.stop();
      }
    } finally {
      await engine.stop();
      rmSync(stallFile, { force: true });
    }
    }

    // ── A-Book: the same path with the order going to a FIX LP and back ──
    if (ABOOK_CLIENTS.length) results.push(...(await abookRuns(database.url!, prisma)));

    // ── API, engine in this process: the group committer's counters ──
    if (IN_PROCESS) {
      log('running raw, 40 clients (engine in this process, for the group commit counters) …');
      const running = await startEngine(
        { ...loadConfig({}), port: 0, host: '127.0.0.1', databaseUrl: database.url!, jwtSecret: SECRET, lp: 'manual', marketHours: 'always-open', seed: false, redisUrl: undefined, autoRollover: false },
        { logger: createLogger('engine', { silent: true }) },
      );
      try {
        const anon = httpClient(running.url);
        // Manual quotes are SUPER_ADMIN's (docs/permissions.md).
        const admin = httpClient(running.url, (await login(anon, 'superadmin@broker.local')).token);
        const feed = quoteFeed(admin);
        const tokens = new Map<number, string>();
        for (const t of traders) tokens.set(t.accountId, (await login(anon, t.email)).token);
        const c = await connect(running.url, 'raw', new Map([...tokens].slice(0, Math.ceil(40 / PER_ACCOUNT))));
        results.push(await load('tRPC ws protocol, light client, engine in the load process', c.apis, { seconds: Math.min(SECONDS, 5), committer: () => commitStatsFromMetrics(running.url) }));
        await c.close();
        await feed.stop();
      } finally {
        await running.stop();
      }
    }

    const problems = await reconcile(prisma);
    const orders = await prisma.order.count();

    // ── report ──
    const f = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
    log('');
    log('Durable market orders through the API (acknowledged = committed)');
    log('| path | clients | load | orders/s | p50 ms | p99 ms | max ms | errors | engine CPU ms/order | postgres CPU ms/order | load-gen CPU ms/order | commits/s | write sets/commit | ms/commit | engine longest stall ms | event-loop delay p99 ms | delays > 4 / 10 / 20 ms |');
    log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      log(
        `| ${r.label} | ${r.clients} | ${r.rate ? `open, ${r.rate}/s offered` : 'closed loop'} | ${f(r.ordersPerSec, 0)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.max, 1)} | ${r.errors} | ${f(r.engineCpuMsPerOrder, 3)} | ${f(r.pgCpuMsPerOrder, 3)} | ${f(r.loadCpuMsPerOrder, 3)} | ${r.committer ? f(r.committer.batchesPerSec, 0) : '—'} | ${r.committer ? f(r.committer.writeSets / r.committer.batches, 1) : '—'} | ${r.committer?.ms !== undefined ? f(r.committer.ms / r.committer.batches, 2) : '—'} | ${r.stall ? f(r.stall.max, 1) : '—'} | ${r.stall ? f(r.stall.p99, 1) : '—'} | ${r.stall ? `${r.stall.over['4']} / ${r.stall.over['10']} / ${r.stall.over['20']}` : '—'} |`,
      );
    }
    log('');
    log('Domain alone (planMarketOrder, no I/O)');
    log('| account | orders/s | µs/order |');
    log('|---|---:|---:|');
    for (const d of domain) log(`| ${d.name} | ${f(d.perSec, 0)} | ${f(d.usPerOrder, 2)} |`);
    log('');
    log(`Load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes on this machine compete for its ${os.cpus().length} cores).`);
    log(cpuIndexLine('after the runs'));
    log(`Goals: ≥ 2,000 durable orders/s at p99 ≤ 20 ms; ≥ 100,000 orders/s in the domain.`);
    log(`Books after the runs: ${orders} orders, reconciliation ${problems.length ? `FAILED: ${JSON.stringify(problems.slice(0, 5))}` : 'clean'}. Engine log: ${engineLog}`);
    if (problems.length) process.exitCode = 1;
  } finally {
    await database.drop();
  }
}

await main();
