// A netting order that adds to an A-Book or C-Book position, against the FIX 4.4 LP simulator over TCP (issue 11;
// docs/trading-rules-notes.md, Adding to a position at the LP): the added volume follows the position's venue. An
// add to an A-Book position is its own IOC order to the position's LP (`A<add order id>`), merged into the
// position at the LP's fill plus the markup, so the coverage is the client's A-Book volume after the add and
// after the close; an add to a C-Book position fills internally and hedges the configured share; with the LP
// down an add to an A-Book position is refused (LP_UNAVAILABLE) rather than mixing books in one position.
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
const d = (v: Decimal.Value | { toString(): string }) => new Decimal(v.toString());

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!loaded.ok)(`adding to A-Book and C-Book positions at a FIX LP${loaded.ok ? '' : ` (skipped: ${loaded.reason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'abook-add-'));
  let sim: LpSimulator;
  let t: TestEngine;
  let risk: ReturnType<TestEngine['client']>;
  let lpId: number;
  const prisma = () => t.database.db.prisma;
  const fix = () => t.running.engine.lpManager.adapter('FIX-AD') as FixLp;

  async function priceAt(mid: string) {
    sim.setMid('EUR/USD', Number(mid));
    const q = sim.quote('EUR/USD')!;
    await eventually(() => expect(t.running.engine.quoteStore.get('EURUSD')?.bid.toString()).toBe(d(q.bid).minus('0.00001').toString()), 10_000);
  }

  async function netting(mode: 'A_BOOK' | 'C_BOOK') {
    const tr = await t.createTrader({ balance: '100000', marginMode: 'NETTING' });
    await risk.admin.execution.setOverride.mutate({ accountId: tr.accountId, mode, reason: `test ${mode}` });
    return { ...tr, api: t.client(tr.token) };
  }

  const coverage = async () => d((await prisma().coveragePosition.findUnique({ where: { lpId_symbol: { lpId, symbol: 'EURUSD' } } }))?.netVolume ?? 0);
  const filledLpOrder = (clOrdId: string) =>
    eventually(async () => {
      const o = await prisma().lpOrder.findUniqueOrThrow({ where: { clOrdId } });
      expect(o.status).toBe('FILLED');
      return o;
    }, 10_000);
  const closeOrderOf = (positionId: string) => prisma().order.findFirstOrThrow({ where: { closesPositionId: BigInt(positionId) }, orderBy: { id: 'desc' } });

  beforeAll(async () => {
    const port = await freePort();
    sim = new LpSimulator({ port, senderCompId: 'LPAD', targetCompId: 'BROKERAD', mdIntervalMs: 50, execDelayMs: 10, volatility: 0, fileStorePath: path.join(dir, 'sim-store') });
    await sim.start();
    t = await startTestEngine({
      lpsFromDb: true,
      beforeStart: async (db) => {
        const lp = await db.prisma.liquidityProvider.create({
          data: {
            name: 'FIX-AD',
            type: 'FIX',
            priority: 1,
            settings: { host: '127.0.0.1', port, senderCompId: 'BROKERAD', targetCompId: 'LPAD', heartBtInt: 1, logonTimeoutMs: 1000, symbols: ['EUR/USD'], fileStorePath: path.join(dir, 'lp-store'), backoff: { baseMs: 200, factor: 2, maxMs: 1000, jitter: 0 } },
            symbolMap: { 'EUR/USD': 'EURUSD' },
          },
        });
        lpId = lp.id;
      },
    });
    const boss = t.client((await t.login('superadmin@broker.local')).token);
    risk = t.client((await t.login('risk@broker.local')).token);
    await eventually(() => expect(fix().status().state).toBe('CONNECTED'), 20_000);
    await eventually(() => expect(t.running.engine.quoteStore.get('EURUSD')?.lp).toBe('FIX-AD'), 20_000);
    await boss.admin.execution.updateConfig.mutate({ globalMode: 'B_BOOK', cbookAbookShare: '50', maxSlippagePips: '5', lpOrderTimeoutMs: 4000 });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await sim?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an add to an A-Book position goes to its LP and merges at the LP price plus the markup; coverage equals the client volume after the add and the close', async () => {
    await priceAt('1.10000');
    sim.setMode('fill');
    const a = await netting('A_BOOK');
    const before = await coverage();
    const open = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2' });
    expect(open.position!.venue).toBe('ABOOK');
    const positionId = open.position!.id;

    await priceAt('1.10100');
    const add = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.3' });
    expect(add.position!.id).toBe(positionId);
    expect(add.position!.volume.toString()).toBe('0.5');
    expect(add.position!.venue).toBe('ABOOK');
    const sent = await filledLpOrder(`A${add.order.id}`);
    expect([sent.kind, sent.side, d(sent.volume).toString(), d(sent.filledVolume).toString()]).toEqual(['CLIENT', 'BUY', '0.3', '0.3']);
    const addRow = await prisma().order.findUniqueOrThrow({ where: { id: BigInt(add.order.id) } });
    expect(addRow).toMatchObject({ status: 'FILLED', venue: 'ABOOK', routeRule: 'POSITION_VENUE', routeLpId: lpId });
    expect(addRow.positionId?.toString()).toBe(positionId);
    // The client's price: the LP's fill with the markup's half (0.1 pip) on the client's side.
    expect(d(addRow.filledPrice!).toString()).toBe(d(sent.avgPrice!).plus('0.00001').toString());
    const first = await filledLpOrder(`A${open.order.id}`);
    const avg = d(first.avgPrice!).plus('0.00001').times('0.2').plus(d(sent.avgPrice!).plus('0.00001').times('0.3')).div('0.5');
    expect(d(add.position!.openPrice).toDecimalPlaces(5).toString()).toBe(avg.toDecimalPlaces(5).toString());
    expect((await coverage()).minus(before).toString()).toBe('0.5');

    // The close offsets all the client holds, at the LP: nothing is left with the house.
    await a.api.positions.close.mutate({ accountId: a.accountId, positionId });
    const close = await closeOrderOf(positionId);
    expect(close).toMatchObject({ status: 'FILLED', venue: 'ABOOK' });
    expect(d((await filledLpOrder(`C${close.id}`)).filledVolume).toString()).toBe('0.5');
    expect((await coverage()).minus(before).toString()).toBe('0');
  }, 60_000);

  it('a partial close after an add keeps at the LP what stays open', async () => {
    await priceAt('1.10000');
    sim.setMode('fill');
    const a = await netting('A_BOOK');
    const before = await coverage();
    const open = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'SELL', volume: '0.1' });
    await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'SELL', volume: '0.3' });
    expect((await coverage()).minus(before).toString()).toBe('-0.4');
    // A netting reduction books at the platform quote; the LP gets the offset of the reduced volume.
    const reduce = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.25' });
    expect(reduce.position!.volume.toString()).toBe('0.15');
    expect(d((await filledLpOrder(`C${reduce.order.id}`)).volume).toString()).toBe('0.25');
    expect((await coverage()).minus(before).toString()).toBe('-0.15');
    await a.api.positions.close.mutate({ accountId: a.accountId, positionId: open.position!.id });
    const close = await closeOrderOf(open.position!.id);
    expect(d((await filledLpOrder(`C${close.id}`)).filledVolume).toString()).toBe('0.15');
    expect((await coverage()).minus(before).toString()).toBe('0');
  }, 60_000);

  it('an add to a C-Book position fills internally and hedges the configured share of the added volume', async () => {
    await priceAt('1.10000');
    sim.setMode('fill');
    const c = await netting('C_BOOK');
    const before = await coverage();
    const open = await c.api.orders.market.mutate({ accountId: c.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.4' });
    expect(open.position!.venue).toBe('CBOOK');
    await filledLpOrder(`H${open.order.id}`);
    const add = await c.api.orders.market.mutate({ accountId: c.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2' });
    expect(add.position!.volume.toString()).toBe('0.6');
    const platform = t.running.engine.quoteStore.get('EURUSD')!;
    const addRow = await prisma().order.findUniqueOrThrow({ where: { id: BigInt(add.order.id) } });
    expect(d(addRow.filledPrice!).toString()).toBe(platform.ask.toString());
    const hedge = await filledLpOrder(`H${add.order.id}`);
    expect([hedge.kind, hedge.side, d(hedge.volume).toString()]).toEqual(['COVERAGE', 'BUY', '0.1']);
    expect(addRow).toMatchObject({ venue: 'CBOOK', routeRule: 'POSITION_VENUE', routeLpId: lpId });
    expect((await coverage()).minus(before).toString()).toBe('0.3');
    await c.api.positions.close.mutate({ accountId: c.accountId, positionId: open.position!.id });
    const close = await closeOrderOf(open.position!.id);
    expect(d((await filledLpOrder(`C${close.id}`)).volume).toString()).toBe('0.3');
    expect((await coverage()).minus(before).toString()).toBe('0');
  }, 60_000);

  // Last: it stops the LP.
  it('with the position’s LP down an add to an A-Book position is refused with LP_UNAVAILABLE, and the position is unchanged', async () => {
    await priceAt('1.10000');
    sim.setMode('fill');
    const a = await netting('A_BOOK');
    const open = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2' });
    const before = await coverage();
    await sim.stop();
    await eventually(() => expect(fix().status().state).not.toBe('CONNECTED'), 10_000);
    t.running.engine.manual.push('EURUSD', '1.09990', '1.10000');
    await eventually(() => expect(t.running.engine.quoteStore.get('EURUSD')?.lp).not.toBe('FIX-AD'), 10_000);
    expect(await errorCode(a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' }))).toBe('LP_UNAVAILABLE');
    const refused = await prisma().order.findFirstOrThrow({ where: { accountId: a.accountId }, orderBy: { id: 'desc' } });
    expect(refused).toMatchObject({ status: 'REJECTED', rejectCode: 'LP_UNAVAILABLE', venue: 'ABOOK' });
    expect(await prisma().lpOrder.count({ where: { orderId: refused.id } })).toBe(0);
    const [pos] = await a.api.account.positions.query({ accountId: a.accountId });
    expect([pos!.id, pos!.volume.toString(), pos!.venue]).toEqual([open.position!.id, '0.2', 'ABOOK']);
    expect((await coverage()).toString()).toBe(before.toString());
  }, 60_000);
});
