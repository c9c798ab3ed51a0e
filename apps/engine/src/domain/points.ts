// Prices as exact scaled integers ("points"): a price p with `digits` decimals is the integer p × 10^digits,
// held in a double while it is a safe integer (|n| < 2^53). The quote path (validate, aggregate, markup,
// triggers, candles, tick rows) works on these integers; a Decimal is built only when something needs one
// (an order fill, an account's exact revaluation) — lazily, once per quote. Nothing here is approximate.
import { Decimal } from 'decimal.js';
import type { PositionState, Quote, SymbolSpec } from './types.ts';

/** Most decimals a price may carry here: beyond that 10^digits alone is not a safe integer. */
export const MAX_DIGITS = 15;
const POW10: number[] = Array.from({ length: MAX_DIGITS + 1 }, (_, i) => 10 ** i);

export function pow10(k: number): number {
  return POW10[k]!;
}

/** Number of decimal digits of a positive safe integer. */
function digitCount(n: number): number {
  let k = 1;
  while (n >= POW10[k]! && k < MAX_DIGITS) k++;
  return n >= 1e15 ? 16 : k;
}

export interface Points {
  pts: number;
  digits: number;
}

/**
 * A Decimal as points at `minDigits` decimals, or at more when it carries more (its own decimal count), or
 * null when it cannot be held exactly as a safe integer (non-finite, more than 15 decimals, too many digits).
 * Reads decimal.js's representation directly (base-1e7 limbs `d`, base-10 exponent `e`, sign `s`).
 */
export function toPoints(x: Decimal, minDigits: number): Points | null {
  const pts = scaled(x, minDigits);
  return Number.isNaN(pts) ? null : { pts, digits: scaledDigits };
}

/** The decimals of the last scaled() result (a module variable: no object per call on the quote path). */
let scaledDigits = 0;

/** toPoints without the result object: the points, or NaN; their decimals in `scaledDigits`. */
function scaled(x: Decimal, minDigits: number): number {
  const limbs = (x as unknown as { d: number[] | null }).d;
  if (!limbs) return NaN; // NaN, ±Infinity
  const n = limbs.length;
  if (n > 2) {
    const slow = toPointsSlow(x, minDigits);
    if (!slow) return NaN;
    scaledDigits = slow.digits;
    return slow.pts;
  }
  // coefficient × 10^shift = |x|.
  let coeff = limbs[0]!;
  let shift = (x as unknown as { e: number }).e - digitCount(coeff) + 1;
  if (n === 2) {
    coeff = coeff * 1e7 + limbs[1]!;
    shift -= 7;
  }
  // Finer than minDigits: drop trailing zeros of the coefficient to find its true decimals.
  while (shift < -minDigits && coeff % 10 === 0 && coeff !== 0) {
    coeff /= 10;
    shift++;
  }
  const digits = shift < -minDigits ? -shift : minDigits;
  if (digits > MAX_DIGITS) return NaN;
  const k = shift + digits; // >= 0
  if (k > MAX_DIGITS) return NaN;
  const pts = coeff * POW10[k]!;
  if (!Number.isSafeInteger(pts)) return NaN;
  scaledDigits = digits;
  return (x as unknown as { s: number }).s < 0 ? -pts : pts;
}

function toPointsSlow(x: Decimal, minDigits: number): Points | null {
  const digits = Math.max(minDigits, x.decimalPlaces());
  if (digits > MAX_DIGITS) return null;
  const pts = x.times(POW10[digits]!).toNumber();
  return Number.isSafeInteger(pts) ? { pts, digits } : null;
}

/** Points back to a Decimal (exact: the string is parsed, never divided). */
export function pointsToDecimal(pts: number, digits: number): Decimal {
  return new Decimal(digits === 0 ? String(pts) : `${pts}e-${digits}`);
}

/** Points as a fixed-point string with exactly `digits` decimals, as Decimal.toFixed(digits) prints it. */
export function formatPoints(pts: number, digits: number): string {
  if (digits === 0) return String(pts);
  const neg = pts < 0;
  let s = String(neg ? -pts : pts);
  if (s.length <= digits) s = '0'.repeat(digits - s.length + 1) + s;
  const out = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return neg ? `-${out}` : out;
}

/**
 * Points as Decimal.toString() prints the price (no trailing zeros), or null where that would be exponential
 * notation (|price| < 1e-6 with decimal.js's default toExpNeg of -7) — then ask the Decimal.
 */
