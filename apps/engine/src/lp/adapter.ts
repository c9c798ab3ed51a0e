import type { Decimal } from 'decimal.js';

/** A raw quote as an LP sends it, already mapped to the platform symbol. */
export interface RawQuote {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  /** Unix ms when the LP priced it (the LP's own timestamp when it sends one, else receipt time). */
  time: number;
  lp: string;
  /** Unix ms when this process received it (for latency figures); defaults to `time`. */
  receivedAt?: number;
}

/**
 * DEGRADED: the transport is up but the pipeline is not getting usable prices from it (a share of its quotes
 * rejected, or no quote for a while). Only the LP manager reports it; adapters speak of their transport.
 */
export type LpConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED' | 'DEGRADED' | 'UNAVAILABLE';

/** What dealers see of an LP (design.md §2.4.6, §8.6). */
export interface LpStatus {
  name: string;
  type: 'FIX' | 'REST' | 'WEBSOCKET' | 'SIMULATED' | 'MANUAL';
  state: LpConnectionState;
  /** Why the LP is unavailable or disconnected, when it is. */
  reason?: string;
  /** Unix ms of the last quote. */
  lastQuoteAt: number | null;
  /** Moving estimate of LP timestamp → receipt, ms, when the LP sends timestamps. */
  latencyMs: number | null;
  connectedSince: number | null;
  /** Successful reconnects (not failed attempts). */
  reconnects: number;
  /** Connection attempts that failed, and lost connections, since start. */
  failedAttempts?: number;
  recentErrors: { at: number; message: string }[];
}

export interface LpAdapter {
  readonly name: string;
  start(onQuote: (q: RawQuote) => void): Promise<void>;
  stop(): Promise<void>;
  /** Optional: connection health for the LP manager. */
  status?(): LpStatus;
  /** Optional: `status().connectedSince`, cheap enough to read on every quote (it changes on each reconnect). */
  connectedSince?(): number | null;
  /** Optional (FIX): a dealer resets the session's sequence numbers to 1 and logs on again. */
  resetSeqNums?(): Promise<unknown>;
  /** Optional (FIX): a dealer logs the session out; it stays down until reconnected. */
  logout?(): Promise<void>;
}
