// Issue acceptance 1: simultaneous market orders against one account's free margin. Runs against real
// PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise (startTestEngine picks).
//
// The oracle is trading-rules.md, not the engine's own code: a BUY of volume v fills at the marked-up ask;
// it adds margin v·contract·ask·max(1/leverage, marginPercent/100), books commission round2(v·commission/lot)
// and, valued at the bid, shows an unrealized loss of (ask − bid)·contract·v in equity. With every order the
// same and the quote still, order k fits iff deposit − k·cost ≥ 0, so exactly N = floor(deposit / cost) fill.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';
import { appCodeOf, createTraders, reconcile, type Api } from './load/fixtures.ts';

let t: TestEngine;
let admin: Api;

beforeAll(async () => {
  t = await startTestEngine();
  admin = t.client((await t.login('superadmin@broker.local')).token);
});
afterAll(async () => {
  await t?.stop();
});

const round2 = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

interface Scenario {
  symbol: string;
  rawBid: string;
  rawAsk: string;
  volume: string;
  leverage: number;
  /** How many orders the deposit should carry. */
  target: number;
}

/** The quote clients see and what one BUY costs in free margin, from the symbol's stored spec. */
async function oracle(s: Scenario) {
  const spec = await t.database.db.prisma.symbol.findUniqueOrThrow({ where: { name: s.symbol } });
  const half = new Decimal(spec.markupPips.toString()).times(spec.pipSize.toString()).div(2);
  const bid = new Decimal(s.rawBid).minus(half).toDecimalPlaces(spec.digits, Decimal.ROUND_HALF_UP);
  const ask = new Decimal(s.rawAsk).plus(half).toDecimalPlaces(spec.digits, Decimal.ROUND_HALF_UP);
  const v = new Decimal(s.volume);
  const cs = new Decimal(spec.contractSize.toString());
  const ratio = Decimal.max(new Decimal(1).div(s.leverage), new Decimal(spec.marginPercent.toString()).div(100));
  const margin = v.times(cs).times(ask).times(ratio);
  const commission = round2(v.times(spec.commissionPerLot.toString()));
  const spreadLoss = ask.minus(bid).times(cs).times(v);
  const cost = margin.plus(commission).plus(spreadLoss);
  // Half an order of slack above N orders, so neither rounding nor a tie decides the count.
  const deposit = round2(cost.times(s.target).plus(cost.div(2)));
  const n = deposit.div(cost).floor().toNumber();
  return { bid, ask, margin, commission, spreadLoss, cost, deposit, n };
}

/** A fresh trader whose only money is a deposit made through the engine (admin.finance.deposit). */
async function fundedTrader(prefix: string, marginMode: 'HEDGING' | 'NETTING', leverage: number, deposit: Decimal) {
  const [trader] = await createTraders(t.database.db.prisma, { count: 1, prefix, deposit: '0', marginMode, leverage });
  const finance = t.client((await t.login('admin@broker.local')).token);
  await finance.admin.finance.deposit.mutate({ accountId: trader!.accountId, amount: deposit, method: 'BANK_TRANSFER', reference: `${prefix}-funding` });
  const { token } = await t.login(trader!.email);
  return { accountId: trader!.accountId, api: t.client(token) };
}

/** Fires `count` market BUYs at once; resolves to the filled order ids and every reject code. */
async function burst(api: Api, accountId: number, s: Scenario, count: number, keyPrefix: string) {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      api.orders.market.mutate({ accountId, symbol: s.symbol, side: 'BUY', volume: s.volume, idempotencyKey: `${keyPrefix}-${i}` }),
    ),
  );
  const filled: string[] = [];
  const codes: Record<string, number> = {};
  for (const r of results) {
    if (r.status === 'fulfilled') filled.push(r.value.order.id);
    else {
      const code = appCodeOf(r.reason) ?? `UNEXPECTED: ${(r.reason as Error).message}`;
      codes[code] = (codes[code] ?? 0) + 1;
    }
  }
  return { filled, codes };
}

async function ledgerOf(accountId: number) {
  return t.database.db.prisma.ledgerEntry.findMany({ where: { accountId }, orderBy: { id: 'asc' } });
}

