// Property-based: random sequences of orders and quotes through the real engine (tRPC, desk, database).
// At every step: balance == sum(ledger); each row chains; equity and margin recomputed from scratch (rows
// read back from the database, the domain's formulas) equal the engine's running figures; every position
// has its order and trade rows.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFigures } from '../src/domain/index.ts';
import { accountFromRow, positionFromRow } from '../src/books/mapping.ts';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

const SYMBOLS = {
  EURUSD: { mid: 1.1, digits: 5 },
  USDJPY: { mid: 150, digits: 3 },
  GBPUSD: { mid: 1.27, digits: 5 },
  XAUUSD: { mid: 2000, digits: 2 },
} as const;
type Sym = keyof typeof SYMBOLS;

type Step =
  | { kind: 'market'; symbol: Sym; side: 'BUY' | 'SELL'; lots: number }
  | { kind: 'close'; pick: number; fraction: number }
  | { kind: 'move'; symbol: Sym; bps: number }
  | { kind: 'limit'; symbol: Sym; side: 'BUY' | 'SELL'; lots: number; offsetBps: number }
  | { kind: 'deposit'; cents: number };

const symbolArb = fc.constantFrom(...(Object.keys(SYMBOLS) as Sym[]));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('market' as const), symbol: symbolArb, side: fc.constantFrom('BUY' as const, 'SELL' as const), lots: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat(), fraction: fc.constantFrom(1, 0.5, 0.3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), symbol: symbolArb, bps: fc.integer({ min: -150, max: 150 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limit' as const), symbol: symbolArb, side: fc.constantFrom('BUY' as const, 'SELL' as const), lots: fc.integer({ min: 1, max: 20 }), offsetBps: fc.integer({ min: 5, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deposit' as const), cents: fc.integer({ min: 1, max: 500_000 }) }) },
);

const mids = new Map<Sym, number>(Object.entries(SYMBOLS).map(([s, v]) => [s as Sym, v.mid]));
function pushMid(symbol: Sym) {
  const { digits } = SYMBOLS[symbol];
  const mid = mids.get(symbol)!;
  const spread = mid * 0.00004;
  t.lp.push(symbol, (mid - spread).toFixed(digits), (mid + spread).toFixed(digits));
}

async function checkBooks(accountId: number, token: string) {
  const prisma = t.database.db.prisma;
  await t.running.engine.committer; // commits are awaited by the commands themselves
  const [row, ledger, positions, trades, orders] = await Promise.all([
    prisma.account.findUniqueOrThrow({ where: { id: accountId } }),
    prisma.ledgerEntry.findMany({ where: { accountId } }),
    prisma.position.findMany({ where: { accountId } }),
    prisma.trade.findMany({ where: { accountId }, select: { positionId: true, entry: true, orderId: true } }),
    prisma.order.findMany({ where: { accountId }, select: { id: true, positionId: true, closesPositionId: true, status: true } }),
  ]);
  let sum = new Decimal(0);
  for (const l of ledger) {
    expect(new Decimal(l.balanceBefore.toString()).plus(l.amount.toString()).eq(l.balanceAfter.toString())).toBe(true);
    sum = sum.plus(l.amount.toString());
  }
  expect(sum.toFixed(8)).toBe(new Decimal(row.balance.toString()).toFixed(8));
  const orderIds = new Set(orders.map((o) => o.id));
  for (const p of positions) {
    expect(trades.some((tr) => tr.positionId === p.id && tr.entry === 'OPEN' && orderIds.has(tr.orderId))).toBe(true);
    expect(orders.some((o) => o.positionId === p.id)).toBe(true);
    if (p.status === 'CLOSED') expect(trades.some((tr) => tr.positionId === p.id && tr.entry === 'CLOSE')).toBe(true);
  }
  for (const o of orders.filter((x) => x.status === 'FILLED')) expect(trades.some((tr) => tr.orderId === o.id)).toBe(true);

  // From scratch: the database's rows through the domain's formulas, against the engine's running figures.
  const engine = t.running.engine;
  const open = positions.filter((p) => p.status === 'OPEN').map(positionFromRow);
  const fresh = accountFigures(accountFromRow(row), open, (n) => (engine as unknown as { symbolTable: Map<string, { spec: never }> }).symbolTable.get(n)?.spec, engine.quoteStore.lookup);
  const running = await t.client(token).account.summary.query({ accountId });
  expect(running.balance.toFixed(8)).toBe(fresh.balance.toFixed(8));
  expect(running.margin.toFixed(8)).toBe(fresh.margin.toFixed(8));
  expect(running.equity.toFixed(8)).toBe(fresh.equity.toFixed(8));
  expect(running.openPositions).toBe(open.length);
}

describe('books under random sequences', () => {
  it('reconcile at every step, hedging and netting, USD and EUR accounts', async () => {
    for (const s of Object.keys(SYMBOLS) as Sym[]) pushMid(s);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ netting: fc.boolean(), eur: fc.boolean(), steps: fc.array(stepArb, { minLength: 5, maxLength: 25 }) }),
        async ({ netting, eur, steps }) => {
          const { token, accountId } = await t.createTrader({ balance: '20000', marginMode: netting ? 'NETTING' : 'HEDGING', currency: eur ? 'EUR' : 'USD' });
          const api = t.client(token);
          for (const step of steps) {
            if (step.kind === 'move') {
              mids.set(step.symbol, mids.get(step.symbol)! * (1 + step.bps / 10000));
              pushMid(step.symbol);
              await new Promise((r) => setImmediate(r));
            } else if (step.kind === 'market') {
              await errorCode(api.orders.market.mutate({ accountId, symbol: step.symbol, side: step.side, volume: (step.lots / 100).toFixed(2) }));
            } else if (step.kind === 'limit') {
              const mid = mids.get(step.symbol)!;
              const price = mid * (1 + ((step.side === 'BUY' ? -1 : 1) * step.offsetBps) / 10000);
              await errorCode(api.orders.limit.mutate({ accountId, symbol: step.symbol, side: step.side, volume: (step.lots / 100).toFixed(2), price: price.toFixed(SYMBOLS[step.symbol].digits) }));
            } else if (step.kind === 'close') {
              const open = await api.account.positions.query({ accountId });
              if (open.length) {
                const p = open[step.pick % open.length]!;
                const volume = p.volume.times(step.fraction).toDecimalPlaces(2, Decimal.ROUND_DOWN);
                await errorCode(api.positions.close.mutate({ accountId, positionId: p.id, ...(step.fraction < 1 && volume.gte('0.01') ? { volume: volume.toFixed(2) } : {}) }));
              }
            } else {
              await t.client((await t.login('admin@broker.local')).token).admin.finance.deposit.mutate({ accountId, amount: (step.cents / 100).toFixed(2) });
            }
            // Triggered pending orders and stop outs run on the account's queue: let them finish.
            await t.running.engine.desk['d'].queue.submit(accountId, async () => undefined);
            await checkBooks(accountId, token);
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  });
});
