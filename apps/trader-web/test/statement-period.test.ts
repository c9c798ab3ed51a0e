// The statement's periods: UTC months with an exclusive end, custom days inclusive of the last one, the engine's
// limit of a year, and the engine's base64 file back to its bytes.
import { describe, expect, it } from 'vitest';
import { base64Bytes, customPeriod, periodLabel, presetPeriod } from '../src/terminal/statement-period.ts';

describe('statement periods', () => {
  const now = new Date('2026-12-03T13:57:00Z');
  it('this month runs from the 1st 00:00 UTC to the 1st of the next month', () => {
    expect(presetPeriod('thisMonth', now)).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(periodLabel(presetPeriod('thisMonth', now))).toBe('2026-12-01 – 2026-12-31 (UTC)');
  });
  it('last month across a year end', () => {
    expect(presetPeriod('lastMonth', new Date('2027-01-15T00:00:00Z'))).toEqual({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
  });
  it('the UTC month, not the browser’s: 23:30 UTC on the 31st is still that month', () => {
    expect(presetPeriod('thisMonth', new Date('2026-10-31T23:30:00Z')).from).toEqual(new Date('2026-10-01T00:00:00Z'));
  });
  it('custom days include the last day; one day is a valid period', () => {
    expect(customPeriod('2026-11-10', '2026-11-20')).toEqual({
      from: new Date('2026-11-10T00:00:00Z'),
      to: new Date('2026-11-21T00:00:00Z'),
    });
    expect(customPeriod('2026-11-10', '2026-11-10')).toEqual({
      from: new Date('2026-11-10T00:00:00Z'),
      to: new Date('2026-11-11T00:00:00Z'),
    });
  });
  it('refuses an empty day, a reversed period and more than the engine takes', () => {
    expect(customPeriod('', '2026-11-20')).toEqual({ error: 'Choose the first day' });
    expect(customPeriod('2026-11-10', '')).toEqual({ error: 'Choose the last day' });
    expect(customPeriod('2026-11-20', '2026-11-10')).toEqual({ error: 'The last day must not be before the first' });
    expect(customPeriod('2025-01-01', '2026-01-02')).toEqual({ error: 'At most 366 days at a time' });
    expect('error' in customPeriod('2025-01-01', '2026-01-01')).toBe(false);
  });
  it('decodes the engine’s base64 to the file’s bytes', () => {
    expect(new TextDecoder().decode(base64Bytes(Buffer.from('Date,Type\n%PDF-é', 'utf8').toString('base64')))).toBe('Date,Type\n%PDF-é');
  });
});
