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

  /**
   * History that ends where live bars begin (a backfill after quotes already flow): bars older than the
   * first bar of each series go in front of it; one that shares its period widens it. Live bars keep their
   * close.
   */
  backfill(symbol: string, bars: readonly Bar[]): void {
    const history = new CandleBook(this.maxBars);
    for (const b of bars) history.addBar(symbol, b);
    for (const tf of Object.keys(TIMEFRAME_SECONDS) as Timeframe[]) {
      const key = this.key(symbol, tf);
      const live = this.bars.get(key) ?? [];
      const past = history.bars.get(key) ?? [];
      const first = live[0];
      const same = first ? past.find((b) => b.time === first.time) : undefined;
      if (first && same) {
        first.open = same.open;
        if (same.high.gt(first.high)) first.high = same.high;
        if (same.low.lt(first.low)) first.low = same.low;
        first.ticks += same.ticks;
      }
      const older = first ? past.filter((b) => b.time < first.time) : past;
      this.bars.set(key, [...older, ...live].slice(-this.maxBars));
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
