// The engine's reports area: trades, P&L, commissions and swaps over a period, by day, client and symbol;
// the symbols' settings (design.md §2.4.4, §8.4).
import type { Decimal } from 'decimal.js';
import type { ReportInput, SymbolCreateInput, SymbolSettingsInput } from '../backoffice-schemas.ts';
import type { AuthUser } from './auth.ts';
import type { RequestMeta } from './finance.ts';
import type { SymbolDto } from './market.ts';

export interface ReportTotals {
  trades: number;
  volumeLots: Decimal;
  /** Clients' realized P&L (the house's B-Book result is its opposite). */
  realizedPnl: Decimal;
  commissions: Decimal;
  swaps: Decimal;
}

export interface ReportDto {
  from: Date;
  to: Date;
  totals: ReportTotals;
  /** One row per UTC day with activity, oldest first. */
  byDay: (ReportTotals & { day: string })[];
  byClient: (ReportTotals & { accountId: number; accountNumber: string; clientName: string })[];
  bySymbol: (ReportTotals & { symbol: string })[];
  /** Count and lots by execution venue. */
  byVenue: { venue: string; trades: number; volumeLots: Decimal }[];
}

/** A symbol as the back office edits it: what the terminal sees, and the dealer's settings. */
export interface SymbolAdminDto extends SymbolDto {
  markupPips: Decimal;
  tripleSwapDay: string;
  maxDeviation: Decimal;
  staleAfterMs: number;
  tradingHours: { day: string; open: string; close: string }[];
  updatedAt: Date;
}

export interface ReportsApi {
  report(input: ReportInput): Promise<ReportDto>;
  symbols(): Promise<SymbolAdminDto[]>;
  /** Changes apply to the next quote and order, with no restart; audited with before and after. */
  updateSymbol(actor: AuthUser, input: SymbolSettingsInput, meta?: RequestMeta): Promise<SymbolAdminDto>;
  createSymbol(actor: AuthUser, input: SymbolCreateInput, meta?: RequestMeta): Promise<SymbolAdminDto>;
}
