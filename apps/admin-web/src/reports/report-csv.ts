// A report as CSV (csv-stringify: quoting, embedded commas and newlines), money as exact decimal strings.
import type { ReportDto } from '@broker/api';
import { stringify } from 'csv-stringify/browser/esm/sync';

export type ReportBy = 'day' | 'client' | 'symbol' | 'venue';

const TOTALS = ['trades', 'volume_lots', 'client_realized_pnl', 'commissions', 'swaps'];

export function reportCsv(r: ReportDto, by: ReportBy): string {
  const totals = (t: ReportDto['totals']) => [t.trades, t.volumeLots.toFixed(2), t.realizedPnl.toFixed(2), t.commissions.toFixed(2), t.swaps.toFixed(2)];
  switch (by) {
    case 'day':
      return stringify([['day', ...TOTALS], ...r.byDay.map((d) => [d.day, ...totals(d)])]);
    case 'client':
      return stringify([['account_id', 'account_number', 'client_name', ...TOTALS], ...r.byClient.map((c) => [c.accountId, c.accountNumber, c.clientName, ...totals(c)])]);
    case 'symbol':
      return stringify([['symbol', ...TOTALS], ...r.bySymbol.map((s) => [s.symbol, ...totals(s)])]);
    case 'venue':
      return stringify([['venue', 'trades', 'volume_lots'], ...r.byVenue.map((v) => [v.venue, v.trades, v.volumeLots.toFixed(2)])]);
  }
}

/** `report-symbol-2026-11-01_2026-12-01.csv` */
export function reportFileName(r: Pick<ReportDto, 'from' | 'to'>, by: ReportBy): string {
  return `report-${by}-${r.from.toISOString().slice(0, 10)}_${r.to.toISOString().slice(0, 10)}.csv`;
}
