// Persists the CandleBook's bars to `ohlc` so charts survive a restart (architecture.md: candles built in
// memory and persisted). The quote path calls onTick() instead of book.addTick(): it feeds the book and
// remembers, per symbol and timeframe, the oldest bar touched since the last flush (bars only move forward,
// so "every bar from there on" is exactly the changed set). A timer upserts those bars in ONE statement.
import { Decimal } from 'decimal.js';
import type { PrismaClient } from '@broker/db';
import type { Timeframe } from '@broker/api/schemas';
import type { Logger } from '../logger.ts';
import { TIMEFRAME_SECONDS, type Bar, type CandleBook } from './candles.ts';

const TIMEFRAMES = Object.keys(TIMEFRAME_SECONDS) as Timeframe[];
const TF_SECONDS = TIMEFRAMES.map((tf) => TIMEFRAME_SECONDS[tf]);

export const UPSERT_OHLC_SQL =
  `INSERT INTO ohlc (time, symbol, timeframe, open, high, low, close, volume) ` +
  `SELECT to_timestamp(u.t), u.s, u.tf, u.o, u.h, u.l, u.c, u.v ` +
  `FROM unnest($1::int8[], $2::varchar[], $3::varchar[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::int8[]) ` +
  `AS u(t, s, tf, o, h, l, c, v) ` +
  `ON CONFLICT (time, symbol, timeframe) DO UPDATE SET ` +
  `high = GREATEST(ohlc.high, EXCLUDED.high), low = LEAST(ohlc.low, EXCLUDED.low), ` +
  `close = EXCLUDED.close, volume = EXCLUDED.volume`;

export interface CandleStoreStats {
  /** Bars upserted. */
  written: number;
  /** Upsert statements that succeeded / failed. */
  batches: number;
  failedBatches: number;
  lastFlushMs: number;
}

interface RawBarRow {
  t: number | bigint | string;
  timeframe: string;
  open: unknown;
  high: unknown;
  low: unknown;
  close: unknown;
  volume: number | bigint | string;
}

export class CandleStore {
  private readonly prisma: Pick<PrismaClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;
  readonly book: CandleBook;
  private readonly log: Logger;
  /** symbol → per timeframe (TIMEFRAMES order) the start (unix s) of the oldest bar changed; Infinity when clean. */
  private readonly dirty = new Map<string, number[]>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly s: CandleStoreStats = { written: 0, batches: 0, failedBatches: 0, lastFlushMs: 0 };

