// Display formatting for money, prices and volumes. Input is a decimal.js Decimal or a decimal string as it
// arrives from the wire; nothing here goes through a JS number, so 0.1 + 0.2 never shows up on screen.
import { Decimal } from 'decimal.js';

export type DecimalLike = Decimal | string | number;

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CHF: 'CHF ', AUD: 'A$', CAD: 'C$' };

/** Parses wire input into a Decimal; null for null, undefined, '' and junk. */
export function toDecimal(value: DecimalLike | null | undefined): Decimal | null {
  if (value === null || value === undefined || value === '') return null;
  if (Decimal.isDecimal(value)) return value as Decimal;
  try {
    const d = new Decimal(value);
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fixed decimal places, half away from zero (trading-rules.md), with thousands separators. */
export function formatNumber(value: DecimalLike | null | undefined, dp: number, opts: { group?: boolean; signed?: boolean } = {}): string {
  const d = toDecimal(value);
  if (!d) return '—';
  const fixed = d.abs().toFixed(dp, Decimal.ROUND_HALF_UP);
  const [int = '0', frac] = fixed.split('.');
  const body = (opts.group === false ? int : groupThousands(int)) + (frac !== undefined ? `.${frac}` : '');
  const isZero = /^[0.]*$/.test(fixed);
  const sign = d.isNegative() && !isZero ? '-' : opts.signed && !isZero ? '+' : '';
  return sign + body;
}

export interface MoneyFormatOptions {
  currency?: string;
  /** Show a leading + on positive amounts (P&L). */
  signed?: boolean;
  dp?: number;
}

/** `$10,000.00`, `-$1,250.50`, `+€12.00`; unknown currencies are suffixed: `1,000.00 SGD`. */
export function formatMoney(value: DecimalLike | null | undefined, opts: MoneyFormatOptions = {}): string {
  const n = formatNumber(value, opts.dp ?? 2, { signed: opts.signed });
  if (n === '—' || !opts.currency) return n;
  const symbol = CURRENCY_SYMBOLS[opts.currency];
  if (!symbol) return `${n} ${opts.currency}`;
  const sign = n.startsWith('-') || n.startsWith('+') ? n[0] : '';
  return `${sign}${symbol}${sign ? n.slice(1) : n}`;
}

/**
 * A rate in money per unit (a pip's value, a point's): cents, unless the amount is under ten cents, where the
 * cents would round it away ($0.00 for a pip of 0.01 lot BTCUSD): then four places, trailing zeros trimmed to two.
 */
export function formatMoneyRate(value: DecimalLike | null | undefined, opts: Omit<MoneyFormatOptions, 'dp'> = {}): string {
  const d = toDecimal(value);
  if (!d || d.isZero() || d.abs().gte('0.1')) return formatMoney(value, opts);
  const dp = Math.max(2, d.abs().toDecimalPlaces(4, Decimal.ROUND_HALF_UP).decimalPlaces());
  return formatMoney(d, { ...opts, dp: Math.min(dp, 4) });
}

/** A price at the symbol's digits; no thousands separators (1.08452, 150.123, 65000.50). */
export function formatPrice(value: DecimalLike | null | undefined, digits: number): string {
  return formatNumber(value, digits, { group: false });
}

/** Lots with two decimals, or as many as the volume step needs (0.001 step shows 3). */
export function formatVolume(value: DecimalLike | null | undefined, step?: DecimalLike): string {
  const s = toDecimal(step ?? null);
  const dp = Math.max(2, s ? s.decimalPlaces() : 0);
  return formatNumber(value, dp);
}

/** Margin level and other percentages: `2,100.00%`; null means "no margin used". */
export function formatPercent(value: DecimalLike | null | undefined, dp = 2): string {
  const n = formatNumber(value, dp);
  return n === '—' ? '—' : `${n}%`;
}

/** -1, 0 or 1 after rounding to dp, so a P&L that displays as 0.00 is never coloured. */
export function signOf(value: DecimalLike | null | undefined, dp = 2): -1 | 0 | 1 {
  const d = toDecimal(value);
  if (!d) return 0;
  const r = d.toDecimalPlaces(dp, Decimal.ROUND_HALF_UP);
  return r.isZero() ? 0 : r.isNegative() ? -1 : 1;
}

/** How long ago a Unix-ms instant was, for live ages: `now`, `3 s ago`, `4 min ago`, `2 h ago`, `3 d ago`; `—` for none. */
export function formatAgo(at: number | null | undefined, now: number = Date.now()): string {
  if (at === null || at === undefined || !Number.isFinite(at)) return '—';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 1) return 'now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A span of milliseconds as `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Date and time to the second in the browser's locale, 24-hour: "11/25/2026, 01:15:39" (en-US). */
export function formatDateTime(d: Date | string | number): string {
  return new Date(d).toLocaleString(undefined, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}
