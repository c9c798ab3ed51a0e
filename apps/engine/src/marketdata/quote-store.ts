import type { Redis } from 'ioredis';
import type { Quote } from '../domain/index.ts';
import type { Logger } from '../logger.ts';
import { plainPoints, PointsQuote } from '../domain/points.ts';

const TTL_SECONDS = 60;

/**
 * Latest platform quote per symbol: in memory always, and in Redis (`quote:{symbol}`, TTL 60 s) when
 * REDIS_URL is set, so other gateways and tools can read them (architecture.md, How a quote flows).
 */
export class QuoteStore {
  private readonly latest = new Map<string, Quote>();
  private redisFailures = 0;

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
    if (this.redis) {
      // A quote in points prints its prices without building Decimals (same text as Decimal.toString()).
      const pq = q instanceof PointsQuote ? q : null;
      const bid = (pq && plainPoints(pq.bidPts, pq.digits)) ?? q.bid.toString();
      const ask = (pq && plainPoints(pq.askPts, pq.digits)) ?? q.ask.toString();
      const value = JSON.stringify({ bid, ask, timestamp: q.time, lp: q.lp });
      this.redis.set(`quote:${q.symbol}`, value, 'EX', TTL_SECONDS).catch((err: Error) => {
        // Quotes keep flowing from memory; Redis is a cache here, so log and go on.
        if (this.redisFailures++ % 1000 === 0) this.log.warn('redis quote write failed', { error: err.message });
      });
    }
  }
}
