// Latest quotes in Redis (`quote:{symbol}`, TTL 60 s) when REDIS_URL is set.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    for (let i = 0; i < 50 && !raw; i++) {
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

  it('reports Redis as connected in health', async () => {
    const h = (await (await fetch(`${t.url}/health`)).json()) as { redis: string };
    expect(h.redis).toBe('connected');
  });
});