/** Everything the issue asks of one account after a burst. */
async function expectBooksFor(accountId: number, s: Scenario, o: Awaited<ReturnType<typeof oracle>>, filled: string[], mode: 'HEDGING' | 'NETTING') {
  const prisma = t.database.db.prisma;
  const n = o.n;
  const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  const ledger = await ledgerOf(accountId);
  // balance == sum(ledger.amount); every row balanceAfter == balanceBefore + amount; rows chain.
  let sum = new Decimal(0);
  let prev = new Decimal(0);
  for (const r of ledger) {
    const before = new Decimal(r.balanceBefore.toString());
    expect(before.plus(r.amount.toString()).eq(r.balanceAfter.toString()), `ledger row ${r.id}`).toBe(true);
    expect(before.eq(prev), `ledger row ${r.id} starts where the previous ended`).toBe(true);
    prev = new Decimal(r.balanceAfter.toString());
    sum = sum.plus(r.amount.toString());
  }
  expect(new Decimal(account.balance.toString()).eq(sum)).toBe(true);
  expect(ledger.map((r) => r.type)).toEqual(['DEPOSIT', ...Array(n).fill('COMMISSION')]);
  expect(sum.eq(o.deposit.minus(o.commission.times(n)))).toBe(true);

  // Orders: N FILLED (the acknowledged ones), the rest REJECTED with INSUFFICIENT_MARGIN.
  const orders = await prisma.order.findMany({ where: { accountId }, orderBy: { id: 'asc' } });
  const filledRows = orders.filter((r) => r.status === 'FILLED');
  const rejectedRows = orders.filter((r) => r.status === 'REJECTED');
  expect(filledRows.map((r) => r.id.toString()).sort()).toEqual([...filled].sort());
  expect(rejectedRows).toHaveLength(100 - n);
  expect(new Set(rejectedRows.map((r) => r.rejectCode))).toEqual(new Set(100 - n ? ['INSUFFICIENT_MARGIN'] : []));
  for (const r of filledRows) expect(r.filledPrice!.toString()).toBe(o.ask.toString());
  // One writer: the fills ran first, then every reject (ids come from one sequence, in command order).
  if (rejectedRows.length) expect(filledRows.at(-1)!.id < rejectedRows[0]!.id).toBe(true);

  // Positions and trades: each fill has its trade; hedging opens N positions, netting grows one.
  const positions = await prisma.position.findMany({ where: { accountId } });
  const trades = await prisma.trade.findMany({ where: { accountId } });
  expect(trades).toHaveLength(n);
  expect(new Set(trades.map((x) => x.orderId.toString()))).toEqual(new Set(filled));
  if (mode === 'HEDGING') {
    expect(positions).toHaveLength(n);
    for (const p of positions) {
      expect(filledRows.filter((r) => r.positionId === p.id)).toHaveLength(1);
      expect(trades.filter((x) => x.positionId === p.id && x.entry === 'OPEN')).toHaveLength(1);
      expect(new Decimal(p.margin.toString()).eq(o.margin)).toBe(true);
    }
  } else {
    expect(positions).toHaveLength(n ? 1 : 0);
    if (n) {
      expect(new Decimal(positions[0]!.volume.toString()).eq(new Decimal(s.volume).times(n))).toBe(true);
      expect(new Decimal(positions[0]!.margin.toString()).eq(o.margin.times(n))).toBe(true);
      for (const r of filledRows) expect(r.positionId).toBe(positions[0]!.id);
    }
  }
  expect(await reconcile(prisma, [accountId])).toEqual([]);
}

/** The engine's memory agrees with the database, and one more order would not fit. */
async function expectFigures(api: Api, accountId: number, o: Awaited<ReturnType<typeof oracle>>) {
  const db = await t.database.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  const summary = await api.account.summary.query({ accountId });
  expect(summary.balance.eq(db.balance.toString())).toBe(true);
  expect(summary.freeMargin.gte(0)).toBe(true);
  expect(summary.freeMargin.lt(o.cost)).toBe(true);
}

