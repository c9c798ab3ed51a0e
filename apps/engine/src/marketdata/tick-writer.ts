// Tick history (architecture.md, How a quote flows: "tick buffer written in batches"). The quote path calls
// add() — synchronous, O(1), no I/O — and a timer writes the buffer to `ticks` in batches of one statement
// each (INSERT … SELECT FROM unnest(arrays)), so 5,000 ticks cost one round trip, never one per tick.
// When the database cannot keep up, the oldest ticks of a full buffer (and batches that failed their retries)
// spill to files in `spillDir` and are written from there once the buffer has drained: the quote path never
// waits on the database, and history is not lost. Only a tick that can be neither buffered nor spilled (no
// spillDir, a disk that fails or falls more than maxSpillBytes behind) is dropped — counted in stats.dropped,
// on /metrics and in health, and logged at most every few seconds.
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Decimal } from 'decimal.js';
import type { PrismaClient } from '@broker/db';
import type { Logger } from '../logger.ts';
import { formatPoints, PointsQuote, quotePoints } from '../domain/points.ts';

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
  /** Ticks lost: neither buffered nor spilled (no spillDir, or the spill failed or fell too far behind). */
  dropped: number;
  /** Ticks written to spill files (the buffer was full, or their batch failed), and those written from them since. */
  spilled: number;
  replayed: number;
  /** Ticks in spill files not yet in the database. */
  spillPending: number;
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
  /** Where a full buffer spills its oldest ticks (a directory of this writer's own); none: they are dropped. */
  spillDir?: string | null;
  /** Spill bytes waiting for the disk beyond which a spill is dropped instead (default 64 MiB). */
  maxSpillBytes?: number;
}

// One statement per batch: the arrays are unnested into rows. Time travels as epoch microseconds (float8,
// exact for integers below 2^53, i.e. until the year 2255) and is converted in SQL; prices as their decimal strings (numeric keeps every digit),
// sent as one array literal per column (text, cast in SQL). spread is computed by PostgreSQL from the same
// numerics. Works the same over the pg adapter and PGlite.
export const INSERT_TICKS_SQL =
  `INSERT INTO ticks (time, symbol, bid, ask, spread, lp) ` +
  `SELECT 'epoch'::timestamptz + u.t * interval '1 microsecond', u.s, u.b, u.a, u.a - u.b, u.l ` +
  `FROM unnest($1::float8[], $2::text::varchar[], $3::text::numeric[], $4::text::numeric[], $5::text::varchar[]) AS u(t, s, b, a, l) ` +
  `ON CONFLICT DO NOTHING`;

/** A batch taken off the ring: columns, `n` rows. */
interface Batch {
  n: number;
  t: Float64Array;
  b: Float64Array;
  a: Float64Array;
  d: Uint8Array;
  s: Uint32Array;
  l: Uint32Array;
  /** Rows whose prices could not be held as points (kept as given), by position; usually null. */
  objs: (TickRow | undefined)[] | null;
}

/**
 * The ring holds columns in typed arrays — time, bid and ask in points (exact integers, see domain/points.ts),
 * digits, and symbol/LP as indices into an interned table — so buffered ticks are no objects for the garbage
 * collector to trace or promote; rows are only rebuilt for recent().
 */
export class TickWriter {
  private readonly prisma: TickWriterOptions['prisma'];
  private readonly log: Logger;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxAttempts: number;
  // Ring buffer: `head` is the oldest tick, `size` ticks from there on.
  private readonly cap: number;
  /** Tick times, epoch µs (see lastUs). */
  private readonly rt: Float64Array;
  private readonly rb: Float64Array;
  private readonly ra: Float64Array;
  private readonly rd: Uint8Array;
  private readonly rs: Uint32Array;
  private readonly rl: Uint32Array;
  private readonly robjs = new Map<number, TickRow>();
  private head = 0;
  private size = 0;
  /** Interned symbol and LP names (and their quoted array-literal form). */
  private readonly names: string[] = [];
  private readonly quoted: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private lastName = '';
  private lastNameId = -1;
  private lastLp = '';
  private lastLpId = -1;
  /**
   * The newest tick time (epoch µs) given to each symbol and LP (key symbolId·65536 + lpId). A tick in the
   * same millisecond as the one before it gets the next microsecond, so ticks of one ms keep their order and
   * none is lost to the primary key (time, symbol, lp); a batch retried after a commit whose answer was lost
   * carries the same times and is ignored by ON CONFLICT.
   */
  private readonly lastUs = new Map<number, number>();
  /** Batches being written (still visible to recent()). */
  private readonly inflight = new Set<Batch>();
  private readonly concurrency: number;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private soon = false;
  private stopped = false;
  private lastDropLog = 0;
  private droppedSinceLog = 0;
  private readonly s = { received: 0, written: 0, dropped: 0, spilled: 0, replayed: 0, batches: 0, failedBatches: 0, lastFlushMs: 0 };
  private readonly spillDir: string | null;
  private readonly maxSpillBytes: number;
  /** The spill file being appended to, its path and rows; closed files wait in `spillFiles` (oldest first). */
  private spillStream: WriteStream | null = null;
  private spillPath = '';
  private spillRows = 0;
  private spillSeq = 0;
  private readonly spillFiles: { path: string; rows: number }[] = [];
  private replaying: Promise<void> | null = null;

