import type { Decimal } from 'decimal.js';
import { pointsToDecimal, pow10 } from '../domain/points.ts';

/** What waits on a price: a pending order, a position's stop loss / take profit, or a trader's price alert. */
export type TriggerKind = 'ORDER' | 'SL' | 'TP' | 'ALERT';

export interface TriggerEntry {
  key: string;
  kind: TriggerKind;
  id: bigint;
  accountId: number;
  symbol: string;
  /** The quote side it watches. */
  side: 'bid' | 'ask';
  /** 'down': fires when that side <= price; 'up': when it >= price. */
  direction: 'down' | 'up';
  price: Decimal;
}

interface Node {
  entry: TriggerEntry;
  /** Heap order key: the price as a double, ties broken by the exact price; the fire test is exact. */
  n: number;
  alive: boolean;
  /**
   * The level in points at `digits` decimals, for quotes in points: 'down' fires when price <= level, i.e.
   * pricePts <= floor(level·10^d); 'up' when pricePts >= ceil(level·10^d) — exact for integer pricePts.
   * Computed on first use at those digits (NaN until then).
   */
  digits: number;
  pts: number;
}

const NONE: TriggerEntry[] = [];
Object.freeze(NONE);

// Heap keys per symbol, built once (a template string per quote and heap is garbage).
const heapKeys = new Map<string, string[]>();
function heapKey(symbol: string, side: 'bid' | 'ask', direction: 'down' | 'up'): string {
  let keys = heapKeys.get(symbol);
  if (!keys) heapKeys.set(symbol, (keys = [`${symbol}|bid|down`, `${symbol}|bid|up`, `${symbol}|ask|down`, `${symbol}|ask|up`]));
  return keys[(side === 'bid' ? 0 : 2) + (direction === 'down' ? 0 : 1)]!;
}

/** A binary heap; `better(a, b)` true when a must come out first. Removal is lazy (dead nodes are skipped). */
class Heap {
  private readonly items: Node[] = [];
  constructor(private readonly better: (a: Node, b: Node) => boolean) {}

  get size() {
    return this.items.length;
  }

  push(node: Node) {
    const a = this.items;
    a.push(node);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  peek(): Node | undefined {
    while (this.items.length && !this.items[0]!.alive) this.pop();
    return this.items[0];
  }

  pop(): Node | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.better(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.better(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Pending orders and SL/TP by symbol and price, so a quote touches only what it triggers: per symbol four
 * heaps (bid or ask, falling or rising), each with the entry that fires first on top. A quote pops entries
 * while the top fires — O(triggered · log n), however many thousands wait.
 */
export class TriggerIndex {
  private readonly heaps = new Map<string, Heap>();
  private readonly nodes = new Map<string, Node>();

  private heap(symbol: string, side: 'bid' | 'ask', direction: 'down' | 'up'): Heap {
    const k = heapKey(symbol, side, direction);
    let h = this.heaps.get(k);
    if (!h) {
      // 'down' fires when the price falls to the level: the highest level fires first.
      // Doubles order distinct prices except where two round to the same double (more than ~15 significant
      // digits, e.g. 123456789012.12345678 vs …679 at Decimal(20,8)): there the exact Decimal decides.
      h = new Heap(direction === 'down' ? (a, b) => (a.n !== b.n ? a.n > b.n : a.entry.price.gt(b.entry.price)) : (a, b) => (a.n !== b.n ? a.n < b.n : a.entry.price.lt(b.entry.price)));
      this.heaps.set(k, h);
    }
    return h;
  }

  get size() {
    return this.nodes.size;
  }

  /** Adds or replaces the entry with this key. */
  upsert(entry: TriggerEntry): void {
    this.remove(entry.key);
    const node: Node = { entry, n: entry.price.toNumber(), alive: true, digits: -1, pts: NaN };
    this.nodes.set(entry.key, node);
    this.heap(entry.symbol, entry.side, entry.direction).push(node);
  }

  remove(key: string): void {
    const node = this.nodes.get(key);
    if (node) {
      node.alive = false;
      this.nodes.delete(key);
    }
  }

  has(key: string): boolean {
    return this.nodes.has(key);
  }

  /** fire() for a quote in points (bid/ask × 10^digits, exact integers): no Decimal on the way. */
  firePoints(symbol: string, bidPts: number, askPts: number, digits: number): TriggerEntry[] {
    let fired: TriggerEntry[] | null = null;
    for (let k = 0; k < 4; k++) {
      const side = k < 2 ? 'bid' : 'ask';
      const direction = k % 2 === 0 ? 'down' : 'up';
      const h = this.heaps.get(heapKey(symbol, side, direction));
      if (!h) continue;
      const price = side === 'bid' ? bidPts : askPts;
      for (let top = h.peek(); top; top = h.peek()) {
        const t = threshold(top, digits);
        let fires: boolean;
        if (Number.isNaN(t)) {
          // A level beyond safe integers: compare in Decimal (rare; exact).
          const p = pointsToDecimal(price, digits);
          fires = direction === 'down' ? top.entry.price.gte(p) : top.entry.price.lte(p);
        } else fires = direction === 'down' ? price <= t : price >= t;
        if (!fires) break;
        h.pop();
        top.alive = false;
        this.nodes.delete(top.entry.key);
        (fired ??= []).push(top.entry);
      }
    }
    return fired ?? NONE;
  }

  /** Removes and returns every entry of `symbol` that this quote fires. */
  fire(symbol: string, bid: Decimal, ask: Decimal): TriggerEntry[] {
    const fired: TriggerEntry[] = [];
    for (const side of ['bid', 'ask'] as const) {
      const price = side === 'bid' ? bid : ask;
      for (const direction of ['down', 'up'] as const) {
        const h = this.heaps.get(heapKey(symbol, side, direction));
        if (!h) continue;
        for (let top = h.peek(); top; top = h.peek()) {
          const fires = direction === 'down' ? price.lte(top.entry.price) : price.gte(top.entry.price);
          if (!fires) break;
          h.pop();
          top.alive = false;
          this.nodes.delete(top.entry.key);
          fired.push(top.entry);
        }
      }
    }
    return fired;
  }
}

/** The level's points threshold at `digits` decimals (see Node.pts); NaN when not a safe integer. */
function threshold(node: Node, digits: number): number {
  if (node.digits !== digits) {
    const scaled = node.entry.price.times(pow10(digits));
    const t = (node.entry.direction === 'down' ? scaled.floor() : scaled.ceil()).toNumber();
    node.pts = Number.isSafeInteger(t) ? t : NaN;
    node.digits = digits;
  }
  return node.pts;
}

export const orderKey = (id: bigint) => `O${id}`;
export const slKey = (id: bigint) => `S${id}`;
export const tpKey = (id: bigint) => `T${id}`;
