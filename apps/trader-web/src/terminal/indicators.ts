// The chart's indicators, computed with the technicalindicators package and lined up with the bars' times.
// Numbers, not Decimal: these only feed the chart's drawing (no money, no order is ever computed from them).
import { MACD, RSI, SMA } from 'technicalindicators';

export interface Point {
  time: number;
  value: number;
}

export const INDICATORS = ['ma20', 'ma50', 'rsi', 'macd'] as const;
export type Indicator = (typeof INDICATORS)[number];
export const INDICATOR_LABELS: Record<Indicator, string> = { ma20: 'MA 20', ma50: 'MA 50', rsi: 'RSI 14', macd: 'MACD' };

export const RSI_PERIOD = 14;
export const MACD_PARAMS = { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 } as const;

/** The last `values.length` times: an indicator that starts later than the bars belongs to the last bars. */
function alignTail(times: readonly number[], values: readonly number[]): Point[] {
  const offset = times.length - values.length;
  return values.map((value, i) => ({ time: times[offset + i]!, value }));
}

/** Simple moving average of the closes; the first point is the period-th bar. */
export function movingAverage(times: readonly number[], closes: readonly number[], period: number): Point[] {
  if (closes.length < period) return [];
  return alignTail(times, SMA.calculate({ period, values: [...closes] }));
}

/** Wilder's RSI of the closes (0–100); the first point is bar period+1. */
export function rsi(times: readonly number[], closes: readonly number[], period = RSI_PERIOD): Point[] {
  if (closes.length <= period) return [];
  return alignTail(times, RSI.calculate({ period, values: [...closes] }));
}

export interface MacdSeries {
  macd: Point[];
  signal: Point[];
  histogram: Point[];
}

/** MACD(12, 26, 9) with exponential averages, as the trading platforms draw it. */
export function macd(times: readonly number[], closes: readonly number[]): MacdSeries {
  const out: MacdSeries = { macd: [], signal: [], histogram: [] };
  if (closes.length < MACD_PARAMS.slowPeriod) return out;
  const rows = MACD.calculate({ values: [...closes], ...MACD_PARAMS, SimpleMAOscillator: false, SimpleMASignal: false });
  const offset = times.length - rows.length;
  rows.forEach((r, i) => {
    const time = times[offset + i]!;
    if (r.MACD !== undefined) out.macd.push({ time, value: r.MACD });
    if (r.signal !== undefined) out.signal.push({ time, value: r.signal });
    if (r.histogram !== undefined) out.histogram.push({ time, value: r.histogram });
  });
  return out;
}
