// The spike rule's reference for one LP's quotes of one symbol (trading-rules.md, Quotes; the choices are in
// docs/trading-rules-notes.md). A reference that never moved would lock an LP out for good after a genuine
// move beyond maxDeviation (a weekend gap, an outage): here it expires, it is dropped when the LP (re)connects,
// and a move that persists becomes the new reference.
import { deviates, validatePoints, type PointsQuote, type PointsRules, type PointsVerdict } from '../domain/points.ts';

/**
 * Consecutive quotes beyond maxDeviation of the reference, each within maxDeviation of the first of them, that
 * make a new level: the last of them is accepted and becomes the reference; the ones before it are spikes.
 */
export const SPIKE_CONFIRMATIONS = 3;

/** `reanchored`: accepted as the confirmation of a new level (an `ok` that moved the reference). */
export type ReferenceVerdict = PointsVerdict | 'reanchored';

export class SpikeReference {
  /** The last accepted quote and when it was accepted (the engine's clock). */
  private last: PointsQuote | null = null;
  private lastAt = 0;
  /** The first quote of the current run beyond maxDeviation of `last`, when it came, and the run's length. */
  private run: PointsQuote | null = null;
  private runAt = 0;
  private runLength = 0;

  /**
   * The verdict on `q` (a quote from this reference's LP); an accepted quote becomes the reference. The
   * reference counts while it is no older than the symbol's staleAfterMs; past that the next valid quote is
   * accepted whatever its price.
   */
  check(q: PointsQuote, rules: PointsRules, now: number): ReferenceVerdict {
    const ref = this.last !== null && now - this.lastAt <= rules.staleAfterMs ? this.last : undefined;
    const verdict = validatePoints(q.bidPts, q.askPts, q.digits, q.time, ref, rules, now);
    if (verdict === 'ok') {
      this.accept(q, now);
      return verdict;
    }
    if (verdict !== 'spike') return verdict;
    const run = this.run;
    if (run !== null && now - this.runAt <= rules.staleAfterMs && !deviates(q.bidPts, q.askPts, q.digits, run, rules)) {
      if (++this.runLength >= SPIKE_CONFIRMATIONS) {
        this.accept(q, now);
        return 'reanchored';
      }
    } else {
      this.run = q;
      this.runAt = now;
      this.runLength = 1;
    }
    return 'spike';
  }

  /** Forgets the reference (the LP (re)connected: its first quote is taken as it comes). */
  reset(): void {
    this.last = null;
    this.run = null;
    this.runLength = 0;
  }

  private accept(q: PointsQuote, now: number): void {
    this.last = q;
    this.lastAt = now;
    // Only consecutive quotes make a run: one back within maxDeviation of the reference ends it.
    this.run = null;
    this.runLength = 0;
  }
}
