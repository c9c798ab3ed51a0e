// Engine ↔ FIX LP simulator over TCP: logon, subscribe, quotes reach a Socket.IO client; the simulator stops →
// the LP is marked down and its price is withdrawn at once (the seeded simulated LP is no fallback for it); it
// starts again → the engine reconnects with backoff, the session's sequence numbers continue, and only quotes of
// the new session are published. With `settings.fallback: true` the simulated LP does stand in.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadQuickfix } from '@broker/quickfix';
import { LpSimulator } from '@broker/quickfix/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickEvent } from '@broker/api/socket';
import type { FixLp } from '../src/lp/fix/fix-lp.ts';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

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

  it('streams the FIX LP to Socket.IO, withdraws its price when it dies (no simulated fallback), and comes back with new quotes only', async () => {
    const engine = t.running.engine;
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['EURUSD'] });
    const ticks: (TickEvent & { at: number })[] = [];
    socket.on('tick', (e) => ticks.push({ ...e, at: Date.now() }));

    // Logon, subscribe, quotes: the FIX LP (priority 1) prices EURUSD.
    await eventually(() => expect(ticks.some((x) => x.lp === 'FIX-LP')).toBe(true), 20_000);
    const fix = engine.lpManager.adapter('FIX-LP') as FixLp;
    const seqBefore = fix.status().seqNums!;
    expect(seqBefore.nextSender).toBeGreaterThan(1);
    const admin = t.client((await t.login('admin@broker.local')).token);
    const lps = await admin.admin.lps.list.query();
    expect(lps.find((l) => l.name === 'FIX-LP')).toMatchObject({ state: 'CONNECTED', type: 'FIX' });

    // The LP dies: marked down, EURUSD's price withdrawn at once, and the simulated LP does not step in.
    const stoppedAt = Date.now();
    await sim.stop();
    await eventually(() => expect(fix.status().state).not.toBe('CONNECTED'), 10_000);
    await eventually(() => expect(engine.quoteStore.get('EURUSD')).toBeUndefined(), 2000);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ticks.filter((x) => x.lp === 'SIMULATED')).toEqual([]);
    expect(engine.quoteStore.get('EURUSD')).toBeUndefined();

    // It comes back: reconnect with backoff, FIX prices again with quotes of the new session only.
    sim = new LpSimulator(simOptions());
    const restartedAt = Date.now();
    const seen = ticks.length;
    await sim.start();
    await eventually(() => expect(fix.status().state).toBe('CONNECTED'), 20_000);
    await eventually(() => expect(ticks.some((x) => x.lp === 'FIX-LP' && x.at > restartedAt)).toBe(true), 20_000);
    const after = ticks.slice(seen);
    expect(after.every((x) => x.lp === 'FIX-LP' && x.timestamp >= restartedAt - 50)).toBe(true);
    const seqAfter = fix.status().seqNums!;
    expect(seqAfter.nextSender).toBeGreaterThan(seqBefore.nextSender);
    expect(fix.status().reconnects).toBeGreaterThanOrEqual(1);
    const delays = fix.history.retryDelaysMs;
    expect(delays.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);

    // A dealer lets the simulated LP stand in (settings.fallback: true): then it takes over when FIX dies.
    const simRow = await engine.prisma.liquidityProvider.findUniqueOrThrow({ where: { name: 'SIMULATED' } });
    await engine.prisma.liquidityProvider.update({ where: { id: simRow.id }, data: { settings: { fallback: true } } });
    await engine.lpManager.reload(simRow.id);
    expect((await admin.admin.lps.list.query()).find((l) => l.name === 'SIMULATED')!.warning).toMatch(/may stand in for FIX-LP/);
    const stoppedAgain = Date.now();
    await sim.stop();
    await eventually(() => expect(ticks.some((x) => x.lp === 'SIMULATED' && x.at > stoppedAgain)).toBe(true), 10_000);
  }, 90_000);

  it('shows the session to the dealer, and the dealer’s reset action recovers an LP that reset its sequence numbers; logout keeps it down', async () => {
    const engine = t.running.engine;
    const admin = t.client((await t.login('admin@broker.local')).token);
    const fixLp = async () => (await admin.admin.lps.list.query()).find((l) => l.name === 'FIX-LP')!;
    // The simulator comes back with a fresh store: its sequence numbers start at 1 again.
    rmSync(simOptions().fileStorePath, { recursive: true, force: true });
    sim = new LpSimulator(simOptions());
    await sim.start();
    await eventually(async () => expect((await fixLp()).recentErrors.some((e) => /MsgSeqNum too low/.test(e.message))).toBe(true), 20_000);
    const down = await fixLp();
    expect(down.state).not.toBe('CONNECTED');
    expect(down.session).toMatchObject({ state: expect.stringMatching(/CONNECTING|DISCONNECTED/), seqNums: { nextSender: expect.any(Number), nextTarget: expect.any(Number) } });
    expect(down.session!.seqNums!.nextTarget).toBeGreaterThan(1);
    await eventually(async () => expect((await fixLp()).session!.nextRetryAt).toBeGreaterThan(Date.now() - 5000), 10_000);
    // Not a FIX LP: no session to reset.
    const simRow = (await admin.admin.lps.list.query()).find((l) => l.name === 'SIMULATED')!;
    expect(await errorCode(admin.admin.lps.resetSeqNums.mutate({ id: simRow.id! }))).toBe('VALIDATION_ERROR');
    // The dealer resets the sequence numbers: logged on again, EURUSD priced by FIX.
    await admin.admin.lps.resetSeqNums.mutate({ id: down.id! });
    await eventually(async () => expect(await fixLp()).toMatchObject({ state: 'CONNECTED', session: { state: 'SUBSCRIBED' } }), 20_000);
    await eventually(() => expect(engine.quoteStore.get('EURUSD')?.lp).toBe('FIX-LP'), 10_000);
    const audit = await engine.prisma.auditLog.findFirst({ where: { action: 'lp.reset_seq_nums' } });
    expect(audit?.entityId).toBe(String(down.id));
    // A logout: down, with the reason, until reconnected.
    const out = await admin.admin.lps.logout.mutate({ id: down.id! });
    expect(out).toMatchObject({ state: 'DISCONNECTED', reason: 'logged out by a dealer', session: { state: 'STOPPED' } });
    await admin.admin.lps.reconnect.mutate({ id: down.id! });
    await eventually(async () => expect((await fixLp()).state).toBe('CONNECTED'), 20_000);
  }, 90_000);
});
