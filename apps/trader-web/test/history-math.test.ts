// The history tab's periods (its totals are the engine's account.history, tested in the engine and e2e).
import { describe, expect, it } from 'vitest';
import { periodStart } from '../src/terminal/history-math.ts';

describe('history', () => {
  it('a period starts at local midnight, that many days back; All has no start', () => {
    const now = new Date(2026, 11, 3, 15, 30);
    expect(periodStart('today', now)).toEqual(new Date(2026, 11, 3));
    expect(periodStart('7d', now)).toEqual(new Date(2026, 10, 26));
    expect(periodStart('all', now)).toBeNull();
  });
});