export function plainPoints(pts: number, digits: number): string | null {
  if (pts === 0) return '0';
  if (digits > 6 && Math.abs(pts) < POW10[digits - 6]!) return null;
  const s = formatPoints(pts, digits);
  if (digits === 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (s.charCodeAt(end - 1) === 46 /* . */) end--;
  return s.slice(0, end);
}

/** `pts` at `from` decimals rescaled to `to` >= from decimals (exact), or NaN when it would not be safe. */
export function rescale(pts: number, from: number, to: number): number {
  if (from === to) return pts;
  const r = pts * POW10[to - from]!;
  return Number.isSafeInteger(r) ? r : NaN;
}

/** Exact comparison of two prices in points at possibly different decimals: <0, 0, >0. */
export function comparePoints(a: number, ad: number, b: number, bd: number): number {
  if (ad === bd) return a - b;
  return ad < bd ? compareBig(a, ad, b, bd) : -compareBig(b, bd, a, ad);
}

function compareBig(a: number, ad: number, b: number, bd: number): number {
  const r = rescale(a, ad, bd);
  if (!Number.isNaN(r)) return r - b;
  const x = BigInt(a) * 10n ** BigInt(bd - ad);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Integer division n / m (m > 0) rounded half away from zero (Decimal.ROUND_HALF_UP), exact for safe integers. */
export function divRoundHalfUp(n: number, m: number): number {
  if (m === 1) return n;
  const neg = n < 0;
  const a = neg ? -n : n;
  let q = Math.floor(a / m);
  let r = a - q * m;
  // The float quotient may be one off for large operands: correct it.
  if (r < 0) {
    q--;
    r += m;
  } else if (r >= m) {
    q++;
    r -= m;
  }
  if (2 * r >= m) q++;
  return neg ? -q : q;
}

/**
 * A quote whose prices are points. `bid`/`ask` Decimals are built on first use and kept (quotes are
 * immutable), so code that works in Decimal sees an ordinary Quote.
 */
export class PointsQuote implements Quote {
  private b: Decimal | undefined = undefined;
  private a: Decimal | undefined = undefined;

  constructor(
    readonly symbol: string,
    readonly bidPts: number,
    readonly askPts: number,
    readonly digits: number,
    readonly time: number,
    readonly lp: string,
    /** Unix ms when this process received it; defaults to `time`. */
    readonly receivedAt: number = time,
  ) {}

  get bid(): Decimal {
    return (this.b ??= pointsToDecimal(this.bidPts, this.digits));
  }

  get ask(): Decimal {
    return (this.a ??= pointsToDecimal(this.askPts, this.digits));
  }

  /** The same prices under another LP name. */
  withLp(lp: string): PointsQuote {
    const q = new PointsQuote(this.symbol, this.bidPts, this.askPts, this.digits, this.time, lp, this.receivedAt);
    q.b = this.b;
    q.a = this.a;
    return q;
  }

  /** A plain object (spreading a PointsQuote would lose the prices, which are getters). */
  toJSON(): Quote & { receivedAt: number } {
    return { symbol: this.symbol, bid: this.bid, ask: this.ask, time: this.time, lp: this.lp, receivedAt: this.receivedAt };
  }
}

/** A quote's prices as points when it is a PointsQuote (or can be converted exactly), else null. */
export function quotePoints(q: Quote, minDigits: number): { bid: number; ask: number; digits: number } | null {
  if (q instanceof PointsQuote) {
    if (q.digits >= minDigits) return { bid: q.bidPts, ask: q.askPts, digits: q.digits };
    const k = POW10[minDigits - q.digits]!;
    return { bid: q.bidPts * k, ask: q.askPts * k, digits: minDigits };
  }
  const b = toPoints(q.bid, minDigits);
  const a = b && toPoints(q.ask, b.digits);
  if (!b || !a) return null;
  if (a.digits === b.digits) return { bid: b.pts, ask: a.pts, digits: a.digits };
  const bb = rescale(b.pts, b.digits, a.digits);
  return Number.isNaN(bb) ? null : { bid: bb, ask: a.pts, digits: a.digits };
}

export type PointsVerdict = 'ok' | 'invalid' | 'crossed' | 'spike' | 'stale';

/** A symbol's quote rules in integers, prepared once per SymbolSpec. */
export interface PointsRules {
  digits: number;
  staleAfterMs: number;
  /** maxDeviation = devNum / devDen exactly (devDen a power of ten); null when it has too many decimals. */
  devNum: number;
  devDen: number;
  maxDeviation: Decimal;
  /** markupPips × pipSize × 10^digits: twice the half-markup in points, when it is an integer; else null. */
  markup2: number | null;
}

const rulesCache = new WeakMap<SymbolSpec, PointsRules>();

export function pointsRules(spec: SymbolSpec): PointsRules {
  let r = rulesCache.get(spec);
  if (!r) {
    const dev = toPoints(spec.maxDeviation, 0);
    const m2 = spec.markupPips.times(spec.pipSize).times(POW10[spec.digits]!);
    r = {
      digits: spec.digits,
      staleAfterMs: spec.staleAfterMs,
      devNum: dev ? dev.pts : NaN,
      devDen: dev ? POW10[dev.digits]! : NaN,
      maxDeviation: spec.maxDeviation,
      markup2: m2.isInteger() && Number.isSafeInteger(m2.toNumber()) ? m2.toNumber() : null,
    };
    rulesCache.set(spec, r);
  }
  return r;
}

/**
 * trading-rules.md, Quotes, in integers: bid > 0, ask >= bid, not older than staleAfterMs, and no spike
 * (`deviates` from `last`, the reference: the same LP's last good quote while it is fresh).
 */
export function validatePoints(
  bid: number,
  ask: number,
  digits: number,
  time: number,
  last: { bidPts: number; askPts: number; digits: number } | undefined,
  rules: PointsRules,
  now: number,
): PointsVerdict {
  if (bid <= 0) return 'invalid';
  if (ask < bid) return 'crossed';
  if (now - time > rules.staleAfterMs) return 'stale';
  if (last && deviates(bid, ask, digits, last, rules)) return 'spike';
  return 'ok';
}

/**
 * The spike rule: |mid − lastMid| / lastMid >= maxDeviation (a move of exactly maxDeviation is refused; no move
 * never is). With mid = (bid + ask) / 2 and maxDeviation = p / q this is exactly |(b + a) − (lb + la)| × q >=
 * p × (lb + la) — cross-multiplied, so no division and no rounding.
 * Both quotes' points may be at different decimals.
 */
export function deviates(bid: number, ask: number, digits: number, last: { bidPts: number; askPts: number; digits: number }, rules: PointsRules): boolean {
  let s = bid + ask;
  let ls = last.bidPts + last.askPts;
  if (last.digits !== digits) {
    const d = Math.max(digits, last.digits);
    s = rescale(s, digits, d);
    ls = rescale(ls, last.digits, d);
  }
  const lhs = Math.abs(s - ls) * rules.devDen;
  const rhs = rules.devNum * ls;
  // A move of exactly maxDeviation is a spike too (issue 13): the threshold is the first refused move.
  if (Number.isSafeInteger(lhs) && Number.isSafeInteger(rhs) && !Number.isNaN(s + ls)) return lhs > 0 && lhs >= rhs;
  return spikeBig(bid, ask, digits, last, rules);
}

/** The spike rule in BigInt (operands beyond 2^53, or a maxDeviation with too many decimals: Decimal). */
function spikeBig(bid: number, ask: number, digits: number, last: { bidPts: number; askPts: number; digits: number }, rules: PointsRules): boolean {
  const d = Math.max(digits, last.digits);
  const s = (BigInt(bid) + BigInt(ask)) * 10n ** BigInt(d - digits);
  const ls = (BigInt(last.bidPts) + BigInt(last.askPts)) * 10n ** BigInt(d - last.digits);
  const diff = s > ls ? s - ls : ls - s;
  // A maxDeviation with more than 15 decimals: the same inequality in Decimal (a product, exact here).
  if (diff === 0n) return false;
  if (Number.isNaN(rules.devNum)) return new Decimal(diff.toString()).gte(rules.maxDeviation.times(ls.toString()));
  return diff * BigInt(rules.devDen) >= BigInt(rules.devNum) * ls;
}

/**
 * trading-rules.md, Quotes: bid −= markup·pip/2, ask += markup·pip/2, rounded half up to `digits` — in
 * integers when twice the half-markup is a whole number of points (every seeded symbol), raw prices at the
 * symbol's digits or finer; otherwise through Decimal, exactly as before. Null only when the marked-up
 * price cannot be held as points (beyond 2^53 points); the engine then drops the quote.
 */
export function markupPoints(raw: PointsQuote, spec: SymbolSpec, rules: PointsRules): PointsQuote | null {
  const m2 = rules.markup2;
  if (m2 !== null && raw.digits === rules.digits) {
    // (2b − m2) / 2 and (2a + m2) / 2, rounded half away from zero.
    const bid = m2 % 2 === 0 ? raw.bidPts - m2 / 2 : divRoundHalfUp(2 * raw.bidPts - m2, 2);
    const ask = m2 % 2 === 0 ? raw.askPts + m2 / 2 : divRoundHalfUp(2 * raw.askPts + m2, 2);
    return new PointsQuote(raw.symbol, bid, ask, rules.digits, raw.time, raw.lp, raw.receivedAt);
  }
  if (m2 !== null && raw.digits > rules.digits) {
    // Raw prices finer than the symbol (D > d decimals): (2b·1 − m2·10^(D−d)) / (2·10^(D−d)), half up.
    const k = POW10[raw.digits - rules.digits]!;
    const mk = m2 * k;
    const bid2 = 2 * raw.bidPts - mk;
    const ask2 = 2 * raw.askPts + mk;
    if (Number.isSafeInteger(mk) && Number.isSafeInteger(bid2) && Number.isSafeInteger(ask2) && Number.isSafeInteger(2 * k)) {
      return new PointsQuote(raw.symbol, divRoundHalfUp(bid2, 2 * k), divRoundHalfUp(ask2, 2 * k), rules.digits, raw.time, raw.lp, raw.receivedAt);
    }
  }
  const half = spec.markupPips.times(spec.pipSize).div(2);
  const b = toPoints(raw.bid.minus(half).toDecimalPlaces(spec.digits, Decimal.ROUND_HALF_UP), spec.digits);
  const a = toPoints(raw.ask.plus(half).toDecimalPlaces(spec.digits, Decimal.ROUND_HALF_UP), spec.digits);
  if (!b || !a) return null;
  return new PointsQuote(raw.symbol, b.pts, a.pts, spec.digits, raw.time, raw.lp, raw.receivedAt);
}

/** A quote from an LP as points (at `minDigits` decimals or more), or null when its prices cannot be. */
export function pointsQuoteOf(raw: Quote & { receivedAt?: number }, minDigits: number, receivedAt: number): PointsQuote | null {
  let bid = scaled(raw.bid, minDigits);
  if (Number.isNaN(bid)) return null;
  const bd = scaledDigits;
  const ask = scaled(raw.ask, bd);
  if (Number.isNaN(ask)) return null;
  const digits = scaledDigits;
  if (digits !== bd) {
    bid = rescale(bid, bd, digits);
    if (Number.isNaN(bid)) return null;
  }
  return new PointsQuote(raw.symbol, bid, ask, digits, raw.time, raw.lp, raw.receivedAt ?? receivedAt);
}

interface TrailScreen {
  spec: object;
  digits: number;
  activate: number;
  beyond: number;
}
const trailScreens = new WeakMap<PositionState, TrailScreen>();

/**
 * The integer screen in front of trailedStop (stops.ts) for a quote in points: false only when the trail
 * certainly stays. BUY moves need bid − open >= distance (bid >= activate) and a candidate round(bid −
 * distance) >= max(SL + step, SL) — impossible while bid <= max(SL + step, SL) + distance − 2 points, whatever
 * the rounding. SELL mirrors with the ask. Thresholds are computed once per position object and digits.
 */
export function trailMayMove(p: PositionState, spec: Pick<SymbolSpec, 'pipSize'>, bidPts: number, askPts: number, digits: number): boolean {
  const t = p.trailing;
  if (!t) return false;
  let s = trailScreens.get(p);
  if (!s || s.digits !== digits || s.spec !== spec) {
    const k = POW10[digits]!;
    const distance = t.distancePips.times(spec.pipSize);
    const step = t.stepPips.times(spec.pipSize);
    const safe = (d: Decimal) => (Number.isSafeInteger(d.toNumber()) ? d.toNumber() : NaN);
    if (p.side === 'BUY') {
      const activate = safe(p.openPrice.plus(distance).times(k).ceil());
      const beyond = p.sl ? safe(Decimal.max(p.sl.plus(step), p.sl).plus(distance).times(k).floor().minus(2)) : -Infinity;
      s = { spec, digits, activate, beyond };
    } else {
      const activate = safe(p.openPrice.minus(distance).times(k).floor());
      const beyond = p.sl ? safe(Decimal.min(p.sl.minus(step), p.sl).minus(distance).times(k).ceil().plus(2)) : Infinity;
      s = { spec, digits, activate, beyond };
    }
    trailScreens.set(p, s);
  }
  // NaN thresholds compare false: "may move", and the exact rule decides.
  if (p.side === 'BUY') return !(bidPts < s.activate || bidPts <= s.beyond);
  return !(askPts > s.activate || askPts >= s.beyond);
}
