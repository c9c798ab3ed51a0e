/**
 * Reconnect delays for LP adapters: exponential growth, capped, with jitter so that many adapters (or many
 * engine nodes) that lost the same LP at the same moment do not reconnect in lockstep.
 */
export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  baseMs?: number;
  /** Upper bound of any delay, ms. */
  maxMs?: number;
  /** Growth per failed attempt. */
  factor?: number;
  /**
   * Fraction of the delay that is randomised, 0…1: the delay is drawn from [d·(1−jitter), d]. 0.5 ("equal
   * jitter") keeps at least half the delay, so a flapping LP is never retried in a tight loop, which full
   * jitter (1) allows.
   */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** The delay before retry number `attempt` (0 = first retry). Pure: `random` returns a number in [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const { baseMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...opts };
  const j = Math.min(1, Math.max(0, jitter));
  // Math.min before the power would overflow to Infinity for a long outage.
  const exp = Math.min(Math.max(0, attempt), 64);
  const ceiling = Math.min(maxMs, baseMs * Math.pow(factor, exp));
  return Math.round(ceiling * (1 - j * random()));
}

/** Attempt counter around `backoffDelay`: `next()` after a failure, `reset()` once a connection proved healthy. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly opts: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    return backoffDelay(this.attempt++, this.opts, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
