import type { Decimal } from 'decimal.js';

/** A raw quote as an LP sends it, already mapped to the platform symbol. */
export interface RawQuote {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  /** Unix ms when the LP priced it. */
  time: number;
  lp: string;
}

export interface LpAdapter {
  readonly name: string;
  start(onQuote: (q: RawQuote) => void): Promise<void>;
  stop(): Promise<void>;
}
