import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { fillDays } from '../src/charts/daily-chart.tsx';

describe('fillDays', () => {
  it('gives every UTC day of the period a point, zero where nothing happened', () => {
    const out = fillDays(new Date('2026-11-29T00:00:00Z'), new Date('2026-12-02T00:00:00Z'), [{ day: '2026-11-30', value: new Decimal('2.5') }], new Decimal(0));
    expect(out.map((p) => [p.day, p.value.toString()])).toEqual([
      ['2026-11-29', '0'],
      ['2026-11-30', '2.5'],
      ['2026-12-01', '0'],
    ]);
  });
  it('starts at the UTC midnight of a period that starts mid-day and stops at 400 days', () => {
    expect(fillDays(new Date('2026-11-29T15:00:00Z'), new Date('2026-11-30T01:00:00Z'), [], new Decimal(0)).map((p) => p.day)).toEqual(['2026-11-29', '2026-11-30']);
    expect(fillDays(new Date('2020-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), [], new Decimal(0))).toHaveLength(400);
  });
});
