import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { clientFlow, fillFlow, nearestRank, quoteAtOrBefore, routingFigures, type FlowFill, type FlowQuote } from '../src/domain/flow.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const q = (time: number, bid: string, ask: string): FlowQuote => ({ time, bid: d(bid), ask: d(ask) });

// A scripted EURUSD path (spread 1 pip throughout); the path is complete up to t = 65,000 ms.
const PATH = [
  q(0, '1.10000', '1.10010'), //      mid 1.10005
  q(200, '1.10020', '1.10030'), //    mid 1.10025
  q(900, '1.10030', '1.10040'),
  q(1_500, '1.10010', '1.10020'), //  mid 1.10015
  q(9_000, '1.09990', '1.10000'), //  mid 1.09995
  q(10_500, '1.10050', '1.10060'), // mid 1.10055
  q(59_000, '1.10100', '1.10110'),
  q(61_000, '1.09900', '1.09910'),
];
const PATH_END = 65_000;
const fill = (id: string, time: number, side: 'BUY' | 'SELL', volume: string, price: string): FlowFill => ({
  id,
  symbol: 'EURUSD',
  side,
  volume: d(volume),
  price: d(price),
  time,
  contractSize: d(100_000),
  rate: d(1),
});
const FILLS = [
  fill('1', 100, 'BUY', '1', '1.10010'),
  fill('2', 1_500, 'SELL', '2', '1.10010'),
  fill('3', 10_100, 'BUY', '1', '1.10000'),
];
const strings = (r: Record<string, Decimal | null>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v && v.toString()]));

describe('quote at or just before a time', () => {
  it('takes the quote at the time itself, else the last one before, else none', () => {
    expect(quoteAtOrBefore(PATH, 1_500)!.time).toBe(1_500);
    expect(quoteAtOrBefore(PATH, 1_499)!.time).toBe(900);
    expect(quoteAtOrBefore(PATH, 100_000)!.time).toBe(61_000);
    expect(quoteAtOrBefore(PATH.slice(1), 100)).toBeUndefined();
  });
});

describe('markouts of a scripted quote path', () => {
  it('values each fill at its closing price at +1 s, +10 s, +60 s per lot', () => {
    const [a, b, c] = FILLS.map((f) => fillFlow(f, PATH, PATH_END, 500));
    // BUY @1.10010 at 100: +1 s → quote of 900, bid 1.10030: +20; +10 s → quote of 9,000, bid 1.09990: −20;
    // +60 s → quote of 59,000, bid 1.10100: +90.
    expect(strings(a!.markoutPerLot)).toEqual({ '1s': '20', '10s': '-20', '60s': '90' });
    // SELL @1.10010 at 1,500: +1 s → its own quote, ask 1.10020: −10; +10 s → quote of 10,500, ask 1.10060: −50;
    // +60 s → quote of 61,000, ask 1.09910: +100.
    expect(strings(b!.markoutPerLot)).toEqual({ '1s': '-10', '10s': '-50', '60s': '100' });
    // BUY @1.10000 at 10,100: +1 s and +10 s → quote of 10,500, bid 1.10050: +50; +60 s is past the path: unknown.
    expect(strings(c!.markoutPerLot)).toEqual({ '1s': '50', '10s': '50', '60s': null });
  });

  it('converts to the reporting currency with the fill rate', () => {
    const eur = fillFlow({ ...FILLS[0]!, rate: d('0.9') }, PATH, PATH_END, 500);
    expect(eur.markoutPerLot['1s']!.toString()).toBe('18');
  });

  it("flags fills followed within the window by a mid move beyond the spread in the client's favour", () => {
    const flags = FILLS.map((f) => fillFlow(f, PATH, PATH_END, 500).latencyArb);
    // 1: mid 1.10005 → 1.10025 at 200 (+2 pips > 1 pip spread); 2: no quote in (1,500, 2,000];
    // 3: mid 1.09995 → 1.10055 at 10,500 (+6 pips, within 400 ms).
    expect(flags).toEqual([true, false, true]);
  });

  it('does not flag a move of exactly the spread, nor a move against the client, and waits for the window', () => {
    const path = [q(0, '1.10000', '1.10010'), q(100, '1.10010', '1.10020'), q(200, '1.09000', '1.09010')];
    expect(fillFlow(fill('x', 0, 'BUY', '1', '1.10010'), path, 1_000, 150).latencyArb).toBe(false);
    expect(fillFlow(fill('y', 0, 'BUY', '1', '1.10010'), path, 1_000, 250).latencyArb).toBe(false);
    expect(fillFlow(fill('z', 0, 'SELL', '1', '1.10000'), path, 1_000, 250).latencyArb).toBe(true);
    expect(fillFlow(fill('w', 900, 'SELL', '1', '1.10000'), path, 1_000, 250).latencyArb).toBeNull();
  });
});

describe("a client's flow", () => {
  const closed = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000].map((ms, i) => ({
    openTime: 5_000,
    closeTime: 5_000 + ms,
    realizedPnl: d([10, -5, 0, 20, 15, -30, 0, 0, 5, -1][i]!),
  }));
  const flow = clientFlow({ fills: FILLS, closed, paths: () => PATH, pathEnd: PATH_END, latencyWindowMs: 500 });

  it('averages markouts by volume over the fills whose markout is known', () => {
    // +1 s: (20 − 10 × 2 + 50) / 4 = 12.5; +10 s: (−20 − 50 × 2 + 50) / 4 = −17.5; +60 s: (90 + 100 × 2) / 3.
    expect(flow.markoutPerLot['1s']!.toString()).toBe('12.5');
    expect(flow.markoutPerLot['10s']!.toString()).toBe('-17.5');
    expect(flow.markoutPerLot['60s']!.toFixed(4)).toBe('96.6667');
  });

  it('scores latency arbitrage as the share of fills flagged', () => {
    expect(flow.latencyArbSample).toBe(3);
    expect(flow.latencyArbScore!.toFixed(4)).toBe('66.6667');
  });

  it('counts wins, P&L and the hold-time percentiles by nearest rank', () => {
    expect(flow.winRate!.toString()).toBe('40'); // 10, 20, 15, 5 of 10
    expect(flow.pnl.toString()).toBe('14');
    expect(flow.holdTime).toEqual({ count: 10, minMs: 100, p50Ms: 500, p90Ms: 900, p99Ms: 1_000, maxMs: 1_000 });
    expect(nearestRank([7], 99)).toBe(7);
  });

  it('hands the router its figures', () => {
    expect(routingFigures(flow)).toMatchObject({ fills: 3, closedTrades: 10, pnl: d(14), winRate: d(40) });
  });

  it('knows nothing of a client with no history', () => {
    const none = clientFlow({ fills: [], closed: [], paths: () => PATH, pathEnd: PATH_END, latencyWindowMs: 500 });
    expect(none).toMatchObject({ fills: 0, winRate: null, holdTime: null, latencyArbScore: null, markoutPerLot: { '1s': null, '10s': null, '60s': null } });
  });
});
