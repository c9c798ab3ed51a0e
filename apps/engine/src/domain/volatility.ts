// The volatility figure the router's HIGH_VOLATILITY rule compares with `execution_config.high_volatility_percent`
// (routing.ts). Pure: the quotes and the time come in as arguments.
//
// Definition (docs/trading-rules-notes.md, Routing): the range of the mid over the window — the quotes with
// now − windowMs <= time <= now, plus the last quote before the window (the price standing when it opened) —
// as a percentage of the lowest mid: (max mid − min mid) / min mid × 100. Null with fewer than two quotes
// (nothing moved that can be measured); the rule then does not apply.
import { Decimal } from 'decimal.js';
import { quoteAtOrBefore, type QuotePath } from './flow.ts';

const HUNDRED = new Decimal(100);

export function rangeVolatilityPercent(path: QuotePath, now: number, windowMs: number): Decimal | null {
  const from = now - windowMs;
  const standing = quoteAtOrBefore(path, from - 1);
  const inWindow = path.filter((q) => q.time >= from && q.time <= now);
  const quotes = standing ? [standing, ...inWindow] : inWindow;
  if (quotes.length < 2) return null;
  let min: Decimal | null = null;
  let max: Decimal | null = null;
  for (const q of quotes) {
    const mid = q.bid.plus(q.ask).div(2);
    if (min === null || mid.lt(min)) min = mid;
    if (max === null || mid.gt(max)) max = mid;
  }
  if (!min || !max || min.lte(0)) return null;
  return max.minus(min).div(min).times(HUNDRED);
}
