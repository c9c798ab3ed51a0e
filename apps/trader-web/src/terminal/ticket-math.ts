// Small pure helpers for the order ticket and the modify dialogs: pips, default pending prices, expiry.
import type { SymbolDto } from '@broker/api';
import { toDecimal } from '@broker/ui';
import { Decimal } from 'decimal.js';
import { useEffect, useState } from 'react';

export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type Side = 'BUY' | 'SELL';

export const ORDER_TYPES: { value: OrderType; label: string }[] = [
  { value: 'MARKET', label: 'Market' },
  { value: 'LIMIT', label: 'Limit' },
  { value: 'STOP', label: 'Stop' },
  { value: 'STOP_LIMIT', label: 'Stop-Limit' },
];

/**
 * How far a new pending order is placed from the market by default, so it rests instead of filling or being
 * refused: at least this many pips, and at least SPREAD_MULTIPLE spreads (10 pips of BTCUSD is 0.10 USD against
 * a spread of ~15 USD), in whole pips.
 */
export const DEFAULT_OFFSET_PIPS = 10;
export const SPREAD_MULTIPLE = 5;

/** The default distance of a pending price from the quote (see DEFAULT_OFFSET_PIPS). */
export function defaultOffset(q: { bid: Decimal; ask: Decimal }, spec: Pick<SymbolDto, 'pipSize'>): Decimal {
  const bySpread = q.ask.minus(q.bid).mul(SPREAD_MULTIPLE).div(spec.pipSize).ceil();
  return spec.pipSize.mul(Decimal.max(DEFAULT_OFFSET_PIPS, bySpread));
}

export const typeLabel = (t: string) => ORDER_TYPES.find((x) => x.value === t)?.label ?? t;

/** Signed distance in pips from `from` to `to` (positive when `to` is higher). */
export function pipsBetween(from: Decimal, to: Decimal, spec: Pick<SymbolDto, 'pipSize'>): Decimal {
  return to.minus(from).div(spec.pipSize);
}

export function formatPips(p: Decimal): string {
  const r = p.toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  return `${r.gt(0) ? '+' : ''}${r.toFixed(1)} pips`;
}

/**
 * The lot calculator's default stop distance: at least this many pips, and at least STOP_SPREAD_MULTIPLE spreads
 * (20 pips of BTCUSD is a 0.20 USD stop, inside the spread: 1% risk would size it at the maximum volume).
 */
export const DEFAULT_STOP_PIPS = 20;
export const STOP_SPREAD_MULTIPLE = 10;

export function defaultStopPips(q: { bid: Decimal; ask: Decimal }, spec: Pick<SymbolDto, 'pipSize'>): Decimal {
  return Decimal.max(DEFAULT_STOP_PIPS, q.ask.minus(q.bid).mul(STOP_SPREAD_MULTIPLE).div(spec.pipSize).ceil());
}

/** A price that a pending order of this type and side may rest at, defaultOffset() from the quote. */
export function defaultPendingPrices(
  type: Exclude<OrderType, 'MARKET'>,
  side: Side,
  q: { bid: Decimal; ask: Decimal },
  spec: Pick<SymbolDto, 'pipSize' | 'digits'>,
) {
  const ref = side === 'BUY' ? q.ask : q.bid;
  const off = defaultOffset(q, spec);
  const below = ref.minus(off).toDecimalPlaces(spec.digits, Decimal.ROUND_DOWN);
  const above = ref.plus(off).toDecimalPlaces(spec.digits, Decimal.ROUND_UP);
  if (type === 'LIMIT') return { price: side === 'BUY' ? below : above, stopPrice: null };
  if (type === 'STOP') return { price: side === 'BUY' ? above : below, stopPrice: null };
  // STOP_LIMIT: the stop obeys the STOP rule; the limit sits at the stop (allowed: at or beyond it).
  const stop = side === 'BUY' ? above : below;
  return { price: stop, stopPrice: stop };
}

/** `YYYY-MM-DDTHH:mm` in local time, the value a datetime-local input takes. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value as a Date (local time); null when empty or junk. */
export function fromLocalInput(v: string): Date | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const shortTime = (d: Date | number) =>
  new Date(d).toLocaleString(undefined, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export function decimalOrNull(s: string): Decimal | null {
  const d = toDecimal(s.trim());
  return d && d.gt(0) ? d : null;
}

/**
 * The value as it was `ms` after it last changed. Compared by its JSON, so a fresh object with the same content
 * (built on every render, and the ticket re-renders on every tick) does not restart the wait.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [v, setV] = useState<{ key: string; value: T }>({ key, value });
  useEffect(() => {
    if (key === v.key) return;
    const t = setTimeout(() => setV({ key, value: JSON.parse(key) as T }), ms);
    return () => clearTimeout(t);
  }, [key, ms, v.key]);
  return v.value;
}

/** Field errors keyed by the first path segment of zod issues (or the engine's VALIDATION_ERROR issues). */
export function issuesByField<K extends string>(
  issues: readonly { path: readonly PropertyKey[] | string; message: string }[],
  fields: readonly K[],
) {
  const out: Partial<Record<K, string>> = {};
  for (const i of issues) {
    const head = String(typeof i.path === 'string' ? i.path.split('.')[0] : (i.path[0] ?? ''));
    if ((fields as readonly string[]).includes(head)) out[head as K] ??= i.message;
  }
  return out;
}
