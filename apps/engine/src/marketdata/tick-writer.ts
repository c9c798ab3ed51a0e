// Tick history (architecture.md, How a quote flows: "tick buffer written in batches"). The quote path calls
// add() — synchronous, O(1), no I/O — and a timer writes the buffer to `ticks` in batches of one statement
// each (INSERT … SELECT FROM unnest(arrays)), so 5,000 ticks cost one round trip, never one per tick.
// When the database cannot keep up the ring buffer overwrites its oldest ticks (counted in stats.dropped,
// logged at most every few seconds): the quote path never waits on the database.
import { performance } from 'node:perf_hooks';
import type { Decimal } from 'decimal.js';
import type { PrismaClient } from '@broker/db';
import type { Logger } from '../logger.ts';
import { formatPoints, PointsQuote } from '../domain/points.ts';

export interface TickRow {
  /** Unix ms. */
  time: number;
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  lp: string;
}

export interface TickWriterStats {
  /** Ticks accepted by add(). */
  received: number;
  /** Rows sent to the database in batches that succeeded (duplicates ignored by ON CONFLICT included). */
  written: number;
  /** Ticks lost: overwritten in a full buffer, or in a batch that failed too often. */
  dropped: number;
  /** INSERT statements that succeeded. */
  batches: number;
  failedBatches: number;
  /** Duration of the last successful INSERT, ms. */
  lastFlushMs: number;
  /** Ticks waiting (buffer + in flight). */
  pending: number;
}

export interface TickWriterOptions {
  prisma: Pick<PrismaClient, '$executeRawUnsafe'>;
  log: Logger;
  flushIntervalMs?: number;
  /** Rows per INSERT statement. */
  maxBatch?: number;
  /** Ticks held in memory before the oldest are dropped. */
  maxBuffer?: number;
  /** A failed batch is retried this many times before its ticks are dropped. */
  maxAttempts?: number;
  /** INSERT statements in flight at once (each on its own pooled connection); default 1. */
  concurrency?: number;
}

// One statement per batch: the arrays are unnested into rows. Time travels as epoch milliseconds (float8,
// exact for integers) and is converted in SQL; prices as their decimal strings (numeric keeps every digit).
// spread is computed by PostgreSQL from the same numerics. Works the same over the pg adapter and PGlite.
export const INSERT_TICKS_SQL =
  `INSERT INTO ticks (time, symbol, bid, ask, spread, lp) ` +
  `SELECT 'epoch'::timestamptz + u.t * interval '1 millisecond', u.s, u.b, u.a, u.a - u.b, u.l ` +
  `FROM unnest($1::float8[], $2::varchar[], $3::numeric[], $4::numeric[], $5::varchar[]) AS u(t, s, b, a, l) ` +
  `ON CONFLICT DO NOTHING`;

export class TickWriter {
  private readonly prisma: TickWriterOptions['prisma'];
  private readonly log: Logger;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxAttempts: number;
  // Ring buffer: `head` is the oldest tick, `size` ticks from there on.
  private readonly ring: (TickRow | undefined)[];
  private head = 0;
  private size = 0;
  /** Batches being written (still visible to recent()). */
  private readonly inflight = new Set<TickRow[]>();
  private readonly concurrency: number;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private soon = false;
  private stopped = false;
  private lastDropLog = 0;
  private droppedSinceLog = 0;
  private readonly s = { received: 0, written: 0, dropped: 0, batches: 0, failedBatches: 0, lastFlushMs: 0 };

