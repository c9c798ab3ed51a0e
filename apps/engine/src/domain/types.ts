import type { Decimal } from 'decimal.js';

export type Side = 'BUY' | 'SELL';
export type MarginMode = 'HEDGING' | 'NETTING';
export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'READ_ONLY' | 'CLOSED';
export type Weekday = 'SUNDAY' | 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY';

/** A weekly trading session in UTC ("HH:MM"). */
export interface Session {
  day: Weekday;
  open: string;
  close: string;
}

export interface SymbolSpec {
  name: string;
  baseCurrency: string;
  quoteCurrency: string;
  contractSize: Decimal;
  digits: number;
  pipSize: Decimal;
  minVolume: Decimal;
  maxVolume: Decimal;
  volumeStep: Decimal;
  marginPercent: Decimal;
  markupPips: Decimal;
  commissionPerLot: Decimal;
  swapLong: Decimal;
  swapShort: Decimal;
  tripleSwapDay: Weekday;
  maxDeviation: Decimal;
  staleAfterMs: number;
  /** Empty = always open. */
  tradingHours: Session[];
  /** Rolls over every night, weekends included, with no triple day (crypto). */
  dailyRollover?: boolean;
  enabled: boolean;
}

export interface Quote {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  /** Unix ms when the LP priced it. */
  time: number;
  lp: string;
}

/** Latest platform quote per symbol. */
export type QuoteLookup = (symbol: string) => Quote | undefined;

export interface AccountState {
  id: number;
  userId: number;
  currency: string;
  leverage: number;
  marginMode: MarginMode;
  status: AccountStatus;
  balance: Decimal;
  /** Money the broker lends (MT5's credit): in equity, never in balance, never withdrawable. */
  credit: Decimal;
}

export interface PositionState {
  id: bigint;
  accountId: number;
  symbol: string;
  side: Side;
  volume: Decimal;
  openPrice: Decimal;
  /** Fixed when the position opens (trading-rules.md, Margin), account currency. */
  margin: Decimal;
  /** Accrued, not yet booked. */
  swap: Decimal;
  commission: Decimal;
  sl: Decimal | null;
  tp: Decimal | null;
  openTime: number;
  /** Server-side trailing stop, in pips (trading-rules.md, Pending orders and stops). */
  trailing?: Trailing | null;
  /** Where it was executed (absent: the broker's own book). */
  venue?: 'BBOOK' | 'ABOOK' | 'CBOOK';
}

export interface Trailing {
  distancePips: Decimal;
  stepPips: Decimal;
}

export type PendingType = 'LIMIT' | 'STOP' | 'STOP_LIMIT';

export interface PendingOrderState {
  id: bigint;
  accountId: number;
  symbol: string;
  type: PendingType;
  side: Side;
  volume: Decimal;
  /** LIMIT and STOP_LIMIT: the limit price; STOP: the stop price. */
  price: Decimal;
  /** STOP_LIMIT: the stop that turns it into a LIMIT at `price`; null once it has. */
  stopPrice: Decimal | null;
  sl: Decimal | null;
  tp: Decimal | null;
  trailing: Trailing | null;
  /** GTD: unix ms when it expires; null = GTC. */
  expiresAt: number | null;
  createdAt: number;
}

export interface RiskLimits {
  marginCallLevel: Decimal;
  stopOutLevel: Decimal;
  maxOpenPositions: number | null;
  maxPositionSize: Decimal | null;
  /** Lots opened per UTC day. */
  maxDailyVolume?: Decimal | null;
  /** Notional of one symbol's open positions, account currency. */
  maxSymbolExposure?: Decimal | null;
  negativeBalanceProtection?: boolean;
  /** The most leverage the account's margin is computed with (docs/trading-rules-notes.md); null = no cap. */
  maxLeverage?: number | null;
}
