import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { RawQuote } from '../src/lp/adapter.ts';
import { QuoteAggregator, type AggregationMode } from '../src/marketdata/aggregator.ts';

function setup(mode: AggregationMode, opts: { down?: Set<string>; priorities?: Record<string, number>; demo?: Set<string> } = {}) {
  let now = 1_000_000;
  const out: RawQuote[] = [];
  const withdrawn: string[] = [];
  const sessions = new Map<string, number>();
  const down = opts.down ?? new Set<string>();
  const demo = opts.demo ?? new Set<string>();
  const priorities = opts.priorities ?? { PRIMARY: 1, SECONDARY: 2, MANUAL: 0 };
  const agg = new QuoteAggregator({
    mode,
    staleAfterMs: () => 1000,
    priority: (lp) => priorities[lp] ?? 100,
    healthy: (lp) => !down.has(lp),
    clock: () => now,
    emit: (q) => out.push(q),
    overrideLp: 'MANUAL',
    sessionStart: (lp) => sessions.get(lp) ?? null,
    mayPrice: (lp) => !demo.has(lp),
    withdraw: (symbol, lp) => withdrawn.push(`${symbol}@${lp}`),
  });
  const quote = (lp: string, bid: string, ask: string): RawQuote => ({ symbol: 'EURUSD', bid: new Decimal(bid), ask: new Decimal(ask), time: now, lp, receivedAt: now });
  /** The LP (re)connects now: a new session. */
  const reconnect = (lp: string) => {
    down.delete(lp);
    sessions.set(lp, now);
  };
  return { agg, out, quote, down, withdrawn, reconnect, tick: (ms: number) => (now += ms) };
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

  it('never re-publishes a quote from before an LP’s reconnect, however young it is', () => {
    const { agg, out, quote, down, reconnect, tick } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    agg.onQuote(quote('SECONDARY', '1.1000', '1.1002'));
    down.add('PRIMARY');
    agg.sweep();
    expect(agg.sourceOf('EURUSD')).toBe('SECONDARY');
    tick(100);
    reconnect('PRIMARY'); // back up, no quote yet: its 100 ms old quote is from the previous session
    agg.sweep();
    agg.onQuote(quote('SECONDARY', '1.0999', '1.1001'));
    expect(agg.sourceOf('EURUSD')).toBe('SECONDARY');
    expect(out.filter((q) => q.lp === 'PRIMARY')).toHaveLength(1);
    tick(10);
    agg.onQuote(quote('PRIMARY', '1.1005', '1.1007')); // the new session's first quote
    expect(agg.sourceOf('EURUSD')).toBe('PRIMARY');
    expect(out.at(-1)!.bid.toString()).toBe('1.1005');
  });

  it('withdraws the quote at once when its only LP goes down, and prices again on the new session’s first quote', () => {
    const { agg, out, quote, down, withdrawn, reconnect, tick } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    down.add('PRIMARY');
    agg.sweep();
    expect(withdrawn).toEqual(['EURUSD@PRIMARY']);
    expect(agg.sourceOf('EURUSD')).toBeUndefined();
    expect(agg.withdrawals).toBe(1);
    agg.sweep();
    expect(withdrawn).toHaveLength(1);
    tick(50);
    reconnect('PRIMARY');
    agg.sweep();
    expect(out).toHaveLength(1); // the pre-outage quote is not back
    agg.onQuote(quote('PRIMARY', '1.1002', '1.1004'));
    expect(out.map((q) => q.bid.toString())).toEqual(['1.1001', '1.1002']);
  });

  it('withdraws when the LP reconnected before the sweep saw it down (its session changed)', () => {
    const { agg, quote, withdrawn, reconnect, tick } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    tick(30);
    reconnect('PRIMARY');
    agg.sweep();
    expect(withdrawn).toEqual(['EURUSD@PRIMARY']);
  });

  it('keeps a quiet but connected LP’s last quote on show (orders refuse it by age)', () => {
    const { agg, quote, withdrawn, tick } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    tick(5000);
    agg.sweep();
    expect(withdrawn).toEqual([]);
    expect(agg.sourceOf('EURUSD')).toBe('PRIMARY');
  });

  it('never fails over to an LP that may not price the symbol (the simulated LP next to a real one)', () => {
    const { agg, out, quote, down, withdrawn } = setup('FAILOVER', { priorities: { PRIMARY: 1, SIMULATED: 100 }, demo: new Set(['SIMULATED']) });
    agg.onQuote(quote('SIMULATED', '0.9000', '0.9002'));
    expect(out).toEqual([]);
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    down.add('PRIMARY');
    agg.sweep();
    agg.onQuote(quote('SIMULATED', '0.9000', '0.9002'));
    expect(out.map((q) => q.lp)).toEqual(['PRIMARY']);
    expect(withdrawn).toEqual(['EURUSD@PRIMARY']);
  });

  it('counts failovers per symbol, and lists which LP prices each symbol', () => {
    const { agg, quote, down } = setup('FAILOVER');
    agg.onQuote(quote('PRIMARY', '1.1001', '1.1003'));
    agg.onQuote(quote('SECONDARY', '1.1000', '1.1002'));
    down.add('PRIMARY');
    agg.sweep();
    expect(agg.failoversBySymbol.get('EURUSD')).toBe(1);
    expect([...agg.sources()]).toEqual([['EURUSD', 'SECONDARY']]);
    expect(agg.others('EURUSD', 'PRIMARY').map((q) => q.lp)).toEqual(['SECONDARY']);
  });
});
