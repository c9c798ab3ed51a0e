import { Decimal } from 'decimal.js';
import { accountFigures } from './account-figures.ts';
import { bookLedger, closeLeg, positionsAfter, type CloseLeg, type LedgerKind, type LedgerPlan, type TradingContext } from './market-order.ts';
import { closingPrice, unrealizedPnl } from './pnl.ts';
import type { AccountState, PositionState } from './types.ts';

export interface StopOutPlan {
  closes: CloseLeg[];
  ledger: LedgerPlan[];
  balanceAfter: Decimal;
  /** The account's credit afterwards (less what negative balance protection wrote off). */
  creditAfter: Decimal;
  /** The negative balance protection credit, when one was booked. */
  protection: Decimal | null;
  /** The credit written off by negative balance protection (the loss taken from credit first), when any. */
  creditWrittenOff: Decimal | null;
  marginLevelBefore: Decimal;
  marginLevelAfter: Decimal | null;
}

export type AccountRiskState = 'OK' | 'MARGIN_CALL' | 'STOP_OUT';

export function riskState(marginLevel: Decimal | null, ctx: Pick<TradingContext, 'risk'>): AccountRiskState {
  if (marginLevel === null) return 'OK';
  if (marginLevel.lte(ctx.risk.stopOutLevel)) return 'STOP_OUT';
  if (marginLevel.lte(ctx.risk.marginCallLevel)) return 'MARGIN_CALL';
  return 'OK';
}

/**
 * trading-rules.md, Margin call, stop out, negative balance: while margin level <= stopOutLevel, close the
 * position with the largest loss, recompute, repeat until above stop out or nothing is open; then, when nothing
 * is left open, bring a negative balance back to 0 when protection is on. Returns null when the account is not in stop out.
 *
 * With credit (docs/trading-rules-notes.md, Credit): the loss below a zero balance is taken from the credit
 * first, as MT5's compensation with credit written off does — a CREDIT entry of −min(credit, −balance), then the
 * protection entry of −balance. Equity ends at max(0, balance + credit): protection pays only what the credit
 * could not cover, and a client whose credit covered the loss keeps what is left of it.
 */
export function planStopOut(account: AccountState, positions: readonly PositionState[], ctx: TradingContext): StopOutPlan | null {
  const figures0 = accountFigures(account, positions, ctx.symbols, ctx.quotes);
  if (riskState(figures0.marginLevel, ctx) !== 'STOP_OUT') return null;
  let open = [...positions];
  let balance = account.balance;
  const closes: CloseLeg[] = [];
  const entries: { type: LedgerKind; amount: Decimal; ref: string }[] = [];
  let level: Decimal | null = figures0.marginLevel;
  while (open.length && level !== null && level.lte(ctx.risk.stopOutLevel)) {
    // Largest loss first: the lowest unrealized P&L among positions that can be priced.
    let worst: { p: PositionState; pnl: Decimal } | null = null;
    for (const p of open) {
      const spec = ctx.symbols(p.symbol);
      const pnl = spec ? unrealizedPnl(p, spec, account.currency, ctx.quotes) : undefined;
      if (pnl === undefined) continue;
      if (!worst || pnl.lt(worst.pnl) || (pnl.eq(worst.pnl) && p.id < worst.p.id)) worst = { p, pnl };
    }
    if (!worst) break; // Nothing can be priced: nothing can be closed now.
    const spec = ctx.symbols(worst.p.symbol)!;
    const quote = ctx.quotes(worst.p.symbol)!;
    const leg = closeLeg(worst.p, worst.p.volume, closingPrice(worst.p.side, quote), spec, { ...account, balance }, ctx.quotes);
    if ('ok' in leg) break;
    const i = closes.length;
    closes.push(leg);
    entries.push({ type: 'REALIZED_PNL', amount: leg.realizedPnl, ref: `close:${i}` }, { type: 'SWAP', amount: leg.swap, ref: `close:${i}` });
    balance = balance.plus(leg.realizedPnl).plus(leg.swap);
    open = positionsAfter(open, [leg], null, worst.p.symbol, ctx.now, -1n, account.id);
    level = accountFigures({ ...account, balance }, open, ctx.symbols, ctx.quotes).marginLevel;
  }
  // Negative balance protection only once nothing is left open: while a position stays open, its P&L may
  // still carry the equity, and a client whose equity never went below 0 is owed nothing.
  let protection: Decimal | null = null;
  let creditWrittenOff: Decimal | null = null;
  if ((ctx.risk.negativeBalanceProtection ?? true) && !open.length && balance.lt(0)) {
    protection = balance.neg();
    if (account.credit.gt(0)) {
      creditWrittenOff = Decimal.min(account.credit, protection);
      entries.push({ type: 'CREDIT', amount: creditWrittenOff.neg(), ref: 'protection' });
    }
    entries.push({ type: 'NEGATIVE_BALANCE_PROTECTION', amount: protection, ref: 'protection' });
  }
  const booked = bookLedger(account.balance, entries);
  return {
    closes,
    ledger: booked.rows,
    balanceAfter: booked.balance,
    creditAfter: creditWrittenOff ? account.credit.minus(creditWrittenOff) : account.credit,
    protection,
    creditWrittenOff,
    marginLevelBefore: figures0.marginLevel!,
    marginLevelAfter: level,
  };
}

