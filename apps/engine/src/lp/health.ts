// The connection-health bookkeeping every network LP adapter keeps for dealers (design.md §2.4.6, §8.6): state
// and why, last quote, latency, time connected, reconnects and the recent errors, and the LpStatus built from
// them. One copy here; the OANDA, Binance and FIX adapters each own an LpHealth.
import type { LpConnectionState, LpStatus } from './adapter.ts';

/** Errors kept for the back office's "recent errors" list. */
export const MAX_RECENT_ERRORS = 20;
/** Weight of the newest sample in the latency moving average. */
export const LATENCY_WEIGHT = 0.2;

export class LpHealth {
  state: LpConnectionState = 'DISCONNECTED';
  /** Why the LP is unavailable or disconnected, when it is. */
  reason: string | undefined;
  /** Unix ms of the last quote. */
  lastQuoteAt: number | null = null;
  connectedSince: number | null = null;
  /** Successful reconnects: connections made after an earlier one of this adapter was up. */
  reconnects = 0;
  /** Connection attempts that failed since start (a refused connect, a rejected logon, a lost link). */
  failedAttempts = 0;
  /** Why the last connection failed or was lost: the reason shown while (re)CONNECTING. */
  private lastFailure: string | null = null;
  private everConnected = false;
  private latencyMs: number | null = null;
  private readonly recentErrors: { at: number; message: string }[] = [];

  constructor(
    private readonly clock: () => number,
    /** The adapter's counters: `errors` counts every error recorded. */
    private readonly counts: { errors: number },
  ) {}

  set(state: LpConnectionState, reason?: string): void {
    this.state = state;
    this.reason = reason;
  }

  /** An attempt to connect begins: the reason says what it follows (never empty while CONNECTING). */
  connecting(): void {
    this.state = 'CONNECTING';
    this.reason = this.lastFailure === null ? 'connecting' : `reconnecting (after ${this.failedAttempts} failed attempt${this.failedAttempts === 1 ? '' : 's'}; last: ${this.lastFailure})`;
  }

  /** The connection is up: a reconnect when one was up before. */
  connected(now: number): void {
    if (this.everConnected) this.reconnects++;
    this.everConnected = true;
    this.state = 'CONNECTED';
    this.reason = undefined;
    this.connectedSince = now;
  }

  /** A connection attempt failed or the live connection was lost (`state`: what it leaves the LP in). */
  failed(message: string, state: LpConnectionState = 'DISCONNECTED'): void {
    this.failedAttempts++;
    this.lastFailure = message;
    this.connectedSince = null;
    this.state = state;
    this.reason = message;
  }

  error(message: string): void {
    this.counts.errors++;
    this.recentErrors.push({ at: this.clock(), message });
    if (this.recentErrors.length > MAX_RECENT_ERRORS) this.recentErrors.shift();
  }

  /** A quote received at `receivedAt`; `sentAt` is the LP's own timestamp, when it sends one (for latency). */
  quoted(receivedAt: number, sentAt?: number): void {
    this.lastQuoteAt = receivedAt;
    if (sentAt !== undefined) this.latency(receivedAt - sentAt);
  }

  /** One latency sample (LP timestamp → receipt, ms) into the moving average. */
  latency(ms: number): void {
    this.latencyMs = this.latencyMs === null ? ms : this.latencyMs + LATENCY_WEIGHT * (ms - this.latencyMs);
  }

  /** The status as dealers see it; `state` overrides the kept one (the FIX adapter maps its session state). */
  status(name: string, type: LpStatus['type'], state: LpConnectionState = this.state): LpStatus {
    return {
      name,
      type,
      state,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      lastQuoteAt: this.lastQuoteAt,
      latencyMs: this.latencyMs === null ? null : Math.round(this.latencyMs),
      connectedSince: this.connectedSince,
      reconnects: this.reconnects,
      failedAttempts: this.failedAttempts,
      recentErrors: [...this.recentErrors],
    };
  }
}

/**
 * The first credential whose environment variable is not set, as a reason for UNAVAILABLE; `labels` names
 * what each credential is (`token` → "OANDA API token"), else its key is used. Every variable name given is
 * checked, an empty one too (a Binance row that declares `{ apiKey: '' }` is misconfigured); only `undefined`
 * means the credential is not asked for, so an adapter that treats an empty name as "none" maps it to that.
 */
export function missingCredential(
  credentialEnv: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
  labels: Record<string, string> = {},
): string | undefined {
  for (const [what, varName] of Object.entries(credentialEnv)) {
    if (varName === undefined || env[varName]) continue;
    // Own keys only: a credential named `constructor` must not be labelled with Object's.
    const label = Object.hasOwn(labels, what) ? labels[what]! : what;
    return `environment variable ${varName} (${label}) is not set`;
  }
  return undefined;
}
