// What the API needs from the engine. Procedures call this interface (passed in the context), never the
// database: the engine is the only writer (architecture.md).
import type { Decimal } from 'decimal.js';
import type { Role } from './roles.ts';
import type {
  AdminAccountsInput,
  CandlesInput,
  ClosePositionInput,
  DepositInput,
  LoginInput,
  MarketOrderInput,
  PageInput,
} from './schemas.ts';

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
}

export interface OrderDto {
  id: string;
  accountId: number;
  symbol: string;
  type: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  side: 'BUY' | 'SELL';
  volume: Decimal;
  price: Decimal | null;
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

  accountSummary(accountId: number): Promise<AccountSummaryDto>;
  positions(accountId: number): Promise<PositionDto[]>;
  orders(accountId: number): Promise<OrderDto[]>;
  trades(input: PageInput): Promise<TradeDto[]>;
  ledger(input: PageInput): Promise<LedgerDto[]>;

  placeMarketOrder(actor: AuthUser, input: MarketOrderInput): Promise<OrderResultDto>;
  closePosition(actor: AuthUser, input: ClosePositionInput): Promise<CloseResultDto>;

  adminAccounts(input: AdminAccountsInput): Promise<{ rows: AdminAccountRow[]; total: number }>;
  deposit(actor: AuthUser, input: DepositInput): Promise<LedgerDto>;

  health(): Promise<HealthDto>;
}