describe('simultaneous market orders from one account', () => {
  const s: Scenario = { symbol: 'BTCUSD', rawBid: '30000.00', rawAsk: '30010.00', volume: '0.01', leverage: 100, target: 37 };

  it('100 at once whose free margin covers exactly N: N fill, the rest get INSUFFICIENT_MARGIN, the books reconcile', async () => {
    const o = await oracle(s);
    expect(o.n).toBe(s.target);
    // 0.01 BTC at 30010: margin 150.05 (50%), commission 0.10, spread 0.10 → 150.25 a fill.
    expect(o.cost.toString()).toBe('150.25');
    await admin.admin.risk.pushQuote.mutate({ symbol: s.symbol, bid: new Decimal(s.rawBid), ask: new Decimal(s.rawAsk) });
    const { accountId, api } = await fundedTrader('conc-a', 'HEDGING', s.leverage, o.deposit);

    const { filled, codes } = await burst(api, accountId, s, 100, 'conc-a');

    expect(filled).toHaveLength(o.n);
    expect(codes).toEqual({ INSUFFICIENT_MARGIN: 100 - o.n });
    await expectBooksFor(accountId, s, o, filled, 'HEDGING');
    await expectFigures(api, accountId, o);
  });

  it('replaying the whole burst with the same keys fills nothing new', async () => {
    const accountId = (await t.database.db.prisma.account.findUniqueOrThrow({ where: { accountNumber: 'LD-conc-a-0' } })).id;
    const before = await t.database.db.prisma.order.count({ where: { accountId } });
    const { token } = await t.login('conc-a0@load.local');
    const api = t.client(token);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => api.orders.market.mutate({ accountId, symbol: s.symbol, side: 'BUY', volume: s.volume, idempotencyKey: `conc-a-${i}` })),
    );
    const replayedFills = results.filter((r) => r.status === 'fulfilled' && r.value.replayed).length;
    const replayedRejects = results.filter((r) => r.status === 'rejected' && appCodeOf(r.reason) === 'INSUFFICIENT_MARGIN').length;
    expect(replayedFills).toBe(s.target);
    expect(replayedRejects).toBe(100 - s.target);
    expect(await t.database.db.prisma.order.count({ where: { accountId } })).toBe(before);
  });
});

describe('two accounts hammering at once', () => {
  it('do not interfere: each gets exactly its own N, a hedging and a netting account on different symbols', async () => {
    const a: Scenario = { symbol: 'XAUUSD', rawBid: '2300.00', rawAsk: '2300.40', volume: '0.02', leverage: 100, target: 23 };
    const b: Scenario = { symbol: 'EURUSD', rawBid: '1.10000', rawAsk: '1.10002', volume: '0.05', leverage: 100, target: 61 };
    const oa = await oracle(a);
    const ob = await oracle(b);
    expect([oa.n, ob.n]).toEqual([a.target, b.target]);
    await admin.admin.risk.pushQuote.mutate({ symbol: a.symbol, bid: new Decimal(a.rawBid), ask: new Decimal(a.rawAsk) });
    await admin.admin.risk.pushQuote.mutate({ symbol: b.symbol, bid: new Decimal(b.rawBid), ask: new Decimal(b.rawAsk) });
    const A = await fundedTrader('conc-h', 'HEDGING', a.leverage, oa.deposit);
    const B = await fundedTrader('conc-n', 'NETTING', b.leverage, ob.deposit);

    const [ra, rb] = await Promise.all([burst(A.api, A.accountId, a, 100, 'conc-h'), burst(B.api, B.accountId, b, 100, 'conc-n')]);

    expect(ra.filled).toHaveLength(a.target);
    expect(ra.codes).toEqual({ INSUFFICIENT_MARGIN: 100 - a.target });
    expect(rb.filled).toHaveLength(b.target);
    expect(rb.codes).toEqual({ INSUFFICIENT_MARGIN: 100 - b.target });
    await expectBooksFor(A.accountId, a, oa, ra.filled, 'HEDGING');
    await expectBooksFor(B.accountId, b, ob, rb.filled, 'NETTING');
    await expectFigures(A.api, A.accountId, oa);
    await expectFigures(B.api, B.accountId, ob);
    // Nobody else's books moved and the whole database reconciles.
    expect(await reconcile(t.database.db.prisma)).toEqual([]);
  });
});
