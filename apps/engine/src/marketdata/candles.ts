import { Decimal } from 'decimal.js';
import type { Timeframe } from '@broker/api/schemas';

export const TIMEFRAME_SECONDS: Record<Timeframe, number> = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '4h': 14400,
  '1d': 86400,
};

export interface Bar {
  /** Unix seconds, start of the bar. */
  time: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  ticks: number;
}

/** OHLC bars of the bid for every timeframe, built in memory from ticks (architecture.md: candles). */
export class CandleBook {
  private readonly bars = new Map<string, Bar[]>();

  constructor(private readonly maxBars = 2000) {}

  private key(symbol: string, tf: Timeframe) {
    return `${symbol}|${tf}`;
  }

  addTick(symbol: string, price: Decimal, timeMs: number, ticks = 1): void {
    for (const tf of Object.keys(TIMEFRAME_SECONDS) as Timeframe[]) {
      this.addToTimeframe(symbol, tf, price, price, price, price, timeMs, ticks);
    }
  }

  /** Adds a whole bar of history (used to backfill): merged into every timeframe. */
  addBar(symbol: string, bar: Bar): void {
    for (const tf of Object.keys(TIMEFRAME_SECONDS) as Timeframe[]) {
      this.addToTimeframe(symbol, tf, bar.open, bar.high, bar.low, bar.close, bar.time * 1000, bar.ticks);
    }
  }

  private addToTimeframe(symbol: string, tf: Timeframe, open: Decimal, high: Decimal, low: Decimal, close: Decimal, timeMs: number, ticks: number) {
    const seconds = TIMEFRAME_SECONDS[tf];
    const start = Math.floor(timeMs / 1000 / seconds) * seconds;
    const key = this.key(symbol, tf);
    let list = this.bars.get(key);
    if (!list) this.bars.set(key, (list = []));
    const last = list[list.length - 1];
    if (last && last.time === start) {
      if (high.gt(last.high)) last.high = high;
      if (low.lt(last.low)) last.low = low;
      last.close = close;
      last.ticks += ticks;
    } else if (!last || start > last.time) {
      list.push({ time: start, open, high, low, close, ticks });
      if (list.length > this.maxBars) list.splice(0, list.length - this.maxBars);
    }
    // A tick older than the last bar is ignored: bars only move forward.
  }

  get(symbol: string, tf: Timeframe, limit: number): Bar[] {
    const list = this.bars.get(this.key(symbol, tf)) ?? [];
    return list.slice(-limit).map((b) => ({ ...b }));
  }
}
