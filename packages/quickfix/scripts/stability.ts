// Leak/stability check (a script, not a timed test): N NewOrderSingle -> ExecutionReport round trips
// through the addon on loopback (2N FIX messages, plus 2N application events crossing the addon's
// thread boundary), in windows of W outstanding orders. Prints RSS/heap before, during and after.
//   node --import tsx --expose-gc packages/quickfix/scripts/stability.ts [N=100000] [W=500]
import { rmSync } from 'node:fs';
import path from 'node:path';
import { FixInitiator, LpSimulator, loadQuickfix, msgType, newOrderSingle } from '../src/index.js';
import { freePort, tmpDir } from '../test/helpers.js';

const total = Number(process.argv[2] ?? 100_000);
const windowSize = Number(process.argv[3] ?? 500);
const loaded = loadQuickfix();
if (!loaded.ok) {
  console.log(`stability: skipped, ${loaded.reason}`);
  process.exit(0);
}
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
function mem(label: string) {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  console.log(`${label.padEnd(28)} rss ${mb(m.rss).padStart(9)}  heapUsed ${mb(m.heapUsed).padStart(8)}  external ${mb(m.external).padStart(8)}`);
  return m;
}

const dir = tmpDir('quickfix-stability-');
const port = await freePort();
const sim = new LpSimulator({ port, mdIntervalMs: 1000, execDelayMs: 0, ackNew: false, fileStorePath: path.join(dir, 'sim') });
await sim.start();
let received = 0;
let waiting: (() => void) | undefined;
let target = 0;
const ini = new FixInitiator(
  { senderCompId: 'BROKER', targetCompId: 'LPSIM', port, reconnectInterval: 1, fileStorePath: path.join(dir, 'ini') },
  {
    fromApp: (m) => {
      if (msgType(m) === '8' && m.tags?.['39'] === '2') received++;
      if (waiting && received >= target) waiting();
    },
  },
);
await ini.start();
await ini.waitForLogon();

async function run(n: number, offset: number) {
  for (let sent = 0; sent < n; ) {
    const batch = Math.min(windowSize, n - sent);
    target = offset + sent + batch;
    const done = new Promise<void>((r) => (waiting = r));
    for (let i = 0; i < batch; i++) {
      ini.send(newOrderSingle({ clOrdId: `c${offset + sent + i}`, symbol: 'EUR/USD', side: i % 2 ? 'buy' : 'sell', qty: 1000 }));
    }
    if (received < target) await done;
    waiting = undefined;
    sent += batch;
  }
}

const warm = Math.min(5000, total);
await run(warm, 0);
const before = mem(`after ${warm} warm-up orders`);
const t0 = Date.now();
const quarter = Math.ceil(total / 4);
for (let q = 0; q < 4; q++) {
  const n = Math.min(quarter, total - q * quarter);
  if (n <= 0) break;
  await run(n, warm + q * quarter);
  mem(`after ${warm + q * quarter + n} orders`);
}
const secs = (Date.now() - t0) / 1000;
const after = mem('end');
console.log(
  `${total} orders -> ${total} execution reports (${2 * total} FIX messages) in ${secs.toFixed(1)} s: ${Math.round((2 * total) / secs)} msg/s; ` +
    `RSS ${mb(before.rss)} -> ${mb(after.rss)} (${after.rss >= before.rss ? '+' : ''}${mb(after.rss - before.rss)}), heapUsed ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}; ` +
    `seqnums ${JSON.stringify(ini.seqNums())}`,
);
await ini.stop();
await sim.stop();
rmSync(dir, { recursive: true, force: true });
