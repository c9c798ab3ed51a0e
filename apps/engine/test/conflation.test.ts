// Conflated quote fan-out (marketdata/conflation.ts) over a real Socket.IO server and client on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { TickEvent } from '@broker/api/socket';
import { createConflator, type Conflator, type ConflatorOptions } from '../src/marketdata/conflation.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tick = (symbol: string, n: number): TickEvent => ({
  type: 'tick',
  symbol,
  bid: (1.1 + n / 100_000).toFixed(5),
  ask: (1.1 + (n + 2) / 100_000).toFixed(5),
  spread: '0.00002',
  timestamp: 1_700_000_000_000 + n,
  lp: 'TEST',
});

interface Rig {
  server: Server;
  conflator: Conflator;
  clients: Socket[];
  client(symbols: string[]): Promise<{ socket: Socket; ticks: TickEvent[] }>;
  close(): Promise<void>;
}

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function start(opts: ConflatorOptions = {}): Promise<Rig> {
  const httpServer = http.createServer();
  const server = new Server(httpServer, { perMessageDeflate: false });
  // The same rooms as api/sockets.ts.
  server.on('connection', (s: ServerSocket) => {
    s.on('subscribe', async (req: { symbols: string[] }, ack: (r: unknown) => void) => {
      for (const sym of req.symbols) await s.join(`quotes:${sym}`);
      ack({ ok: true });
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const conflator = createConflator(server, opts);
  const clients: Socket[] = [];
  return {
    server,
    conflator,
    clients,
    async client(symbols) {
      const socket = connect(url, { transports: ['websocket'], reconnection: false });
      clients.push(socket);
      const ticks: TickEvent[] = [];
      socket.on('tick', (t: TickEvent) => ticks.push(t));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      await socket.emitWithAck('subscribe', { symbols });
      return { socket, ticks };
    },
    async close() {
      conflator.stop();
      for (const c of clients) c.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Every tick arrives in the order it was priced: nothing stale after a newer price. */
function expectMonotonic(ticks: TickEvent[]) {
  const last = new Map<string, number>();
  for (const t of ticks) {
    expect(t.timestamp).toBeGreaterThan(last.get(t.symbol) ?? 0);
    last.set(t.symbol, t.timestamp);
  }
}

describe('quote conflation', () => {
  it('a burst of 100 ticks in 5 ms reaches the client as the latest price, in a few messages, nothing stale after', async () => {
    rig = await start({ intervalMs: 15 });
    const { ticks } = await rig.client(['EURUSD']);
    const started = Date.now();
    let n = 0;
    while (n < 100) {
      rig.conflator.push(tick('EURUSD', ++n));
      if (n % 20 === 0) while (Date.now() - started < n / 20) {
        /* spread the burst over ~5 ms */
      }
    }
    await sleep(120);
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeLessThanOrEqual(3);
    expect(ticks.at(-1)).toEqual(tick('EURUSD', 100));
    expectMonotonic(ticks);
    const s = rig.conflator.stats();
    expect(s.received).toBe(100);
    expect(s.emitted).toBe(ticks.length);
    expect(s.conflated).toBe(100 - ticks.length);
    // Keeps the TickEvent shape the web apps read.
    expect(Object.keys(ticks[0]!).sort()).toEqual(['ask', 'bid', 'lp', 'spread', 'symbol', 'timestamp', 'type']);
  });

  it('each room gets its own symbols; one flush carries every changed symbol', async () => {
    rig = await start({ intervalMs: 10 });
    const a = await rig.client(['EURUSD', 'GBPUSD']);
    const b = await rig.client(['GBPUSD']);
    const c = await rig.client(['XAUUSD']);
    for (let i = 1; i <= 30; i++) {
      rig.conflator.push(tick('EURUSD', i));
      rig.conflator.push(tick('GBPUSD', i));
    }
    await sleep(80);
    expect(a.ticks.map((t) => [t.symbol, t.timestamp])).toEqual([
      ['EURUSD', tick('EURUSD', 30).timestamp],
      ['GBPUSD', tick('GBPUSD', 30).timestamp],
    ]);
    expect(b.ticks).toEqual([tick('GBPUSD', 30)]);
    expect(c.ticks).toEqual([]);
    expect(rig.conflator.stats()).toMatchObject({ received: 60, emitted: 2, flushes: 1 });
  });

  it('a steady stream arrives in order with at most one message per interval', async () => {
    rig = await start({ intervalMs: 20 });
    const { ticks } = await rig.client(['EURUSD']);
    for (let i = 1; i <= 200; i++) {
      rig.conflator.push(tick('EURUSD', i));
      if (i % 10 === 0) await sleep(2);
    }
    await sleep(100);
    expect(ticks.at(-1)!.timestamp).toBe(tick('EURUSD', 200).timestamp);
    expectMonotonic(ticks);
    expect(ticks.length).toBeLessThan(200 / 4);
  });

  it('a backed-up socket is skipped, then gets only the newest price once it can take writes again', async () => {
    let backedUp: string | null = null;
    rig = await start({ intervalMs: 10, isBackedUp: (s) => s.id === backedUp });
    const slow = await rig.client(['EURUSD']);
    const fast = await rig.client(['EURUSD']);
    backedUp = slow.socket.id!;
    rig.conflator.push(tick('EURUSD', 1));
    await sleep(30);
    rig.conflator.push(tick('EURUSD', 2));
    await sleep(30);
    expect(fast.ticks.map((t) => t.timestamp)).toEqual([tick('EURUSD', 1).timestamp, tick('EURUSD', 2).timestamp]);
    expect(slow.ticks).toEqual([]);
    backedUp = null; // drained; no new quote arrives, yet it is owed the latest
    await sleep(40);
    expect(slow.ticks).toEqual([tick('EURUSD', 2)]);
    expect(rig.conflator.stats()).toMatchObject({ skipped: 2, caughtUp: 1 });
    await sleep(40);
    expect(slow.ticks.length).toBe(1); // no backlog, no repeats
  });

  it('real backpressure: a client that stops reading is not fed a backlog', async () => {
    rig = await start({ intervalMs: 5 });
    const { socket, ticks } = await rig.client(['BTCUSD']);
    // Pause the client's TCP reads so the server's socket buffers fill.
    const raw = (socket.io.engine.transport as unknown as { ws: { _socket: import('node:net').Socket } }).ws._socket;
    raw.pause();
    // 200 × 128 KB is more than loopback's socket buffers hold.
    const pad = 'X'.repeat(128 * 1024);
    const big = (n: number): TickEvent => ({ ...tick('BTCUSD', n), lp: pad });
    for (let i = 1; i <= 200; i++) {
      rig.conflator.push(big(i));
      await sleep(6);
    }
    const skipped = rig.conflator.stats().skipped;
    expect(skipped).toBeGreaterThan(0);
    raw.resume();
    await sleep(300);
    expect(ticks.at(-1)!.timestamp).toBe(big(200).timestamp);
    expectMonotonic(ticks);
    // Far fewer than were sent while it was stuck.
    expect(ticks.length).toBeLessThan(200 - skipped + 5);
  });
});
