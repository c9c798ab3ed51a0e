import { Decimal } from 'decimal.js';
import { marginLevel, usedMargin } from './margin.ts';
import { ZERO } from './money.ts';
import { unrealizedPnl } from './pnl.ts';
import type { AccountState, PositionState, QuoteLookup, SymbolSpec } from './types.ts';

export interface AccountFigures {
  balance: Decimal;
  credit: Decimal;
  /** balance + credit + unrealized P&L + accrued swap. */
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  marginLevel: Decimal | null;
  unrealizedPnl: Decimal;
  swap: Decimal;
  /** Positions without a quote are valued at their open price (P&L 0) and listed here. */
  unpriced: bigint[];
}

/**
 * trading-rules.md, Margin: equity, free margin and margin level, recomputed from scratch. Equity counts the
 * broker's credit (docs/trading-rules-notes.md, Credit), as MT5 does.
 */
export function accountFigures(
  account: AccountState,
  positions: readonly PositionState[],
  symbols: (name: string) => SymbolSpec | undefined,
  quotes: QuoteLookup,
): AccountFigures {
  let pnl = ZERO;
  let swap = ZERO;
  const unpriced: bigint[] = [];
  for (const p of positions) {
    swap = swap.plus(p.swap);
    const spec = symbols(p.symbol);
    const u = spec ? unrealizedPnl(p, spec, account.currency, quotes) : undefined;
    if (u === undefined) unpriced.push(p.id);
    else pnl = pnl.plus(u);
  }
  const equity = account.balance.plus(account.credit).plus(pnl).plus(swap);
  const margin = usedMargin(account.marginMode, positions);
  return {
    balance: account.balance,
    credit: account.credit,
    equity,
    margin,
    freeMargin: equity.minus(margin),
    marginLevel: marginLevel(equity, margin),
    unrealizedPnl: pnl,
    swap,
    unpriced,
  };
}

/**
 * What may leave the balance now (a withdrawal, a negative adjustment): the balance, limited by the free
 * margin the client would have without the broker's credit (docs/trading-rules-notes.md, Credit) — credit is
 * never withdrawn and never makes balance withdrawable. Never below 0.
 */
export function withdrawable(f: Pick<AccountFigures, 'balance' | 'credit' | 'freeMargin'>): Decimal {
  const w = Decimal.min(f.balance, f.freeMargin.minus(f.credit));
  return w.gt(0) ? w : ZERO;
}
