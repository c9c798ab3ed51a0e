import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { rangeVolatilityPercent } from '../src/domain/volatility.ts';

const q = (time: number, mid: number) => ({ time, bid: new Decimal(mid).minus('0.5'), ask: new Decimal(mid).plus('0.5') });
// Mids 100 → 104 → 98 → 101.
const PATH = [q(0, 100), q(1_000, 104), q(2_000, 98), q(3_000, 101)];

describe('range volatility', () => {
  it("is the mid's range over the window as a percentage of its lowest mid", () => {
    // From 500: the standing mid 100, then 104, 98, 101 → (104 − 98) / 98.
    expect(rangeVolatilityPercent(PATH, 3_000, 2_500)!.toFixed(6)).toBe('6.122449');
  });

  it('counts the price standing when the window opened', () => {
    // From 2,500: 98 (standing since 2,000), then 101 → 3 / 98.
    expect(rangeVolatilityPercent(PATH, 3_000, 500)!.toFixed(6)).toBe('3.061224');
    // A quote exactly at the window's start is in it, and the one before it stands.
    expect(rangeVolatilityPercent(PATH, 3_000, 1_000)!.toFixed(6)).toBe('6.122449');
  });

  it('is unknown with fewer than two quotes, and ignores quotes after now', () => {
    expect(rangeVolatilityPercent(PATH.slice(0, 1), 3_000, 10_000)).toBeNull();
    expect(rangeVolatilityPercent(PATH, 0, 0)).toBeNull();
    expect(rangeVolatilityPercent(PATH, 1_000, 1_000)!.toString()).toBe('4');
  });
});
