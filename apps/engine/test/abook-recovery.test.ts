// A-Book orders a restart interrupted (issue 11, crash safety), against the FIX 4.4 LP simulator over TCP. While
// the engine is down the database holds what a crash leaves — client orders PENDING, their LP orders SENT — and
// the previous engine's FIX session (the same comp IDs and file store, so the sequence numbers continue) has
// sent the NewOrderSingles the simulator then executes with nobody connected. On start the engine asks the LP
// about every LP order without an answer (OrderStatusRequest 35=H) and completes the client orders from the
// answers and the resent execution reports: filled → FILLED at the LP's price plus the markup, once; partially
// filled → PARTIALLY_FILLED; rejected → REJECTED with the LP's reason; an order the LP never received → EXPIRED
// (LP_NOT_RECEIVED, whether the LP says so with an execution report or a business reject); an order that never
// left → EXPIRED (LP_NOT_SENT); an LP that does not answer → the LP order stays UNKNOWN, the client order
// PENDING, and the dealers get an alert. The kill -9 under load is abook-crash.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { loadQuickfix } from '@broker/quickfix';
import { LpSimulator, type ExecMode } from '@broker/quickfix/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@broker/api/socket';
import { createFixLp, type FixLp, type FixSettings } from '../src/lp/fix/fix-lp.ts';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

const loaded = loadQuickfix();
const d = (v: Decimal.Value) => new Decimal(v);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One interrupted order: what the crash left, and whether its NewOrderSingle had left (and how the LP executes it). */
interface Case {
  name: string;
  side: 'BUY' | 'SELL';
  volume: string;
  /** The LP's execution of it; undefined: the order never reached the LP. */
  mode?: ExecMode;
  /** false: the engine stopped before it recorded the LP order (nothing was sent). */
  lpOrder?: boolean;
}

