// marketdata/spike-reference.ts: the spike rule's reference for one LP and symbol drops a lone outlier, moves to
// a level that persists for a time (not a count of quotes) or that another LP confirms, expires after the
// symbol's staleAfterMs and is forgotten when the LP reconnects.
import { describe, expect, it } from 'vitest';
import { pointsRules, PointsQuote } from '../src/domain/points.ts';
import { DEFAULT_SPIKE_CONFIRM_MS, SpikeReference } from '../src/marketdata/spike-reference.ts';
import { forex } from './fixtures.ts';

const NOW = 1_700_000_000_000;
// EURUSD: 5 digits, maxDeviation 5%, staleAfterMs 30 s.
const rules = pointsRules(forex('EURUSD'));
const quote = (bid: number, at = NOW) => new PointsQuote('EURUSD', bid, bid + 2, 5, at, 'LP1');

describe('spike reference', () => {
  it('drops a single outlier and keeps the old level', () => {
    const ref = new SpikeReference();
    expect(ref.check(quote(108450), rules, NOW)).toBe('ok');
    expect(ref.check(quote(125000), rules, NOW + 1)).toBe('spike');
    expect(ref.check(quote(108460), rules, NOW + 2)).toBe('ok');
    // The outlier's run ended with the quote back at the level: one more outlier is a spike again.
    expect(ref.check(quote(125000), rules, NOW + 3)).toBe('spike');
    expect(ref.check(quote(125000), rules, NOW + 4)).toBe('spike');
  });

  it(`moves to a level only once it has persisted for confirmMs (${DEFAULT_SPIKE_CONFIRM_MS} ms by default), however many quotes came before`, () => {
    const ref = new SpikeReference();
    expect(ref.check(quote(108450), rules, NOW)).toBe('ok');
    // A 15% gap: a burst of quotes at the new level within a second are all spikes (three made a level before).
    const burst = [125000, 125100, 124900, 125000, 125050].map((bid, i) => ref.check(quote(bid, NOW + 1 + i * 200), rules, NOW + 1 + i * 200));
    expect(burst).toEqual(['spike', 'spike', 'spike', 'spike', 'spike']);
    expect(ref.check(quote(125000, NOW + DEFAULT_SPIKE_CONFIRM_MS), rules, NOW + DEFAULT_SPIKE_CONFIRM_MS)).toBe('spike');
    expect(ref.check(quote(125000, NOW + 1 + DEFAULT_SPIKE_CONFIRM_MS), rules, NOW + 1 + DEFAULT_SPIKE_CONFIRM_MS)).toBe('reanchored');
    expect(ref.reanchoredBy).toBe('time');
    // The new level is the reference: the old one is now a spike.
    expect(ref.check(quote(125050, NOW + 6000), rules, NOW + 6000)).toBe('ok');
    expect(ref.check(quote(108450, NOW + 6001), rules, NOW + 6001)).toBe('spike');
  });

  it('takes a configured confirmMs', () => {
    const ref = new SpikeReference();
    ref.check(quote(108450), rules, NOW);
    expect(ref.check(quote(125000, NOW + 1), rules, NOW + 1, { confirmMs: 500 })).toBe('spike');
    expect(ref.check(quote(125000, NOW + 400), rules, NOW + 400, { confirmMs: 500 })).toBe('spike');
    expect(ref.check(quote(125000, NOW + 501), rules, NOW + 501, { confirmMs: 500 })).toBe('reanchored');
  });

  it('moves at once to a level another healthy LP confirms', () => {
    const ref = new SpikeReference();
    ref.check(quote(108450), rules, NOW);
    const other = quote(125020);
    const agrees = (q: PointsQuote) => Math.abs(q.bidPts - other.bidPts) < 1000;
    expect(ref.check(quote(141000, NOW + 1), rules, NOW + 1, { agrees })).toBe('spike');
    expect(ref.check(quote(125000, NOW + 2), rules, NOW + 2, { agrees })).toBe('reanchored');
    expect(ref.reanchoredBy).toBe('agreement');
  });

  it('does not move to quotes that are beyond the reference but disagree with one another', () => {
    const ref = new SpikeReference();
    ref.check(quote(108450), rules, NOW);
    // +15%, +30%, +15%, +30%: each starts a new run (more than 5% from the one before).
    const verdicts = [125000, 141000, 125000, 141000, 125000].map((bid, i) => ref.check(quote(bid), rules, NOW + 1 + i));
    expect(verdicts).toEqual(['spike', 'spike', 'spike', 'spike', 'spike']);
    expect(ref.check(quote(108455), rules, NOW + 10)).toBe('ok');
  });

  it('expires after the symbol’s staleAfterMs: the next quote is taken at any price', () => {
    const ref = new SpikeReference();
    ref.check(quote(108450), rules, NOW);
    // Accepted at NOW: it is the reference up to NOW + 30 s (staleAfterMs) and not after.
    expect(ref.check(quote(125000, NOW + 30_000), rules, NOW + 30_000)).toBe('spike');
    expect(ref.check(quote(140000, NOW + 30_001), rules, NOW + 30_001)).toBe('ok');
    expect(ref.check(quote(108450, NOW + 30_002), rules, NOW + 30_002)).toBe('spike');
  });

  it('forgets the reference on reset (the LP reconnected)', () => {
    const ref = new SpikeReference();
    ref.check(quote(108450), rules, NOW);
    expect(ref.check(quote(125000), rules, NOW + 1)).toBe('spike');
    ref.reset();
    expect(ref.check(quote(125000), rules, NOW + 2)).toBe('ok');
  });

  it('still rejects crossed, invalid and stale quotes, which neither move the reference nor end a run', () => {
    const ref = new SpikeReference();
    ref.check(quote(108450), rules, NOW);
    expect(ref.check(quote(125000), rules, NOW + 1)).toBe('spike');
    expect(ref.check(new PointsQuote('EURUSD', 125002, 125000, 5, NOW + 2, 'LP1'), rules, NOW + 2)).toBe('crossed');
    expect(ref.check(new PointsQuote('EURUSD', 0, 2, 5, NOW + 3, 'LP1'), rules, NOW + 3)).toBe('invalid');
    expect(ref.check(quote(125000, NOW - 40_000), rules, NOW + 4)).toBe('stale');
    expect(ref.check(quote(125000), rules, NOW + 5)).toBe('spike');
    expect(ref.check(quote(125000, NOW + 1 + DEFAULT_SPIKE_CONFIRM_MS), rules, NOW + 1 + DEFAULT_SPIKE_CONFIRM_MS)).toBe('reanchored');
  });
});
