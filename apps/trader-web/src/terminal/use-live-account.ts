'use client';
import type { AccountSummaryDto, PositionDto } from '@broker/api';
import { skipToken, useQuery } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useQuotes } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { useTRPC } from '../trpc/react.ts';
import { closingPrice, unrealizedPnl } from './live-pnl.ts';

export interface LivePosition extends PositionDto {
  /** The price the position would close at now. */
  livePrice: Decimal | null;
  livePnl: Decimal;
}

export interface LiveFigures {
  currency: string;
  balance: Decimal;
  /** The broker's credit: in equity, not balance, never withdrawable. */
  credit: Decimal;
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  marginLevel: Decimal | null;
  unrealizedPnl: Decimal;
  marginCall: boolean;
}

/**
 * The account with its figures recomputed on every tick: equity = balance + credit + sum(P&L + swap),
 * free margin = equity - margin, margin level = equity / margin * 100 (trading-rules.md, Margin).
 * Balance and margin come from the engine (updated by account_update); P&L from live quotes, falling back
 * to the engine's figure for a position whose quote or conversion rate is missing.
 */
export function useLiveAccount(accountId: number | undefined) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.account.summary.queryOptions(accountId ? { accountId } : skipToken, { refetchInterval: 30_000 }));
  const positions = useQuery(trpc.account.positions.queryOptions(accountId ? { accountId } : skipToken));
  const symbols = useSymbols();
  const quotes = useQuotes();

  const s: AccountSummaryDto | undefined = summary.data;
  const rows: LivePosition[] = (positions.data ?? []).map((p) => {
    const sym = symbols.byName.get(p.symbol);
    const q = quotes.get(p.symbol);
    const pnl = sym && s ? unrealizedPnl(p, sym, s.currency, quotes) : null;
    return { ...p, livePrice: q ? closingPrice(p.side, q) : p.currentPrice, livePnl: pnl ?? p.unrealizedPnl };
  });

  let figures: LiveFigures | null = null;
  if (s) {
    if (positions.data) {
      const floating = rows.reduce((acc, p) => acc.plus(p.livePnl), new Decimal(0));
      const swaps = rows.reduce((acc, p) => acc.plus(p.swap), new Decimal(0));
      const equity = s.balance.plus(s.credit).plus(floating).plus(swaps);
      figures = {
        currency: s.currency,
        balance: s.balance,
        credit: s.credit,
        equity,
        margin: s.margin,
        freeMargin: equity.minus(s.margin),
        marginLevel: s.margin.gt(0) ? equity.div(s.margin).mul(100) : null,
        unrealizedPnl: floating,
        marginCall: s.marginCall,
      };
    } else {
      figures = { ...s, unrealizedPnl: s.unrealizedPnl };
    }
  }

  return { summary, positions, rows, figures };
}
