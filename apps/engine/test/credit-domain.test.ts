// Credit as MT5 has it (issue 14, docs/trading-rules-notes.md, Credit): in equity, free margin and margin level,
// never in the balance, never withdrawable; a stop out's negative balance is taken from credit first. The
// figures are the notes' worked example, to the cent.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  accountFigures,
  approxFigures,
  planMarketOrder,
  planStopOut,
  replayLedger,
  withdrawable,
  type PositionState,
  type RiskLimits,
} from '../src/domain/index.ts';
import { certainlyAbove } from '../src/domain/stop-out-screen.ts';
import { account, forex, quoteBook } from './fixtures.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const NOW = 1_700_000_000_000;
const EURUSD = forex('EURUSD');
const symbols = (s: string) => (s === 'EURUSD' ? EURUSD : undefined);
const risk = (extra: Partial<RiskLimits> = {}): RiskLimits => ({ marginCallLevel: d(100), stopOutLevel: d(50), maxOpenPositions: null, maxPositionSize: null, negativeBalanceProtection: true, ...extra });

/** BUY 1.00 EURUSD at 1.08452: margin 1 × 100,000 × 1.08452 × 1 % = 1,084.52 (trading-rules.md's example). */
const held: PositionState = { id: 1n, accountId: 1, symbol: 'EURUSD', side: 'BUY', volume: d(1), openPrice: d('1.08452'), margin: d('1084.52'), swap: d(0), commission: d(7), sl: null, tp: null, openTime: NOW };
const at = (bid: string) => quoteBook({ EURUSD: [bid, bid] }, NOW);
/** After deposit 1,000.00, credit in 500.00 and the commission of 7.00. */
const withCredit = account({ balance: d('993.00'), credit: d('500.00') });
const noCredit = account({ balance: d('993.00') });

describe('account figures with credit', () => {
  it('counts credit in equity, free margin and margin level, not in the balance', () => {
    const f = accountFigures(withCredit, [held], symbols, at('1.08450'));
    expect(f.balance.toFixed(2)).toBe('993.00');
    expect(f.credit.toFixed(2)).toBe('500.00');
    expect(f.unrealizedPnl.toFixed(2)).toBe('-2.00');
    expect(f.equity.toFixed(2)).toBe('1491.00');
    expect(f.freeMargin.toFixed(2)).toBe('406.48');
    expect(f.marginLevel!.toFixed(2)).toBe('137.48');
    const without = accountFigures(noCredit, [held], symbols, at('1.08450'));
    expect(without.equity.toFixed(2)).toBe('991.00');
    expect(without.freeMargin.toFixed(2)).toBe('-93.52');
  });

  it('never makes credit withdrawable: at most the balance and the free margin less credit', () => {
    expect(withdrawable(accountFigures(account({ balance: d(1000), credit: d(500) }), [], symbols, at('1.08450'))).toFixed(2)).toBe('1000.00');
    // Free margin 406.48 is all credit's: nothing may leave the balance.
    expect(withdrawable(accountFigures(withCredit, [held], symbols, at('1.08450'))).toFixed(2)).toBe('0.00');
    // Bid 1.09000: P&L +548.00, equity 2,041.00, free margin 956.48, of which 456.48 is not credit.
    expect(withdrawable(accountFigures(withCredit, [held], symbols, at('1.09000'))).toFixed(2)).toBe('456.48');
    expect(withdrawable(accountFigures(account({ balance: d(-10), credit: d(500) }), [], symbols, at('1.08450'))).toFixed(2)).toBe('0.00');
  });

  it('lets credit carry an order\'s margin that the balance alone could not', () => {
    const quotes = quoteBook({ EURUSD: ['1.08450', '1.08452'] }, NOW);
    const req = { symbol: 'EURUSD', side: 'BUY' as const, volume: d(1) };
    const ok = planMarketOrder(account({ balance: d(1000), credit: d(500) }), [], req, { symbols, quotes, risk: risk(), now: NOW });
    expect('ok' in ok && ok.ok).toBe(true);
    const refused = planMarketOrder(account({ balance: d(1000) }), [], req, { symbols, quotes, risk: risk(), now: NOW });
    expect('code' in refused && refused.code).toBe('INSUFFICIENT_MARGIN');
  });

  it('counts credit in the floating-point screens too', () => {
    const quotes = at('1.08450');
    const approx = approxFigures(withCredit, [held], symbols, quotes)!;
    expect(approx.equity).toBeCloseTo(1491, 6);
    // Level 137.48 % with credit, 91.38 % without: above 100 % only with it.
    expect(certainlyAbove(withCredit, [held], d(100), symbols, quotes)).toBe(true);
    expect(certainlyAbove(noCredit, [held], d(100), symbols, quotes)).toBe(false);
  });
});