  constructor(opts: TickWriterOptions) {
    this.prisma = opts.prisma;
    this.log = opts.log;
    this.flushIntervalMs = opts.flushIntervalMs ?? 250;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 5000);
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.spillDir = opts.spillDir ?? null;
    this.maxSpillBytes = opts.maxSpillBytes ?? 64 * 1024 * 1024;
    if (this.spillDir) {
      mkdirSync(this.spillDir, { recursive: true });
      // Spill files left by an earlier run of this writer: written first.
      for (const f of readdirSync(this.spillDir).filter((x) => x.endsWith(SPILL_EXT) || x.endsWith('.tsv')).sort()) this.spillFiles.push({ path: path.join(this.spillDir, f), rows: -1 });
    }
    const cap = (this.cap = Math.max(this.maxBatch, opts.maxBuffer ?? 200_000));
    this.rt = new Float64Array(cap);
    this.rb = new Float64Array(cap);
    this.ra = new Float64Array(cap);
    this.rd = new Uint8Array(cap);
    this.rs = new Uint32Array(cap);
    this.rl = new Uint32Array(cap);
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref?.();
  }

  private intern(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.quoted.push(`"${name.replace(/["\\]/g, '\\$&')}"`);
      this.nameIds.set(name, id);
    }
    return id;
  }

  /** Queues a tick (sync, O(1), no allocation). The oldest queued tick is dropped when the buffer is full. */
  add(tick: TickRow): void {
    if (this.stopped) return;
    this.s.received++;
    const cap = this.cap;
    let at: number;
    if (this.size === cap && this.spillDir) this.spill(this.take(Math.min(this.size, this.maxBatch)));
    if (this.size === cap) {
      // Full, nowhere to spill: overwrite the oldest.
      at = this.head;
      this.head = (this.head + 1) % cap;
      this.noteDropped(1);
    } else {
      at = (this.head + this.size) % cap;
      this.size++;
    }
    if (tick.symbol !== this.lastName) {
      this.lastName = tick.symbol;
      this.lastNameId = this.intern(tick.symbol);
    }
    if (tick.lp !== this.lastLp) {
      this.lastLp = tick.lp;
      this.lastLpId = this.intern(tick.lp);
    }
    let us = Math.round(tick.time * 1000);
    const k = this.lastNameId * 65536 + this.lastLpId;
    const last = this.lastUs.get(k);
    if (last !== undefined && us <= last && last - us < 1000) us = last + 1;
    this.lastUs.set(k, us);
    this.rt[at] = us;
    this.rs[at] = this.lastNameId;
    this.rl[at] = this.lastLpId;
    if (this.robjs.size) this.robjs.delete(at);
    const p = tick instanceof PointsQuote ? tick : quotePoints(tick, 0);
    if (p instanceof PointsQuote) {
      this.rb[at] = p.bidPts;
      this.ra[at] = p.askPts;
      this.rd[at] = p.digits;
    } else if (p) {
      this.rb[at] = p.bid;
      this.ra[at] = p.ask;
      this.rd[at] = p.digits;
    } else {
      this.rd[at] = 255;
      this.robjs.set(at, tick);
    }
    // A full batch is waiting: write it now rather than at the next interval (bursts).
    if (this.size >= this.maxBatch && !this.flushing && !this.soon) {
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        void this.flush();
      });
    }
  }

  private row(batch: Batch, i: number): TickRow {
    const obj = batch.objs?.[i];
    if (obj) return obj;
    return new PointsQuote(this.names[batch.s[i]!]!, batch.b[i]!, batch.a[i]!, batch.d[i]!, Math.floor(batch.t[i]! / 1000), this.names[batch.l[i]!]!);
  }

  /** The newest `limit` ticks of `symbol` not yet in the database, oldest first. */
  recent(symbol: string, limit: number): TickRow[] {
    return this.recentUs(symbol, limit).map((x) => x.tick);
  }

  /**
   * recent() with each tick's stored time in epoch µs (the ms `time` of a tick plus the microseconds that keep
   * same-ms ticks of one LP apart), as the database will hold it; `accept` filters before `limit` counts.
   */
  recentUs(symbol: string, limit: number, accept?: (us: number, lp: string) => boolean): { tick: TickRow; us: number }[] {
    const out: { tick: TickRow; us: number }[] = [];
    const id = this.nameIds.get(symbol);
    if (id === undefined) return out;
    const cap = this.cap;
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const at = (this.head + i) % cap;
      if (this.rs[at] !== id) continue;
      const us = this.rt[at]!;
      const lp = this.names[this.rl[at]!]!;
      if (accept && !accept(us, lp)) continue;
      const obj = this.rd[at] === 255 ? this.robjs.get(at) : undefined;
      out.push({ tick: obj ?? new PointsQuote(symbol, this.rb[at]!, this.ra[at]!, this.rd[at]!, Math.floor(us / 1000), lp), us });
    }
    // In-flight batches are older than the buffer; the newest batch last.
    const batches = [...this.inflight];
    for (let k = batches.length - 1; k >= 0 && out.length < limit; k--) {
      const batch = batches[k]!;
      for (let i = batch.n - 1; i >= 0 && out.length < limit; i--) {
        if (batch.s[i] !== id) continue;
        if (accept && !accept(batch.t[i]!, this.names[batch.l[i]!]!)) continue;
        out.push({ tick: this.row(batch, i), us: batch.t[i]! });
      }
    }
    return out.reverse();
  }

  stats(): TickWriterStats {
    let inflight = 0;
    for (const b of this.inflight) inflight += b.n;
    return { ...this.s, pending: this.size + inflight, spillPending: Math.max(0, this.s.spilled - this.s.replayed) };
  }

  /** Writes everything queued so far (in batches of maxBatch), then what spilled; resolves when done. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.size === 0) {
      if (this.spillFiles.length || this.spillRows) await this.replay();
      return;
    }
    this.flushing = this.drain().then(() => (this.size === 0 ? this.replay() : undefined));
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
    await this.closeSpill();
  }

  private async drain(): Promise<void> {
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < this.concurrency; i++) lanes.push(this.lane());
    await Promise.all(lanes);
  }

  /** Takes `n` ticks off the head of the ring as a batch of columns. */
  private take(n: number): Batch {
    const batch: Batch = { n, t: new Float64Array(n), b: new Float64Array(n), a: new Float64Array(n), d: new Uint8Array(n), s: new Uint32Array(n), l: new Uint32Array(n), objs: null };
    const cap = this.cap;
    let done = 0;
    while (done < n) {
      const from = (this.head + done) % cap;
      const len = Math.min(n - done, cap - from);
      batch.t.set(this.rt.subarray(from, from + len), done);
      batch.b.set(this.rb.subarray(from, from + len), done);
      batch.a.set(this.ra.subarray(from, from + len), done);
      batch.d.set(this.rd.subarray(from, from + len), done);
      batch.s.set(this.rs.subarray(from, from + len), done);
      batch.l.set(this.rl.subarray(from, from + len), done);
      done += len;
    }
    if (this.robjs.size) {
      for (let i = 0; i < n; i++) {
        const at = (this.head + i) % cap;
        const obj = this.robjs.get(at);
        if (obj) {
          (batch.objs ??= new Array<TickRow | undefined>(n))[i] = obj;
          this.robjs.delete(at);
        }
      }
    }
    this.head = (this.head + n) % cap;
    this.size -= n;
    return batch;
  }

  /** Takes batches off the buffer and writes them, one at a time, until the buffer is empty. */
  private async lane(): Promise<void> {
    while (this.size > 0) {
      const batch = this.take(Math.min(this.size, this.maxBatch));
      this.inflight.add(batch);
      const ok = await this.writeBatch(batch);
      this.inflight.delete(batch);
      if (!ok) {
        if (this.spillDir) this.spill(batch);
        else this.noteDropped(batch.n);
        return; // try the rest at the next interval
      }
    }
  }

  /**
   * Appends a batch to the current spill file as one binary record: the batch's columns as they are (no text
   * per tick: spilling runs on the quote path whenever the database falls behind, ~33 bytes a tick), after a
   * header with the names table and any rows whose prices are not points (spillRecord).
   */
  private spill(batch: Batch): void {
    const stream = this.spillStream ?? this.openSpill();
    if (!stream || stream.writableLength > this.maxSpillBytes) {
      this.noteDropped(batch.n);
      return;
    }
    stream.cork();
    for (const part of spillRecord(batch, this.names)) stream.write(part);
    process.nextTick(() => stream.uncork());
    this.spillRows += batch.n;
    this.s.spilled += batch.n;
  }

  private openSpill(): WriteStream | null {
    if (!this.spillDir) return null;
    this.spillPath = path.join(this.spillDir, `${Date.now()}-${String(++this.spillSeq).padStart(6, '0')}${SPILL_EXT}`);
    const stream = (this.spillStream = createWriteStream(this.spillPath, { flags: 'a' }));
    stream.on('error', (err) => {
      this.log.error('tick spill failed', { file: this.spillPath, error: err.message });
      if (this.spillStream === stream) this.spillStream = null;
    });
    return stream;
  }

  /** Closes the current spill file (it joins the files to replay). */
  private async closeSpill(): Promise<void> {
    const stream = this.spillStream;
    if (!stream) return;
    this.spillStream = null;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    this.spillFiles.push({ path: this.spillPath, rows: this.spillRows });
    this.spillRows = 0;
  }

  /** Writes the spill files to the database, oldest first; a file goes once all its rows are in. */
  private replay(): Promise<void> {
    if (!this.replaying) {
      this.replaying = (async () => {
        await this.closeSpill();
        while (this.spillFiles.length && this.size === 0) {
          const file = this.spillFiles[0]!;
          if (!(await this.replayFile(file.path))) return; // the database is failing: later
          rmSync(file.path, { force: true });
          this.spillFiles.shift();
        }
      })().finally(() => {
        this.replaying = null;
      });
    }
    return this.replaying;
  }

  private async replayFile(file: string): Promise<boolean> {
    return file.endsWith('.tsv') ? this.replayText(file) : this.replayBinary(file);
  }

  /** A binary spill file (spillRecord): each record is one INSERT. */
  private async replayBinary(file: string): Promise<boolean> {
    let pending: Buffer = Buffer.alloc(0);
    try {
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const rec = readSpillRecord(pending);
          if (!rec) break;
          pending = pending.subarray(rec.bytes);
          // Rows already replayed from this file before a failure are ignored by ON CONFLICT.
          if (rec.n && !(await this.insertReplayed(rec.t, rec.s.map(quote), rec.b, rec.a, rec.l.map(quote)))) return false;
        }
      }
    } catch (err) {
      this.log.error('tick spill replay failed', { file, error: (err as Error).message });
      return false;
    }
    // A torn last record (a crash mid-write) is not a tick row: it is left out, and said so.
    if (pending.length) this.log.warn('tick spill: incomplete last record ignored', { file, bytes: pending.length });
    return true;
  }

  private async insertReplayed(t: number[], s: string[], b: string[], a: string[], l: string[]): Promise<boolean> {
    const ok = await this.insert(t, s, b, a, l);
    if (ok) this.s.replayed += t.length;
    return ok;
  }

  /** A text spill file of an earlier version (one `µs symbol bid ask lp` line per tick). */
  private async replayText(file: string): Promise<boolean> {
    const cols = { t: [] as number[], s: [] as string[], b: [] as string[], a: [] as string[], l: [] as string[] };
    const send = async (): Promise<boolean> => {
      if (!cols.t.length) return true;
      const ok = await this.insertReplayed(cols.t, cols.s.map(quote), cols.b, cols.a, cols.l.map(quote));
      cols.t = [];
      cols.s = [];
      cols.b = [];
      cols.a = [];
      cols.l = [];
      return ok;
    };
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        const [t, sym, bid, ask, lp] = line.split('\t');
        if (!t || !sym || !bid || !ask || lp === undefined) continue;
        cols.t.push(Number(t));
        cols.s.push(sym);
        cols.b.push(bid);
        cols.a.push(ask);
        cols.l.push(lp);
        if (cols.t.length >= this.maxBatch && !(await send())) return false;
      }
    } catch (err) {
      this.log.error('tick spill replay failed', { file, error: (err as Error).message });
      return false;
    }
    return send();
  }

  /** One INSERT with retries (the arguments as INSERT_TICKS_SQL takes them). */
  private async insert(t: number[], s: string[], b: string[], a: string[], l: string[]): Promise<boolean> {
    const args = [t, `{${s.join(',')}}`, `{${b.join(',')}}`, `{${a.join(',')}}`, `{${l.join(',')}}`];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.prisma.$executeRawUnsafe(INSERT_TICKS_SQL, ...args);
        this.s.batches++;
        this.s.written += t.length;
        return true;
      } catch (e) {
        this.s.failedBatches++;
        if (attempt >= this.maxAttempts) {
          this.log.warn('tick spill replay: batch failed, kept for later', { rows: t.length, error: (e as Error).message });
          return false;
        }
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  private async writeBatch(batch: Batch): Promise<boolean> {
    const n = batch.n;
    // Times as a number array; the text columns as ready-made array literals (one string each: the drivers
    // need not walk and escape thousands of elements).
    const t = Array.from(batch.t);
    const s = new Array<string>(n);
    const b = new Array<string>(n);
    const a = new Array<string>(n);
    const l = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      s[i] = this.quoted[batch.s[i]!]!;
      l[i] = this.quoted[batch.l[i]!]!;
      const obj = batch.objs?.[i];
      if (obj) {
        b[i] = obj.bid.toString();
        a[i] = obj.ask.toString();
      } else {
        b[i] = formatPoints(batch.b[i]!, batch.d[i]!);
        a[i] = formatPoints(batch.a[i]!, batch.d[i]!);
      }
    }
    const sl = `{${s.join(',')}}`;
    const bl = `{${b.join(',')}}`;
    const al = `{${a.join(',')}}`;
    const ll = `{${l.join(',')}}`;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        await this.prisma.$executeRawUnsafe(INSERT_TICKS_SQL, t, sl, bl, al, ll);
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
    if (n <= 0) return;
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

/** A name as an element of a PostgreSQL array literal. */
function quote(name: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** Spill files: binary records (spillRecord); `.tsv` files of an earlier version are still replayed. */
const SPILL_EXT = '.ticks';
/** Bytes per tick in a spill record: time, bid, ask (float64), symbol, LP (uint32), digits (uint8). */
const SPILL_ROW_BYTES = 8 * 3 + 4 * 2 + 1;

/**
 * One batch as a spill record, little-endian: rows (uint32), header length (uint32), the header (JSON: the
 * names table the symbol and LP indices point into, and `[row, bid, ask]` for rows kept as given), then the
 * columns t, b, a (float64), s, l (uint32), d (uint8) — the batch's own typed arrays, not copied.
 */
function spillRecord(batch: Batch, names: readonly string[]): Buffer[] {
  const objs: [number, string, string][] = [];
  if (batch.objs) for (let i = 0; i < batch.n; i++) {
    const o = batch.objs[i];
    if (o) objs.push([i, o.bid.toString(), o.ask.toString()]);
  }
  const header = Buffer.from(JSON.stringify(objs.length ? { names, objs } : { names }));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(batch.n, 0);
  head.writeUInt32LE(header.length, 4);
  const view = (a: Float64Array | Uint32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, batch.n * a.BYTES_PER_ELEMENT);
  return [head, header, view(batch.t), view(batch.b), view(batch.a), view(batch.s), view(batch.l), view(batch.d)];
}

/** The first record of `buf` as INSERT arguments (prices as text), and its length; null while incomplete. */
function readSpillRecord(buf: Buffer): { bytes: number; n: number; t: number[]; s: string[]; b: string[]; a: string[]; l: string[] } | null {
  if (buf.length < 8) return null;
  const n = buf.readUInt32LE(0);
  const hl = buf.readUInt32LE(4);
  const bytes = 8 + hl + n * SPILL_ROW_BYTES;
  if (buf.length < bytes) return null;
  const header = JSON.parse(buf.toString('utf8', 8, 8 + hl)) as { names: string[]; objs?: [number, string, string][] };
  let off = 8 + hl;
  // Copied out into aligned arrays (a record may start at any byte of a chunk).
  const col = <T extends Float64Array | Uint32Array | Uint8Array>(Ctor: { new (n: number): T; BYTES_PER_ELEMENT: number }): T => {
    const out = new Ctor(n);
    const len = n * Ctor.BYTES_PER_ELEMENT;
    new Uint8Array(out.buffer).set(buf.subarray(off, off + len));
    off += len;
    return out;
  };
  const tc = col(Float64Array);
  const bc = col(Float64Array);
  const ac = col(Float64Array);
  const sc = col(Uint32Array);
  const lc = col(Uint32Array);
  const dc = col(Uint8Array);
  const given = new Map((header.objs ?? []).map(([i, bid, ask]) => [i, [bid, ask] as const]));
  const t = Array.from(tc);
  const s = new Array<string>(n);
  const b = new Array<string>(n);
  const a = new Array<string>(n);
  const l = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    s[i] = header.names[sc[i]!]!;
    l[i] = header.names[lc[i]!]!;
    const g = given.get(i);
    b[i] = g ? g[0] : formatPoints(bc[i]!, dc[i]!);
    a[i] = g ? g[1] : formatPoints(ac[i]!, dc[i]!);
  }
  return { bytes, n, t, s, b, a, l };
}
