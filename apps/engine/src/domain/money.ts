import { Decimal } from 'decimal.js';

export { Decimal };
export const ZERO = new Decimal(0);

/** trading-rules.md: booked money is rounded to 2 places, half away from zero, when it is booked. */
export function roundMoney(d: Decimal): Decimal {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Prices are rounded to the symbol's digits. */
export function roundPrice(d: Decimal, digits: number): Decimal {
  return d.toDecimalPlaces(digits, Decimal.ROUND_HALF_UP);
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** Decimal(20,8): values the books keep (margin, accrued swap, averaged prices) are held at the database's
 * precision, so memory and the stored rows never drift apart. */
export const STORED_DP = 8;
export function roundStored(d: Decimal): Decimal {
  return d.toDecimalPlaces(STORED_DP, Decimal.ROUND_HALF_UP);
}
