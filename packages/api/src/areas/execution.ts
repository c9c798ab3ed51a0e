// The engine's execution area: the execution model a dealer runs — global routing configuration, client
// overrides, symbol rules — every change live on the next order and audited with before and after; the
// routing report; and the LP side: orders sent to LPs (those whose outcome is unknown first) and the house's
// coverage per LP.
import type { Decimal } from 'decimal.js';
import type { ClientFlowInput, ClientOverrideInput, ExecutionConfigInput, LpOrdersInput, RoutingReportInput, SymbolRuleInput } from '../execution-schemas.ts';
import type { AuthUser } from './auth.ts';
import type { RequestMeta } from './finance.ts';

export interface ExecutionConfigDto {
  globalMode: 'A_BOOK' | 'B_BOOK' | 'C_BOOK';
  bbookMaxVolume: Decimal;
  highVolatilityPercent: Decimal;
  maxSymbolExposure: Decimal;
  profitableAutoRoute: boolean;
  profitableThresholdPnl: Decimal;
  profitableWinRate: Decimal;
  cbookAbookShare: Decimal;
  toxicFlowAutoRoute: boolean;
  toxicLatencyArbScore: Decimal | null;
  toxicMarkoutPerLot: Decimal | null;
  toxicMarkoutHorizon: string;
  flowMinFills: number;
  slippageControl: boolean;
  maxSlippagePips: Decimal;
  lpOrderTimeoutMs: number;
  updatedAt: Date | null;
}

export interface ClientOverrideDto {
  accountId: number;
  accountNumber: string;
  mode: string;
  reason: string;
  createdAt: Date;
}

export interface SymbolRuleDto {
  symbol: string;
  mode: string;
  maxBbookVolume: Decimal | null;
  priorityLp: string | null;
  fallbackMode: string | null;
}

export interface RoutingReportRow {
  key: string;
  orders: number;
  lots: Decimal;
}

export interface RoutingReportDto {
  from: Date;
  to: Date;
  byVenue: RoutingReportRow[];
  byRule: RoutingReportRow[];
  bySymbol: (RoutingReportRow & { venue: string })[];
  /** Per account and venue: the account's number and its client's name beside the id (issue 14). */
  byClient: (RoutingReportRow & { venue: string; accountId: number; accountNumber: string; clientName: string })[];
}

export interface LpOrderDto {
  id: string;
  orderId: string | null;
  lp: string;
  kind: 'CLIENT' | 'COVERAGE';
  clOrdId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: Decimal;
  status: string;
  filledVolume: Decimal;
  avgPrice: Decimal | null;
  lpOrderId: string | null;
  rejectReason: string | null;
  sentAt: Date;
  answeredAt: Date | null;
  quoteBid: Decimal | null;
  quoteAsk: Decimal | null;
}

export interface CoverageDto {
  lp: string;
  symbol: string;
  netVolume: Decimal;
  avgPrice: Decimal;
  realizedPnl: Decimal;
  updatedAt: Date;
}

export type Horizon = '1s' | '10s' | '60s';

/** A client's flow (domain/flow.ts): what routes a toxic or profitable client, with the figures behind it. */
export interface ClientFlowDto {
  accountId: number;
  fills: number;
  closedTrades: number;
  /** Reporting currency (USD). */
  pnl: Decimal;
  winRate: Decimal | null;
  holdTime: { count: number; minMs: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number } | null;
  /** The client's P&L per lot this long after each fill, volume-weighted, USD; null without quotes that far. */
  markoutPerLot: Record<Horizon, Decimal | null>;
  /** Percent of fills followed, within the window, by a move of the mid beyond the spread in the client's favour. */
  latencyArbScore: Decimal | null;
  latencyArbSample: number;
  latencyWindowMs: number;
  perFill: { id: string; markoutPerLot: Record<Horizon, Decimal | null>; latencyArb: boolean | null }[];
}

export interface LpScorecardDto {
  lp: string;
  symbol: string;
  orders: number;
  inFlight: number;
  byStatus: Record<string, number>;
  fillRatioPercent: Decimal | null;
  ordersFilledPercent: Decimal | null;
  rejectReasons: Record<string, number>;
  avgSlippagePips: Decimal | null;
  worstSlippagePips: Decimal | null;
  responseMs: { p50: number; p99: number; max: number } | null;
}

export interface ExecutionApi {
  config(): Promise<ExecutionConfigDto>;
  updateConfig(actor: AuthUser, input: ExecutionConfigInput, meta?: RequestMeta): Promise<ExecutionConfigDto>;
  overrides(): Promise<ClientOverrideDto[]>;
  setOverride(actor: AuthUser, input: ClientOverrideInput, meta?: RequestMeta): Promise<ClientOverrideDto>;
  removeOverride(actor: AuthUser, accountId: number, meta?: RequestMeta): Promise<{ removed: boolean }>;
  symbolRules(): Promise<SymbolRuleDto[]>;
  setSymbolRule(actor: AuthUser, input: SymbolRuleInput, meta?: RequestMeta): Promise<SymbolRuleDto>;
  removeSymbolRule(actor: AuthUser, symbol: string, meta?: RequestMeta): Promise<{ removed: boolean }>;
  report(input: RoutingReportInput): Promise<RoutingReportDto>;
  lpOrders(input: LpOrdersInput): Promise<LpOrderDto[]>;
  coverage(): Promise<CoverageDto[]>;
  clientFlow(input: ClientFlowInput): Promise<ClientFlowDto>;
  /** Per LP and symbol: fill ratio, outcomes, reject reasons, slippage against the quote at send, response times. */
  scorecards(input: RoutingReportInput): Promise<LpScorecardDto[]>;
}
