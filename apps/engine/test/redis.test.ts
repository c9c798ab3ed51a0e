// Latest quotes in Redis (`quote:{symbol}`, TTL 60 s) when REDIS_URL is set, written at most every
// REDIS_FLUSH_MS per changed symbol, one pipeline per flush.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PointsQuote } from '../src/domain/points.ts';
import { createLogger } from '../src/logger.ts';
import { QuoteStore, REDIS_FLUSH_MS } from '../src/marketdata/quote-store.ts';
import { startTestEngine, type TestEngine } from './harness.ts';

const REDIS_URL = process.env.REDIS_URL;
let t: TestEngine;
let redis: Redis;

describe.skipIf(!REDIS_URL)('quotes in Redis', () => {
  beforeAll(async () => {
    t = await startTestEngine({ redisUrl: REDIS_URL });
    redis = new Redis(REDIS_URL!);
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.stop();
  });

  it('writes the marked-up quote with a 60 s TTL', async () => {
    const symbol = 'XAUUSD';
    t.lp.push(symbol, '2350.10', '2350.35');
    let raw: string | null = null;
    for (let i = 0; i < 100 && !raw; i++) {
      raw = await redis.get(`quote:${symbol}`);
      const q = raw ? JSON.parse(raw) : null;
      if (q && q.bid !== '2350.1') raw = null;
      if (!raw) await new Promise((r) => setTimeout(r, 20));
    }
    expect(JSON.parse(raw!)).toMatchObject({ bid: '2350.1', ask: '2350.35', lp: 'MANUAL' });
    const ttl = await redis.ttl(`quote:${symbol}`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('coalesces a burst of quotes into one write per symbol, the latest, and flushes what is left on stop', async () => {
    // Symbols of this test only: other suites on the same Redis write the seeded ones.
    const a = `ZZA${process.pid}`;
    const b = `ZZB${process.pid}`;
    const store = new QuoteStore(redis, createLogger('test', { silent: true }));
    const now = Date.now();
    for (let i = 0; i < 100; i++) {
      store.set(new PointsQuote(a, 108450 + i, 108452 + i, 5, now + i, 'LP1'));
      store.set(new PointsQuote(b, 15000 + i, 15001 + i, 2, now + i, 'LP1'));
    }
    expect(await redis.get(`quote:${a}`)).toBeNull();
    await new Promise((r) => setTimeout(r, REDIS_FLUSH_MS + 100));
    expect(store.redisStats).toEqual({ flushes: 1, keys: 2 });
    expect(JSON.parse((await redis.get(`quote:${a}`))!)).toEqual({ bid: '1.08549', ask: '1.08551', timestamp: now + 99, lp: 'LP1' });
    expect(JSON.parse((await redis.get(`quote:${b}`))!)).toEqual({ bid: '150.99', ask: '151', timestamp: now + 99, lp: 'LP1' });
    // A quote set just before stop is not left behind for a timer that never fires.
    store.set(new PointsQuote(a, 108600, 108602, 5, now + 200, 'LP1'));
    await store.stop();
    expect(store.redisStats).toEqual({ flushes: 2, keys: 3 });
    expect(JSON.parse((await redis.get(`quote:${a}`))!)).toMatchObject({ bid: '1.086', timestamp: now + 200 });
    const ttl = await redis.pttl(`quote:${a}`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await redis.del(`quote:${a}`, `quote:${b}`);
  });

  it('reports Redis as connected in health', async () => {
    const h = (await (await fetch(`${t.url}/health`)).json()) as { redis: string };
    expect(h.redis).toBe('connected');
  });
});
