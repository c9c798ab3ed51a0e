import { Decimal } from 'decimal.js';
import { reject, type Reject } from './reject.ts';
import { isMarketOpen } from './sessions.ts';
import type { AccountState, Quote, QuoteLookup, Side, SymbolSpec } from './types.ts';

/** trading-rules.md, Opening: account ACTIVE and not read-only. */
export function checkAccountCanTrade(account: AccountState): Reject | null {
  if (account.status === 'READ_ONLY') return reject('ACCOUNT_READ_ONLY', 'This account is read-only');
  if (account.status !== 'ACTIVE') return reject('ACCOUNT_INACTIVE', `Account is ${account.status.toLowerCase()}`);
  return null;
}

/** Symbol enabled, in its session, and priced by a fresh quote. */
export function checkSymbolTradable(
  symbol: SymbolSpec | undefined,
  name: string,
  quotes: QuoteLookup,
  now: number,
): { ok: true; symbol: SymbolSpec; quote: Quote } | Reject {
  if (!symbol) return reject('UNKNOWN_SYMBOL', `Unknown symbol ${name}`);
  if (!symbol.enabled) return reject('SYMBOL_DISABLED', `${name} is disabled`);
  if (!isMarketOpen(symbol.tradingHours, now)) return reject('MARKET_CLOSED', `${name} is outside its trading hours`);
  const quote = quotes(name);
  if (!quote || now - quote.time > symbol.staleAfterMs) return reject('NO_QUOTE', `No fresh quote for ${name}`);
  return { ok: true, symbol, quote };
}

// A step that is a power of ten (0.01, 0.1, 1) is 10^-k: a volume is a multiple of it exactly when it has
// at most k decimal places, which needs no division. Other steps (0.5, 0.25) go through mod.
const powerOfTenPlaces = new WeakMap<Decimal, number | null>();
function stepPlaces(step: Decimal): number | null {
  let k = powerOfTenPlaces.get(step);
  if (k === undefined) {
    const s = step.toFixed();
    const m = /^(?:1|0\.(0*)1)$/.exec(s);
    k = m ? (s === '1' ? 0 : m[1]!.length + 1) : null;
    powerOfTenPlaces.set(step, k);
  }
  return k;
}

/** Volume within [min, max] and a multiple of the step. */
export function checkVolume(volume: Decimal, symbol: SymbolSpec): Reject | null {
  if (volume.lt(symbol.minVolume) || volume.gt(symbol.maxVolume)) {
    return reject('INVALID_VOLUME', `Volume must be between ${symbol.minVolume} and ${symbol.maxVolume} lots`);
  }
  const places = stepPlaces(symbol.volumeStep);
  if (places !== null ? volume.decimalPlaces() > places : !volume.mod(symbol.volumeStep).isZero()) {
    return reject('INVALID_VOLUME', `Volume must be a multiple of ${symbol.volumeStep} lots`);
  }
  return null;
}

/** SL below and TP above the price for a BUY; the mirror for a SELL. */
export function checkStops(side: Side, price: Decimal, sl: Decimal | null | undefined, tp: Decimal | null | undefined): Reject | null {
  if (sl) {
    const ok = side === 'BUY' ? sl.lt(price) : sl.gt(price);
    if (!ok) return reject('INVALID_STOPS', `Stop loss must be ${side === 'BUY' ? 'below' : 'above'} ${price}`);
  }
  if (tp) {
    const ok = side === 'BUY' ? tp.gt(price) : tp.lt(price);
    if (!ok) return reject('INVALID_STOPS', `Take profit must be ${side === 'BUY' ? 'above' : 'below'} ${price}`);
  }
  return null;
}
