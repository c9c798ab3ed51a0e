// marketdata/quote-gate.ts with the real aggregator: cross-LP sanity (a quote far from the other healthy LPs is
// dropped and counted), a new level on another LP's agreement or after it persisted, and the events a dealer
// sees for each.
import { describe, expect, it } from 'vitest';
import { pointsRules, PointsQuote } from '../src/domain/points.ts';
import type { RawQuote } from '../src/lp/adapter.ts';
import { QuoteAggregator } from '../src/marketdata/aggregator.ts';
import { QuoteGate, type GateVerdict, type QuoteEvent } from '../src/marketdata/quote-gate.ts';
import { DEFAULT_SPIKE_CONFIRM_MS } from '../src/marketdata/spike-reference.ts';
import { forex } from './fixtures.ts';

// EURUSD: 5 digits, maxDeviation 5%, staleAfterMs 30 s.
const rules = pointsRules(forex('EURUSD'));

function setup() {
  let now = 1_700_000_000_000;
  const down = new Set<string>();
  const published: RawQuote[] = [];
  const events: QuoteEvent[] = [];
  const agg = new QuoteAggregator({ mode: 'FAILOVER', staleAfterMs: () => rules.staleAfterMs, priority: (lp) => (lp === 'A' ? 1 : 2), healthy: (lp) => !down.has(lp), clock: () => now, emit: (q) => published.push(q), overrideLp: 'MANUAL' });
  const gate = new QuoteGate({ clock: () => now, manualLp: 'MANUAL', others: (s, lp) => agg.others(s, lp), healthy: (lp) => !down.has(lp), onEvent: (e) => events.push(e) });
  /** One LP's quote through gate and aggregator, as the engine runs them. */
  const send = (lp: string, bid: number): GateVerdict => {
    const q = new PointsQuote('EURUSD', bid, bid + 2, 5, now, lp, now);
    const v = gate.check(q, rules);
    if (v === 'ok') agg.onQuote(q);
    return v;
  };
  return { agg, gate, send, down, published, events, tick: (ms: number) => (now += ms) };
}

describe('quote gate', () => {
  it('never publishes a persistent bad feed while another healthy LP disagrees, and counts and reports it', () => {
    const { send, gate, published, events, tick } = setup();
    expect(send('A', 108450)).toBe('ok');
    expect(send('B', 108452)).toBe('ok');
    const verdicts: GateVerdict[] = [];
    // A goes +20% and stays there for 10 s, B keeps quoting the market.
    for (let i = 0; i < 100; i++) {
      tick(100);
      verdicts.push(send('A', 130140 + (i % 3)));
      expect(send('B', 108450 + (i % 5))).toBe('ok');
    }
    expect(new Set(verdicts)).toEqual(new Set(['spike', 'off_market']));
    expect(verdicts.slice(0, DEFAULT_SPIKE_CONFIRM_MS / 100 - 1).every((v) => v === 'spike')).toBe(true);
    expect(verdicts.at(-1)).toBe('off_market');
    expect(published.every((q) => q.bid.lt('1.2'))).toBe(true);
    expect(gate.offMarket).toBeGreaterThan(0);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['spike', 'reanchored', 'off_market']));
    const off = events.find((e) => e.kind === 'off_market')!;
    expect(off).toMatchObject({ lp: 'A', symbol: 'EURUSD', bid: expect.stringMatching(/^1\.3014/) });
    // Throttled: one event per kind a second, not one per quote.
    expect(events.filter((e) => e.kind === 'spike').length).toBeLessThanOrEqual(6);
  });

  it('moves to a new level at once when another healthy LP quotes it too (a genuine gap)', () => {
    const { send, published, tick } = setup();
    send('A', 108450);
    send('B', 108452);
    tick(10);
    expect(send('A', 114000)).toBe('spike'); // +5.1%: A alone says so
    tick(10);
    expect(send('B', 114010)).toBe('ok'); // B agrees with what A quotes
    tick(10);
    expect(send('A', 114005)).toBe('ok');
    expect(published.at(-1)!.bid.toString()).toBe('1.14005');
  });

  it('takes a lone LP’s new level only after it has persisted for confirmMs', () => {
    const { send, tick } = setup();
    send('A', 108450);
    tick(1);
    expect(send('A', 130000)).toBe('spike');
    tick(DEFAULT_SPIKE_CONFIRM_MS - 1);
    expect(send('A', 130000)).toBe('spike');
    tick(1);
    expect(send('A', 130000)).toBe('ok');
  });

  it('drops an LP that connects at a level far from the others, and forgets an LP’s state when it reconnects', () => {
    const { send, gate, tick } = setup();
    send('A', 108450);
    tick(1);
    expect(send('B', 130000)).toBe('off_market'); // B's first quote: no reference of its own, but A disagrees
    // Its reference is now the bad level: back at the market is a spike on its own word, but A agrees.
    expect(send('B', 108460)).toBe('ok');
    tick(1);
    expect(send('B', 130000)).toBe('spike');
    gate.forget('B'); // B reconnected: no reference, nothing it quoted before counts
    tick(1);
    expect(send('B', 130000)).toBe('off_market');
  });

  it('does not count a down LP as the market', () => {
    const { send, down, tick } = setup();
    send('A', 108450);
    tick(1);
    send('B', 108452);
    down.add('A');
    tick(1);
    expect(send('B', 108470)).toBe('ok');
  });

  it('holds the dealer’s manual quote to the basic rules only', () => {
    const { send } = setup();
    send('A', 108450);
    expect(send('MANUAL', 130000)).toBe('ok');
  });
});
