// The server side of bench/quotes.ts (b), run as its own process so load generator and server each get a core:
// the real Engine (fresh PostgreSQL database, ManualLp), the real HTTP server and sockets.ts, with quote
// fan-out either conflated (marketdata/conflation.ts, as it will be wired) or direct (sockets.ts today: one
// room emit per tick). Driven over IPC: {type:'feed', rate, seconds} → pushes `rate` quotes/s into the LP
// and answers {type:'fed', …} with its CPU time and the conflator's counters.
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../apps/engine/src/api/http-server.ts';
import { attachSockets } from '../../apps/engine/src/api/sockets.ts';
import { Engine } from '../../apps/engine/src/engine.ts';
import { createLogger } from '../../apps/engine/src/logger.ts';
import { ManualLp } from '../../apps/engine/src/lp/manual.ts';
import { createConflator, type Conflator } from '../../apps/engine/src/marketdata/conflation.ts';
import { createBenchDatabase, quoteTape } from './setup.ts';

const mode = (process.argv[2] ?? 'conflated') as 'conflated' | 'direct';
const intervalMs = Number(process.argv[3] ?? 10);
const send = (m: unknown) => process.send!(m);

const log = createLogger('bench-server', { silent: true });
const { database, symbols } = await createBenchDatabase();
const lp = new ManualLp();
const engine = new Engine({ db: database.db, lp, jwtSecret: 'bench-secret-0123456789abcdef0123', logger: log, marketHours: 'always-open', historyMinutes: 0 });
await engine.start();
// A thousand local clients: no per-address connection cap here.
const server = createHttpServer({ engine, log, corsOrigins: [], maxConnectionsPerIp: 0 });
const io = attachSockets(server, engine, log, []);
let conflator: Conflator | null = null;
if (mode === 'conflated') {
  // What the wiring does: sockets.ts's per-tick room emit is replaced by the conflator. (Bench only: drop the
  // listener sockets.ts registered, through EngineEvents' private listener sets.)
  (engine.events as unknown as { listeners: { tick?: Set<unknown> } }).listeners.tick?.clear();
  const c = createConflator(io, { intervalMs });
  engine.events.on('tick', (e) => c.push(e));
  conflator = c;
}
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const trader = await database.db.prisma.user.findUniqueOrThrow({ where: { email: 'trader1@broker.local' } });
const { token } = await engine.sessions.issue({ id: trader.id, role: 'CLIENT', email: trader.email, name: trader.name }, trader);
const tape = quoteTape(symbols, 5000);

async function feed(rate: number, seconds: number) {
  const cpu0 = process.cpuUsage();
  const c0 = conflator?.stats();
  const started = Date.now();
  let sent = 0;
  let i = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - started;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor((elapsed / 1000) * rate);
      const now = Date.now();
      for (; sent < due; sent++, i++) {
        const q = tape[i % tape.length]![Math.floor(i / tape.length) % 5000]!;
        lp.push(q.symbol, q.bid, q.ask, now);
      }
    }, 1);
  });
  const cpu = process.cpuUsage(cpu0);
  const c1 = conflator?.stats();
  return {
    sent,
    cpuMs: (cpu.user + cpu.system) / 1000,
    conflator: c0 && c1 ? Object.fromEntries(Object.entries(c1).map(([k, v]) => [k, v - (c0 as unknown as Record<string, number>)[k]!])) : null,
    sockets: engine.socketsConnected,
  };
}

process.on('message', (m: { type: string; rate?: number; seconds?: number }) => {
  if (m.type === 'feed') void feed(m.rate!, m.seconds!).then((r) => send({ type: 'fed', ...r }));
  if (m.type === 'stop') {
    void (async () => {
      conflator?.stop();
      await new Promise<void>((r) => io.close(() => r()));
      await engine.stop();
      server.closeAllConnections?.();
      await database.drop();
      send({ type: 'stopped' });
      process.exit(0);
    })();
  }
});
send({ type: 'ready', port, token, symbols: symbols.map((s) => s.name) });
