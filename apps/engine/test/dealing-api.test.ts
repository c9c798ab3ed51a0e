// The dealer's desk through tRPC (issue 14): positions and orders across accounts, a close on a client's
// behalf, exposure per symbol against a hand-computed table, the dashboard, reports over a period and the
// symbols' settings changed live.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let admin: ReturnType<TestEngine['client']>;
let superAdmin: ReturnType<TestEngine['client']>;
let support: ReturnType<TestEngine['client']>;
let risk: ReturnType<TestEngine['client']>;
beforeAll(async () => {
  t = await startTestEngine();
  const as = async (email: string) => t.client((await t.login(email)).token);
  admin = await as('admin@broker.local');
  superAdmin = await as('superadmin@broker.local');
  support = await as('support@broker.local');
  risk = await as('risk@broker.local');
});
afterAll(async () => {
  await t?.stop();
});

const d = (v: Decimal.Value) => new Decimal(v);

describe('dealing', () => {
  it('lists positions and orders across accounts, filtered, with live figures; a dealer closes one for the client with a reason', async () => {
    // USDCHF is quoted by this test alone: the filters see only its positions.
    t.quoteTo('USDCHF', '0.90000', '0.90010');
    const a = await t.createTrader({ balance: '10000' });
    const b = await t.createTrader({ balance: '10000' });
    const pa = await t.client(a.token).orders.market.mutate({ accountId: a.accountId, symbol: 'USDCHF', side: 'BUY', volume: '0.3' });
    await t.client(b.token).orders.market.mutate({ accountId: b.accountId, symbol: 'USDCHF', side: 'SELL', volume: '0.1' });
    await t.client(b.token).orders.limit.mutate({ accountId: b.accountId, symbol: 'USDCHF', side: 'BUY', volume: '0.2', price: '0.85000' });
    const all = await support.admin.dealing.positions.query({ symbol: 'USDCHF' });
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => r.accountId).sort()).toEqual([a.accountId, b.accountId].sort());
    expect(all.rows.every((r) => r.currentPrice !== null && r.accountNumber.startsWith('T-'))).toBe(true);
    const onlyA = await support.admin.dealing.positions.query({ accountId: a.accountId });
    expect(onlyA.rows.map((r) => r.id)).toEqual([pa.position!.id]);
    const orders = await support.admin.dealing.orders.query({ symbol: 'USDCHF' });
    expect(orders.rows.map((o) => [o.accountId, o.type, o.price?.toString()])).toEqual([[b.accountId, 'LIMIT', '0.85']]);

    expect(await errorCode(support.admin.dealing.closePosition.mutate({ accountId: a.accountId, positionId: pa.position!.id, reason: 'risk' }))).toBe('FORBIDDEN');
    expect(await errorCode(admin.admin.dealing.closePosition.mutate({ accountId: a.accountId, positionId: pa.position!.id, reason: '' }))).toBe('VALIDATION_ERROR');
    const closed = await risk.admin.dealing.closePosition.mutate({ accountId: a.accountId, positionId: pa.position!.id, volume: '0.1', reason: 'client asked by phone' });
    expect(closed.closedVolume.toString()).toBe('0.1');
    expect(closed.remaining!.volume.toString()).toBe('0.2');
    const trades = await t.client(a.token).account.trades.query({ accountId: a.accountId });
    expect(trades[0]).toMatchObject({ entry: 'CLOSE', closeReason: 'ADMIN' });
    const audit = await support.admin.audit.log.query({ action: 'dealing.close_position', entityId: pa.position!.id });
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actorRole: 'RISK_MANAGER', details: expect.objectContaining({ reason: 'client asked by phone', closedVolume: '0.1' }) });
  });

  it('exposure per symbol equals the hand-computed table', async () => {
    // XAUUSD: contract 100 oz. Mid after markup stays the LP's mid (markup widens both sides equally).
    t.quoteTo('XAUUSD', '2400.00', '2400.50');
    const x = await t.createTrader({ balance: '100000' });
    const y = await t.createTrader({ balance: '100000' });
    const before = (await support.admin.dealing.exposure.query()).rows.find((r) => r.symbol === 'XAUUSD');
    const base = { buy: before?.clientBuyLots ?? d(0), sell: before?.clientSellLots ?? d(0) };
    await t.client(x.token).orders.market.mutate({ accountId: x.accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.5' });
    await t.client(x.token).orders.market.mutate({ accountId: x.accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.25' });
    await t.client(y.token).orders.market.mutate({ accountId: y.accountId, symbol: 'XAUUSD', side: 'SELL', volume: '1' });
    const row = (await support.admin.dealing.exposure.query()).rows.find((r) => r.symbol === 'XAUUSD')!;
    expect(row.clientBuyLots.minus(base.buy).toString()).toBe('0.75');
    expect(row.clientSellLots.minus(base.sell).toString()).toBe('1');
    const net = base.buy.minus(base.sell).plus('-0.25');
    expect(row.clientNetLots.toString()).toBe(net.toString());
    expect(row.houseNetLots.toString()).toBe(net.neg().toString());
    const q = t.running.engine.quoteStore.get('XAUUSD')!;
    const mid = q.bid.plus(q.ask).div(2);
    expect(row.houseNetNotional!.toString()).toBe(net.neg().times(100).times(mid).toDecimalPlaces(2).toString());
    expect(row.housePnl!.toString()).toBe(row.clientUnrealizedPnl!.neg().toString());
  });

  it('pushes the exposure to dealers over Socket.IO when positions change', async () => {
    const dealer = await t.socket((await t.login('risk@broker.local')).token);
    expect(await dealer.emitWithAck('subscribe', { type: 'dealer' })).toMatchObject({ ok: true });
    t.quoteTo('AUDUSD', '0.65000', '0.65010');
    const got = new Promise<{ rows: { symbol: string; clientNetLots: string; houseNetLots: string }[] }>((resolve) =>
      dealer.on('exposure', (e) => {
        if (e.rows.some((r) => r.symbol === 'AUDUSD')) resolve(e);
      }),
    );
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    await t.client(token).orders.market.mutate({ accountId, symbol: 'AUDUSD', side: 'SELL', volume: '0.3' });
    const e = await got;
    const row = e.rows.find((r) => r.symbol === 'AUDUSD')!;
    expect(row).toMatchObject({ clientNetLots: '-0.3', houseNetLots: '0.3' });
    // A client cannot join the dealers' room.
    const client = await t.socket(token);
    expect(await client.emitWithAck('subscribe', { type: 'dealer' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('the dashboard counts today, splits by venue and raises alerts', async () => {
    const dash = await support.admin.dealing.dashboard.query();
    expect(dash.health.status).toBeDefined();
    expect(dash.today.trades).toBeGreaterThanOrEqual(6);
    expect(dash.openPositions).toBeGreaterThanOrEqual(4);
    expect(dash.pendingOrders).toBeGreaterThanOrEqual(1);
    expect(dash.split.map((s) => s.venue)).toEqual(['BBOOK', 'ABOOK', 'CBOOK']);
    expect(dash.split[0]!.positions).toBe(dash.openPositions);
    // Symbols nobody has quoted in this engine have no price: a dealer sees it.
    expect(dash.alerts.some((a) => a.kind === 'NO_PRICE' && a.symbol === 'ETHUSD')).toBe(true);
  });
});

describe('reports', () => {
  it('totals trades, volume, commissions and P&L by day, client, symbol and venue over a period', async () => {
    const from = new Date(Date.now() - 60_000);
    t.quoteTo('GBPUSD', '1.27000', '1.27010');
    const z = await t.createTrader({ balance: '10000' });
    const api = t.client(z.token);
    const o = await api.orders.market.mutate({ accountId: z.accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.2' });
    await api.positions.close.mutate({ accountId: z.accountId, positionId: o.position!.id });
    const to = new Date(Date.now() + 60_000);
    const r = await support.admin.reports.report.query({ from, to, accountId: z.accountId });
    const trades = await api.account.trades.query({ accountId: z.accountId });
    expect(r.totals.trades).toBe(2);
    expect(r.totals.volumeLots.toString()).toBe('0.4');
    expect(r.totals.commissions.toString()).toBe(trades.reduce((s, x) => s.plus(x.commission), d(0)).toString());
    expect(r.totals.realizedPnl.toString()).toBe(trades.reduce((s, x) => s.plus(x.realizedPnl ?? 0), d(0)).toString());
    expect(r.byDay).toHaveLength(1);
    expect(r.byDay[0]!.day).toBe(new Date().toISOString().slice(0, 10));
    expect(r.bySymbol.map((s) => s.symbol)).toEqual(['GBPUSD']);
    const account = await t.database.db.prisma.account.findUniqueOrThrow({ where: { id: z.accountId }, include: { user: true } });
    expect(r.byClient.map((c) => [c.accountId, c.accountNumber, c.clientName])).toEqual([[z.accountId, account.accountNumber, account.user.name]]);
    // The routing report's client rows (issue 14): the account's number and the client's name beside the id.
    const routing = await support.admin.execution.report.query({ from, to });
    expect(routing.byClient.filter((c) => c.accountId === z.accountId)).toEqual([
      { key: String(z.accountId), venue: 'BBOOK', accountId: z.accountId, accountNumber: account.accountNumber, clientName: account.user.name, orders: 1, lots: expect.anything() },
    ]);
    expect(routing.byClient.find((c) => c.accountId === z.accountId)!.lots.toString()).toBe('0.2');
    expect(r.byVenue).toEqual([{ venue: 'BBOOK', trades: 2, volumeLots: expect.anything() }]);
    expect(await errorCode(support.admin.reports.report.query({ from: to, to: from }))).toBe('VALIDATION_ERROR');
  });
});

describe('symbols', () => {
  it('a changed markup prices the next quote, audited with before and after; only SUPER_ADMIN changes settings', async () => {
    const list = await support.admin.symbols.list.query();
    const eurgbp = list.find((s) => s.name === 'EURGBP')!;
    expect(eurgbp.markupPips.toString()).toBe('0.2');
    for (const api of [admin, risk, support]) expect(await errorCode(api.admin.symbols.update.mutate({ name: 'EURGBP', markupPips: '1' }))).toBe('FORBIDDEN');
    expect(await errorCode(superAdmin.admin.symbols.update.mutate({ name: 'EURGBP', minVolume: '200' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(superAdmin.admin.symbols.update.mutate({ name: 'NOPE', markupPips: '1' }))).toBe('UNKNOWN_SYMBOL');
    const after = await superAdmin.admin.symbols.update.mutate({ name: 'EURGBP', markupPips: '2', commissionPerLot: '5.5' });
    expect(after.markupPips.toString()).toBe('2');
    t.quoteTo('EURGBP', '0.85000', '0.85010');
    const q = (await support.market.quotes.query({ symbols: ['EURGBP'] }))[0]!;
    // 2 pips of markup, 1 on each side: 0.84990 / 0.85020.
    expect([q.bid.toString(), q.ask.toString()]).toEqual(['0.8499', '0.8502']);
    const audit = (await support.admin.audit.log.query({ action: 'symbol.update', entityId: 'EURGBP' })).rows[0]!;
    expect(audit.details).toMatchObject({ before: { markupPips: '0.2', commissionPerLot: eurgbp.commissionPerLot.toString() }, after: { markupPips: '2', commissionPerLot: '5.5' } });
    // The trader's next order pays the new commission: 0.1 lot × 5.5.
    const c = await t.createTrader({ balance: '10000' });
    const o = await t.client(c.token).orders.market.mutate({ accountId: c.accountId, symbol: 'EURGBP', side: 'BUY', volume: '0.1' });
    expect(o.position!.commission.toFixed(2)).toBe('0.55');
  });
});
