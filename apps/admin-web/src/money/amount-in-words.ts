// The amount of a money move in words, for the confirmation step: a slipped key (1e9 for 1e3) reads as
// "One Billion" and stands out where a row of zeros does not.
import { Decimal } from 'decimal.js';
import { ToWords } from 'to-words';
import type { CurrencyOptions } from 'to-words/types';

const CURRENCIES: Record<string, CurrencyOptions> = {
  USD: { name: 'US Dollar', singular: 'US Dollar', plural: 'US Dollars', symbol: '$', fractionalUnit: { name: 'Cent', singular: 'Cent', plural: 'Cents', symbol: '' } },
  EUR: { name: 'Euro', singular: 'Euro', plural: 'Euros', symbol: '€', fractionalUnit: { name: 'Cent', singular: 'Cent', plural: 'Cents', symbol: '' } },
  GBP: { name: 'Pound Sterling', singular: 'Pound Sterling', plural: 'Pounds Sterling', symbol: '£', fractionalUnit: { name: 'Penny', singular: 'Penny', plural: 'Pence', symbol: '' } },
};

const converters = new Map<string, ToWords>();

function converter(currency: string): ToWords {
  let c = converters.get(currency);
  if (!c) {
    const currencyOptions = CURRENCIES[currency];
    c = new ToWords({ localeCode: 'en-US', converterOptions: { currency: Boolean(currencyOptions), currencyOptions, doNotAddOnly: true } });
    converters.set(currency, c);
  }
  return c;
}

/**
 * "One Thousand Two Hundred Thirty Four US Dollars And Fifty Six Cents"; a negative amount starts with
 * "Minus". The amount goes to the library as a decimal string, never through a JS float. Unknown currencies
 * read as a plain number followed by the code. Null when the text is not a finite amount.
 */
export function amountInWords(amount: Decimal | string, currency: string): string | null {
  let d: Decimal;
  try {
    d = new Decimal(amount);
  } catch {
    return null;
  }
  if (!d.isFinite()) return null;
  const fixed = d.abs().toFixed(2, Decimal.ROUND_HALF_UP);
  const words = converter(currency).convert(fixed as unknown as number);
  const text = CURRENCIES[currency] ? words : `${words} ${currency}`;
  return d.isNegative() && !d.isZero() ? `Minus ${text}` : text;
}
