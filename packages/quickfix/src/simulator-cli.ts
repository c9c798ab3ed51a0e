// node --import tsx packages/quickfix/src/simulator-cli.ts --port 9876 --sender LPSIM --target BROKER
//   [--username U --password P] [--mode fill|partial|partial-ioc|reject|silent] [--symbol-mode EUR/USD=reject ...]
//   [--symbols EUR/USD,GBP/USD] [--md-interval 250] [--volatility 0.00005] [--partial-fills 2]
//   [--exec-delay 20] [--delay 0] [--status-mode answer|silent] [--unknown-order-reply execution-report|business-reject]
//   [--store DIR] [--log DIR]
import { parseArgs } from 'node:util';
import { loadQuickfix } from './load.js';
import { DEFAULT_SYMBOLS, LpSimulator, type ExecMode, type SimSymbol, type StatusMode } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9876' },
    sender: { type: 'string', default: 'LPSIM' },
    target: { type: 'string', default: 'BROKER' },
    username: { type: 'string' },
    password: { type: 'string' },
    mode: { type: 'string', default: 'fill' },
    'symbol-mode': { type: 'string', multiple: true },
    symbols: { type: 'string' },
    'md-interval': { type: 'string', default: '250' },
    volatility: { type: 'string', default: '0.00005' },
    'partial-fills': { type: 'string', default: '2' },
    'exec-delay': { type: 'string', default: '20' },
    delay: { type: 'string', default: '0' },
    'status-mode': { type: 'string', default: 'answer' },
    'unknown-order-reply': { type: 'string', default: 'execution-report' },
    store: { type: 'string' },
    log: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: simulator-cli.ts --port 9876 --sender LPSIM --target BROKER [--username U --password P] [--mode fill|partial|partial-ioc|reject|silent] [--symbol-mode SYM=MODE]... [--symbols A,B] [--md-interval ms] [--volatility x] [--partial-fills n] [--exec-delay ms] [--delay ms] [--status-mode answer|silent] [--unknown-order-reply execution-report|business-reject] [--store dir] [--log dir] [--quiet]');
  process.exit(0);
}

const loaded = loadQuickfix();
if (!loaded.ok) {
  console.error(`LP simulator unavailable: ${loaded.reason}`);
  process.exit(2);
}

const modes = ['fill', 'partial', 'partial-ioc', 'reject', 'silent'];
const statusMode = values['status-mode'] as StatusMode;
if (statusMode !== 'answer' && statusMode !== 'silent') throw new Error('--status-mode must be answer or silent');
const unknownOrderReply = values['unknown-order-reply'] as 'execution-report' | 'business-reject';
if (unknownOrderReply !== 'execution-report' && unknownOrderReply !== 'business-reject') throw new Error('--unknown-order-reply must be execution-report or business-reject');
const mode = values.mode as ExecMode;
if (!modes.includes(mode)) throw new Error(`--mode must be one of ${modes.join(', ')}`);
const perSymbolMode: Record<string, ExecMode> = {};
for (const s of values['symbol-mode'] ?? []) {
  const [sym, m] = s.split('=');
  if (!sym || !m || !modes.includes(m)) throw new Error(`--symbol-mode wants SYMBOL=${modes.join('|')}, got ${s}`);
  perSymbolMode[sym] = m as ExecMode;
}
let symbols: Record<string, SimSymbol> | undefined;
if (values.symbols) {
  symbols = {};
  for (const s of values.symbols.split(',')) symbols[s] = DEFAULT_SYMBOLS[s] ?? { mid: 100, spread: 0.02, digits: 2 };
}

const sim = new LpSimulator({
  port: Number(values.port),
  senderCompId: values.sender,
  targetCompId: values.target,
  username: values.username,
  password: values.password,
  mode,
  perSymbolMode,
  symbols,
  mdIntervalMs: Number(values['md-interval']),
  volatility: Number(values.volatility),
  partialFills: Number(values['partial-fills']),
  execDelayMs: Number(values['exec-delay']),
  delayMs: Number(values.delay),
  statusMode,
  unknownOrderReply,
  fileStorePath: values.store,
  fileLogPath: values.log,
  log: values.quiet ? undefined : (line) => console.log(line),
});
await sim.start();
console.log(`LP simulator ${values.sender} on port ${values.port} for ${values.target} (mode ${mode}); Ctrl-C stops`);
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) process.exit(1);
    stopping = true;
    sim.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
