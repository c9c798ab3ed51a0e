import { Decimal } from 'decimal.js';
import type { Timeframe } from '@broker/api/schemas';
import { pointsToDecimal, toPoints } from '../domain/points.ts';

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

const TIMEFRAMES = Object.keys(TIMEFRAME_SECONDS) as Timeframe[];
const TF_SECONDS = TIMEFRAMES.map((tf) => TIMEFRAME_SECONDS[tf]);

/**
 * A live bar fed by quotes in points: its prices are integers (× 10^digits) and become Decimals only when
 * read. Assigning a Decimal (a backfill merging into it) turns that price into a plain Decimal field.
 */
class PointsBar implements Bar {
  private od: Decimal | undefined;
  private hd: Decimal | undefined;
  private ld: Decimal | undefined;
  private cd: Decimal | undefined;
  /** Points of open/high/low/close; NaN once that price was set as a Decimal. */
  o: number;
  h: number;
  l: number;
  c: number;

  constructor(
    readonly time: number,
    pts: number,
    readonly digits: number,
    public ticks: number,
  ) {
    this.o = this.h = this.l = this.c = pts;
  }

  get open(): Decimal {
    return (this.od ??= pointsToDecimal(this.o, this.digits));
  }
  set open(v: Decimal) {
    this.od = v;
    this.o = NaN;
  }
  get high(): Decimal {
    return (this.hd ??= pointsToDecimal(this.h, this.digits));
  }
  set high(v: Decimal) {
    this.hd = v;
    this.h = NaN;
  }
  get low(): Decimal {
    return (this.ld ??= pointsToDecimal(this.l, this.digits));
  }
  set low(v: Decimal) {
    this.ld = v;
    this.l = NaN;
  }
  get close(): Decimal {
    return (this.cd ??= pointsToDecimal(this.c, this.digits));
  }
  set close(v: Decimal) {
    this.cd = v;
    this.c = NaN;
  }

  /** A bar of Decimals (loaded, backfilled) as a points bar at `digits`, or null when a price is finer. */
  static from(b: Bar, digits: number): PointsBar | null {
    const o = toPoints(b.open, digits);
    const h = toPoints(b.high, digits);
    const l = toPoints(b.low, digits);
    const c = toPoints(b.close, digits);
    if (!o || !h || !l || !c || o.digits !== digits || h.digits !== digits || l.digits !== digits || c.digits !== digits) return null;
    const bar = new PointsBar(b.time, o.pts, digits, b.ticks);
    bar.h = h.pts;
    bar.l = l.pts;
    bar.c = c.pts;
    return bar;
  }

  /** A tick in points at the bar's digits; false when a price is no longer held in points. */
  addPoints(pts: number, ticks: number): boolean {
    if (Number.isNaN(this.h) || Number.isNaN(this.l) || Number.isNaN(this.c)) return false;
    if (pts > this.h) {
      this.h = pts;
      this.hd = undefined;
    }
    if (pts < this.l) {
      this.l = pts;
      this.ld = undefined;
    }
    if (pts !== this.c) {
      this.c = pts;
      this.cd = undefined;
    }
    this.ticks += ticks;
    return true;
  }
}

/** OHLC bars of the bid for every timeframe, built in memory from ticks (architecture.md: candles). */
export class CandleBook {
  private readonly bars = new Map<string, Bar[]>();
  /** symbol → its series per timeframe (TIMEFRAMES order), the same arrays as in `bars`. */
  private readonly bySymbol = new Map<string, Bar[][]>();

  constructor(private readonly maxBars = 2000) {}

  private key(symbol: string, tf: Timeframe) {
    return `${symbol}|${tf}`;
  }

  addTick(symbol: string, price: Decimal, timeMs: number, ticks = 1): void {
    for (const tf of Object.keys(TIMEFRAME_SECONDS) as Timeframe[]) {
      this.addToTimeframe(symbol, tf, price, price, price, price, timeMs, ticks);
    }
  }

  /** addTick for a price in points (× 10^digits, exact): no Decimal unless a bar is read. */
  addTickPoints(symbol: string, pts: number, digits: number, timeMs: number, ticks = 1): void {
    let lists = this.bySymbol.get(symbol);
    if (!lists) {
      lists = TIMEFRAMES.map((tf) => {
        const key = this.key(symbol, tf);
        let list = this.bars.get(key);
        if (!list) this.bars.set(key, (list = []));
        return list;
      });
      this.bySymbol.set(symbol, lists);
    }
    const sec = timeMs / 1000;
    for (let i = 0; i < TF_SECONDS.length; i++) {
      const seconds = TF_SECONDS[i]!;
      const start = Math.floor(sec / seconds) * seconds;
      const list = lists[i]!;
      const last = list[list.length - 1];
      if (last && last.time === start) {
        if (last instanceof PointsBar && last.digits === digits && last.addPoints(pts, ticks)) continue;
        // A bar that came in as Decimals (loaded at start-up, backfilled): hold it in points from now on.
        const converted = PointsBar.from(last, digits);
        if (converted) {
          list[list.length - 1] = converted;
          converted.addPoints(pts, ticks);
          continue;
        }
        const price = pointsToDecimal(pts, digits);
        this.addToTimeframe(symbol, TIMEFRAMES[i]!, price, price, price, price, timeMs, ticks);
      } else if (!last || start > last.time) {
        list.push(new PointsBar(start, pts, digits, ticks));
        if (list.length > this.maxBars) list.splice(0, list.length - this.maxBars);
      }
      // A tick older than the last bar is ignored: bars only move forward.
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
      this.bySymbol.delete(symbol);
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
    return list.slice(-limit).map((b) => ({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close, ticks: b.ticks }));
  }
}
