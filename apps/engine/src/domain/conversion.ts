import { Decimal } from 'decimal.js';
import type { QuoteLookup } from './types.ts';

const TWO = new Decimal(2);
/** The rate between equal currencies; callers may skip multiplying by it (`rate === ONE`). */
export const ONE = new Decimal(1);

// A quote is an immutable value: its mid and inverse mid (divisions, the dearest Decimal operations) are
// worked out once per quote object, however many positions and orders convert through it.
const mids = new WeakMap<object, Decimal>();
const inverses = new WeakMap<object, Decimal>();

function mid(quotes: QuoteLookup, symbol: string): Decimal | undefined {
  const q = quotes(symbol);
  if (!q) return undefined;
  let m = mids.get(q);
  if (m === undefined) mids.set(q, (m = q.bid.plus(q.ask).div(TWO)));
  return m;
}

function inverseMid(quotes: QuoteLookup, symbol: string): Decimal | undefined {
  const q = quotes(symbol);
  if (!q) return undefined;
  let inv = inverses.get(q);
  if (inv === undefined) {
    const m = mid(quotes, symbol)!;
    if (m.isZero()) return undefined;
    inverses.set(q, (inv = ONE.div(m)));
  }
  return inv;
}

/**
 * trading-rules.md, Currency conversion: 1 if equal; else the mid of CCYACC (multiply) or ACCCCY (divide);
 * else via USD. Returns undefined when no quote can convert (the caller rejects with NO_QUOTE).
 */
export function conversionRate(from: string, to: string, quotes: QuoteLookup): Decimal | undefined {
  if (from === to) return ONE;
  const direct = mid(quotes, from + to);
  if (direct) return direct;
  const inverse = inverseMid(quotes, to + from);
  if (inverse) return inverse;
  if (from !== 'USD' && to !== 'USD') {
    const a = conversionRate(from, 'USD', quotes);
    const b = conversionRate('USD', to, quotes);
    if (a && b) return a.times(b);
  }
  return undefined;
}

/**
 * The symbols whose quotes conversionRate(from, to) may read, among those `exists` accepts: the direct and the
 * inverse pair, and the legs through USD (read when neither pair is quoted). A move in any of them changes
 * what an amount in `from` is worth in `to`.
 */
export function conversionSymbols(from: string, to: string, exists: (symbol: string) => boolean): string[] {
  if (from === to) return [];
  const out = [from + to, to + from].filter(exists);
  if (from !== 'USD' && to !== 'USD') {
    for (const s of [...conversionSymbols(from, 'USD', exists), ...conversionSymbols('USD', to, exists)]) if (!out.includes(s)) out.push(s);
  }
  return out;
}
