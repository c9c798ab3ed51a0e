// The spike rule's reference for one LP's quotes of one symbol (trading-rules.md, Quotes; the choices are in
// docs/trading-rules-notes.md). A reference that never moved would lock an LP out for good after a genuine
// move of maxDeviation or more (a weekend gap, an outage): here it expires, it is dropped when the LP
// (re)connects, and it moves to a new level that persists for a while (time, not a count of quotes: three
// quotes of a bad feed came in 0.24 s) or that another healthy LP confirms at once.
import { deviates, validatePoints, type PointsQuote, type PointsRules, type PointsVerdict } from '../domain/points.ts';

/**
 * How long a new level must persist before it is accepted on this LP's word alone (ms): quotes beyond
 * maxDeviation of the reference, each within maxDeviation of the first of them, for at least this long. An LP
 * row can set its own (`settings.spikeConfirmMs`); it never exceeds the symbol's staleAfterMs, after which
 * the reference expires anyway.
 */
export const DEFAULT_SPIKE_CONFIRM_MS = 5_000;

/** `reanchored`: accepted as the confirmation of a new level (an `ok` that moved the reference). */
export type ReferenceVerdict = PointsVerdict | 'reanchored';

export interface SpikeCheck {
  /** The new level must persist this long (ms), or what gives it (asked only on a spike); default DEFAULT_SPIKE_CONFIRM_MS. */
  confirmMs?: number | (() => number | undefined);
  /** Whether another healthy LP quotes this level now: a spike it agrees with is a new level at once. */
  agrees?: (q: PointsQuote) => boolean;
}

export class SpikeReference {
  /** The last accepted quote and when it was accepted (the engine's clock). */
  private last: PointsQuote | null = null;
  private lastAt = 0;
  /** The first quote of the current run beyond maxDeviation of `last`, when it came, and the run's length. */
  private run: PointsQuote | null = null;
  private runAt = 0;
  private runLength = 0;
  /** How the last reanchor came about (for the dealer's event list). */
  reanchoredBy: 'time' | 'agreement' | null = null;

  /**
   * The verdict on `q` (a quote from this reference's LP); an accepted quote becomes the reference. The
   * reference counts while it is no older than the symbol's staleAfterMs; past that the next valid quote is
   * accepted whatever its price.
   */
  check(q: PointsQuote, rules: PointsRules, now: number, opts: SpikeCheck = {}): ReferenceVerdict {
    const ref = this.last !== null && now - this.lastAt <= rules.staleAfterMs ? this.last : undefined;
    const verdict = validatePoints(q.bidPts, q.askPts, q.digits, q.time, ref, rules, now);
    if (verdict === 'ok') {
      this.accept(q, now);
      return verdict;
    }
    if (verdict !== 'spike') return verdict;
    if (opts.agrees?.(q)) {
      this.accept(q, now);
      this.reanchoredBy = 'agreement';
      return 'reanchored';
    }
    const given = typeof opts.confirmMs === 'function' ? opts.confirmMs() : opts.confirmMs;
    const confirmMs = Math.min(given ?? DEFAULT_SPIKE_CONFIRM_MS, rules.staleAfterMs);
    const run = this.run;
    if (run !== null && now - this.runAt <= rules.staleAfterMs && !deviates(q.bidPts, q.askPts, q.digits, run, rules)) {
      this.runLength++;
      if (now - this.runAt >= confirmMs) {
        this.accept(q, now);
        this.reanchoredBy = 'time';
        return 'reanchored';
      }
    } else {
      this.run = q;
      this.runAt = now;
      this.runLength = 1;
    }
    return 'spike';
  }

  /** The current run's quotes so far (0: none). */
  get pending(): number {
    return this.runLength;
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
