// A manual quote the engine held back (QUOTE_TOO_FAR, risk.pushQuote): what its details say, for the dealer
// who must decide whether to push it anyway. The engine sends the figures as decimal strings; nothing here
// computes a price, it only reads them and says them.
import { Decimal } from 'decimal.js';

export interface QuoteDistance {
  symbol: string;
  /** The dealer's quote. */
  bid: string;
  ask: string;
  /** The price it was measured against: the live feed (or, without one, the platform's last quote). */
  reference: { bid: string; ask: string; lp: string; from: string } | null;
  /** How far the quote's mid is from the reference's, in per cent, and the symbol's bound. */
  distancePercent: string;
  boundPercent: string;
}

const percent = (fraction: unknown) => {
  try {
    return new Decimal(String(fraction)).times(100).toDecimalPlaces(2).toFixed(2);
  } catch {
    return null;
  }
};

/** The QUOTE_TOO_FAR details as the confirmation shows them, or null when they are not there. */
export function quoteDistanceOf(details: Record<string, unknown> | undefined): QuoteDistance | null {
  if (!details || typeof details.symbol !== 'string' || typeof details.bid !== 'string' || typeof details.ask !== 'string') return null;
  const distancePercent = percent(details.deviation);
  const boundPercent = percent(details.bound);
  if (distancePercent === null || boundPercent === null) return null;
  const ref = details.reference as { bid?: unknown; ask?: unknown; lp?: unknown; from?: unknown } | null | undefined;
  const reference =
    ref && typeof ref.bid === 'string' && typeof ref.ask === 'string'
      ? { bid: ref.bid, ask: ref.ask, lp: typeof ref.lp === 'string' ? ref.lp : '', from: typeof ref.from === 'string' ? ref.from : 'feed' }
      : null;
  return { symbol: details.symbol, bid: details.bid, ask: details.ask, reference, distancePercent, boundPercent };
}
