// The terminal's quote store: batched `ticks` messages, late snapshots, once-per-frame listeners.
import type { TickEvent } from '@broker/api/socket';
import { Decimal } from 'decimal.js';
import { describe, expect, it, vi } from 'vitest';
import { QuoteStore } from '../src/live/quote-store.ts';

const tick = (symbol: string, bid: string, ask: string, timestamp: number): TickEvent => ({ type: 'tick', symbol, bid, ask, spread: '0', timestamp, lp: 'SIM' });

describe('QuoteStore', () => {
  it('applies every symbol of a batched ticks message, exactly', async () => {
    const store = new QuoteStore();
    store.applyTicks([tick('EURUSD', '1.08501', '1.08513', 10), tick('USDJPY', '151.234', '151.246', 11)]);
    expect(store.get('EURUSD')!.bid.toFixed(5)).toBe('1.08501');
    expect(store.get('USDJPY')!.ask.toString()).toBe('151.246');
    expect(store.all().size).toBe(2);
  });

  it('keeps the newer quote when a snapshot arrives after a tick', () => {
    const store = new QuoteStore();
    store.applyTicks([tick('EURUSD', '1.1', '1.2', 200)]);
    store.applySnapshot({ symbol: 'EURUSD', bid: new Decimal('1.0'), ask: new Decimal('1.05'), spread: new Decimal('0.05'), timestamp: 100, lp: 'SIM' });
    expect(store.get('EURUSD')!.bid.toString()).toBe('1.1');
  });

  it('notifies a symbol listener once per flush however many ticks arrive, and only for its symbol', async () => {
    vi.useFakeTimers();
    try {
      const store = new QuoteStore();
      const eur = vi.fn();
      const jpy = vi.fn();
      const all = vi.fn();
      store.subscribeSymbol('EURUSD', eur);
      store.subscribeSymbol('USDJPY', jpy);
      store.subscribeAll(all);
      for (let i = 0; i < 50; i++) store.applyTicks([tick('EURUSD', `1.${1000 + i}`, `1.${1010 + i}`, i)]);
      expect(eur).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(300); // no document here: the store flushes on a timer
      expect(eur).toHaveBeenCalledTimes(1);
      expect(jpy).not.toHaveBeenCalled();
      expect(all).toHaveBeenCalledTimes(1);
      expect(store.get('EURUSD')!.bid.toString()).toBe('1.1049');
    } finally {
      vi.useRealTimers();
    }
  });
});
