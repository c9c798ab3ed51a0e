// The words the breakdown dialog puts around the engine's figures: the leverage line says which of the
// account's leverage and the symbol's margin percent decided, and a conversion names the pair and mid it read.
import type { BreakdownDto } from '@broker/api';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { breakdownValue, conversionLine, leverageLine } from '../src/terminal/breakdown-text.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const leverage = (over: Partial<NonNullable<BreakdownDto['leverage']>>): Pick<BreakdownDto, 'leverage'> => ({
  leverage: {
    account: 100,
    cap: null,
    effective: 100,
    marginPercent: d('3.33'),
    ratio: d('0.0333'),
    symbolLeverage: d('30.03'),
    limitedBy: 'symbol margin percent',
    ...over,
  },
});

describe('leverageLine', () => {
  it('EURUSD at 3.33 % on a 1:100 account: the symbol decides', () => {
    expect(leverageLine(leverage({}), 'EURUSD')).toBe('EURUSD needs 3.33 %: 1:30.03 although the account is 1:100');
  });
  it('a 0.5 % symbol on a 1:100 account: the account decides', () => {
    expect(
      leverageLine(
        leverage({ marginPercent: d('0.5'), symbolLeverage: d('200'), ratio: d('0.01'), limitedBy: 'account leverage' }),
        'XAUUSD',
      ),
    ).toBe("The account's 1:100 applies: XAUUSD needs only 0.5 % (1:200)");
  });
  it('names the risk settings when they cap the account leverage', () => {
    expect(leverageLine(leverage({ account: 500, cap: 200, effective: 200 }), 'EURUSD')).toBe(
      'EURUSD needs 3.33 %: 1:30.03 although the account is 1:500, capped at 1:200 by the risk settings',
    );
  });
  it('says nothing for a figure without leverage', () => {
    expect(leverageLine({ leverage: null }, 'EURUSD')).toBeNull();
  });
});

describe('conversionLine', () => {
  it('names the pair, its quotes and mid, and the rate', () => {
    const mid = d('1.08205');
    const line = conversionLine({
      from: 'USD',
      to: 'EUR',
      how: 'inverse pair',
      rate: d(1).div(mid),
      steps: [{ symbol: 'EURUSD', bid: d('1.082'), ask: d('1.0821'), mid, use: 'divide' }],
    });
    expect(line).toBe('USD → EUR (inverse pair): EURUSD mid 1.08205 (bid 1.082 / ask 1.0821, ÷) = 0.92417171');
  });
  it('same currency has no pair', () => {
    expect(conversionLine({ from: 'USD', to: 'USD', how: 'same currency', rate: d('1'), steps: [] })).toBe(
      'USD → USD: same currency, rate 1',
    );
  });
});

describe('breakdownValue', () => {
  it('money in the account currency, margin level in percent, none as a dash', () => {
    expect(breakdownValue({ figure: 'equity', value: d('10093.125'), currency: 'USD' })).toBe('$10,093.13');
    expect(breakdownValue({ figure: 'marginLevel', value: d('2100'), currency: 'USD' })).toBe('2,100.00%');
    expect(breakdownValue({ figure: 'marginLevel', value: null, currency: 'USD' })).toBe('—');
  });
});
