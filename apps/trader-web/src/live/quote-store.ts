// Latest quote per symbol, outside React state so a tick re-renders only the rows that show that symbol.
// Listeners are called once per animation frame at most, however fast ticks arrive.
import type { QuoteDto } from '@broker/api';
import type { TickEvent } from '@broker/api/socket';
import { Decimal } from 'decimal.js';

export interface LiveQuote {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  /** Unix ms. */
  timestamp: number;
}

type Listener = () => void;

export class QuoteStore {
  private quotes = new Map<string, LiveQuote>();
  private symbolListeners = new Map<string, Set<Listener>>();
  private allListeners = new Set<Listener>();
  private dirty = new Set<string>();
  private scheduled = false;
  /** Bumped on every flush; the snapshot for "any quote changed". */
  version = 0;

  get(symbol: string): LiveQuote | undefined {
    return this.quotes.get(symbol);
  }

  all(): ReadonlyMap<string, LiveQuote> {
    return this.quotes;
  }

  applyTick(t: TickEvent): void {
    this.put({ symbol: t.symbol, bid: new Decimal(t.bid), ask: new Decimal(t.ask), timestamp: t.timestamp });
  }

  /** A batched `ticks` message: every changed symbol of one conflation window; listeners still run once per frame. */
  applyTicks(ticks: readonly TickEvent[]): void {
    for (const t of ticks) this.applyTick(t);
  }

  applySnapshot(q: QuoteDto): void {
    this.put({ symbol: q.symbol, bid: new Decimal(q.bid), ask: new Decimal(q.ask), timestamp: q.timestamp });
  }

  private put(q: LiveQuote): void {
    const prev = this.quotes.get(q.symbol);
    if (prev && prev.timestamp > q.timestamp) return; // a late snapshot must not undo a newer tick
    this.quotes.set(q.symbol, q);
    this.dirty.add(q.symbol);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => this.flush();
    // Background tabs do not run animation frames; a timer keeps the numbers current when the tab returns.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 250);
  }

  private flush(): void {
    this.scheduled = false;
    const symbols = [...this.dirty];
    this.dirty.clear();
    this.version++;
    for (const s of symbols) this.symbolListeners.get(s)?.forEach((l) => l());
    this.allListeners.forEach((l) => l());
  }

  subscribeSymbol(symbol: string, listener: Listener): () => void {
    let set = this.symbolListeners.get(symbol);
    if (!set) this.symbolListeners.set(symbol, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  subscribeAll(listener: Listener): () => void {
    this.allListeners.add(listener);
    return () => this.allListeners.delete(listener);
  }
}
