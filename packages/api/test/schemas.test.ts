import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DepositInput, MarketOrderInput, zDecimal, zId } from '../src/schemas.ts';
import { transformer } from '../src/transformer.ts';

describe('input schemas', () => {
  it('reads decimals exactly from strings, numbers and Decimals', () => {
    expect(zDecimal.parse('0.1').toString()).toBe('0.1');
    expect(zDecimal.parse(0.1).toString()).toBe('0.1');
    expect(zDecimal.parse(new Decimal('12345678.12345678')).toString()).toBe('12345678.12345678');
  });

  it.each(['NaN', 'Infinity', '-Infinity', 'abc', '', '1e400x'])('refuses %j as a decimal', (v) => {
    expect(zDecimal.safeParse(v).success).toBe(false);
  });

  it('refuses NaN sent as a number', () => expect(zDecimal.safeParse(Number.NaN).success).toBe(false));

  it('refuses non-positive volumes', () => {
    const base = { accountId: 1, symbol: 'EURUSD', side: 'BUY' };
    expect(MarketOrderInput.safeParse({ ...base, volume: '-0.1' }).success).toBe(false);
    expect(MarketOrderInput.safeParse({ ...base, volume: '0' }).success).toBe(false);
    expect(MarketOrderInput.parse({ ...base, volume: '0.10', symbol: 'eurusd' }).symbol).toBe('EURUSD');
  });

  it('keeps deposits to cents', () => {
    expect(DepositInput.safeParse({ accountId: 1, amount: '10.005' }).success).toBe(false);
    expect(DepositInput.parse({ accountId: 1, amount: '10.05' }).method).toBe('BANK_TRANSFER');
  });

  it('reads 64-bit ids from strings', () => {
    expect(zId.parse('9007199254740993')).toBe(9007199254740993n);
    expect(zId.safeParse('0').success).toBe(false);
    expect(zId.safeParse('12a').success).toBe(false);
  });
});

describe('wire transformer', () => {
  it('carries Decimal across as an exact decimal', () => {
    const wire = JSON.stringify(transformer.serialize({ balance: new Decimal('10093.12345678') }));
    const back = transformer.deserialize<{ balance: Decimal }>(JSON.parse(wire));
    expect(Decimal.isDecimal(back.balance)).toBe(true);
    expect(back.balance.toString()).toBe('10093.12345678');
  });
});
