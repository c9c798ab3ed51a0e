// Floating-point views of the books, for screening only: they decide which cases are far from a boundary
// (free margin, stop out) and so need no exact Decimal recomputation. Nothing here is ever booked.
import type { AccountState, PositionState, Quote, QuoteLookup, SymbolSpec } from './types.ts';

interface NumericPosition {
  volume: number;
  open: number;
  margin: number;
  swap: number;
}

const positions = new WeakMap<PositionState, NumericPosition>();
const numbers = new WeakMap<object, number>();

/** A Decimal's nearest double, once per Decimal object (they are immutable; quotes' and balances' are shared). */
export function num(d: { toNumber(): number }): number {
  let n = numbers.get(d);
  if (n === undefined) numbers.set(d, (n = toDouble(d)));
  return n;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A decimal.js value as a double straight from its representation (base-1e7 limbs `d`, decimal exponent `e`,
 * sign `s`) instead of through `toNumber()`'s string: within a few units in the last place, which is all a
 * screen with a 1e-6 tolerance needs. Anything unusual goes through `toNumber()`.
 */
export function toDouble(x: { toNumber(): number }): number {
  const r = x as unknown as { d?: number[] | null; e?: number; s?: number };
  const limbs = r.d;
  if (!limbs || limbs.length > 3 || r.e === undefined || r.s === undefined) return x.toNumber();
  let coeff = 0;
  for (let i = 0; i < limbs.length; i++) coeff = coeff * 1e7 + limbs[i]!;
  const first = limbs[0]!;
  const firstDigits = first >= 1e6 ? 7 : first >= 1e5 ? 6 : first >= 1e4 ? 5 : first >= 1e3 ? 4 : first >= 100 ? 3 : first >= 10 ? 2 : 1;
  // value = coeff × 10^(e − (digits in coeff − 1))
  const shift = r.e - (firstDigits + 7 * (limbs.length - 1) - 1);
  let v: number;
  if (shift === 0) v = coeff;
  else if (shift > 0 && shift < POW10.length) v = coeff * POW10[shift]!;
  else if (shift < 0 && -shift < POW10.length) v = coeff / POW10[-shift]!;
  else return x.toNumber();
  return r.s < 0 ? -v : v;
}
const quotes = new WeakMap<Quote, { bid: number; ask: number; mid: number }>();
const contracts = new WeakMap<SymbolSpec, number>();

/** Positions and quotes are immutable values: their numbers are computed once. */
export function numericPosition(p: PositionState): NumericPosition {
  let n = positions.get(p);
  if (!n) {
    n = { volume: num(p.volume), open: num(p.openPrice), margin: num(p.margin), swap: num(p.swap) };
    positions.set(p, n);
  }
  return n;
}

/**
 * The numbers of a position that may never be seen again (one an order only proposes): from the cache when
 * the position is a known one, else worked out without filling the caches (a WeakMap entry per throwaway
 * object costs more, in the collector, than it ever saves).
 */
function numericPositionOnce(p: PositionState): NumericPosition {
  return positions.get(p) ?? { volume: once(p.volume), open: once(p.openPrice), margin: once(p.margin), swap: once(p.swap) };
}
function once(d: { toNumber(): number }): number {
  return numbers.get(d) ?? toDouble(d);
}

export function numericQuote(q: Quote) {
  let n = quotes.get(q);
  if (!n) {
    const bid = num(q.bid);
    const ask = num(q.ask);
    n = { bid, ask, mid: (bid + ask) / 2 };
    quotes.set(q, n);
  }
  return n;
}

function contractOf(s: SymbolSpec): number {
  let c = contracts.get(s);
  if (c === undefined) contracts.set(s, (c = s.contractSize.toNumber()));
  return c;
}

/** conversionRate (conversion.ts) in floating point. */
export function numericRate(from: string, to: string, lookup: QuoteLookup): number | null {
  if (from === to) return 1;
  const direct = lookup(from + to);
  if (direct) return numericQuote(direct).mid;
  const inverse = lookup(to + from);
  if (inverse) return 1 / numericQuote(inverse).mid;
  if (from !== 'USD' && to !== 'USD') {
    const a = numericRate(from, 'USD', lookup);
    const b = numericRate('USD', to, lookup);
    if (a !== null && b !== null) return a * b;
  }
  return null;
}

export interface ApproxFigures {
  equity: number;
  margin: number;
}

/** Equity and used margin (larger leg for hedging) in floating point; null when something is unpriced. */
export function approxFigures(
  account: Pick<AccountState, 'balance' | 'credit' | 'currency' | 'marginMode'>,
  list: readonly PositionState[],
  symbols: (name: string) => SymbolSpec | undefined,
  lookup: QuoteLookup,
  balance: number = num(account.balance),
): ApproxFigures | null {
  // Equity counts the broker's credit (docs/trading-rules-notes.md, Credit).
  let equity = balance + num(account.credit);
  let margin = 0;
  let buy: Map<string, number> | null = null;
  let sell: Map<string, number> | null = null;
  for (const p of list) {
    const n = numericPosition(p);
    const q = lookup(p.symbol);
    const spec = symbols(p.symbol);
    if (!q || !spec) return null;
    const rate = numericRate(spec.quoteCurrency, account.currency, lookup);
    if (rate === null) return null;
    const nq = numericQuote(q);
    const diff = p.side === 'BUY' ? nq.bid - n.open : n.open - nq.ask;
    equity += diff * contractOf(spec) * n.volume * rate + n.swap;
    if (account.marginMode === 'NETTING') margin += n.margin;
    else {
      const legs = p.side === 'BUY' ? (buy ??= new Map()) : (sell ??= new Map());
      legs.set(p.symbol, (legs.get(p.symbol) ?? 0) + n.margin);
    }
  }
  if (account.marginMode === 'HEDGING') {
    const symbolsHeld = new Set([...(buy?.keys() ?? []), ...(sell?.keys() ?? [])]);
    for (const s of symbolsHeld) margin += Math.max(buy?.get(s) ?? 0, sell?.get(s) ?? 0);
  }
  return { equity, margin };
}

/**
 * approxFigures of the book after a deal on `symbol`, from the figures before it: only that symbol's positions
 * and the balance change, so only they are gone over again. Null when something is unpriced.
 */
export function approxFiguresAfterDeal(
  account: Pick<AccountState, 'balance' | 'credit' | 'currency' | 'marginMode'>,
  before: ApproxFigures,
  positionsBefore: readonly PositionState[],
  positionsAfter: readonly PositionState[],
  symbol: string,
  balanceAfter: number,
  symbols: (name: string) => SymbolSpec | undefined,
  lookup: QuoteLookup,
): ApproxFigures | null {
  const spec = symbols(symbol);
  const q = lookup(symbol);
  if (!spec || !q) return null;
  const rate = numericRate(spec.quoteCurrency, account.currency, lookup);
  if (rate === null) return null;
  const nq = numericQuote(q);
  const k = contractOf(spec) * rate;
  const was = symbolPart(positionsBefore, true, symbol, nq, k, account.marginMode);
  const now = symbolPart(positionsAfter, false, symbol, nq, k, account.marginMode);
  return {
    equity: before.equity - num(account.balance) + balanceAfter - was.equity + now.equity,
    margin: before.margin - was.margin + now.margin,
  };
}

/**
 * Equity and margin of one symbol's positions in a list (module level: a closure made per call costs a
 * function object, and under tsx a `__name` property definition, per order).
 */
function symbolPart(
  list: readonly PositionState[],
  known: boolean,
  symbol: string,
  nq: { bid: number; ask: number },
  k: number,
  mode: AccountState['marginMode'],
): ApproxFigures {
  let equity = 0;
  let buy = 0;
  let sell = 0;
  for (const p of list) {
    if (p.symbol !== symbol) continue;
    const n = known ? numericPosition(p) : numericPositionOnce(p);
    equity += (p.side === 'BUY' ? nq.bid - n.open : n.open - nq.ask) * k * n.volume + n.swap;
    if (p.side === 'BUY') buy += n.margin;
    else sell += n.margin;
  }
  return { equity, margin: mode === 'NETTING' ? buy + sell : Math.max(buy, sell) };
}
