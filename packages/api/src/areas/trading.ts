// The engine's trading area: orders and positions: placing, modifying, cancelling, closing; the ticket's previews.
import type { Decimal } from 'decimal.js';
import type {
  CalculateLotInput,
  CancelOrderInput,
  CloseAllInput,
  ClosePositionInput,
  LimitOrderInput,
  MarginPreviewInput,
  MarketOrderInput,
  ModifyOrderInput,
  ModifyPositionInput,
  StopLimitOrderInput,
} from '../schemas.ts';
import type { AuthUser } from './auth.ts';
import type { RequestMeta } from './finance.ts';
import type { OrderDto, PositionDto } from './accounts.ts';

export interface OrderResultDto {
  order: OrderDto;
  position: PositionDto | null;
  /** True when this idempotency key had already been processed and the stored result is returned. */
  replayed: boolean;
}

export interface CloseResultDto {
  positionId: string;
  closedVolume: Decimal;
  closePrice: Decimal;
  realizedPnl: Decimal;
  swap: Decimal;
  /** The rest of the position after a partial close, or null. */
  remaining: PositionDto | null;
}

export interface PendingOrderResultDto {
  order: OrderDto;
  replayed: boolean;
}

export interface CloseAllResultDto {
  closed: CloseResultDto[];
  failed: { positionId: string; code: string; message: string }[];
}

export interface MarginPreviewDto {
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: Decimal;
  /** The price it would fill at now. */
  price: Decimal;
  notional: Decimal;
  /** Margin this position would hold. */
  margin: Decimal;
  commission: Decimal;
  /** Used margin, free margin and margin level after the fill (hedged legs counted per the rules). */
  marginAfter: Decimal;
  freeMarginAfter: Decimal;
  marginLevelAfter: Decimal | null;
  /** Value of one pip for this volume, account currency. */
  pipValue: Decimal;
}

export interface CalculateLotDto {
  symbol: string;
  /** The largest volume (a multiple of the step) risking at most riskPercent of equity at slPips. */
  volume: Decimal;
  riskAmount: Decimal;
  pipValuePerLot: Decimal;
  /** When the rounded volume is below the symbol's minimum, 0 and why. */
  note: string | null;
}

export type PendingOrderRequest = (LimitOrderInput & { type: 'LIMIT' | 'STOP' }) | (StopLimitOrderInput & { type: 'STOP_LIMIT' });

export interface TradingApi {
  placeMarketOrder(actor: AuthUser, input: MarketOrderInput, meta?: RequestMeta): Promise<OrderResultDto>;
  placePendingOrder(actor: AuthUser, input: PendingOrderRequest, meta?: RequestMeta): Promise<PendingOrderResultDto>;
  modifyOrder(actor: AuthUser, input: ModifyOrderInput, meta?: RequestMeta): Promise<OrderDto>;
  cancelOrder(actor: AuthUser, input: CancelOrderInput, meta?: RequestMeta): Promise<OrderDto>;
  closePosition(actor: AuthUser, input: ClosePositionInput, meta?: RequestMeta): Promise<CloseResultDto>;
  modifyPosition(actor: AuthUser, input: ModifyPositionInput, meta?: RequestMeta): Promise<PositionDto>;
  closeAll(actor: AuthUser, input: CloseAllInput, meta?: RequestMeta): Promise<CloseAllResultDto>;
  marginPreview(input: MarginPreviewInput): Promise<MarginPreviewDto>;
  calculateLot(input: CalculateLotInput): Promise<CalculateLotDto>;
}