describe.skipIf(!loaded.ok)(`A-Book orders interrupted by a restart${loaded.ok ? '' : ` (skipped: ${loaded.reason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'abook-rc-'));
  let port: number;
  let sim: LpSimulator;
  let t: TestEngine;
  let lpId: number;
  let settings: FixSettings;
  const prisma = () => t.database.db.prisma;
  const fix = () => t.running.engine.lpManager.adapter('FIX-RC') as FixLp;

  beforeAll(async () => {
    port = await freePort();
    // Each execution report comes 400 ms after the order: long after the previous session has gone.
    sim = new LpSimulator({ port, senderCompId: 'LPRC', targetCompId: 'BROKERRC', mdIntervalMs: 50, execDelayMs: 10, delayMs: 400, fileStorePath: path.join(dir, 'sim-store') });
    await sim.start();
    settings = { host: '127.0.0.1', port, senderCompId: 'BROKERRC', targetCompId: 'LPRC', heartBtInt: 1, logonTimeoutMs: 1000, symbols: ['EUR/USD'], fileStorePath: path.join(dir, 'lp-store'), backoff: { baseMs: 200, factor: 2, maxMs: 1000, jitter: 0 } };
    t = await startTestEngine({
      lpsFromDb: true,
      engine: { lpRecovery: { delayMs: 100, timeoutMs: 1500, attempts: 2, workingRetryMs: 200 } },
      beforeStart: async (db) => {
        const lp = await db.prisma.liquidityProvider.create({ data: { name: 'FIX-RC', type: 'FIX', priority: 1, settings: settings as object, symbolMap: { 'EUR/USD': 'EURUSD' } } });
        lpId = lp.id;
      },
    });
    const boss = t.client((await t.login('superadmin@broker.local')).token);
    await eventually(() => expect(fix().status().state).toBe('CONNECTED'), 20_000);
    await eventually(() => expect(t.running.engine.quoteStore.get('EURUSD')?.lp).toBe('FIX-RC'), 20_000);
    await boss.admin.execution.updateConfig.mutate({ globalMode: 'A_BOOK', lpOrderTimeoutMs: 3000 });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await sim?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const coverage = async () => d((await prisma().coveragePosition.findUnique({ where: { lpId_symbol: { lpId, symbol: 'EURUSD' } } }))?.netVolume.toString() ?? '0');

  /**
   * Restarts the engine; while it is down, writes each case's rows as aBookOrder does before anything leaves (the
   * order PENDING with its routing decision, the LP order SENT) and, for the cases whose NewOrderSingle had left,
   * sends it from a FIX session with the engine's identity and store (the previous engine's), then drops it.
   */
  const alerts: AlertEvent[] = [];
  async function restartAfterCrash(accountId: number, cases: Case[]): Promise<Map<string, bigint>> {
    const ids = new Map<string, bigint>();
    alerts.length = 0;
    await t.restart({
      whileDown: async () => {
        const now = new Date();
        for (const c of cases) {
          const order = await prisma().order.create({
            data: {
              accountId,
              symbol: 'EURUSD',
              type: 'MARKET',
              side: c.side,
              volume: c.volume,
              status: 'PENDING',
              venue: 'ABOOK',
              idempotencyKey: `rc-${c.name}-${now.getTime()}`,
              routeRule: 'GLOBAL_MODE',
              routeReason: 'global execution mode A_BOOK',
              routeFigures: { globalMode: 'A_BOOK' },
              routeLpId: lpId,
              createdAt: now,
            },
          });
          ids.set(c.name, order.id);
          if (c.lpOrder === false) continue;
          await prisma().lpOrder.create({ data: { orderId: order.id, lpId, kind: 'CLIENT', clOrdId: `A${order.id}`, symbol: 'EURUSD', side: c.side, volume: c.volume, status: 'SENT', sentAt: now } });
        }
        const sent = cases.filter((c) => c.mode);
        if (!sent.length) return;
        const previous = createFixLp({ name: 'FIX-RC', settings, symbolMap: { 'EUR/USD': 'EURUSD' } });
        await previous.start(() => undefined);
        await eventually(() => expect(previous.loggedOn).toBe(true), 10_000);
        for (const c of sent) {
          // The simulator takes the mode when the order arrives: one order at a time.
          sim.setMode(c.mode!);
          void previous.placeOrder({ clOrdId: `A${ids.get(c.name)}`, symbol: 'EURUSD', side: c.side, volume: c.volume, contractSize: '100000', type: 'MARKET', timeInForce: 'IOC', timeoutMs: 60_000 });
          await eventually(() => expect(sim.orders.has(`A${ids.get(c.name)}`)).toBe(true), 5000);
        }
        // The engine is gone before any execution report comes (the simulator sends them 400 ms later).
        await previous.stop({ logout: false });
        sim.setMode('fill');
      },
    });
    // The new engine's alerts to dealers (the LP is still logging on: none has gone out yet).
    t.running.engine.events.on('alert', (e) => alerts.push(e));
    await eventually(() => expect(fix().status().state).toBe('CONNECTED'), 20_000);
    return ids;
  }

  const orderOf = (id: bigint) => prisma().order.findUniqueOrThrow({ where: { id } });
  const lpOrderOf = (id: bigint) => prisma().lpOrder.findUniqueOrThrow({ where: { clOrdId: `A${id}` } });

  it('completes each client order from what the LP did while the engine was down, and counts every fill once', async () => {
    const trader = await t.createTrader({ balance: '100000' });
    const before = await coverage();
    const statusRequests = sim.stats.statusRequests;
    const ids = await restartAfterCrash(trader.accountId, [
      { name: 'filled', side: 'BUY', volume: '0.3', mode: 'fill' },
      { name: 'partial', side: 'SELL', volume: '0.2', mode: 'partial-ioc' },
      { name: 'rejected', side: 'BUY', volume: '0.1', mode: 'reject' },
      { name: 'lost', side: 'BUY', volume: '0.1' },
      { name: 'unsent', side: 'SELL', volume: '0.1', lpOrder: false },
    ]);
    await eventually(async () => expect((await prisma().order.count({ where: { id: { in: [...ids.values()] }, status: 'PENDING' } }))).toBe(0), 15_000);

    const filled = await orderOf(ids.get('filled')!);
    const filledLp = await lpOrderOf(ids.get('filled')!);
    expect(filled).toMatchObject({ status: 'FILLED', venue: 'ABOOK' });
    expect(filledLp.status).toBe('FILLED');
    expect(d(filledLp.filledVolume.toString()).toString()).toBe('0.3');
    const position = await prisma().position.findUniqueOrThrow({ where: { id: filled.positionId! } });
    expect(d(position.volume.toString()).toString()).toBe('0.3');
    // The LP's price plus half the seeded 0.2 pip markup, on the client's side.
    expect(d(position.openPrice.toString()).toString()).toBe(d(filledLp.avgPrice!.toString()).plus('0.00001').toString());
    expect(d(filled.filledPrice!.toString()).toString()).toBe(d(position.openPrice.toString()).toString());

    const partial = await orderOf(ids.get('partial')!);
    expect(partial.status).toBe('PARTIALLY_FILLED');
    expect((await lpOrderOf(ids.get('partial')!)).status).toBe('PARTIAL');
    expect(d((await prisma().position.findUniqueOrThrow({ where: { id: partial.positionId! } })).volume.toString()).toString()).toBe('0.1');

    expect(await orderOf(ids.get('rejected')!)).toMatchObject({ status: 'REJECTED', rejectCode: 'LP_REJECTED' });
    expect((await orderOf(ids.get('rejected')!)).rejectReason).toContain('Rejected by LP simulator');
    expect((await lpOrderOf(ids.get('rejected')!)).status).toBe('REJECTED');

    expect(await orderOf(ids.get('lost')!)).toMatchObject({ status: 'EXPIRED', rejectCode: 'LP_NOT_RECEIVED' });
    expect((await orderOf(ids.get('lost')!)).rejectReason).toContain('Not received by LP');
    expect((await lpOrderOf(ids.get('lost')!)).status).toBe('EXPIRED');

    expect(await orderOf(ids.get('unsent')!)).toMatchObject({ status: 'EXPIRED', rejectCode: 'LP_NOT_SENT' });
    expect(await prisma().lpOrder.count({ where: { orderId: ids.get('unsent')! } })).toBe(0);

    // Asked about, never sent again: the simulator got each ClOrdID once, and the lost one never.
    expect(sim.stats.statusRequests).toBeGreaterThan(statusRequests);
    expect(sim.stats.duplicateOrders).toBe(0);
    for (const name of ['filled', 'partial', 'rejected']) expect(sim.received.filter((c) => c === `A${ids.get(name)}`)).toHaveLength(1);
    expect(sim.received).not.toContain(`A${ids.get('lost')}`);
    // The house's coverage took each fill once (resent reports and status answers overlap): +0.3 − 0.1.
    expect((await coverage()).minus(before).toString()).toBe('0.2');
    const sim0 = sim.orders.get(`A${ids.get('filled')}`)!;
    expect(sim0).toMatchObject({ ordStatus: '2', cumQty: 30000 });
    // Booked for the clients: nothing sits in the house's coverage unbooked.
    expect(alerts.filter((a) => a.kind === 'LATE_LP_FILL' || a.kind === 'LP_FILL_UNBOOKED')).toEqual([]);

    // The client's retry of the order replays its outcome.
    const api = t.client(trader.token);
    const replay = await api.orders.market.mutate({ accountId: trader.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.3', idempotencyKey: filled.idempotencyKey! });
    expect(replay).toMatchObject({ replayed: true, order: { id: filled.id.toString() } });
    expect(await errorCode(api.orders.market.mutate({ accountId: trader.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1', idempotencyKey: (await orderOf(ids.get('lost')!)).idempotencyKey! }))).toBe('LP_NOT_RECEIVED');
    const summary = await api.account.summary.query({ accountId: trader.accountId });
    expect(summary.openPositions).toBe(2);
  }, 90_000);

  it('an LP that answers an unknown order with a business reject: not received, expired', async () => {
    const trader = await t.createTrader({ balance: '10000' });
    sim.options.unknownOrderReply = 'business-reject';
    try {
      const ids = await restartAfterCrash(trader.accountId, [{ name: 'lost', side: 'SELL', volume: '0.1' }]);
      await eventually(async () => expect(await orderOf(ids.get('lost')!)).toMatchObject({ status: 'EXPIRED', rejectCode: 'LP_NOT_RECEIVED' }), 15_000);
      expect((await lpOrderOf(ids.get('lost')!)).rejectReason).toContain('not received by LP');
    } finally {
      sim.options.unknownOrderReply = 'execution-report';
    }
  }, 60_000);

  it('an order whose outcome the LP does not confirm stays UNKNOWN, its client order pending, and dealers are alerted', async () => {
    const trader = await t.createTrader({ balance: '10000' });
    sim.options.statusMode = 'silent';
    try {
      const ids = await restartAfterCrash(trader.accountId, [{ name: 'silent', side: 'BUY', volume: '0.1', mode: 'silent' }]);
      const id = ids.get('silent')!;
      // Two unanswered status requests of 1.5 s: then it is reported, not guessed.
      await eventually(async () => expect((await lpOrderOf(id)).rejectReason ?? '').toContain('outcome not established'), 15_000);
      expect((await lpOrderOf(id)).status).toBe('UNKNOWN');
      expect((await orderOf(id)).status).toBe('PENDING');
      const api = t.client(trader.token);
      expect(await errorCode(api.orders.market.mutate({ accountId: trader.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1', idempotencyKey: (await orderOf(id)).idempotencyKey! }))).toBe('ORDER_IN_FLIGHT');
      const risk = t.client((await t.login('risk@broker.local')).token);
      const dash = await risk.admin.dealing.dashboard.query();
      expect(dash.alerts.find((a) => a.kind === 'LP_ORDER_UNKNOWN')?.message).toMatch(/client order\(s\) waiting/);
      expect((await risk.admin.execution.lpOrders.query({ status: 'UNKNOWN' })).map((o) => o.clOrdId)).toContain(`A${id}`);
      expect(sim.received.filter((c) => c === `A${id}`)).toHaveLength(1);
      expect(alerts.filter((a) => a.kind === 'LP_ORDER_UNKNOWN').map((a) => a.clOrdId)).toEqual([`A${id}`]);
    } finally {
      sim.options.statusMode = 'answer';
    }
  }, 60_000);
});
