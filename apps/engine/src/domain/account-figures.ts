import type { Decimal } from 'decimal.js';
import { marginLevel, usedMargin } from './margin.ts';
import { ZERO } from './money.ts';
import { unrealizedPnl } from './pnl.ts';
import type { AccountState, PositionState, QuoteLookup, SymbolSpec } from './types.ts';

export interface AccountFigures {
  balance: Decimal;
  /** balance + unrealized P&L + accrued swap. */
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  marginLevel: Decimal | null;
  unrealizedPnl: Decimal;
  swap: Decimal;
  /** Positions without a quote are valued at their open price (P&L 0) and listed here. */
  unpriced: bigint[];
}

/** trading-rules.md, Margin: equity, free margin and margin level, recomputed from scratch. */
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
  const equity = account.balance.plus(pnl).plus(swap);
  const margin = usedMargin(account.marginMode, positions);
  return {
    balance: account.balance,
    equity,
    margin,
    freeMargin: equity.minus(margin),
    marginLevel: marginLevel(equity, margin),
    unrealizedPnl: pnl,
    swap,
    unpriced,
  };
}
