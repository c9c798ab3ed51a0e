// Flow intelligence through the API (issue 11): a client's markouts at +1 s, +10 s and +60 s and the
// latency-arbitrage score from a scripted path of the platform's own quotes, on an engine whose clock the test
// moves; and LP scorecards from the LP orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let offset = 0;
const base = Date.now();
const clock = () => base + offset;
beforeAll(async () => {
  t = await startTestEngine({ clock });
});
afterAll(async () => {
  await t?.stop();
});

describe('client flow', () => {
  it('markouts and the latency-arbitrage score of a scripted path equal the hand-computed figures', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    // Seeded EURUSD markup 0.2 pip: the platform bid is 0.1 pip under the LP's, the ask 0.1 pip over.
    t.quoteTo('EURUSD', '1.10000', '1.10010'); // platform 1.09999 / 1.10011
    const fill = await t.client(token).orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.5' });
    expect(fill.order.filledPrice!.toString()).toBe('1.10011');
    const at = (ms: number, bid: string, ask: string) => {
      offset += ms;
      t.lp.push('EURUSD', bid, ask);
    };
    // Fill time: the clock now. +200 ms: the mid jumps 5 pips (beyond the 1.2-pip spread at the fill) → latency arbitrage.
    const t0 = offset;
    at(200, '1.10050', '1.10060');
    at(t0 + 1000 - offset, '1.10020', '1.10030'); // +1 s: bid 1.10019
    at(t0 + 10_000 - offset, '1.10100', '1.10110'); // +10 s: bid 1.10099
    at(t0 + 60_000 - offset, '1.09900', '1.09910'); // +60 s: bid 1.09899
    offset += 1000;
    await t.running.engine.tickWriter.flush();
    const boss = t.client((await t.login('risk@broker.local')).token);
    const flow = await boss.admin.execution.clientFlow.query({ accountId });
    expect(flow.fills).toBe(1);
    // Per lot: (bid at the horizon − 1.10011) × 100,000 (USD account: rate 1).
    expect(flow.markoutPerLot['1s']!.toString()).toBe('8');
    expect(flow.markoutPerLot['10s']!.toString()).toBe('88');
    expect(flow.markoutPerLot['60s']!.toString()).toBe('-112');
    expect(flow.latencyArbScore!.toString()).toBe('100');
    expect(flow.latencyArbSample).toBe(1);
    expect(flow.perFill[0]).toMatchObject({ id: expect.any(String), latencyArb: true });
  });

  it('scorecards answer for a period with no LP orders', async () => {
    const boss = t.client((await t.login('risk@broker.local')).token);
    expect(await boss.admin.execution.scorecards.query({ from: new Date(clock() - 3_600_000), to: new Date(clock() + 60_000) })).toEqual([]);
  });
});
