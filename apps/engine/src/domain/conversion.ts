import { Decimal } from 'decimal.js';
import type { QuoteLookup } from './types.ts';

const TWO = new Decimal(2);

function mid(quotes: QuoteLookup, symbol: string): Decimal | undefined {
  const q = quotes(symbol);
  return q ? q.bid.plus(q.ask).div(TWO) : undefined;
}

/**
 * trading-rules.md, Currency conversion: 1 if equal; else the mid of CCYACC (multiply) or ACCCCY (divide);
 * else via USD. Returns undefined when no quote can convert (the caller rejects with NO_QUOTE).
 */
export function conversionRate(from: string, to: string, quotes: QuoteLookup): Decimal | undefined {
  if (from === to) return new Decimal(1);
  const direct = mid(quotes, from + to);
  if (direct) return direct;
  const inverse = mid(quotes, to + from);
  if (inverse && !inverse.isZero()) return new Decimal(1).div(inverse);
  if (from !== 'USD' && to !== 'USD') {
    const a = conversionRate(from, 'USD', quotes);
    const b = conversionRate('USD', to, quotes);
    if (a && b) return a.times(b);
  }
  return undefined;
}
