// The engine's dealing area: the dealer's live view across accounts — positions and orders with filters, a
// close on a client's behalf, net exposure per symbol — and the dashboard's figures and alerts.
import type { Decimal } from 'decimal.js';
import type { DealerCloseInput, DealingOrdersInput, DealingPositionsInput } from '../backoffice-schemas.ts';
import type { AuthUser } from './auth.ts';
import type { OrderDto, PositionDto } from './accounts.ts';
import type { RequestMeta } from './finance.ts';
import type { HealthDto } from './system.ts';
import type { CloseResultDto } from './trading.ts';

export interface DealingPositionRow extends PositionDto {
  accountNumber: string;
  currency: string;
}

export interface DealingOrderRow extends OrderDto {
  accountNumber: string;
}

/**
 * One symbol's book: what clients hold, what the house holds with LPs (coverage) and what it carries itself, in
 * lots and in the reporting currency (USD), with the floating P&L of each side (domain/exposure.ts).
 */
export interface ExposureRow {
  symbol: string;
  clientBuyLots: Decimal;
  clientSellLots: Decimal;
  /** Clients' buys minus sells. */
  clientNetLots: Decimal;
  /** The house's net position with its LPs (A-Book fills, C-Book hedges, their offsets when clients close). */
  coverageNetLots: Decimal;
  /** The house's position: its coverage minus the clients' net. */
  houseNetLots: Decimal;
  /** houseNetLots × one lot in the reporting currency (USD); null without a quote. */
  houseNetNotional: Decimal | null;
  /** Clients' floating P&L in USD at the platform quote; null when it cannot be valued now. */
  clientUnrealizedPnl: Decimal | null;
  /** The coverage's floating P&L in USD at the platform quote; null when it cannot be valued now. */
  coverageUnrealizedPnl: Decimal | null;
  /** The house's floating P&L: −clientUnrealizedPnl + coverageUnrealizedPnl. */
  housePnl: Decimal | null;
  positions: number;
  accounts: number;
  /** The global max symbol exposure (USD) and how much of it the house uses, percent; null without a limit. */
  limit: Decimal | null;
  limitUsedPercent: Decimal | null;
}

/** The exposure table: a row per symbol and the totals of its money columns (null when a row's is unknown). */
export interface ExposureDto {
  rows: ExposureRow[];
  total: { clientUnrealizedPnl: Decimal | null; coverageUnrealizedPnl: Decimal | null; housePnl: Decimal | null };
}

export interface DashboardAlert {
  kind: 'EXPOSURE_NEAR_LIMIT' | 'MARGIN_CALL' | 'STOPPED_OUT' | 'LP_DOWN' | 'LP_DEGRADED' | 'RECONCILIATION_MISMATCH' | 'NO_PRICE' | 'LP_ORDER_UNKNOWN';
  severity: 'info' | 'warning' | 'critical';
  message: string;
  accountId?: number;
  symbol?: string;
  lp?: string;
}

export interface DashboardDto {
  health: HealthDto;
  today: {
    /** Since 00:00 UTC. */
    since: Date;
    trades: number;
    volumeLots: Decimal;
    activeClients: number;
    newAccounts: number;
    deposits: Decimal;
    withdrawals: Decimal;
  };
  openPositions: number;
  pendingOrders: number;
  pendingWithdrawals: number;
  /** Open positions by venue: count and lots. */
  split: { venue: 'BBOOK' | 'ABOOK' | 'CBOOK'; positions: number; lots: Decimal }[];
  alerts: DashboardAlert[];
}

export interface DealingApi {
  positions(input: DealingPositionsInput): Promise<{ rows: DealingPositionRow[]; total: number }>;
  orders(input: DealingOrdersInput): Promise<{ rows: DealingOrderRow[]; total: number }>;
  /** Closes a client's position on the dealer's word: close reason ADMIN, audited with the reason. */
  closePosition(actor: AuthUser, input: DealerCloseInput, meta?: RequestMeta): Promise<CloseResultDto>;
  exposure(): Promise<ExposureDto>;
  dashboard(): Promise<DashboardDto>;
}
