import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { amountInWords } from '../src/money/amount-in-words.ts';

describe('amountInWords', () => {
  it('reads dollars and cents', () => {
    expect(amountInWords('1234.56', 'USD')).toBe('One Thousand Two Hundred Thirty Four US Dollars And Fifty Six Cents');
  });
  it('makes a slipped exponent obvious', () => {
    expect(amountInWords(new Decimal('1e9'), 'USD')).toBe('One Billion US Dollars');
  });
  it('uses the singular for one unit and pence for pounds', () => {
    expect(amountInWords('1', 'EUR')).toBe('One Euro');
    expect(amountInWords('2.01', 'GBP')).toBe('Two Pounds Sterling And One Penny');
    expect(amountInWords('0.05', 'GBP')).toBe('Zero Pounds Sterling And Five Pence');
  });
  it('keeps a cent on amounts past double precision', () => {
    expect(amountInWords('999999999.99', 'USD')).toBe(
      'Nine Hundred Ninety Nine Million Nine Hundred Ninety Nine Thousand Nine Hundred Ninety Nine US Dollars And Ninety Nine Cents',
    );
  });
  it('says minus for a debit and refuses junk', () => {
    expect(amountInWords('-50', 'USD')).toBe('Minus Fifty US Dollars');
    expect(amountInWords('12abc', 'USD')).toBeNull();
  });
});
