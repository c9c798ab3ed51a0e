// The history tab's periods and totals (pure, so they are tested without a browser).
import type { TradeDto } from '@broker/api';
import { Decimal } from 'decimal.js';

export const PERIODS = [
  { id: 'today', label: 'Today', days: 0 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: 'all', label: 'All', days: null },
] as const;
export type Period = (typeof PERIODS)[number]['id'];

/** Where a period starts (local midnight today, or that many days back); null for all of it. */
export function periodStart(period: Period, now: Date): Date | null {
  const def = PERIODS.find((p) => p.id === period)!;
  if (def.days === null) return null;
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - def.days);
  return d;
}

export interface HistoryTotals {
  deals: number;
  closedVolume: Decimal;
  profit: Decimal;
  commission: Decimal;
  swap: Decimal;
  net: Decimal;
}

/**
 * Sums of the deals shown: realized profit, commission (a deal carries it as a positive cost, the ledger books it
 * negative) and swap (signed, as booked), and their net effect on the balance: profit + swap - commission.
 */
export function historyTotals(deals: readonly TradeDto[]): HistoryTotals {
  const zero = new Decimal(0);
  let closedVolume = zero;
  let profit = zero;
  let commission = zero;
  let swap = zero;
  for (const t of deals) {
    if (t.entry === 'CLOSE') closedVolume = closedVolume.plus(t.volume);
    if (t.realizedPnl) profit = profit.plus(t.realizedPnl);
    commission = commission.plus(t.commission);
    swap = swap.plus(t.swap);
  }
  return { deals: deals.length, closedVolume, profit, commission, swap, net: profit.plus(swap).minus(commission) };
}

