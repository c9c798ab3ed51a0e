// The engine's statements area: what the terminal explains and hands out — the breakdown of every figure
// (the rule, the inputs, the conversion rates, the leverage that applied), the account statement for a period
// (and its CSV and PDF), trade history with filters and totals, and a symbol's specification.
import type { Decimal } from 'decimal.js';
import type { ExplainInput, HistoryInput, StatementFileInput, StatementInput, SymbolSpecInput } from '../trader-schemas.ts';
import type { TradeDto } from './accounts.ts';
import type { SymbolDto } from './market.ts';

export interface ConversionStepDto {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  mid: Decimal;
  use: 'multiply' | 'divide';
}

export interface BreakdownDto {
  figure: string;
  value: Decimal | null;
  currency: string;
  rule: string;
  formula: string;
  inputs: { label: string; value: string }[];
  parts: { label: string; value: Decimal; detail?: string; positionId?: string; symbol?: string }[];
  conversions: { from: string; to: string; rate: Decimal; how: string; steps: ConversionStepDto[] }[];
  leverage: {
    account: number;
    cap: number | null;
    effective: number;
    marginPercent: Decimal;
    ratio: Decimal;
    symbolLeverage: Decimal;
    limitedBy: string;
  } | null;
  notes: string[];
}

export interface StatementLine {
  id: string;
  time: Date;
  type: string;
  /** What the client sees (never staff notes). */
  description: string;
  amount: Decimal;
  balance: Decimal;
  /** The account's credit after the entry (a CREDIT entry moves it; every other entry leaves it). */
  credit: Decimal;
}

export interface StatementSummary {
  deposits: Decimal;
  withdrawals: Decimal;
  realizedPnl: Decimal;
  commissions: Decimal;
  swaps: Decimal;
  /** Adjustments, bonuses and negative balance protection. */
  other: Decimal;
  /** Credit in less credit out in the period (not in the balance, nor in `net`). */
  credit: Decimal;
  net: Decimal;
  trades: number;
  volumeLots: Decimal;
}

export interface StatementDto {
  accountId: number;
  accountNumber: string;
  name: string;
  currency: string;
  type: 'DEMO' | 'LIVE';
  from: Date;
  to: Date;
  generatedAt: Date;
  openingBalance: Decimal;
  closingBalance: Decimal;
  /** The broker's credit at the start and at the end of the period (the sum of CREDIT entries to then). */
  openingCredit: Decimal;
  closingCredit: Decimal;
  lines: StatementLine[];
  trades: TradeDto[];
  summary: StatementSummary;
}

export interface StatementFileDto {
  filename: string;
  contentType: string;
  /** The file's bytes, base64. */
  base64: string;
}

export interface HistoryDto {
  trades: TradeDto[];
  totals: { trades: number; volumeLots: Decimal; realizedPnl: Decimal; commissions: Decimal; swaps: Decimal; net: Decimal };
}

export interface SymbolSpecDto extends SymbolDto {
  /** For this account: its leverage (capped by risk settings) and what the symbol then gets. */
  accountLeverage: number;
  effectiveLeverage: Decimal;
  markupPips: Decimal;
  tripleSwapDay: string;
  /** Weekly sessions (UTC); empty = always open. */
  tradingHours: { day: string; open: string; close: string }[];
  staleAfterMs: number;
}

export interface StatementsApi {
  explain(input: ExplainInput): Promise<BreakdownDto>;
  statement(input: StatementInput): Promise<StatementDto>;
  statementFile(input: StatementFileInput): Promise<StatementFileDto>;
  history(input: HistoryInput): Promise<HistoryDto>;
  symbolSpec(input: SymbolSpecInput): Promise<SymbolSpecDto>;
}
