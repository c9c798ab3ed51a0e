import type { Decimal } from 'decimal.js';
import { checkSymbolTradable } from './checks.ts';
import { bookLedger, closeLeg, type CloseLeg, type LedgerPlan, type TradingContext } from './market-order.ts';
import { closingPrice } from './pnl.ts';
import { reject, type Reject } from './reject.ts';
import type { AccountState, PositionState } from './types.ts';

export interface ClosePlan {
  ok: true;
  close: CloseLeg;
  ledger: LedgerPlan[];
  balanceAfter: Decimal;
}

/** Closes a position in full or in part at the current quote (BUY at bid, SELL at ask). */
export function planClosePosition(
  account: AccountState,
  position: PositionState,
  volume: Decimal | undefined,
  ctx: TradingContext,
): ClosePlan | Reject {
  if (account.status === 'READ_ONLY' || account.status === 'CLOSED') {
    return reject(account.status === 'READ_ONLY' ? 'ACCOUNT_READ_ONLY' : 'ACCOUNT_INACTIVE', `Account is ${account.status.toLowerCase()}`);
  }
  const tradable = checkSymbolTradable(ctx.symbols(position.symbol), position.symbol, ctx.quotes, ctx.now);
  if (!tradable.ok) {
    // A disabled symbol can still be closed out; only a missing quote or a closed market stops a close.
    if (tradable.code !== 'SYMBOL_DISABLED') return tradable;
  }
  const symbol = ctx.symbols(position.symbol)!;
  const quote = ctx.quotes(position.symbol);
  if (!quote) return reject('NO_QUOTE', `No fresh quote for ${position.symbol}`);
  const closeVolume = volume ?? position.volume;
  if (closeVolume.gt(position.volume)) return reject('INVALID_VOLUME', `The position has only ${position.volume} lots`);
  if (!closeVolume.mod(symbol.volumeStep).isZero()) return reject('INVALID_VOLUME', `Volume must be a multiple of ${symbol.volumeStep} lots`);
  const rest = position.volume.minus(closeVolume);
  if (closeVolume.lt(symbol.minVolume) || (rest.gt(0) && rest.lt(symbol.minVolume))) {
    return reject('INVALID_VOLUME', `Both the closed and the remaining volume must be at least ${symbol.minVolume} lots`);
  }
  const leg = closeLeg(position, closeVolume, closingPrice(position.side, quote), symbol, account, ctx.quotes);
  if ('ok' in leg) return leg;
  const booked = bookLedger(account.balance, [
    { type: 'REALIZED_PNL', amount: leg.realizedPnl, ref: 'close:0' },
    { type: 'SWAP', amount: leg.swap, ref: 'close:0' },
  ]);
  return { ok: true, close: leg, ledger: booked.rows, balanceAfter: booked.balance };
}
