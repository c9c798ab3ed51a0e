// The floating-point screen in the free-margin check only ever short-cuts clear accepts: across random books
// it decides exactly as the Decimal rule of trading-rules.md does.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountFigures, planMarketOrder, positionsAfter, usedMargin, type PositionState, type RiskLimits, type SymbolSpec } from '../src/domain/index.ts';
import { account, forex, quoteBook } from './fixtures.ts';

const NOW = 1_700_000_000_000;
const risk: RiskLimits = { marginCallLevel: new Decimal(100), stopOutLevel: new Decimal(50), maxOpenPositions: null, maxPositionSize: null };
const specs = new Map<string, SymbolSpec>([
  ['EURUSD', forex('EURUSD', { marginPercent: new Decimal('3.33') })],
  ['USDJPY', forex('USDJPY')],
  ['EURGBP', forex('EURGBP')],
  ['GBPUSD', forex('GBPUSD')],
]);
const symbols = (n: string) => specs.get(n);
const names = [...specs.keys()];

describe('free-margin screen', () => {
  it('accepts and rejects exactly as the Decimal rule does', () => {
    fc.assert(
      fc.property(
        fc.record({
          netting: fc.boolean(),
          currency: fc.constantFrom('USD', 'EUR', 'GBP'),
          balance: fc.integer({ min: 0, max: 200_000 }),
          open: fc.array(fc.record({ s: fc.nat(3), buy: fc.boolean(), lots: fc.integer({ min: 1, max: 300 }), px: fc.integer({ min: -300, max: 300 }) }), { maxLength: 12 }),
          order: fc.record({ s: fc.nat(3), buy: fc.boolean(), lots: fc.integer({ min: 1, max: 2000 }) }),
          move: fc.integer({ min: -500, max: 500 }),
        }),
        (c) => {
          const m = 1 + c.move / 10000;
          const quotes = quoteBook(
            {
              EURUSD: [(1.1 * m).toFixed(5), (1.1 * m + 0.00002).toFixed(5)],
              USDJPY: [(150 * m).toFixed(3), (150 * m + 0.01).toFixed(3)],
              EURGBP: [(0.86 * m).toFixed(5), (0.86 * m + 0.00002).toFixed(5)],
              GBPUSD: [(1.27 * m).toFixed(5), (1.27 * m + 0.00002).toFixed(5)],
            },
            NOW,
          );
          const acct = account({ balance: new Decimal(c.balance), currency: c.currency, marginMode: c.netting ? 'NETTING' : 'HEDGING' });
          const mid: Record<string, number> = { EURUSD: 1.1, USDJPY: 150, EURGBP: 0.86, GBPUSD: 1.27 };
          const positions: PositionState[] = c.open
            .filter((p, i, all) => !c.netting || all.findIndex((q) => q.s === p.s) === i)
            .map((p, i) => {
              const symbol = names[p.s]!;
              const open = new Decimal(mid[symbol]! * (1 + p.px / 10000)).toDecimalPlaces(symbol === 'USDJPY' ? 3 : 5);
              return { id: BigInt(i + 1), accountId: 1, symbol, side: p.buy ? 'BUY' : 'SELL', volume: new Decimal(p.lots).div(100), openPrice: open, margin: new Decimal(p.lots * 11), swap: new Decimal(0), commission: new Decimal(0), sl: null, tp: null, openTime: NOW };
            });
          const req = { symbol: names[c.order.s]!, side: (c.order.buy ? 'BUY' : 'SELL') as 'BUY' | 'SELL', volume: new Decimal(c.order.lots).div(100) };
          const plan = planMarketOrder(acct, positions, req, { symbols, quotes, risk, now: NOW });
          // The rule, exactly, on the same plan inputs.
          const exact = planMarketOrder({ ...acct, balance: new Decimal(1e12) }, positions, req, { symbols, quotes, risk, now: NOW });
          if (!exact.ok) return; // not a margin question
          const balanceAfter = exact.balanceAfter.minus(1e12).plus(c.balance);
          const after = positionsAfter(positions, exact.closes, exact.open, req.symbol, NOW, -1n, 1);
          const f = accountFigures({ ...acct, balance: balanceAfter }, after, symbols, quotes);
          const accepts = !(f.margin.gt(usedMargin(acct.marginMode, positions)) && f.freeMargin.lt(0));
          expect(plan.ok).toBe(accepts);
          if (!plan.ok) expect(plan.code).toBe('INSUFFICIENT_MARGIN');
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('toDouble (the screen reads Decimals without going through strings)', () => {
  it('agrees with toNumber to within a few units in the last place', async () => {
    const { toDouble } = await import('../src/domain/numeric.ts');
    const decimalText = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: -8, max: 8 }))
      .map(([neg, digits, dp, exp]) => `${neg ? '-' : ''}${digits.toString()}e${exp - dp}`);
    fc.assert(
      fc.property(decimalText, (text) => {
        const d = new Decimal(text);
        const exact = d.toNumber();
        const fast = toDouble(d);
        expect(Math.abs(fast - exact)).toBeLessThanOrEqual(Math.abs(exact) * 4 * Number.EPSILON);
      }),
      { numRuns: 2000 },
    );
    for (const t of ['0', '-0', '1', '0.01', '1.08452', '150.012', '2300.4', '-0.42', '100000000', '0.00000001']) expect(toDouble(new Decimal(t))).toBe(new Decimal(t).toNumber());
    expect(Number.isNaN(toDouble(new Decimal(NaN)))).toBe(true);
    expect(toDouble(new Decimal(Infinity))).toBe(Infinity);
  });
});
