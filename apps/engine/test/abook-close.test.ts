// Closing A-Book and C-Book positions against the FIX 4.4 LP simulator over TCP (issue 11): a trader's close of
// an A-Book position is an IOC order to the LP (`C<close order id>`) booked at the LP's fill with the markup; a
// C-Book close offsets the hedged share; an LP reject leaves the position open with the LP's reason, no answer
// fails the close with LP_TIMEOUT and the LP order is UNKNOWN for dealers; an SL books at the platform quote at
// once and the offset follows, as do a stop out and a netting order's reduction; with the LP down a close books
// at the platform quote and the coverage left is the house's, told to dealers. Then the acceptance test:
// exposure after a mixed sequence of B-, A- and C-Book trades, partial and full closes equals a hand-computed
// table, and the coverage reconciles with the LP's fills. The simulator's prices do not walk (volatility 0): the
// test moves them.
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

describe.skipIf(!loaded.ok)(`closing A-Book and C-Book positions at a FIX LP${loaded.ok ? '' : ` (skipped: ${loaded.reason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'abook-close-'));
  let sim: LpSimulator;
  let t: TestEngine;
  let boss: ReturnType<TestEngine['client']>;
  let risk: ReturnType<TestEngine['client']>;
  let lpId: number;
  const prisma = () => t.database.db.prisma;
  const fix = () => t.running.engine.lpManager.adapter('FIX-CL') as FixLp;

  /** Moves the LP's mid and waits until the platform quote shows it (markup 0.2 pip: 0.1 pip each side). */
  async function priceAt(symbol: 'EUR/USD' | 'GBP/USD', mid: string) {
    sim.setMid(symbol, Number(mid));
    const q = sim.quote(symbol)!;
    const platform = symbol.replace('/', '');
    await eventually(() => expect(t.running.engine.quoteStore.get(platform)?.bid.toString()).toBe(d(q.bid).minus('0.00001').toString()), 10_000);
  }

  async function trader(mode: 'A_BOOK' | 'B_BOOK' | 'C_BOOK') {
    const tr = await t.createTrader({ balance: '100000', marginMode: 'HEDGING' });
    await risk.admin.execution.setOverride.mutate({ accountId: tr.accountId, mode, reason: `test ${mode}` });
    return { ...tr, api: t.client(tr.token) };
  }

  const lpOrder = (clOrdId: string) => prisma().lpOrder.findUniqueOrThrow({ where: { clOrdId } });
  const filledLpOrder = (clOrdId: string) =>
    eventually(async () => {
      const o = await lpOrder(clOrdId);
      expect(o.status).toBe('FILLED');
      return o;
    }, 10_000);
  /** The close order of a position (the latest one). */
  const closeOrderOf = (positionId: string) => prisma().order.findFirstOrThrow({ where: { closesPositionId: BigInt(positionId) }, orderBy: { id: 'desc' } });

  beforeAll(async () => {
    const port = await freePort();
    sim = new LpSimulator({ port, senderCompId: 'LPCL', targetCompId: 'BROKERCL', mdIntervalMs: 50, execDelayMs: 10, volatility: 0, fileStorePath: path.join(dir, 'sim-store') });
    await sim.start();
    t = await startTestEngine({
      lpsFromDb: true,
      beforeStart: async (db) => {
        const lp = await db.prisma.liquidityProvider.create({
          data: {
            name: 'FIX-CL',
            type: 'FIX',
            priority: 1,
            settings: { host: '127.0.0.1', port, senderCompId: 'BROKERCL', targetCompId: 'LPCL', heartBtInt: 1, logonTimeoutMs: 1000, symbols: ['EUR/USD', 'GBP/USD'], fileStorePath: path.join(dir, 'lp-store'), backoff: { baseMs: 200, factor: 2, maxMs: 1000, jitter: 0 } },
            symbolMap: { 'EUR/USD': 'EURUSD', 'GBP/USD': 'GBPUSD' },
          },
        });
        lpId = lp.id;
      },
    });
    boss = t.client((await t.login('superadmin@broker.local')).token);
    risk = t.client((await t.login('risk@broker.local')).token);
    await eventually(() => expect(fix().status().state).toBe('CONNECTED'), 20_000);
    await eventually(() => expect(t.running.engine.quoteStore.get('EURUSD')?.lp).toBe('FIX-CL'), 20_000);
    await eventually(() => expect(t.running.engine.quoteStore.get('GBPUSD')?.lp).toBe('FIX-CL'), 20_000);
    await boss.admin.execution.updateConfig.mutate({ globalMode: 'B_BOOK', cbookAbookShare: '50', maxSlippagePips: '5', lpOrderTimeoutMs: 4000 });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await sim?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an LP reject leaves the A-Book position open with the LP reason; no answer fails the close with LP_TIMEOUT and shows the LP order to dealers', async () => {
    await priceAt('GBP/USD', '1.26500');
    sim.setMode('fill');
    const a = await trader('A_BOOK');
    const open = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.2' });
    const positionId = open.position!.id;

    sim.setMode('reject');
    const rej = (await a.api.positions.close.mutate({ accountId: a.accountId, positionId }).catch((e: unknown) => e)) as { message: string; data: { appCode: string } };
    expect(rej.data.appCode).toBe('LP_REJECTED');
    expect(rej.message).toContain('Rejected by LP simulator');
    const rejected = await closeOrderOf(positionId);
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectCode: 'LP_REJECTED', venue: 'ABOOK' });
    expect(await lpOrder(`C${rejected.id}`)).toMatchObject({ status: 'REJECTED', kind: 'CLIENT', side: 'SELL' });

    sim.setMode('silent');
    expect(await errorCode(a.api.positions.close.mutate({ accountId: a.accountId, positionId, volume: '0.1' }))).toBe('LP_TIMEOUT');
    const timedOut = await closeOrderOf(positionId);
    expect(timedOut).toMatchObject({ status: 'EXPIRED', rejectCode: 'LP_TIMEOUT' });
    const unknown = await risk.admin.execution.lpOrders.query({ status: 'UNKNOWN' });
    expect(unknown.map((o) => o.clOrdId)).toContain(`C${timedOut.id}`);
    sim.setMode('fill');

    // Both times the position stayed open, whole, and the balance did not move.
    const [pos] = (await a.api.account.positions.query({ accountId: a.accountId })).filter((p) => p.id === positionId);
    expect(pos!.volume.toString()).toBe('0.2');
    const summary = await a.api.account.summary.query({ accountId: a.accountId });
    expect(summary.balance.toString()).toBe(d(100000).minus(d('1.4')).toString()); // commission 7/lot × 0.2
  });

  it('an SL of an A-Book position closes at the platform quote at once, even with the LP silent; its offset goes to the LP as coverage', async () => {
    await priceAt('GBP/USD', '1.26500');
    sim.setMode('fill');
    const a = await trader('A_BOOK');
    const platform = t.running.engine.quoteStore.get('GBPUSD')!;
    const open = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.1', sl: platform.bid.minus('0.0005').toString() });
    const positionId = open.position!.id;
    const covBefore = d((await prisma().coveragePosition.findUniqueOrThrow({ where: { lpId_symbol: { lpId, symbol: 'GBPUSD' } } })).netVolume);

    // The LP stops answering, and the price falls through the stop.
    sim.setMode('silent');
    await priceAt('GBP/USD', '1.26400');
    const bid = t.running.engine.quoteStore.get('GBPUSD')!.bid;
    const closed = await eventually(async () => {
      const p = await prisma().position.findUniqueOrThrow({ where: { id: BigInt(positionId) } });
      expect(p.status).toBe('CLOSED');
      return p;
    }, 10_000);
    expect(closed.closeReason).toBe('SL_HIT');
    expect(d(closed.closePrice!).toString()).toBe(bid.toString());
    // The offset: the house's own order, sent after the client's close, unanswered → UNKNOWN for dealers.
    const closeOrder = await closeOrderOf(positionId);
    expect(closeOrder).toMatchObject({ status: 'FILLED', venue: 'ABOOK', comment: 'SL_HIT' });
    const offset = await eventually(async () => {
      const o = await lpOrder(`C${closeOrder.id}`);
      expect(o.status).toBe('UNKNOWN');
      return o;
    }, 10_000);
    expect(offset).toMatchObject({ kind: 'COVERAGE', side: 'SELL' });
    expect(d(offset.volume).toString()).toBe('0.1');
    // Nothing was filled: the coverage is still what it was, the house's to offset.
    expect(d((await prisma().coveragePosition.findUniqueOrThrow({ where: { lpId_symbol: { lpId, symbol: 'GBPUSD' } } })).netVolume).toString()).toBe(covBefore.toString());
    sim.setMode('fill');
  });

  it('a stop out of an A-Book position closes at the platform quote and offsets the volume at the LP after', async () => {
    await priceAt('GBP/USD', '1.26500');
    sim.setMode('fill');
    const tr = await t.createTrader({ balance: '500', marginMode: 'HEDGING' });
    await risk.admin.execution.setOverride.mutate({ accountId: tr.accountId, mode: 'A_BOOK', reason: 'test stop out' });
    // Margin 0.1 × 100,000 × ~1.265 × 3.33% ≈ 421 against ~499 of equity.
    const open = await t.client(tr.token).orders.market.mutate({ accountId: tr.accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.1' });
    // 3.5 cents down: ~350 lost, equity ~149, margin level ~35% — below the 50% stop out.
    await priceAt('GBP/USD', '1.23000');
    const bid = t.running.engine.quoteStore.get('GBPUSD')!.bid;
    const closed = await eventually(async () => {
      const p = await prisma().position.findUniqueOrThrow({ where: { id: BigInt(open.position!.id) } });
      expect(p.status).toBe('CLOSED');
      return p;
    }, 15_000);
    expect([closed.closeReason, d(closed.closePrice!).toString()]).toEqual(['STOP_OUT', bid.toString()]);
    const offset = await filledLpOrder(`C${(await closeOrderOf(open.position!.id)).id}`);
    expect([offset.kind, offset.side, d(offset.volume).toString(), d(offset.avgPrice!).toString()]).toEqual(['COVERAGE', 'SELL', '0.1', bid.plus('0.00001').toString()]);
  });

  it('a netting order that reduces an A-Book position fills where it is and offsets the reduced volume at the LP', async () => {
    await priceAt('GBP/USD', '1.26500');
    sim.setMode('fill');
    const tr = await t.createTrader({ balance: '100000', marginMode: 'NETTING' });
    await risk.admin.execution.setOverride.mutate({ accountId: tr.accountId, mode: 'A_BOOK', reason: 'test netting' });
    const api = t.client(tr.token);
    const open = await api.orders.market.mutate({ accountId: tr.accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.3' });
    expect(open.position!.venue).toBe('ABOOK');
    const reduce = await api.orders.market.mutate({ accountId: tr.accountId, symbol: 'GBPUSD', side: 'SELL', volume: '0.1' });
    expect(reduce.position!.volume.toString()).toBe('0.2');
    const offset = await filledLpOrder(`C${reduce.order.id}`);
    expect([offset.kind, offset.side, d(offset.volume).toString()]).toEqual(['COVERAGE', 'SELL', '0.1']);
    // What is left at the LP for it is what stays open: the full close sends the other 0.2.
    const close = await api.orders.market.mutate({ accountId: tr.accountId, symbol: 'GBPUSD', side: 'SELL', volume: '0.2' });
    expect(close.position).toBeNull();
    expect(d((await filledLpOrder(`C${close.order.id}`)).volume).toString()).toBe('0.2');
  });

  it('exposure after a mixed sequence of client trades and hedges equals a hand-computed table, and the coverage reconciles with the LP fills', async () => {
    sim.setMode('fill');
    // P0: LP EUR/USD 1.08495 / 1.08505, platform (markup 0.2 pip) 1.08494 / 1.08506.
    await priceAt('EUR/USD', '1.08500');
    const b = await trader('B_BOOK');
    const a = await trader('A_BOOK');
    const c = await trader('C_BOOK');
    const a2 = await trader('A_BOOK');
    const s = await trader('B_BOOK');
    const order = (tr: typeof b, side: 'BUY' | 'SELL', volume: string) => tr.api.orders.market.mutate({ accountId: tr.accountId, symbol: 'EURUSD', side, volume });

    const bOpen = await order(b, 'BUY', '1'); // B-Book at the ask 1.08506
    const aOpen = await order(a, 'BUY', '2'); // LP BUY 2 @1.08505, client 1.08506
    const cOpen = await order(c, 'BUY', '1'); // internal 1.08506; hedge LP BUY 0.5 @1.08505
    await filledLpOrder(`H${cOpen.order.id}`);
    const a2Open = await order(a2, 'SELL', '0.3'); // LP SELL 0.3 @1.08495, client 1.08494
    await order(s, 'SELL', '0.5'); // B-Book at the bid 1.08494
    expect([bOpen, aOpen, cOpen, a2Open].map((o) => [o.position!.venue, o.position!.openPrice.toString()])).toEqual([
      ['BBOOK', '1.08506'],
      ['ABOOK', '1.08506'],
      ['CBOOK', '1.08506'],
      ['ABOOK', '1.08494'],
    ]);

    // P1: LP 1.08595 / 1.08605, platform 1.08594 / 1.08606.
    await priceAt('EUR/USD', '1.08600');
    // A closes 0.5 of 2 at the LP: SELL 0.5 @1.08595, the client gets 1.08595 − 0.00001 = 1.08594.
    const aClose = await a.api.positions.close.mutate({ accountId: a.accountId, positionId: aOpen.position!.id, volume: '0.5' });
    expect([aClose.closePrice.toString(), aClose.realizedPnl.toString()]).toEqual(['1.08594', '44']); // 0.00088 × 50,000
    const aCloseOrder = await closeOrderOf(aOpen.position!.id);
    expect(aCloseOrder).toMatchObject({ status: 'FILLED', venue: 'ABOOK' });
    expect(await lpOrder(`C${aCloseOrder.id}`)).toMatchObject({ kind: 'CLIENT', side: 'SELL', status: 'FILLED' });
    // C closes 0.4 of 1 on the house's book at the bid 1.08594; of its hedge 0.5, 0.6 × 50% = 0.3 stays:
    // LP SELL 0.2 @1.08595 after.
    const cClose = await c.api.positions.close.mutate({ accountId: c.accountId, positionId: cOpen.position!.id, volume: '0.4' });
    expect(cClose.closePrice.toString()).toBe('1.08594');
    const cOffset = await filledLpOrder(`C${(await closeOrderOf(cOpen.position!.id)).id}`);
    expect([cOffset.kind, cOffset.side, d(cOffset.volume).toString(), d(cOffset.avgPrice!).toString()]).toEqual(['COVERAGE', 'SELL', '0.2', '1.08595']);
    // B closes in full on the B-Book: nothing goes to the LP.
    await b.api.positions.close.mutate({ accountId: b.accountId, positionId: bOpen.position!.id });
    expect(await prisma().lpOrder.count({ where: { order: { closesPositionId: BigInt(bOpen.position!.id) } } })).toBe(0);

    const table = await risk.admin.dealing.exposure.query();
    const row = table.rows.find((r) => r.symbol === 'EURUSD')!;
    const money = (v: Decimal | null) => v?.toFixed(2) ?? null;
    expect({
      clientBuy: row.clientBuyLots.toString(),
      clientSell: row.clientSellLots.toString(),
      clientNet: row.clientNetLots.toString(),
      coverage: row.coverageNetLots.toString(),
      houseNet: row.houseNetLots.toString(),
      houseNotional: money(row.houseNetNotional),
      clientPnl: money(row.clientUnrealizedPnl),
      coveragePnl: money(row.coverageUnrealizedPnl),
      housePnl: money(row.housePnl),
      positions: row.positions,
      accounts: row.accounts,
    }).toEqual({
      // Open: A BUY 1.5 @1.08506 (A-Book), C BUY 0.6 @1.08506 (C-Book), A2 SELL 0.3 @1.08494 (A-Book),
      // S SELL 0.5 @1.08494 (B-Book): buys 2.1, sells 0.8, net 1.3.
      clientBuy: '2.1',
      clientSell: '0.8',
      clientNet: '1.3',
      // LP fills: +2 (A) +0.5 (C's hedge) −0.3 (A2) −0.5 (A's close) −0.2 (C's offset) = 1.5, long @1.08505 (the
      // sells only reduced it). Equally: A-Book 1.5 − 0.3 = 1.2, plus C's hedge left 0.3.
      coverage: '1.5',
      // 1.5 − 1.3 = 0.2 (= S's 0.5 the house took, minus C's 0.6, plus C's hedge 0.3).
      houseNet: '0.2',
      // A lot is 100,000 EUR at the EURUSD mid 1.08600: 0.2 × 108,600.
      houseNotional: '21720.00',
      // At 1.08594 / 1.08606: A 0.00088 × 150,000 = 132; C 0.00088 × 60,000 = 52.80; A2 −0.00112 × 30,000 =
      // −33.60; S −0.00112 × 50,000 = −56 → 95.20.
      clientPnl: '95.20',
      // Coverage long 1.5 @1.08505 at the bid 1.08594: 0.00089 × 150,000 = 133.50.
      coveragePnl: '133.50',
      // 133.50 − 95.20.
      housePnl: '38.30',
      positions: 4,
      accounts: 4,
    });
    // The totals are the rows' sums.
    const sum = (k: 'clientUnrealizedPnl' | 'coverageUnrealizedPnl' | 'housePnl') => table.rows.reduce((n, r) => n.plus(r[k]!), d(0)).toFixed(2);
    expect([money(table.total.clientUnrealizedPnl), money(table.total.coverageUnrealizedPnl), money(table.total.housePnl)]).toEqual([sum('clientUnrealizedPnl'), sum('coverageUnrealizedPnl'), sum('housePnl')]);

    // Books and coverage reconcile: the LP's coverage is the sum of its fills, in lp_orders and in the execution
    // reports it sent. Realized on the coverage: A2 −0.0001 × 0.3 × 100,000 = −3; A's close +0.0009 × 0.5 ×
    // 100,000 = 45; C's offset +0.0009 × 0.2 × 100,000 = 18 → 60.
    const cov = await prisma().coveragePosition.findUniqueOrThrow({ where: { lpId_symbol: { lpId, symbol: 'EURUSD' } } });
    expect([d(cov.netVolume).toString(), d(cov.avgPrice).toString(), d(cov.realizedPnl).toString()]).toEqual(['1.5', '1.08505', '60']);
    const fills = await prisma().lpOrder.findMany({ where: { lpId, symbol: 'EURUSD' } });
    const signed = (side: string, v: Decimal) => (side === 'BUY' ? v : v.neg());
    expect(fills.reduce((n, o) => n.plus(signed(o.side, d(o.filledVolume))), d(0)).toString()).toBe('1.5');
    const sides = new Map(fills.map((o) => [o.clOrdId, o.side]));
    const reports = await prisma().executionReport.findMany({ where: { lpId, clOrdId: { in: [...sides.keys()] } } });
    const reported = reports.reduce((n, r) => {
      const f = r.fields as { volume?: string };
      return f.volume ? n.plus(signed(sides.get(r.clOrdId)!, d(f.volume))) : n;
    }, d(0));
    expect(reported.toString()).toBe('1.5');
    // Every client's A-Book volume is matched at the LP: open A-Book lots = the LP's CLIENT fills net of closes.
    const abook = (await prisma().position.findMany({ where: { symbol: 'EURUSD', status: 'OPEN', venue: 'ABOOK' } })).reduce((n, p) => n.plus(signed(p.side, d(p.volume))), d(0));
    expect(abook.toString()).toBe(fills.filter((o) => o.kind === 'CLIENT').reduce((n, o) => n.plus(signed(o.side, d(o.filledVolume))), d(0)).toString());
  }, 90_000);

  // Last: it stops the LP.
  it('with the LP down an A-Book close books at the platform quote, and the coverage it leaves is the house’s, told to dealers', async () => {
    await priceAt('GBP/USD', '1.26500');
    sim.setMode('fill');
    const a = await trader('A_BOOK');
    const open = await a.api.orders.market.mutate({ accountId: a.accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.1' });
    const coverage = async () => d((await prisma().coveragePosition.findUniqueOrThrow({ where: { lpId_symbol: { lpId, symbol: 'GBPUSD' } } })).netVolume).toString();
    const before = await coverage();
    const dealer = await t.socket((await t.login('risk@broker.local')).token);
    expect(await dealer.emitWithAck('subscribe', { type: 'dealer' })).toMatchObject({ ok: true });
    const alert = new Promise<{ kind: string; message: string }>((resolve) => dealer.on('alert', (e) => e.kind === 'COVERAGE_NOT_OFFSET' && resolve(e)));

    await sim.stop();
    await eventually(() => expect(fix().status().state).not.toBe('CONNECTED'), 10_000);
    // A dealer's quote keeps the symbol priced while the LP is away.
    t.running.engine.manual.push('GBPUSD', '1.26400', '1.26410');
    const platform = await eventually(() => {
      const q = t.running.engine.quoteStore.get('GBPUSD');
      expect(q?.lp).not.toBe('FIX-CL');
      return q!;
    }, 10_000);
    const res = await a.api.positions.close.mutate({ accountId: a.accountId, positionId: open.position!.id });
    expect(res.closePrice.toString()).toBe(platform.bid.toString());
    const closeOrder = await closeOrderOf(open.position!.id);
    expect(closeOrder).toMatchObject({ status: 'FILLED', venue: 'BBOOK', routeRule: 'LP_DOWN_FALLBACK' });
    expect(await prisma().lpOrder.count({ where: { orderId: closeOrder.id } })).toBe(0);
    expect(await coverage()).toBe(before);
    expect((await alert).message).toContain('0.1 lots of its coverage stay with FIX-CL');
    dealer.close();
  }, 90_000);
});
