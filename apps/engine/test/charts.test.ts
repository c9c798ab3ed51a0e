// On a fresh database with simulated prices, charts open with history, not a single bar: the made-up history
// goes in behind the bars the simulated LP starts at once, on every timeframe, and `before` pages back through
// it (issue 15).
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandleDto } from '@broker/api';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ lpsFromDb: true });
});
afterAll(async () => {
  await t?.stop();
});

describe('charts on simulated prices', () => {
  it('start with hours of 1-minute history ending in the live bar', async () => {
    const { token } = await t.login('trader1@broker.local');
    const bars = await t.client(token).market.candles.query({ symbol: 'EURUSD', timeframe: '1m', limit: 500 });
    expect(bars.length).toBe(500);
    const times = bars.map((b) => b.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Date.now() / 1000 - times.at(-1)!).toBeLessThan(120);
  });

  it.each([
    ['1m', 60],
    ['5m', 300],
    ['15m', 900],
    ['1h', 3600],
    ['4h', 14_400],
    ['1d', 86_400],
  ] as const)('%s: deep history, and pages asked for with `before` meet with no gap and no bar twice', async (timeframe, seconds) => {
    const c = t.client((await t.login('trader1@broker.local')).token);
    const q = (before?: number, limit = 150) => c.market.candles.query({ symbol: 'EURUSD', timeframe, limit, before });
    const whole = await q(undefined, 450);
    expect(whole.length).toBe(450);
    const pages: CandleDto[][] = [await q()];
    while (pages.length < 3) pages.unshift(await q(pages[0]![0]!.time));
    const joined = pages.flat();
    const key = (b: CandleDto) => [b.time, b.open.toString(), b.high.toString(), b.low.toString(), b.close.toString()].join(' ');
    // The live bar may have moved between the calls: compare everything before it.
    expect(joined.slice(0, -1).map(key)).toEqual(whole.slice(0, -1).map(key));
    const times = joined.map((b) => b.time);
    // History is continuous: each bar one period after the one before, apart from the live ones at the end.
    const history = times.filter((x) => x < times.at(-1)! - seconds * 5);
    for (let i = 1; i < history.length; i++) expect(history[i]! - history[i - 1]!).toBe(seconds);
    for (const b of joined) {
      expect(b.low.lte(Decimal.min(b.open, b.close))).toBe(true);
      expect(b.high.gte(Decimal.max(b.open, b.close))).toBe(true);
    }
    // Past the start of history: nothing, not an error.
    expect(await q(1)).toEqual([]);
  });

  it('bounds `before`', async () => {
    const c = t.client((await t.login('trader1@broker.local')).token);
    expect(await errorCode(c.market.candles.query({ symbol: 'EURUSD', timeframe: '1h', before: -1 }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.market.candles.query({ symbol: 'EURUSD', timeframe: '1h', before: 1.5 }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.market.candles.query({ symbol: 'EURUSD', timeframe: '1h', before: 9e15 }))).toBe('VALIDATION_ERROR');
  });
});

describe('synthetic history and real LPs', () => {
  it('is never written for a symbol a real LP maps, only for those the simulated LP prices alone', async () => {
    const r = await startTestEngine({
      lpsFromDb: true,
      beforeStart: async (db) => {
        // A real LP that cannot start here (no credentials): its mapped symbols are still its, not the simulation's.
        await db.prisma.liquidityProvider.create({ data: { name: 'REAL-FIX', type: 'FIX', enabled: true, priority: 1, symbolMap: { 'EUR/USD': 'EURUSD' } } });
      },
    });
    try {
      const c = r.client((await r.login('trader1@broker.local')).token);
      const eurusd = await c.market.candles.query({ symbol: 'EURUSD', timeframe: '1h', limit: 500 });
      const gbpusd = await c.market.candles.query({ symbol: 'GBPUSD', timeframe: '1h', limit: 500 });
      expect(gbpusd.length).toBe(500);
      expect(eurusd.length).toBeLessThanOrEqual(1);
      const stored = await r.database.db.prisma.candle.count({ where: { symbol: 'EURUSD', time: { lt: new Date(Date.now() - 2 * 3_600_000) } } });
      expect(stored).toBe(0);
    } finally {
      await r.stop();
    }
  });
});
