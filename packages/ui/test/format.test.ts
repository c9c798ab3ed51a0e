import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMoney, formatMoneyRate, formatNumber, formatPercent, formatPrice, formatVolume, signOf, toDecimal } from '../src/format.ts';

describe('formatMoney', () => {
  it('shows two decimals with thousands separators and the currency symbol', () => {
    expect(formatMoney(new Decimal('10000'), { currency: 'USD' })).toBe('$10,000.00');
    expect(formatMoney('1234567.891', { currency: 'EUR' })).toBe('€1,234,567.89');
  });

  it('puts the minus before the currency symbol', () => {
    expect(formatMoney('-1250.5', { currency: 'USD' })).toBe('-$1,250.50');
  });

  it('rounds half away from zero, as booked money is', () => {
    expect(formatMoney('0.005')).toBe('0.01');
    expect(formatMoney('-0.005')).toBe('-0.01');
    expect(formatMoney('2.675')).toBe('2.68');
  });

  it('never shows a negative zero', () => {
    expect(formatMoney('-0.001', { currency: 'USD' })).toBe('$0.00');
    expect(formatMoney('-0.001', { signed: true })).toBe('0.00');
  });

  it('adds a plus sign to signed positive amounts', () => {
    expect(formatMoney('500', { currency: 'USD', signed: true })).toBe('+$500.00');
  });

  it('keeps precision beyond what a JS number holds', () => {
    expect(formatMoney('9007199254740993.01')).toBe('9,007,199,254,740,993.01');
  });

  it('suffixes currencies it has no symbol for', () => {
    expect(formatMoney('1000', { currency: 'SGD' })).toBe('1,000.00 SGD');
  });

  it('shows a dash for missing or junk values', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatMoney('abc')).toBe('—');
  });
});

describe('formatPrice', () => {
  it('pads to the symbol digits without grouping', () => {
    expect(formatPrice('1.0845', 5)).toBe('1.08450');
    expect(formatPrice(new Decimal('65000.5'), 2)).toBe('65000.50');
    expect(formatPrice('150', 3)).toBe('150.000');
  });

  it('rounds to the symbol digits', () => {
    expect(formatPrice('1.084525', 5)).toBe('1.08453');
  });
});

describe('formatVolume', () => {
  it('shows lots with two decimals by default', () => {
    expect(formatVolume('1')).toBe('1.00');
    expect(formatVolume(new Decimal('0.1'))).toBe('0.10');
  });

  it('shows as many decimals as the volume step needs', () => {
    expect(formatVolume('0.001', '0.001')).toBe('0.001');
  });
});

describe('formatPercent and signOf', () => {
  it('formats a margin level and a missing one', () => {
    expect(formatPercent('2100')).toBe('2,100.00%');
    expect(formatPercent(null)).toBe('—');
  });

  it('treats amounts that round to zero as zero', () => {
    expect(signOf('0.004')).toBe(0);
    expect(signOf('-0.006')).toBe(-1);
    expect(signOf('12')).toBe(1);
  });

  it('groups only the integer part', () => {
    expect(formatNumber('1234.5678', 4)).toBe('1,234.5678');
  });

  it('parses wire strings into Decimal and refuses non-finite values', () => {
    expect(toDecimal('1.5')?.toString()).toBe('1.5');
    expect(toDecimal('Infinity')).toBeNull();
  });
});

describe('formatDateTime', () => {
  it('shows date and time to the second, 24-hour', () => {
    const out = formatDateTime(new Date(2026, 10, 25, 13, 5, 9));
    expect(out).toContain('2026');
    expect(out).toContain('13:05:09');
  });
});

describe('formatMoneyRate', () => {
  it('shows cents from ten cents up, and four places below, trimmed to two', () => {
    expect(formatMoneyRate('10', { currency: 'USD' })).toBe('$10.00');
    expect(formatMoneyRate('0.1', { currency: 'USD' })).toBe('$0.10');
    // a pip (0.01 USD) of 0.01 lot BTCUSD (contract 1): 0.0001 USD, which cents show as $0.00
    expect(formatMoneyRate('0.0001', { currency: 'USD' })).toBe('$0.0001');
    expect(formatMoneyRate('0.09', { currency: 'EUR' })).toBe('€0.09');
    expect(formatMoneyRate('0.012345', { currency: 'USD' })).toBe('$0.0123');
    expect(formatMoneyRate('0.00004', { currency: 'USD' })).toBe('$0.00');
    expect(formatMoneyRate('0', { currency: 'USD' })).toBe('$0.00');
    expect(formatMoneyRate(null)).toBe('—');
  });
});
