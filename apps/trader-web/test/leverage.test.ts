// The leverage that applies: the account's, unless the symbol's margin percentage asks for more margin.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { effectiveLeverage } from '../src/terminal/live-pnl.ts';

describe('effectiveLeverage', () => {
  it('EURUSD at 3.33 % on a 1:100 account is margined at 1:30.03, capped by the symbol', () => {
    const r = effectiveLeverage(100, new Decimal('3.33'));
    expect(r.leverage.toDecimalPlaces(2).toString()).toBe('30.03');
    expect(r.cappedBySymbol).toBe(true);
  });
  it('a 0.5 % symbol on a 1:100 account keeps the account’s 1:100', () => {
    const r = effectiveLeverage(100, new Decimal('0.5'));
    expect(r.leverage.toString()).toBe('100');
    expect(r.cappedBySymbol).toBe(false);
  });
  it('exactly 1 % on 1:100 is the account’s leverage, not a cap', () => {
    expect(effectiveLeverage(100, new Decimal('1')).cappedBySymbol).toBe(false);
  });
});
