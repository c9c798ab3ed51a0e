// A conservative screen for the quote path's margin-call / stop-out check: it answers "provably above the
// level" from floating-point figures with a rigorous error bound, so the exact Decimal revaluation
// (accountFigures + riskState) runs only for accounts that might be at or below it. It never decides
// anything is at or below a level — that is always the exact path's call.
import type { Decimal } from 'decimal.js';
import { PointsQuote, pow10 } from './points.ts';
import type { AccountState, PositionState, Quote, QuoteLookup, SymbolSpec } from './types.ts';

/** One symbol's positions of an account, folded so P&L is linear in the price: Σ ±v·c·(price − open). */
interface Group {
  symbol: string;
  spec: SymbolSpec;
  quoteCurrency: string;
  /** Σ volume·contract of BUY / SELL positions, and Σ open·volume·contract of each. */
  buyVc: number;
  buyOvc: number;
  sellVc: number;
  sellOvc: number;
}

interface Folded {
  length: number;
  marginMode: string;
  groups: Group[];
  swap: number;
  /** Σ |swap| + Σ |open·volume·contract| (before conversion): the magnitudes the float sums ran over. */
  swapAbs: number;
  margin: number;
  marginAbs: number;
  /** Some position cannot be screened (unknown symbol, negative margin, non-finite number). */
  bad: boolean;
}

// Decimals are immutable and balances/levels are shared objects: their doubles once per object.
const doubles = new WeakMap<Decimal, number>();
function double(d: Decimal): number {
  let n = doubles.get(d);
  if (n === undefined) doubles.set(d, (n = d.toNumber()));
  return n;
}

// Positions arrays are replaced, never mutated, when an account's book changes: fold once per array.
const folded = new WeakMap<readonly PositionState[], Folded>();

function fold(account: Pick<AccountState, 'marginMode'>, positions: readonly PositionState[], symbols: (name: string) => SymbolSpec | undefined): Folded {
  let f = folded.get(positions);
  if (f && f.length === positions.length && f.marginMode === account.marginMode) return f;
  const bySymbol = new Map<string, Group>();
  const legs = new Map<string, { buy: number; sell: number }>();
  let swap = 0;
  let swapAbs = 0;
  let margin = 0;
  let marginAbs = 0;
  let bad = false;
  for (const p of positions) {
    const spec = symbols(p.symbol);
    if (!spec) {
      bad = true;
      continue;
    }
    let g = bySymbol.get(p.symbol);
    if (!g) bySymbol.set(p.symbol, (g = { symbol: p.symbol, spec, quoteCurrency: spec.quoteCurrency, buyVc: 0, buyOvc: 0, sellVc: 0, sellOvc: 0 }));
    const vc = p.volume.toNumber() * spec.contractSize.toNumber();
    const ovc = p.openPrice.toNumber() * vc;
    if (p.side === 'BUY') {
      g.buyVc += vc;
      g.buyOvc += ovc;
    } else {
      g.sellVc += vc;
      g.sellOvc += ovc;
    }
    const s = p.swap.toNumber();
    swap += s;
    swapAbs += Math.abs(s) + Math.abs(ovc);
    const m = p.margin.toNumber();
    if (!(m >= 0)) bad = true;
    marginAbs += Math.abs(m);
    if (account.marginMode === 'NETTING') margin += m;
    else {
      let leg = legs.get(p.symbol);
      if (!leg) legs.set(p.symbol, (leg = { buy: 0, sell: 0 }));
      if (p.side === 'BUY') leg.buy += m;
      else leg.sell += m;
    }
  }
  if (account.marginMode !== 'NETTING') for (const leg of legs.values()) margin += Math.max(leg.buy, leg.sell);
  if (!Number.isFinite(swapAbs) || !Number.isFinite(marginAbs)) bad = true;
  f = { length: positions.length, marginMode: account.marginMode, groups: [...bySymbol.values()], swap, swapAbs, margin, marginAbs, bad };
  folded.set(positions, f);
  return f;
}