describe('stop out and negative balance protection with credit', () => {
  it('keeps open what credit holds above stop out', () => {
    // Bid 1.07900: P&L −552.00. With credit equity 941.00 (86.77 %); without, 441.00 (40.66 %).
    expect(planStopOut(withCredit, [held], { symbols, quotes: at('1.07900'), risk: risk(), now: NOW })).toBeNull();
    const plan = planStopOut(noCredit, [held], { symbols, quotes: at('1.07900'), risk: risk(), now: NOW })!;
    expect(plan.marginLevelBefore.toFixed(2)).toBe('40.66');
  });

  it('takes the loss below a zero balance from credit first; the client keeps what credit is left', () => {
    const plan = planStopOut(withCredit, [held], { symbols, quotes: at('1.07000'), risk: risk(), now: NOW })!;
    expect(plan.marginLevelBefore.toFixed(2)).toBe('3.78');
    expect(plan.ledger.map((l) => [l.type, l.amount.toFixed(2), l.balanceBefore.toFixed(2), l.balanceAfter.toFixed(2)])).toEqual([
      ['REALIZED_PNL', '-1452.00', '993.00', '-459.00'],
      ['CREDIT', '-459.00', '-459.00', '-459.00'],
      ['NEGATIVE_BALANCE_PROTECTION', '459.00', '-459.00', '0.00'],
    ]);
    expect(plan.balanceAfter.toFixed(2)).toBe('0.00');
    expect(plan.creditAfter.toFixed(2)).toBe('41.00');
    expect(plan.creditWrittenOff!.toFixed(2)).toBe('459.00');
    // Equity afterwards is what it was when the position closed.
    expect(plan.balanceAfter.plus(plan.creditAfter).toFixed(2)).toBe('41.00');
  });

  it('writes off all the credit and protects the rest when the loss is larger than the credit', () => {
    const plan = planStopOut(withCredit, [held], { symbols, quotes: at('1.06000'), risk: risk(), now: NOW })!;
    expect(plan.ledger.map((l) => [l.type, l.amount.toFixed(2)])).toEqual([
      ['REALIZED_PNL', '-2452.00'],
      ['CREDIT', '-500.00'],
      ['NEGATIVE_BALANCE_PROTECTION', '1459.00'],
    ]);
    expect(plan.balanceAfter.toFixed(2)).toBe('0.00');
    expect(plan.creditAfter.toFixed(2)).toBe('0.00');
  });

  it('writes off nothing with protection off, nor while a position stays open', () => {
    const off = planStopOut(withCredit, [held], { symbols, quotes: at('1.06000'), risk: risk({ negativeBalanceProtection: false }), now: NOW })!;
    expect(off.ledger.map((l) => l.type)).toEqual(['REALIZED_PNL']);
    expect(off.creditAfter.toFixed(2)).toBe('500.00');
    expect(off.creditWrittenOff).toBeNull();
  });
});

describe('ledger replay (reconciliation)', () => {
  const row = (id: number, type: string, amount: string, before: string, after: string) => ({ id: BigInt(id), type, amount: d(amount), balanceBefore: d(before), balanceAfter: d(after) });

  it('rebuilds balance from balance entries and credit from credit entries', () => {
    const r = replayLedger([
      row(1, 'DEPOSIT', '1000', '0', '1000'),
      row(2, 'CREDIT', '500', '1000', '1000'),
      row(3, 'COMMISSION', '-7', '1000', '993'),
      row(4, 'REALIZED_PNL', '-1452', '993', '-459'),
      row(5, 'CREDIT', '-459', '-459', '-459'),
      row(6, 'NEGATIVE_BALANCE_PROTECTION', '459', '-459', '0'),
    ]);
    expect(r.breaks).toEqual([]);
    expect(r.balance.toFixed(2)).toBe('0.00');
    expect(r.credit.toFixed(2)).toBe('41.00');
  });

  it('names a credit entry that moves the balance, and credit taken below 0', () => {
    const moved = replayLedger([row(1, 'DEPOSIT', '1000', '0', '1000'), row(2, 'CREDIT', '500', '1000', '1500'), row(3, 'DEPOSIT', '1', '1500', '1501')]);
    expect(moved.breaks[0]).toMatchObject({ kind: 'ledger', id: '2', expected: '1000.00', actual: '1500.00' });
    const below = replayLedger([row(1, 'CREDIT', '100', '0', '0'), row(2, 'CREDIT', '-150', '0', '0')]);
    expect(below.breaks).toEqual([expect.objectContaining({ kind: 'credit', id: '2', actual: '-50.00' })]);
  });
});