  constructor(opts: TickWriterOptions) {
    this.prisma = opts.prisma;
    this.log = opts.log;
    this.flushIntervalMs = opts.flushIntervalMs ?? 250;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 5000);
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.ring = new Array(Math.max(this.maxBatch, opts.maxBuffer ?? 200_000));
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref?.();
  }

  /** Queues a tick (sync, O(1)). The oldest queued tick is dropped when the buffer is full. */
  add(tick: TickRow): void {
    if (this.stopped) return;
    this.s.received++;
    const cap = this.ring.length;
    if (this.size === cap) {
      // Full: overwrite the oldest.
      this.ring[this.head] = tick;
      this.head = (this.head + 1) % cap;
      this.noteDropped(1);
      return;
    }
    this.ring[(this.head + this.size) % cap] = tick;
    this.size++;
    // A full batch is waiting: write it now rather than at the next interval (bursts).
    if (this.size >= this.maxBatch && !this.flushing && !this.soon) {
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        void this.flush();
      });
    }
  }

  /** The newest `limit` ticks of `symbol` not yet in the database, oldest first. */
  recent(symbol: string, limit: number): TickRow[] {
    const out: TickRow[] = [];
    const cap = this.ring.length;
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const t = this.ring[(this.head + i) % cap]!;
      if (t.symbol === symbol) out.push(t);
    }
    // In-flight batches are older than the buffer; the newest batch last.
    const batches = [...this.inflight];
    for (let k = batches.length - 1; k >= 0 && out.length < limit; k--) {
      const batch = batches[k]!;
      for (let i = batch.length - 1; i >= 0 && out.length < limit; i--) {
        const t = batch[i]!;
        if (t.symbol === symbol) out.push(t);
      }
    }
    return out.reverse();
  }

  stats(): TickWriterStats {
    let inflight = 0;
    for (const b of this.inflight) inflight += b.length;
    return { ...this.s, pending: this.size + inflight };
  }

  /** Writes everything queued so far (in batches of maxBatch); resolves when done. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.size === 0) return;
    this.flushing = this.drain();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** Stops the timer and writes what is left. Ticks added afterwards are ignored. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < this.concurrency; i++) lanes.push(this.lane());
    await Promise.all(lanes);
  }

  /** Takes batches off the buffer and writes them, one at a time, until the buffer is empty. */
  private async lane(): Promise<void> {
    while (this.size > 0) {
      const n = Math.min(this.size, this.maxBatch);
      const batch = new Array<TickRow>(n);
      const cap = this.ring.length;
      for (let i = 0; i < n; i++) {
        const at = (this.head + i) % cap;
        batch[i] = this.ring[at]!;
        this.ring[at] = undefined;
      }
      this.head = (this.head + n) % cap;
      this.size -= n;
      this.inflight.add(batch);
      const ok = await this.writeBatch(batch);
      this.inflight.delete(batch);
      if (!ok) {
        this.noteDropped(batch.length);
        return; // try the rest at the next interval
      }
    }
  }

  private async writeBatch(batch: TickRow[]): Promise<boolean> {
    const n = batch.length;
    const t = new Array<number>(n);
    const s = new Array<string>(n);
    const b = new Array<string>(n);
    const a = new Array<string>(n);
    const l = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const x = batch[i]!;
      t[i] = x.time;
      s[i] = x.symbol;
      if (x instanceof PointsQuote) {
        // A quote in points is stored as is (the engine adds its quotes themselves: no row object per tick).
        b[i] = formatPoints(x.bidPts, x.digits);
        a[i] = formatPoints(x.askPts, x.digits);
      } else {
        b[i] = x.bid.toString();
        a[i] = x.ask.toString();
      }
      l[i] = x.lp;
    }
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        await this.prisma.$executeRawUnsafe(INSERT_TICKS_SQL, t, s, b, a, l);
        this.s.lastFlushMs = performance.now() - started;
        this.s.batches++;
        this.s.written += n;
        return true;
      } catch (e) {
        this.s.failedBatches++;
        if (attempt >= this.maxAttempts || this.stopped) {
          this.log.error('tick batch dropped', { rows: n, attempts: attempt, error: (e as Error).message });
          return false;
        }
        this.log.warn('tick batch failed; retrying', { rows: n, attempt, error: (e as Error).message });
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  private noteDropped(n: number): void {
    this.s.dropped += n;
    this.droppedSinceLog += n;
    const now = Date.now();
    if (now - this.lastDropLog >= 5000) {
      this.log.warn('tick buffer full: dropping oldest ticks', { dropped: this.droppedSinceLog, total: this.s.dropped, buffered: this.size });
      this.lastDropLog = now;
      this.droppedSinceLog = 0;
    }
  }
}
