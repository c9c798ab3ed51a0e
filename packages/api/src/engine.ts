// What the API needs from the engine. Procedures call this interface (passed in the context), never the
// database: the engine is the only writer (architecture.md).
import type { Decimal } from 'decimal.js';
import type { Role } from './roles.ts';
import type {
  AdminAccountsInput,
  CalculateLotInput,
  CancelOrderInput,
  CandlesInput,
  CloseAllInput,
  ClosePositionInput,
  DepositInput,
  LimitOrderInput,
  LoginInput,
  MarginPreviewInput,
  MarketOrderInput,
  ModifyOrderInput,
  ModifyPositionInput,
  PageInput,
  PushQuoteInput,
  RiskSettingsInput,
  RolloverInput,
  StopLimitOrderInput,
  LpUpsertInput,
  TicksInput,
} from './schemas.ts';
import type { LpWire } from './socket.ts';

export interface AuthUser {
  id: number;
  role: Role;
  email: string;
  name: string;
}

export interface AccountBrief {
  id: number;
  accountNumber: string;
  type: 'DEMO' | 'LIVE';
  currency: string;
  leverage: number;
  marginMode: 'HEDGING' | 'NETTING';
  status: 'ACTIVE' | 'SUSPENDED' | 'READ_ONLY' | 'CLOSED';
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: AuthUser;
  accounts: AccountBrief[];
}

export interface SymbolDto {
  name: string;
  description: string;
  category: string;
  baseCurrency: string;
  quoteCurrency: string;
  contractSize: Decimal;
  digits: number;
  pipSize: Decimal;
  minVolume: Decimal;
  maxVolume: Decimal;
  volumeStep: Decimal;
  marginPercent: Decimal;
  commissionPerLot: Decimal;
  swapLong: Decimal;
  swapShort: Decimal;
  enabled: boolean;
}

export interface QuoteDto {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  spread: Decimal;
  /** Unix ms. */
  timestamp: number;
  lp: string;
}

/** A tick of the history: a quote with its place in the newest-first order, to page back from. */
export interface TickDto extends QuoteDto {
  /** Opaque; pass as `cursor` for the ticks after this one (older). */
  cursor: string;
}

export interface CandleDto {
  /** Unix seconds, start of the bar. */
  time: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  ticks: number;
}

export interface AccountSummaryDto {
  accountId: number;
  accountNumber: string;
  currency: string;
  leverage: number;
  marginMode: 'HEDGING' | 'NETTING';
  status: AccountBrief['status'];
  balance: Decimal;
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  /** Percent; null when no margin is used. */
  marginLevel: Decimal | null;
  unrealizedPnl: Decimal;
  swap: Decimal;
  marginCall: boolean;
  openPositions: number;
}

export interface PositionDto {
  id: string;
  accountId: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: Decimal;
  openPrice: Decimal;
  currentPrice: Decimal | null;
  sl: Decimal | null;
  tp: Decimal | null;
  margin: Decimal;
  swap: Decimal;
  commission: Decimal;
  unrealizedPnl: Decimal;
  openTime: Date;
  venue: 'BBOOK' | 'ABOOK' | 'CBOOK';
  trailing: { distancePips: Decimal; stepPips: Decimal } | null;
}

export interface OrderDto {
  id: string;
  accountId: number;
  symbol: string;
  type: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  side: 'BUY' | 'SELL';
  volume: Decimal;
  /** Limit price (LIMIT, STOP_LIMIT) or stop price (STOP). */
  price: Decimal | null;
  /** The stop of a STOP_LIMIT. */
  stopPrice: Decimal | null;
  sl: Decimal | null;
  tp: Decimal | null;
  expiresAt: Date | null;
  status: string;
  filledPrice: Decimal | null;
  positionId: string | null;
  rejectCode: string | null;
  createdAt: Date;
}

export interface TradeDto {
  id: string;
  orderId: string;
  positionId: string | null;
  symbol: string;
  side: 'BUY' | 'SELL';
  entry: 'OPEN' | 'CLOSE';
  volume: Decimal;
  price: Decimal;
  realizedPnl: Decimal | null;
  commission: Decimal;
  swap: Decimal;
  executedAt: Date;
  /** Closing trades: why (MANUAL, PARTIAL, SL_HIT, TP_HIT, STOP_OUT, CLOSE_ALL, NETTING). */
  closeReason: string | null;
}