  constructor(opts: { prisma: Pick<PrismaClient, '$executeRawUnsafe' | '$queryRawUnsafe'>; book: CandleBook; log: Logger; flushIntervalMs?: number }) {
    this.prisma = opts.prisma;
    this.book = opts.book;
    this.log = opts.log;
    const every = opts.flushIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), every);
      this.timer.unref?.();
    }
  }

  /** Use instead of book.addTick(symbol, bid, timeMs): feeds the book and marks the bars it changed. */
  onTick(symbol: string, bid: Decimal, timeMs: number): void {
    this.book.addTick(symbol, bid, timeMs);
    this.mark(symbol, timeMs);
  }

  /** onTick for a bid in points (× 10^digits, exact), as the engine's quote path has it. */
  onTickPoints(symbol: string, bidPts: number, digits: number, timeMs: number): void {
    this.book.addTickPoints(symbol, bidPts, digits, timeMs);
    this.mark(symbol, timeMs);
  }

  private mark(symbol: string, timeMs: number): void {
    let marks = this.dirty.get(symbol);
    if (!marks) this.dirty.set(symbol, (marks = TIMEFRAMES.map(() => Infinity)));
    const sec = timeMs / 1000;
    for (let i = 0; i < TF_SECONDS.length; i++) {
      const start = Math.floor(sec / TF_SECONDS[i]!) * TF_SECONDS[i]!;
      if (start < marks[i]!) marks[i] = start;
    }
  }

  stats(): CandleStoreStats {
    return { ...this.s };
  }

  /** Upserts every bar changed since the last flush, in one statement. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.dirty.size === 0) return;
    this.flushing = this.write();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private collect(): { t: number[]; s: string[]; tf: string[]; o: string[]; h: string[]; l: string[]; c: string[]; v: number[] } {
    const cols = { t: [] as number[], s: [] as string[], tf: [] as string[], o: [] as string[], h: [] as string[], l: [] as string[], c: [] as string[], v: [] as number[] };
    for (const [symbol, marks] of this.dirty) {
      for (let i = 0; i < TIMEFRAMES.length; i++) {
        const since = marks[i]!;
        if (since === Infinity) continue;
        const tf = TIMEFRAMES[i]!;
        // Changed bars are the newest ones; ask for a few more until the oldest changed bar is included.
        let want = 2;
        let bars: Bar[];
        for (;;) {
          bars = this.book.get(symbol, tf, want);
          if (bars.length < want || bars[0]!.time <= since) break;
          want *= 4;
        }
        for (const b of bars) {
          if (b.time < since) continue;
          cols.t.push(b.time);
          cols.s.push(symbol);
          cols.tf.push(tf);
          cols.o.push(b.open.toString());
          cols.h.push(b.high.toString());
          cols.l.push(b.low.toString());
          cols.c.push(b.close.toString());
          cols.v.push(b.ticks);
        }
      }
    }
    this.dirty.clear();
    return cols;
  }

  private async write(): Promise<void> {
    const cols = this.collect();
    if (cols.t.length === 0) return;
    const started = performance.now();
    try {
      await this.prisma.$executeRawUnsafe(UPSERT_OHLC_SQL, cols.t, cols.s, cols.tf, cols.o, cols.h, cols.l, cols.c, cols.v);
      this.s.written += cols.t.length;
      this.s.batches++;
      this.s.lastFlushMs = performance.now() - started;
    } catch (e) {
      this.s.failedBatches++;
      // Mark them dirty again: the next flush writes the then-current state of the same bars.
      for (let i = 0; i < cols.t.length; i++) {
        const symbol = cols.s[i]!;
        let marks = this.dirty.get(symbol);
        if (!marks) this.dirty.set(symbol, (marks = TIMEFRAMES.map(() => Infinity)));
        const k = TIMEFRAMES.indexOf(cols.tf[i] as Timeframe);
        if (cols.t[i]! < marks[k]!) marks[k] = cols.t[i]!;
      }
      this.log.warn('candle flush failed; will retry', { bars: cols.t.length, error: (e as Error).message });
      throw e;
    }
  }

  /**
   * Loads stored bars (every timeframe, bar time >= sinceMs) into `book` — call at start-up before quotes
   * flow, so the in-memory bars continue the stored ones (same bar: its ticks keep counting). Returns the
   * number of bars loaded.
   */
  async loadInto(book: CandleBook, opts: { sinceMs: number; symbols?: string[]; maxBarsPerSeries?: number }): Promise<number> {
    // At most the newest maxBarsPerSeries bars per (symbol, timeframe): what the book keeps (default 2000).
    const rows = await this.prisma.$queryRawUnsafe<(RawBarRow & { symbol: string })[]>(
      `SELECT symbol, timeframe, t, open, high, low, close, volume FROM (` +
        `SELECT symbol, timeframe, extract(epoch FROM time)::int8 AS t, open, high, low, close, volume, ` +
        `row_number() OVER (PARTITION BY symbol, timeframe ORDER BY time DESC) AS rn FROM ohlc ` +
        `WHERE time >= to_timestamp($1::float8 / 1000)` +
        (opts.symbols ? ` AND symbol = ANY($3::varchar[])` : '') +
        `) x WHERE rn <= $2 ORDER BY symbol, timeframe, t`,
      ...(opts.symbols ? [opts.sinceMs, opts.maxBarsPerSeries ?? 2000, opts.symbols] : [opts.sinceMs, opts.maxBarsPerSeries ?? 2000]),
    );
    const put = timeframeWriter(book);
    for (const r of rows) put(r.symbol, r.timeframe as Timeframe, toBar(r));
    return rows.length;
  }

  /**
   * The newest `limit` bars (those starting before `before`, unix s, when given): the database's, with the
   * in-memory bars (current and unflushed) on top. Pages asked for with `before` = the first bar's time of
   * the previous page meet without a gap or a bar twice.
   */
  async query(symbol: string, timeframe: Timeframe, limit: number, before?: number): Promise<Bar[]> {
    const rows = await this.prisma.$queryRawUnsafe<RawBarRow[]>(
      `SELECT timeframe, extract(epoch FROM time)::int8 AS t, open, high, low, close, volume FROM ohlc ` +
        `WHERE symbol = $1 AND timeframe = $2` +
        (before === undefined ? '' : ` AND time < to_timestamp($4::float8)`) +
        ` ORDER BY time DESC LIMIT $3`,
      ...(before === undefined ? [symbol, timeframe, limit] : [symbol, timeframe, limit, before]),
    );
    const byTime = new Map<number, Bar>();
    for (const r of rows) {
      const b = toBar(r);
      byTime.set(b.time, b);
    }
    // Memory wins: it holds every tick the database has for these bars, and possibly newer ones.
    const memory = this.book.get(symbol, timeframe, before === undefined ? limit : Number.MAX_SAFE_INTEGER);
    for (const b of memory) if (before === undefined || b.time < before) byTime.set(b.time, b);
    return [...byTime.values()].sort((x, y) => x.time - y.time).slice(-limit);
  }

  /**
   * Writes bars of history (synthetic back-history for simulated symbols) straight to `ohlc`, one statement
   * per few thousand bars; bars already stored are left as they are.
   */
  async writeHistory(symbol: string, timeframe: Timeframe, bars: readonly Bar[]): Promise<void> {
    for (let i = 0; i < bars.length; i += 5000) {
      const chunk = bars.slice(i, i + 5000);
      await this.prisma.$executeRawUnsafe(
        `INSERT INTO ohlc (time, symbol, timeframe, open, high, low, close, volume) ` +
          `SELECT to_timestamp(u.t), $2::varchar, $3::varchar, u.o, u.h, u.l, u.c, u.v ` +
          `FROM unnest($1::int8[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::int8[]) AS u(t, o, h, l, c, v) ` +
          `ON CONFLICT (time, symbol, timeframe) DO NOTHING`,
        chunk.map((b) => b.time),
        symbol,
        timeframe,
        chunk.map((b) => b.open.toString()),
        chunk.map((b) => b.high.toString()),
        chunk.map((b) => b.low.toString()),
        chunk.map((b) => b.close.toString()),
        chunk.map((b) => b.ticks),
      );
    }
  }

  /** Whether any bar of `symbol` is stored. */
  async hasBars(symbol: string): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ohlc WHERE symbol = $1 LIMIT 1`, symbol);
    return rows.length > 0;
  }
}

function toBar(r: RawBarRow): Bar {
  return {
    time: Number(r.t),
    open: new Decimal(String(r.open)),
    high: new Decimal(String(r.high)),
    low: new Decimal(String(r.low)),
    close: new Decimal(String(r.close)),
    ticks: Number(r.volume),
  };
}

/**
 * CandleBook has no public "add a bar to one timeframe" (addBar merges a bar into every timeframe, right for
 * 1m backfill, wrong for a stored 1d bar). Its private per-timeframe merge is exactly that; use it when
 * present, otherwise fall back to feeding only the 1m bars through addBar (higher timeframes rebuilt from
 * them, so they reach back only as far as the stored 1m bars).
 */
function timeframeWriter(book: CandleBook): (symbol: string, tf: Timeframe, bar: Bar) => void {
  const inner = (book as unknown as { addToTimeframe?: (symbol: string, tf: Timeframe, o: Decimal, h: Decimal, l: Decimal, c: Decimal, timeMs: number, ticks: number) => void })
    .addToTimeframe;
  if (typeof inner === 'function') {
    return (symbol, tf, bar) => inner.call(book, symbol, tf, bar.open, bar.high, bar.low, bar.close, bar.time * 1000, bar.ticks);
  }
  return (symbol, tf, bar) => {
    if (tf === '1m') book.addBar(symbol, bar);
  };
}
