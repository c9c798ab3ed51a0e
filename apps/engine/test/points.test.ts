// domain/points.ts: prices as exact integers of points, and the quote rules (validation, markup) in integers
// checked against the Decimal rules of trading-rules.md (marketdata/markup.ts).
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePoints,
  divRoundHalfUp,
  formatPoints,
  markupPoints,
  pointsQuoteOf,
  pointsRules,
  plainPoints,
  pointsToDecimal,
  PointsQuote,
  toPoints,
  trailMayMove,
  validatePoints,
} from '../src/domain/points.ts';
import { trailedStop } from '../src/domain/stops.ts';
import type { PositionState } from '../src/domain/types.ts';
import { applyMarkup, validateQuote } from '../src/marketdata/markup.ts';
import { forex } from './fixtures.ts';

const NOW = 1_700_000_000_000;

describe('points', () => {
  it('parses Decimals into points and back exactly at every digits 0..8', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: -1e12, max: 1e12 }), (digits, n) => {
        const d = new Decimal(n).div(new Decimal(10).pow(digits));
        const p = toPoints(d, digits)!;
        expect(p).not.toBeNull();
        expect(p.digits).toBe(digits);
        expect(p.pts).toBe(n);
        expect(pointsToDecimal(p.pts, p.digits).eq(d)).toBe(true);
        expect(formatPoints(p.pts, p.digits)).toBe(d.toFixed(digits));
      }),
      { numRuns: 2000 },
    );
  });

  it('prints points as Decimal.toString() does (or defers to it for exponential notation)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.oneof(fc.integer({ min: -1e15, max: 1e15 }), fc.integer({ min: -2000, max: 2000 })), (digits, n) => {
        const s = plainPoints(n, digits);
        const want = pointsToDecimal(n, digits).toString();
        if (s !== null) expect(s).toBe(want);
        else expect(want).toContain('e');
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the extra decimals of a price finer than the symbol, and refuses what cannot be exact', () => {
    expect(toPoints(new Decimal('1.084505'), 5)).toEqual({ pts: 1084505, digits: 6 });
    expect(toPoints(new Decimal('150.5'), 3)).toEqual({ pts: 150500, digits: 3 });
    expect(toPoints(new Decimal('67000'), 2)).toEqual({ pts: 6700000, digits: 2 });
    expect(toPoints(new Decimal('12345678.12345678'), 2)).toEqual({ pts: 1234567812345678, digits: 8 });
    expect(toPoints(new Decimal('0.0000001'), 5)).toEqual({ pts: 1, digits: 7 });
    expect(toPoints(new Decimal(0), 5)).toEqual({ pts: 0, digits: 5 });
    expect(toPoints(new Decimal('1e-16'), 5)).toBeNull();
    expect(toPoints(new Decimal('123456789012345678'), 0)).toBeNull();
    expect(toPoints(new Decimal(NaN), 5)).toBeNull();
    expect(toPoints(new Decimal(Infinity), 5)).toBeNull();
    expect(formatPoints(-5, 3)).toBe('-0.005');
    expect(formatPoints(7, 0)).toBe('7');
  });

  it('compares prices at different decimals exactly', () => {
    expect(comparePoints(108450, 5, 1084500, 6)).toBe(0);
    expect(comparePoints(108450, 5, 1084501, 6)).toBeLessThan(0);
    expect(Math.sign(comparePoints(9e14 + 1, 0, 9e15, 2))).toBe(1); // rescaling is not safe: through BigInt
    expect(Math.sign(comparePoints(9e15, 2, 9e14 + 1, 0))).toBe(-1);
  });

  it('divides rounding half away from zero as Decimal.ROUND_HALF_UP does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), fc.integer({ min: 1, max: 1e6 }), (n, m) => {
        const want = new Decimal(n).div(m).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
        expect(divRoundHalfUp(n, m)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('marks up exactly as applyMarkup does, at each symbol digits and odd/even/fractional markups', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3, 5),
        fc.constantFrom('0', '0.2', '0.5', '1', '1.5', '3', '0.25', '0.333'),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 2 }),
        (digits, markup, bidPts, spread, extra) => {
          const point = new Decimal(1).div(new Decimal(10).pow(digits));
          const spec = forex('EURUSD', { digits, pipSize: digits >= 1 ? point.times(10) : new Decimal(1), markupPips: new Decimal(markup) });
          const rawDigits = digits + extra;
          const bid = new Decimal(bidPts).div(new Decimal(10).pow(rawDigits));
          const ask = new Decimal(bidPts + spread).div(new Decimal(10).pow(rawDigits));
          const want = applyMarkup({ symbol: 'EURUSD', bid, ask, time: NOW, lp: 'X' }, spec);
          const raw = pointsQuoteOf({ symbol: 'EURUSD', bid, ask, time: NOW, lp: 'X' }, digits, NOW)!;
          const got = markupPoints(raw, spec, pointsRules(spec))!;
          expect(got.digits).toBe(digits);
          expect(got.bid.eq(want.bid)).toBe(true);
          expect(got.ask.eq(want.ask)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('validates crossed, stale and spikes exactly as the rule |mid − lastMid| / lastMid >= maxDeviation says', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 5),
        fc.constantFrom('0.05', '0.01', '0.001', '0.1234567'),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: -2_000_000, max: 2_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        (digits, dev, lastBid, lastSpread, move, spread) => {
          const spec = forex('EURUSD', { digits, maxDeviation: new Decimal(dev) });
          const rules = pointsRules(spec);
          const bid = Math.max(1, lastBid + move);
          const last = { bidPts: lastBid, askPts: lastBid + lastSpread, digits };
          const verdict = validatePoints(bid, bid + spread, digits, NOW, last, rules, NOW);
          // The rule in exact rational arithmetic (cross-multiplied Decimals: sums and products are exact).
          const mid2 = new Decimal(bid + bid + spread);
          const last2 = new Decimal(last.bidPts + last.askPts);
          const diff = mid2.minus(last2).abs();
          const spike = !diff.isZero() && diff.gte(spec.maxDeviation.times(last2));
          expect(verdict).toBe(spike ? 'spike' : 'ok');
          // And the Decimal version (marketdata/markup.ts) says the same.
          const k = new Decimal(10).pow(digits);
          const dq = (b: number, a: number) => ({ symbol: 'EURUSD', bid: new Decimal(b).div(k), ask: new Decimal(a).div(k), time: NOW, lp: 'X' });
          expect(validateQuote(dq(bid, bid + spread), dq(last.bidPts, last.askPts), spec, NOW)).toBe(verdict);
        },
      ),
      { numRuns: 3000 },
    );
    const rules = pointsRules(forex('EURUSD'));
    expect(validatePoints(0, 5, 5, NOW, undefined, rules, NOW)).toBe('invalid');
    expect(validatePoints(108452, 108450, 5, NOW, undefined, rules, NOW)).toBe('crossed');
    expect(validatePoints(108450, 108452, 5, NOW - 30_001, undefined, rules, NOW)).toBe('stale');
    expect(validatePoints(108450, 108452, 5, NOW - 30_000, undefined, rules, NOW)).toBe('ok');
    // A move of exactly maxDeviation (5%) is refused (issue 13: it passed); one point less is not.
    expect(validatePoints(105, 105, 0, NOW, { bidPts: 100, askPts: 100, digits: 0 }, rules, NOW)).toBe('spike');
    expect(validatePoints(95, 95, 0, NOW, { bidPts: 100, askPts: 100, digits: 0 }, rules, NOW)).toBe('spike');
    expect(validatePoints(1049999, 1049999, 4, NOW, { bidPts: 100, askPts: 100, digits: 0 }, rules, NOW)).toBe('ok');
    // In BigInt (sums beyond 2^53) the same boundary.
    const L = 4503599627370480; // ~2^52, a multiple of 20: 5% of it is whole
    expect(validatePoints(L * 1.05, L * 1.05, 0, NOW, { bidPts: L, askPts: L, digits: 0 }, rules, NOW)).toBe('spike');
    expect(validatePoints(L * 1.05 - 1, L * 1.05 - 1, 0, NOW, { bidPts: L, askPts: L, digits: 0 }, rules, NOW)).toBe('ok');
    expect(validatePoints(100, 100, 0, NOW, { bidPts: 100, askPts: 100, digits: 0 }, pointsRules(forex('EURUSD', { maxDeviation: new Decimal(0) })), NOW)).toBe('ok');
    // And the Decimal version.
    const dq = (b: string) => ({ symbol: 'EURUSD', bid: new Decimal(b), ask: new Decimal(b), time: NOW, lp: 'X' });
    expect(validateQuote(dq('1.05'), dq('1'), forex('EURUSD'), NOW)).toBe('spike');
    expect(validateQuote(dq('1.0499'), dq('1'), forex('EURUSD'), NOW)).toBe('ok');
  });

  it('builds its Decimals lazily, once, and keeps them under another LP name', () => {
    const q = new PointsQuote('EURUSD', 108450, 108452, 5, NOW, 'A');
    const b = q.bid;
    expect(b.toString()).toBe('1.0845');
    expect(q.bid).toBe(b);
    const r = q.withLp('B');
    expect(r.bid).toBe(b);
    expect(r.lp).toBe('B');
    expect(q.toJSON()).toMatchObject({ symbol: 'EURUSD', time: NOW, lp: 'A' });
  });

  it('the trailing screen never holds back a trail the exact rule (stops.ts) would move', () => {
    let moved = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 5),
        fc.boolean(),
        fc.integer({ min: 100_000, max: 200_000 }),
        fc.integer({ min: -3000, max: 3000 }),
        fc.option(fc.integer({ min: -3000, max: 3000 }), { nil: null }),
        fc.constantFrom('10', '15', '2.5', '0.35', '0'),
        fc.constantFrom('0', '1', '0.5', '3.3'),
        fc.integer({ min: 0, max: 20 }),
        (digits, buy, open, move, slOff, dist, step, spread) => {
          const k = new Decimal(10).pow(digits);
          const spec = forex('EURUSD', { digits, pipSize: new Decimal(10).div(k) });
          const p: PositionState = {
            id: 1n,
            accountId: 1,
            symbol: 'EURUSD',
            side: buy ? 'BUY' : 'SELL',
            volume: new Decimal(1),
            openPrice: new Decimal(open).div(k),
            margin: new Decimal(100),
            swap: new Decimal(0),
            commission: new Decimal(0),
            sl: slOff === null ? null : new Decimal(open + slOff).div(k),
            tp: null,
            openTime: NOW,
            trailing: { distancePips: new Decimal(dist), stepPips: new Decimal(step) },
          };
          const q = new PointsQuote('EURUSD', open + move, open + move + spread, digits, NOW, 'T');
          const exact = trailedStop(p, q, spec);
          if (exact) moved++;
          if (exact) expect(trailMayMove(p, spec, q.bidPts, q.askPts, digits)).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
    expect(moved).toBeGreaterThan(100);
  });
});
