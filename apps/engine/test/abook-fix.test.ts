// A-Book and C-Book against the FIX 4.4 LP simulator over TCP (issue 11): a routed order goes to the LP as an
// IOC NewOrderSingle and is booked at the LP's fill plus the markup; a partial fill books what was filled; an
// LP reject, no answer in time and a price beyond the allowed slippage book nothing; a C-Book order fills
// internally and sends its hedge; with the LP down the symbol's fallback mode applies; a dealer's client
// override routes that client's next order. The LP side (lp_orders, coverage) is checked in the database.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { loadQuickfix } from '@broker/quickfix';
import { LpSimulator } from '@broker/quickfix/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixLp } from '../src/lp/fix/fix-lp.ts';
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

describe.skipIf(!loaded.ok)(`A-Book and C-Book through a FIX LP${loaded.ok ? '' : ` (skipped: ${loaded.reason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'abook-'));
  let port: number;
  let sim: LpSimulator;
  let t: TestEngine;
  let boss: ReturnType<TestEngine['client']>;
  let risk: ReturnType<TestEngine['client']>;
  let lpId: number;
  const simOptions = () => ({ port, senderCompId: 'LPAB', targetCompId: 'BROKERAB', mdIntervalMs: 50, execDelayMs: 10, fileStorePath: path.join(dir, 'sim-store') });
  const prisma = () => t.database.db.prisma;
  const fix = () => t.running.engine.lpManager.adapter('FIX-AB') as FixLp;

  beforeAll(async () => {
    port = await freePort();
    sim = new LpSimulator(simOptions());
    await sim.start();
    t = await startTestEngine({
      lpsFromDb: true,
      beforeStart: async (db) => {
        const lp = await db.prisma.liquidityProvider.create({
          data: {
            name: 'FIX-AB',
            type: 'FIX',
            priority: 1,
            settings: { host: '127.0.0.1', port, senderCompId: 'BROKERAB', targetCompId: 'LPAB', heartBtInt: 1, logonTimeoutMs: 1000, symbols: ['EUR/USD'], fileStorePath: path.join(dir, 'lp-store'), backoff: { baseMs: 200, factor: 2, maxMs: 1000, jitter: 0 } },
            symbolMap: { 'EUR/USD': 'EURUSD' },
          },
        });
        lpId = lp.id;
      },
    });
    boss = t.client((await t.login('superadmin@broker.local')).token);
    risk = t.client((await t.login('risk@broker.local')).token);
    await eventually(() => expect(fix().status().state).toBe('CONNECTED'), 20_000);
    await eventually(() => expect(t.running.engine.quoteStore.get('EURUSD')?.lp).toBe('FIX-AB'), 20_000);
    await boss.admin.execution.updateConfig.mutate({ globalMode: 'A_BOOK', maxSlippagePips: '5', lpOrderTimeoutMs: 1500 });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await sim?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const lpOrderOf = (orderId: string) => prisma().lpOrder.findFirstOrThrow({ where: { orderId: BigInt(orderId) } });

  it('fills an A-Book order at the LP price plus the markup, records the LP order and the coverage', async () => {
    sim.setMode('fill');
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const res = await t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' });
    const lpOrder = await lpOrderOf(res.order.id);
    expect(lpOrder).toMatchObject({ status: 'FILLED', kind: 'CLIENT', clOrdId: `A${res.order.id}`, side: 'BUY', lpId });
    expect(d(lpOrder.filledVolume.toString()).toString()).toBe('0.1');
    // Seeded EURUSD markup 0.2 pip: the client pays the LP's price + 0.1 pip.
    expect(res.position!.openPrice.toString()).toBe(d(lpOrder.avgPrice!.toString()).plus('0.00001').toString());
    expect(res.position!.venue).toBe('ABOOK');
    const order = await prisma().order.findUniqueOrThrow({ where: { id: BigInt(res.order.id) } });
    expect(order).toMatchObject({ status: 'FILLED', venue: 'ABOOK', routeRule: 'GLOBAL_MODE', routeLpId: lpId });
    expect(order.lpOrderId).toBe(lpOrder.lpOrderId);
    const cov = await prisma().coveragePosition.findUniqueOrThrow({ where: { lpId_symbol: { lpId, symbol: 'EURUSD' } } });
    expect(d(cov.netVolume.toString()).gte('0.1')).toBe(true);
    // The house holds the LP fill against the client's position: its net is coverage minus the clients' net.
    const row = (await risk.admin.dealing.exposure.query()).rows.find((r) => r.symbol === 'EURUSD')!;
    const clientNet = (await prisma().position.findMany({ where: { symbol: 'EURUSD', status: 'OPEN' } })).reduce((n, p) => (p.side === 'BUY' ? n.plus(p.volume.toString()) : n.minus(p.volume.toString())), d(0));
    expect(row.clientNetLots.toString()).toBe(clientNet.toString());
    expect(row.houseNetLots.toString()).toBe(d(cov.netVolume.toString()).minus(clientNet).toString());
    // The simulator saw one NewOrderSingle for it, IOC.
    expect((await risk.admin.execution.lpOrders.query({})).find((o) => o.clOrdId === `A${res.order.id}`)!.status).toBe('FILLED');
  });

  it('books what an IOC partial fill filled, and the order says PARTIALLY_FILLED', async () => {
    sim.setMode('partial-ioc');
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const res = await t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'SELL', volume: '0.2' });
    expect(res.position!.volume.toString()).toBe('0.1');
    expect((await prisma().order.findUniqueOrThrow({ where: { id: BigInt(res.order.id) } })).status).toBe('PARTIALLY_FILLED');
    expect((await lpOrderOf(res.order.id)).status).toBe('PARTIAL');
    sim.setMode('fill');
  });

  it('an LP reject rejects the order with the LP reason; no answer in time expires it; a move beyond the slippage limit fills nothing', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const api = t.client(token);
    sim.setMode('reject');
    const rej = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' }).catch((e: unknown) => e as { message: string; data: { appCode: string } });
    expect((rej as { data: { appCode: string } }).data.appCode).toBe('LP_REJECTED');
    expect((rej as { message: string }).message).toContain('Rejected by LP simulator');

    sim.setMode('silent');
    expect(await errorCode(api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' }))).toBe('LP_TIMEOUT');

    sim.setMode('fill');
    (sim.options as { slippage?: number }).slippage = 0.001; // 10 pips against the client; 5 allowed
    expect(await errorCode(api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'SELL', volume: '0.1' }))).toBe('SLIPPAGE_EXCEEDED');
    (sim.options as { slippage?: number }).slippage = 0;

    const orders = await prisma().order.findMany({ where: { accountId, type: 'MARKET' }, orderBy: { id: 'asc' } });
    expect(orders.map((o) => [o.status, o.rejectCode])).toEqual([
      ['REJECTED', 'LP_REJECTED'],
      ['EXPIRED', 'LP_TIMEOUT'],
      ['REJECTED', 'SLIPPAGE_EXCEEDED'],
    ]);
    const lps = await prisma().lpOrder.findMany({ where: { orderId: { in: orders.map((o) => o.id) } }, orderBy: { id: 'asc' } });
    expect(lps.map((o) => o.status)).toEqual(['REJECTED', 'UNKNOWN', 'EXPIRED']);
    expect(await prisma().position.count({ where: { accountId } })).toBe(0);
    expect((await api.account.summary.query({ accountId })).balance.toFixed(2)).toBe('10000.00');
  });

  it('concurrent A-Book orders of several clients all reach the house’s coverage (none lost to another’s write)', async () => {
    sim.setMode('fill');
    const cov = async () => d((await prisma().coveragePosition.findUnique({ where: { lpId_symbol: { lpId, symbol: 'EURUSD' } } }))?.netVolume.toString() ?? '0');
    const before = await cov();
    const traders = await Promise.all(Array.from({ length: 8 }, () => t.createTrader({ balance: '10000' })));
    const fills = await Promise.all(traders.map((tr) => t.client(tr.token).orders.market.mutate({ accountId: tr.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' })));
    expect(fills.every((f) => f.position?.venue === 'ABOOK')).toBe(true);
    expect((await cov()).minus(before).toString()).toBe('0.8');
  });

  it('a fill after the timeout still reaches the LP order and the coverage, and the dealers are told', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    await boss.admin.execution.updateConfig.mutate({ lpOrderTimeoutMs: 300 });
    sim.options.delayMs = 1000;
    const alerts: string[] = [];
    const off = t.running.engine.events.on('alert', (e) => alerts.push(`${e.kind} ${e.clOrdId}`));
    try {
      const cov = async () => d((await prisma().coveragePosition.findUnique({ where: { lpId_symbol: { lpId, symbol: 'EURUSD' } } }))?.netVolume.toString() ?? '0');
      const before = await cov();
      expect(await errorCode(t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'SELL', volume: '0.1', idempotencyKey: 'late-1' }))).toBe('LP_TIMEOUT');
      const order = await prisma().order.findFirstOrThrow({ where: { accountId, idempotencyKey: 'late-1' } });
      await eventually(async () => expect((await lpOrderOf(order.id.toString())).status).toBe('FILLED'), 10_000);
      expect((await cov()).minus(before).toString()).toBe('-0.1');
      expect(alerts).toContain(`LATE_LP_FILL A${order.id}`);
      // The client was told it expired: it stays so.
      expect((await prisma().order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('EXPIRED');
    } finally {
      off();
      sim.options.delayMs = 0;
      await boss.admin.execution.updateConfig.mutate({ lpOrderTimeoutMs: 1500 });
    }
  }, 30_000);

  it('C-Book fills internally and hedges the configured share with the LP', async () => {
    await boss.admin.execution.updateConfig.mutate({ globalMode: 'C_BOOK', cbookAbookShare: '50' });
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const res = await t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.4' });
    expect(res.position!.venue).toBe('CBOOK');
    expect(res.position!.volume.toString()).toBe('0.4');
    await eventually(async () => {
      const hedge = await prisma().lpOrder.findUniqueOrThrow({ where: { clOrdId: `H${res.order.id}` } });
      expect(hedge).toMatchObject({ kind: 'COVERAGE', side: 'BUY', status: 'FILLED' });
      expect(d(hedge.volume.toString()).toString()).toBe('0.2');
    }, 5000);
    await boss.admin.execution.updateConfig.mutate({ globalMode: 'A_BOOK' });
  });

  it('a dealer’s client override applies to that client’s next order, and is audited', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const other = await t.createTrader({ balance: '10000' });
    await risk.admin.execution.setOverride.mutate({ accountId, mode: 'B_BOOK', reason: 'small retail flow' });
    const mine = await t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' });
    const theirs = await t.client(other.token).orders.market.mutate({ accountId: other.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' });
    expect(mine.position!.venue).toBe('BBOOK');
    expect((await prisma().order.findUniqueOrThrow({ where: { id: BigInt(mine.order.id) } })).routeRule).toBe('CLIENT_OVERRIDE');
    expect(theirs.position!.venue).toBe('ABOOK');
    const audit = await risk.admin.audit.log.query({ action: 'execution.override', entityId: String(accountId) });
    expect(audit.rows[0]!.details).toMatchObject({ before: null, after: { mode: 'B_BOOK', reason: 'small retail flow' } });
    const report = await risk.admin.execution.report.query({ from: new Date(Date.now() - 600_000), to: new Date(Date.now() + 60_000) });
    expect(report.byVenue.map((r) => r.key).sort()).toEqual(expect.arrayContaining(['ABOOK', 'BBOOK', 'CBOOK']));
    expect(report.byRule.map((r) => r.key)).toContain('CLIENT_OVERRIDE');
    expect(await errorCode(t.client((await t.login('support@broker.local')).token).admin.execution.setOverride.mutate({ accountId, mode: 'A_BOOK', reason: 'nope' }))).toBe('FORBIDDEN');
  });

  it('with the LP down the symbol’s fallback mode applies', async () => {
    await risk.admin.execution.setSymbolRule.mutate({ symbol: 'EURUSD', mode: 'A_BOOK', priorityLp: 'FIX-AB', fallbackMode: 'B_BOOK' });
    await sim.stop();
    await eventually(() => expect(fix().status().state).not.toBe('CONNECTED'), 10_000);
    // A dealer's quote keeps the symbol priced while the LP is away.
    t.running.engine.manual.push('EURUSD', '1.10000', '1.10010');
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const res = await t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' });
    expect(res.position!.venue).toBe('BBOOK');
    const order = await prisma().order.findUniqueOrThrow({ where: { id: BigInt(res.order.id) } });
    expect(order.routeRule).toBe('LP_DOWN_FALLBACK');
    expect(await prisma().lpOrder.count({ where: { orderId: order.id } })).toBe(0);
  }, 30_000);

  it('the LP scorecard counts what the LP did with the orders it was sent', async () => {
    const cards = await risk.admin.execution.scorecards.query({ from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });
    const card = cards.find((c) => c.lp === 'FIX-AB' && c.symbol === 'EURUSD')!;
    const rows = await prisma().lpOrder.findMany({ where: { lpId } });
    expect(card.orders).toBe(rows.length);
    expect(card.byStatus.REJECTED).toBe(rows.filter((r) => r.status === 'REJECTED').length);
    expect(card.byStatus.UNKNOWN).toBe(1);
    expect(Object.keys(card.rejectReasons).join(' ')).toContain('Rejected by LP simulator');
    expect(card.responseMs!.max).toBeGreaterThanOrEqual(card.responseMs!.p50);
  });
});
