// The chart's indicators (technicalindicators) lined up with the bars they belong to.
import { describe, expect, it } from 'vitest';
import { macd, movingAverage, rsi } from '../src/terminal/indicators.ts';

const times = Array.from({ length: 60 }, (_, i) => 1_700_000_000 + i * 60);
const rising = times.map((_, i) => 1 + i / 100);

describe('indicators', () => {
  it('MA(20) starts at the 20th bar and is the mean of the last 20 closes', () => {
    const ma = movingAverage(times, rising, 20);
    expect(ma).toHaveLength(41);
    expect(ma[0]!.time).toBe(times[19]);
    expect(ma.at(-1)!.time).toBe(times.at(-1));
    const last20 = rising.slice(-20);
    expect(ma.at(-1)!.value).toBeCloseTo(last20.reduce((a, b) => a + b, 0) / 20, 10);
  });
  it('MA(50) needs 50 bars', () => {
    expect(movingAverage(times.slice(0, 49), rising.slice(0, 49), 50)).toEqual([]);
    expect(movingAverage(times, rising, 50)[0]!.time).toBe(times[49]);
  });
  it('RSI(14) of closes that only rise is 100 and starts at bar 15', () => {
    const r = rsi(times, rising);
    expect(r[0]!.time).toBe(times[14]);
    expect(r.at(-1)!.time).toBe(times.at(-1));
    expect(r.every((p) => p.value === 100)).toBe(true);
  });
  it('RSI of a zig-zag sits between 0 and 100', () => {
    const zig = times.map((_, i) => 1 + (i % 2 ? 0.01 : 0) + i / 1000);
    const r = rsi(times, zig);
    expect(r.every((p) => p.value > 0 && p.value < 100)).toBe(true);
  });
  it('MACD(12, 26, 9): the line from bar 26, the signal and histogram 8 bars later, on the last bar', () => {
    const m = macd(times, rising);
    expect(m.macd[0]!.time).toBe(times[25]);
    expect(m.signal[0]!.time).toBe(times[33]);
    expect(m.histogram.at(-1)!.time).toBe(times.at(-1));
    const lastHist = m.histogram.at(-1)!.value;
    expect(lastHist).toBeCloseTo(m.macd.at(-1)!.value - m.signal.at(-1)!.value, 10);
    // On a steady rise the fast average is above the slow one.
    expect(m.macd.at(-1)!.value).toBeGreaterThan(0);
  });
  it('draws nothing rather than nonsense with too few bars', () => {
    expect(macd(times.slice(0, 10), rising.slice(0, 10))).toEqual({ macd: [], signal: [], histogram: [] });
    expect(rsi(times.slice(0, 14), rising.slice(0, 14))).toEqual([]);
  });
});