export interface LedgerDto {
  id: string;
  accountId: number;
  type: string;
  amount: Decimal;
  balanceBefore: Decimal;
  balanceAfter: Decimal;
  referenceType: string | null;
  referenceId: string | null;
  method: string | null;
  note: string | null;
  createdAt: Date;
}

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

export interface RolloverResultDto {
  tradingDay: string;
  positions: number;
  totalSwap: Decimal;
  resumed: boolean;
}

export interface RiskSettingsDto {
  accountId: number | null;
  marginCallLevel: Decimal | null;
  stopOutLevel: Decimal | null;
  maxLeverage: number | null;
  maxPositionSize: Decimal | null;
  maxDailyVolume: Decimal | null;
  maxOpenPositions: number | null;
  maxSymbolExposure: Decimal | null;
  negativeBalanceProtection: boolean | null;
}

export interface AdminAccountRow extends AccountBrief {
  userId: number;
  username: string;
  email: string;
  name: string;
  balance: Decimal;
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  marginLevel: Decimal | null;
  openPositions: number;
  createdAt: Date;
}

export interface HealthDto {
  status: 'ok' | 'degraded';
  database: 'postgres' | 'pglite';
  redis: 'connected' | 'memory' | 'down';
  uptimeSeconds: number;
  quotesIn: number;
  socketsConnected: number;
}

export interface EngineApi {
  login(input: LoginInput, meta: { ip?: string }): Promise<LoginResult>;
  me(user: AuthUser): Promise<{ user: AuthUser; accounts: AccountBrief[] }>;
  /** The user id that owns an account, or null when there is no such account. */
  accountOwner(accountId: number): Promise<number | null>;

  symbols(): Promise<SymbolDto[]>;
  quotes(symbols?: string[]): Promise<QuoteDto[]>;
  candles(input: CandlesInput): Promise<CandleDto[]>;
  ticks(input: TicksInput): Promise<TickDto[]>;

  accountSummary(accountId: number): Promise<AccountSummaryDto>;
  positions(accountId: number): Promise<PositionDto[]>;
  orders(accountId: number): Promise<OrderDto[]>;
  trades(input: PageInput): Promise<TradeDto[]>;
  ledger(input: PageInput): Promise<LedgerDto[]>;

  placeMarketOrder(actor: AuthUser, input: MarketOrderInput): Promise<OrderResultDto>;
  placePendingOrder(actor: AuthUser, input: (LimitOrderInput & { type: 'LIMIT' | 'STOP' }) | (StopLimitOrderInput & { type: 'STOP_LIMIT' })): Promise<PendingOrderResultDto>;
  modifyOrder(actor: AuthUser, input: ModifyOrderInput): Promise<OrderDto>;
  cancelOrder(actor: AuthUser, input: CancelOrderInput): Promise<OrderDto>;
  closePosition(actor: AuthUser, input: ClosePositionInput): Promise<CloseResultDto>;
  modifyPosition(actor: AuthUser, input: ModifyPositionInput): Promise<PositionDto>;
  closeAll(actor: AuthUser, input: CloseAllInput): Promise<CloseAllResultDto>;
  marginPreview(input: MarginPreviewInput): Promise<MarginPreviewDto>;
  calculateLot(input: CalculateLotInput): Promise<CalculateLotDto>;

  adminAccounts(input: AdminAccountsInput): Promise<{ rows: AdminAccountRow[]; total: number }>;
  deposit(actor: AuthUser, input: DepositInput): Promise<LedgerDto>;
  /** The manual LP: a quote pushed by a risk manager (or a test) enters the pipeline like any LP's. */
  pushQuote(actor: AuthUser, input: PushQuoteInput): Promise<QuoteDto>;
  rollover(actor: AuthUser, input: RolloverInput): Promise<RolloverResultDto>;
  riskSettings(accountId: number | null): Promise<RiskSettingsDto>;
  updateRiskSettings(actor: AuthUser, input: RiskSettingsInput): Promise<RiskSettingsDto>;

  health(): Promise<HealthDto>;

  lps(): Promise<LpWire[]>;
  setLpEnabled(actor: AuthUser, id: number, enabled: boolean): Promise<LpWire>;
  reconnectLp(actor: AuthUser, id: number): Promise<LpWire>;
  upsertLp(actor: AuthUser, input: LpUpsertInput): Promise<LpWire>;
}
