import { Decimal } from 'decimal.js';
import type { LpAdapter, RawQuote } from './adapter.ts';

/** Quotes pushed by hand: by tests, and by risk managers through admin procedures (issue 4). */
export class ManualLp implements LpAdapter {
  readonly name = 'MANUAL';
  private sink: ((q: RawQuote) => void) | null = null;

  constructor(private readonly clock: () => number = Date.now) {}

  async start(onQuote: (q: RawQuote) => void): Promise<void> {
    this.sink = onQuote;
  }

  async stop(): Promise<void> {
    this.sink = null;
  }

  push(symbol: string, bid: Decimal.Value, ask: Decimal.Value, time = this.clock()): void {
    this.sink?.({ symbol, bid: new Decimal(bid), ask: new Decimal(ask), time, lp: this.name });
  }
}