/** A quote's bid and ask as doubles (each within half an ulp of the exact price). */
function prices(q: Quote): { bid: number; ask: number } {
  if (q instanceof PointsQuote) {
    const k = pow10(q.digits);
    return { bid: q.bidPts / k, ask: q.askPts / k };
  }
  return { bid: q.bid.toNumber(), ask: q.ask.toNumber() };
}

function mid(q: Quote): number {
  const p = prices(q);
  return (p.bid + p.ask) / 2;
}

/** conversionRate (conversion.ts) in floating point; NaN when it cannot convert. */
export function screenRate(from: string, to: string, lookup: QuoteLookup): number {
  if (from === to) return 1;
  const direct = lookup(from + to);
  if (direct) return mid(direct);
  const inverse = lookup(to + from);
  if (inverse) {
    const m = mid(inverse);
    return m > 0 ? 1 / m : NaN;
  }
  if (from !== 'USD' && to !== 'USD') return screenRate(from, 'USD', lookup) * screenRate('USD', to, lookup);
  return NaN;
}

/**
 * Relative slack for everything computed here. Each double conversion and operation is within 2^-53
 * relative; a sum over n terms is within n·2^-53 of Σ|terms|, and Decimal's own results (20 significant
 * digits) are within 1e-19 relative. 1e-9 covers books of millions of positions with room to spare.
 */
const SLACK = 1e-9;

/**
 * True only when the account's margin level is certainly above `level` (percent) — or no margin is used
 * (margin level null: never a margin call nor a stop out). False means "not proven": run the exact check.
 */
export function certainlyAbove(
  account: Pick<AccountState, 'balance' | 'credit' | 'currency' | 'marginMode'>,
  positions: readonly PositionState[],
  level: Decimal,
  symbols: (name: string) => SymbolSpec | undefined,
  lookup: QuoteLookup,
): boolean {
  if (!positions.length) return true;
  const f = fold(account, positions, symbols);
  if (f.bad) return false;
  const balance = double(account.balance);
  const credit = double(account.credit);
  // Equity counts the broker's credit (docs/trading-rules-notes.md, Credit).
  let equity = balance + credit + f.swap;
  let magnitude = Math.abs(balance) + Math.abs(credit) + f.swapAbs;
  for (const g of f.groups) {
    if (symbols(g.symbol) !== g.spec) {
      // The symbol table was reloaded since this book was folded: fold again next time, decide exactly now.
      folded.delete(positions);
      return false;
    }
    const q = lookup(g.symbol);
    if (!q) return false; // unpriced: the exact figures value it at its open price; let them decide
    const rate = g.quoteCurrency === account.currency ? 1 : screenRate(g.quoteCurrency, account.currency, lookup);
    if (!(rate > 0) || !Number.isFinite(rate)) return false;
    let bid: number;
    let ask: number;
    if (q instanceof PointsQuote) {
      const k = pow10(q.digits);
      bid = q.bidPts / k;
      ask = q.askPts / k;
    } else {
      bid = double(q.bid);
      ask = double(q.ask);
    }
    // BUY: (bid − open)·v·c; SELL: (open − ask)·v·c; all times the rate.
    equity += (g.buyVc * bid - g.buyOvc + g.sellOvc - g.sellVc * ask) * rate;
    magnitude += (g.buyVc * Math.abs(bid) + Math.abs(g.buyOvc) + Math.abs(g.sellOvc) + g.sellVc * Math.abs(ask)) * rate;
  }
  if (!Number.isFinite(equity) || !Number.isFinite(magnitude)) return false;
  if (f.marginAbs === 0) return f.margin === 0; // every margin zero: exact used margin 0, level null
  const lv = double(level);
  if (!Number.isFinite(lv)) return false;
  const equityLow = equity - SLACK * magnitude;
  const marginHigh = f.margin + SLACK * f.marginAbs;
  // level_exact = 100·E/M > L  ⇐  100·equityLow > |L|·(1 + SLACK)·marginHigh + (L < 0 ? … ) — keep L >= 0 simple.
  if (lv < 0) return false;
  if (f.margin <= SLACK * f.marginAbs) return false; // used margin may be (near) zero: let the exact path say
  return equityLow * 100 > lv * (1 + SLACK) * marginHigh;
}
