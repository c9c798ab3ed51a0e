// marketdata/spike-reference.ts: the spike rule's reference for one LP and symbol drops a lone outlier, moves to
// a level that persists, expires after the symbol's staleAfterMs and is forgotten when the LP reconnects.
import { describe, expect, it } from 'vitest';
import { pointsRules, PointsQuote } from '../src/domain/points.ts';
import { SPIKE_CONFIRMATIONS, SpikeReference } from '../src/marketdata/spike-reference.ts';
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

  it(`moves to a level that persists for ${SPIKE_CONFIRMATIONS} consecutive quotes agreeing with one another`, () => {
    const ref = new SpikeReference();
    expect(ref.check(quote(108450), rules, NOW)).toBe('ok');
    // A 15% gap: the first quotes at the new level are spikes, the one that confirms it is accepted.
    const verdicts = [125000, 125100, 124900].map((bid, i) => ref.check(quote(bid), rules, NOW + 1 + i));
    expect(verdicts).toEqual(['spike', 'spike', 'reanchored']);
    // The new level is the reference: the old one is now a spike.
    expect(ref.check(quote(125050), rules, NOW + 10)).toBe('ok');
    expect(ref.check(quote(108450), rules, NOW + 11)).toBe('spike');
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
    expect(ref.check(quote(125000), rules, NOW + 6)).toBe('reanchored');
  });
});
