import type { Redis } from 'ioredis';
import type { Quote } from '../domain/index.ts';
import type { Logger } from '../logger.ts';
import { plainPoints, PointsQuote } from '../domain/points.ts';

const TTL_SECONDS = 60;
/**
 * Redis gets each changed symbol's latest quote at most this often, in one pipeline: a SET per tick cost a
 * command (and a JSON string) per quote at thousands of ticks/s, for readers that need the latest price only.
 */
export const REDIS_FLUSH_MS = 100;

/**
 * Latest platform quote per symbol: in memory always, and in Redis (`quote:{symbol}`, TTL 60 s) when
 * REDIS_URL is set, so other gateways and tools can read them (architecture.md, How a quote flows). Redis lags
 * memory by up to REDIS_FLUSH_MS.
 */
export class QuoteStore {
  private readonly latest = new Map<string, Quote>();
  /** Symbols quoted since the last flush to Redis. */
  private readonly changed = new Set<string>();
  /** Symbols whose quote was withdrawn since the last flush (their Redis key goes too). */
  private readonly removed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private redisFailures = 0;
  /** Flushes sent and keys written in them (tests, benchmarks). */
  readonly redisStats = { flushes: 0, keys: 0 };

  constructor(
    private readonly redis: Redis | null,
    private readonly log: Logger,
  ) {}

  get(symbol: string): Quote | undefined {
    return this.latest.get(symbol);
  }

  all(): Quote[] {
    return [...this.latest.values()];
  }

  readonly lookup = (symbol: string): Quote | undefined => this.latest.get(symbol);

  set(q: Quote): void {
    this.latest.set(q.symbol, q);
    if (!this.redis) return;
    if (this.removed.size) this.removed.delete(q.symbol);
    this.changed.add(q.symbol);
    if (!this.timer) {
      this.timer = setTimeout(this.flushSoon, REDIS_FLUSH_MS);
      this.timer.unref?.();
    }
  }

  /**
   * Withdraws a symbol's quote (its source died and no LP can take over): readers get none, so orders are
   * refused with NO_QUOTE, and the Redis key goes in the next flush.
   */
  delete(symbol: string): boolean {
    if (!this.latest.delete(symbol)) return false;
    if (!this.redis) return true;
    this.changed.delete(symbol);
    this.removed.add(symbol);
    if (!this.timer) {
      this.timer = setTimeout(this.flushSoon, REDIS_FLUSH_MS);
      this.timer.unref?.();
    }
    return true;
  }

  private readonly flushSoon = (): void => {
    this.timer = null;
    // One pipeline in flight at a time: symbols quoted meanwhile wait for the next window.
    if (this.flushing) {
      this.timer = setTimeout(this.flushSoon, REDIS_FLUSH_MS);
      this.timer.unref?.();
      return;
    }
    void this.flush();
  };

  /** Writes every symbol changed since the last flush, as one pipeline of `SET quote:{symbol} … EX 60`. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (!this.redis || (!this.changed.size && !this.removed.size)) return Promise.resolve();
    const pipeline = this.redis.pipeline();
    for (const symbol of this.removed) if (!this.latest.has(symbol)) pipeline.del(`quote:${symbol}`);
    this.removed.clear();
    for (const symbol of this.changed) {
      const q = this.latest.get(symbol);
      if (!q) continue;
      // A quote in points prints its prices without building Decimals (same text as Decimal.toString()).
      const pq = q instanceof PointsQuote ? q : null;
      const bid = (pq && plainPoints(pq.bidPts, pq.digits)) ?? q.bid.toString();
      const ask = (pq && plainPoints(pq.askPts, pq.digits)) ?? q.ask.toString();
      pipeline.set(`quote:${symbol}`, JSON.stringify({ bid, ask, timestamp: q.time, lp: q.lp }), 'EX', TTL_SECONDS);
    }
    this.redisStats.flushes++;
    this.redisStats.keys += this.changed.size;
    this.changed.clear();
    this.flushing = pipeline
      .exec()
      .then((results) => {
        const failed = results?.find(([err]) => err)?.[0];
        if (failed) this.failed(failed);
      })
      .catch((err: Error) => this.failed(err))
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Stops the flush timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private failed(err: Error): void {
    // Quotes keep flowing from memory; Redis is a cache here, so log and go on.
    if (this.redisFailures++ % 100 === 0) this.log.warn('redis quote write failed', { error: err.message });
  }
}
