// The ticket's default pending prices: far enough from the market to rest, for tight and wide spreads alike.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { defaultOffset, defaultPendingPrices, defaultStopPips } from '../src/terminal/ticket-math.ts';

const d = (s: string) => new Decimal(s);
const EURUSD = { pipSize: d('0.0001'), digits: 5 };
const BTCUSD = { pipSize: d('0.01'), digits: 2 };

describe('defaultPendingPrices', () => {
  it('places a EURUSD pending order 10 pips away (the spread is under a pip)', () => {
    const q = { bid: d('1.08437'), ask: d('1.08445') };
    expect(defaultOffset(q, EURUSD).toString()).toBe('0.001');
    expect(defaultPendingPrices('LIMIT', 'BUY', q, EURUSD).price.toFixed(5)).toBe('1.08345');
    expect(defaultPendingPrices('LIMIT', 'SELL', q, EURUSD).price.toFixed(5)).toBe('1.08537');
    expect(defaultPendingPrices('STOP', 'BUY', q, EURUSD).price.toFixed(5)).toBe('1.08545');
    expect(defaultPendingPrices('STOP', 'SELL', q, EURUSD).price.toFixed(5)).toBe('1.08337');
  });

  it('places a BTCUSD pending order five spreads away, not 10 pips (0.10 USD) inside a 14 USD spread', () => {
    const q = { bid: d('66967.97'), ask: d('66981.49') };
    // spread 13.52 × 5 = 67.60 → 6,760 pips
    expect(defaultOffset(q, BTCUSD).toFixed(2)).toBe('67.60');
    expect(defaultPendingPrices('LIMIT', 'BUY', q, BTCUSD).price.toFixed(2)).toBe('66913.89');
    expect(defaultPendingPrices('STOP', 'SELL', q, BTCUSD).price.toFixed(2)).toBe('66900.37');
    const sl = defaultPendingPrices('STOP_LIMIT', 'BUY', q, BTCUSD);
    expect([sl.stopPrice!.toFixed(2), sl.price.toFixed(2)]).toEqual(['67049.09', '67049.09']);
  });

  it('rounds a spread-based offset up to whole pips', () => {
    const q = { bid: d('1.08437'), ask: d('1.08478') }; // 4.1 pips × 5 = 20.5 → 21 pips
    expect(defaultOffset(q, EURUSD).toString()).toBe('0.0021');
  });
});

describe('defaultStopPips', () => {
  it('is 20 pips where the spread is tight, and ten spreads where it is wide', () => {
    expect(defaultStopPips({ bid: d('1.08437'), ask: d('1.08445') }, EURUSD).toString()).toBe('20');
    // BTCUSD: 13.52 USD spread → 135.20 USD = 13,520 pips (not a 0.20 USD stop)
    expect(defaultStopPips({ bid: d('66967.97'), ask: d('66981.49') }, BTCUSD).toString()).toBe('13520');
  });
});
