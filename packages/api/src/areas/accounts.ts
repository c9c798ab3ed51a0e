// The engine's accounts area: an account's figures, positions, orders, trades and ledger; the back office's account list.
import type { Decimal } from 'decimal.js';
import type { CreateAccountInput, StaffLedgerInput, UpdateAccountInput } from '../backoffice-schemas.ts';
import type { AdminAccountsInput, PageInput } from '../schemas.ts';
import type { AuthUser } from './auth.ts';
import type { RequestMeta, StaffLedgerDto } from './finance.ts';
import type { AccountBrief } from './auth.ts';

export interface AccountSummaryDto {
  accountId: number;
  accountNumber: string;
  currency: string;
  leverage: number;
  marginMode: 'HEDGING' | 'NETTING';
  status: AccountBrief['status'];
  balance: Decimal;
  /** The broker's credit (MT5's): in equity, never withdrawable. */
  credit: Decimal;
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
  /** Closing trades: why (MANUAL, PARTIAL, SL_HIT, TP_HIT, STOP_OUT, CLOSE_ALL, NETTING, ADMIN). */
  closeReason: string | null;
  /** Where it was executed: the broker's book, an LP, or split. */
  venue: 'BBOOK' | 'ABOOK' | 'CBOOK';
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

export interface AdminAccountRow extends AccountBrief {
  userId: number;
  username: string;
  email: string;
  name: string;
  balance: Decimal;
  /** The broker's credit (MT5's): in equity, never withdrawable. */
  credit: Decimal;
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  marginLevel: Decimal | null;
  openPositions: number;
  createdAt: Date;
}

export interface CreatedAccountDto {
  account: AdminAccountRow;
  /** The generated password, shown once; null when the email already had a user (the account is added to it) or the password was chosen. */
  password: string | null;
  deposit: LedgerDto | null;
}

export interface AccountsApi {
  accountSummary(accountId: number): Promise<AccountSummaryDto>;
  positions(accountId: number): Promise<PositionDto[]>;
  orders(accountId: number): Promise<OrderDto[]>;
  trades(input: PageInput): Promise<TradeDto[]>;
  ledger(input: PageInput): Promise<LedgerDto[]>;
  adminAccounts(input: AdminAccountsInput): Promise<{ rows: AdminAccountRow[]; total: number }>;
  /** One account as the back office lists it. */
  adminAccount(accountId: number): Promise<AdminAccountRow>;
  /** The ledger with staff-only fields. */
  staffLedger(input: StaffLedgerInput): Promise<StaffLedgerDto[]>;
  createAccount(actor: AuthUser, input: CreateAccountInput, meta?: RequestMeta): Promise<CreatedAccountDto>;
  /** Leverage, status (suspend, read-only, close, activate) or margin mode (only with nothing open); audited. */
  updateAccount(actor: AuthUser, input: UpdateAccountInput, meta?: RequestMeta): Promise<AdminAccountRow>;
}
