// On a fresh database with simulated prices, charts open with history, not a single bar: the made-up history
// goes in behind the bars the simulated LP starts at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';

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
});
