import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { RawQuote } from '../src/lp/adapter.ts';
import { QuoteAggregator, type AggregationMode } from '../src/marketdata/aggregator.ts';

function setup(mode: AggregationMode, opts: { down?: Set<string>; priorities?: Record<string, number> } = {}) {
  let now = 1_000_000;
  const out: RawQuote[] = [];
  const down = opts.down ?? new Set<string>();
  const priorities = opts.priorities ?? { PRIMARY: 1, SECONDARY: 2, MANUAL: 0 };
  const agg = new QuoteAggregator({
    mode,
    staleAfterMs: () => 1000,
    priority: (lp) => priorities[lp] ?? 100,
    healthy: (lp) => !down.has(lp),
    clock: () => now,
    emit: (q) => out.push(q),
    overrideLp: 'MANUAL',
  });
  const quote = (lp: string, bid: string, ask: string): RawQuote => ({ symbol: 'EURUSD', bid: new Decimal(bid), ask: new Decimal(ask), time: now, lp, receivedAt: now });
  return { agg, out, quote, down, tick: (ms: number) => (now += ms) };
}

describe('quote aggregation', () => {
  it('FAILOVER quotes the preferred LP and ignores the others while it is fresh', () => {
    const { agg, out, quote } = setup('FAILOVER');
    agg.onQuote(quote('SECONDARY', '1.1000', '1.1002'));
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    agg.onQuote(quote('SECONDARY', '1.0999', '1.1001'));
    expect(out.map((q) => [q.lp, q.bid.toString()])).toEqual([
      ['SECONDARY', '1.1'],
      ['PRIMARY', '1.1001'],
    ]);
  });

  it('fails over to the secondary when the primary goes stale, within the threshold, even if the primary never speaks again', () => {
    const { agg, out, quote, tick } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    tick(500);
    agg.onQuote(quote('SECONDARY', '1.1000', '1.1002'));
    expect(agg.sourceOf('EURUSD')).toBe('PRIMARY');
    tick(600); // primary 1100 ms old > 1000
    agg.sweep();
    expect(agg.sourceOf('EURUSD')).toBe('SECONDARY');
    expect(out.at(-1)!.bid.toString()).toBe('1.1');
    expect(agg.failovers).toBe(1);
  });

  it('fails over at once when the primary is marked down, and back when it returns', () => {
    const { agg, quote, down } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    agg.onQuote(quote('SECONDARY', '1.1000', '1.1002'));
    down.add('PRIMARY');
    agg.sweep();
    expect(agg.sourceOf('EURUSD')).toBe('SECONDARY');
    down.delete('PRIMARY');
    agg.onQuote(quote('PRIMARY', '1.1002', '1.1004'));
    expect(agg.sourceOf('EURUSD')).toBe('PRIMARY');
  });

  it('BEST takes the best bid and the best ask across healthy LPs', () => {
    const { agg, out, quote } = setup('BEST');
    agg.onQuote(quote('PRIMARY', '1.1000', '1.1004'));
    agg.onQuote(quote('SECONDARY', '1.1001', '1.1005'));
    expect([out.at(-1)!.bid.toString(), out.at(-1)!.ask.toString(), out.at(-1)!.lp]).toEqual(['1.1001', '1.1004', 'SECONDARY+PRIMARY']);
  });

  it('BEST falls back to the preferred LP when LPs cross each other', () => {
    const { agg, out, quote } = setup('BEST');
    agg.onQuote(quote('PRIMARY', '1.1000', '1.1002'));
    agg.onQuote(quote('SECONDARY', '1.1005', '1.1007'));
    expect(out.at(-1)!.lp).toBe('PRIMARY');
  });

  it('lets a fresh manual quote override the feeds', () => {
    const { agg, quote, tick } = setup('BEST');
    agg.onQuote(quote('PRIMARY', '1.1000', '1.1002'));
    agg.onQuote(quote('MANUAL', '1.2000', '1.2002'));
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    expect(agg.sourceOf('EURUSD')).toBe('MANUAL');
    tick(1500);
    agg.onQuote(quote('PRIMARY', '1.1002', '1.1004'));
    expect(agg.sourceOf('EURUSD')).toBe('PRIMARY');
  });

  it('emits nothing when no LP is fresh and healthy', () => {
    const { agg, out, quote, down } = setup('FAILOVER');
    down.add('PRIMARY');
    agg.onQuote(quote('PRIMARY', '1.1000', '1.1002'));
    expect(out).toEqual([]);
  });
});
