// Engine ↔ FIX LP simulator over TCP: logon, subscribe, quotes reach a Socket.IO client; the simulator stops →
// the LP is marked down and prices fail over to the secondary within the threshold; it starts again → the
// engine reconnects with backoff and the session's sequence numbers continue.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadQuickfix } from '@broker/quickfix';
import { LpSimulator } from '@broker/quickfix/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickEvent } from '@broker/api/socket';
import type { FixLp } from '../src/lp/fix/fix-lp.ts';
import { eventually, startTestEngine, type TestEngine } from './harness.ts';

const loaded = loadQuickfix();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!loaded.ok)(`engine with a FIX LP${loaded.ok ? '' : ` (skipped: ${loaded.reason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fix-int-'));
  let port: number;
  let sim: LpSimulator;
  let t: TestEngine;
  const simOptions = () => ({
    port,
    senderCompId: 'LPINT',
    targetCompId: 'BROKERINT',
    username: 'broker',
    password: 'pw',
    mdIntervalMs: 50,
    fileStorePath: path.join(dir, 'sim-store'),
  });

  beforeAll(async () => {
    port = await freePort();
    sim = new LpSimulator(simOptions());
    await sim.start();
    t = await startTestEngine({
      lpsFromDb: true,
      env: { ...process.env, LP_FIX_INT_USER: 'broker', LP_FIX_INT_PASSWORD: 'pw' },
      beforeStart: async (db) => {
        await db.prisma.liquidityProvider.create({
          data: {
            name: 'FIX-LP',
            type: 'FIX',
            priority: 1,
            settings: {
              host: '127.0.0.1',
              port,
              senderCompId: 'BROKERINT',
              targetCompId: 'LPINT',
              heartBtInt: 1,
              logonTimeoutMs: 1000,
              symbols: ['EUR/USD'],
              fileStorePath: path.join(dir, 'lp-store'),
              backoff: { baseMs: 300, factor: 2, maxMs: 3000, jitter: 0 },
            },
            credentialEnv: { username: 'LP_FIX_INT_USER', password: 'LP_FIX_INT_PASSWORD' },
            symbolMap: { 'EUR/USD': 'EURUSD' },
          },
        });
      },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await sim?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams the FIX LP to Socket.IO, fails over to the simulated LP when it dies, and comes back', async () => {
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['EURUSD'] });
    const ticks: (TickEvent & { at: number })[] = [];
    socket.on('tick', (e) => ticks.push({ ...e, at: Date.now() }));

    // Logon, subscribe, quotes: the FIX LP (priority 1) prices EURUSD.
    await eventually(() => expect(ticks.some((x) => x.lp === 'FIX-LP')).toBe(true), 20_000);
    const fix = t.running.engine.lpManager.adapter('FIX-LP') as FixLp;
    const seqBefore = fix.status().seqNums!;
    expect(seqBefore.nextSender).toBeGreaterThan(1);
    const lps = await t.client((await t.login('admin@broker.local')).token).admin.lps.list.query();
    expect(lps.find((l) => l.name === 'FIX-LP')).toMatchObject({ state: 'CONNECTED', type: 'FIX' });

    // The LP dies: marked down, and EURUSD fails over to the secondary (the seeded simulated LP).
    const stoppedAt = Date.now();
    await sim.stop();
    await eventually(() => expect(fix.status().state).not.toBe('CONNECTED'), 10_000);
    await eventually(() => expect(ticks.some((x) => x.lp === 'SIMULATED' && x.at > stoppedAt)).toBe(true), 10_000);
    const failoverMs = ticks.find((x) => x.lp === 'SIMULATED' && x.at > stoppedAt)!.at - stoppedAt;
    // Within the staleness threshold of the symbol (30 s): in practice the disconnect is seen at once.
    expect(failoverMs).toBeLessThan(30_000);
    const down = (await t.client((await t.login('admin@broker.local')).token).admin.lps.list.query()).find((l) => l.name === 'FIX-LP')!;
    expect(down.state).not.toBe('CONNECTED');

    // It comes back: reconnect with backoff, FIX prices again, sequence numbers continue.
    await new Promise((r) => setTimeout(r, 1500));
    sim = new LpSimulator(simOptions());
    const restartedAt = Date.now();
    await sim.start();
    await eventually(() => expect(fix.status().state).toBe('CONNECTED'), 20_000);
    await eventually(() => expect(ticks.some((x) => x.lp === 'FIX-LP' && x.at > restartedAt)).toBe(true), 20_000);
    const seqAfter = fix.status().seqNums!;
    expect(seqAfter.nextSender).toBeGreaterThan(seqBefore.nextSender);
    expect(fix.status().reconnects).toBeGreaterThanOrEqual(1);
    const delays = fix.history.retryDelaysMs;
    expect(delays.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
  }, 90_000);
});
