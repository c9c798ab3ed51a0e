// Rows from the database into domain values (decimal.js), and domain values into wire DTOs.
import { Decimal } from 'decimal.js';
import type { LedgerDto, OrderDto, PositionDto, TradeDto } from '@broker/api';
import type { AccountState, PendingOrderState, PositionState, Session, SymbolSpec, Weekday } from '../domain/index.ts';

type Dec = { toString(): string };
export const dec = (v: Dec): Decimal => new Decimal(v.toString());
export const decOrNull = (v: Dec | null | undefined): Decimal | null => (v === null || v === undefined ? null : dec(v));

export interface SymbolRow {
  name: string;
  baseCurrency: string;
  quoteCurrency: string;
  contractSize: Dec;
  digits: number;
  pipSize: Dec;
  minVolume: Dec;
  maxVolume: Dec;
  volumeStep: Dec;
  marginPercent: Dec;
  markupPips: Dec;
  commissionPerLot: Dec;
  swapLong: Dec;
  swapShort: Dec;
  tripleSwapDay: string;
  maxDeviation: Dec;
  staleAfterMs: number;
  tradingHours: unknown;
  enabled: boolean;
  category?: string;
}

export function symbolFromRow(r: SymbolRow): SymbolSpec {
  return {
    name: r.name,
    baseCurrency: r.baseCurrency,
    quoteCurrency: r.quoteCurrency,
    contractSize: dec(r.contractSize),
    digits: r.digits,
    pipSize: dec(r.pipSize),
    minVolume: dec(r.minVolume),
    maxVolume: dec(r.maxVolume),
    volumeStep: dec(r.volumeStep),
    marginPercent: dec(r.marginPercent),
    markupPips: dec(r.markupPips),
    commissionPerLot: dec(r.commissionPerLot),
    swapLong: dec(r.swapLong),
    swapShort: dec(r.swapShort),
    tripleSwapDay: r.tripleSwapDay as Weekday,
    maxDeviation: dec(r.maxDeviation),
    staleAfterMs: r.staleAfterMs,
    tradingHours: Array.isArray(r.tradingHours) ? (r.tradingHours as Session[]) : [],
    dailyRollover: r.category === 'CRYPTO',
    enabled: r.enabled,
  };
}

export function accountFromRow(r: {
  id: number;
  userId: number;
  currency: string;
  leverage: number;
  marginMode: string;
  status: string;
  balance: Dec;
  credit: Dec;
}): AccountState {
  return {
    id: r.id,
    userId: r.userId,
    currency: r.currency,
    leverage: r.leverage,
    marginMode: r.marginMode as AccountState['marginMode'],
    status: r.status as AccountState['status'],
    balance: dec(r.balance),
    credit: dec(r.credit),
  };
}

export function positionFromRow(r: {
  id: bigint;
  accountId: number;
  symbol: string;
  side: string;
  volume: Dec;
  openPrice: Dec;
  margin: Dec;
  swap: Dec;
  commission: Dec;
  sl: Dec | null;
  tp: Dec | null;
  openTime: Date;
  trailingPips?: Dec | null;
  trailingStepPips?: Dec | null;
  venue?: string;
}): PositionState {
  return {
    id: r.id,
    accountId: r.accountId,
    symbol: r.symbol,
    side: r.side as PositionState['side'],
    volume: dec(r.volume),
    openPrice: dec(r.openPrice),
    margin: dec(r.margin),
    swap: dec(r.swap),
    commission: dec(r.commission),
    sl: decOrNull(r.sl),
    tp: decOrNull(r.tp),
    openTime: r.openTime.getTime(),
    trailing: r.trailingPips ? { distancePips: dec(r.trailingPips), stepPips: r.trailingStepPips ? dec(r.trailingStepPips) : new Decimal(0) } : null,
    ...(r.venue && r.venue !== 'BBOOK' ? { venue: r.venue as PositionState['venue'] } : {}),
  };
}

export function pendingFromRow(r: {
  id: bigint;
  accountId: number;
  symbol: string;
  type: string;
  side: string;
  volume: Dec;
  price: Dec | null;
  triggerPrice: Dec | null;
  sl: Dec | null;
  tp: Dec | null;
  trailingPips: Dec | null;
  trailingStepPips: Dec | null;
  expiresAt: Date | null;
  createdAt: Date;
}): PendingOrderState {
  return {
    id: r.id,
    accountId: r.accountId,
    symbol: r.symbol,
    type: r.type as PendingOrderState['type'],
    side: r.side as PendingOrderState['side'],
    volume: dec(r.volume),
    price: dec(r.price ?? '0'),
    // A STOP_LIMIT whose stop has fired is stored as a LIMIT; its trigger price stays for the record.
    stopPrice: r.type === 'STOP_LIMIT' ? decOrNull(r.triggerPrice) : null,
    sl: decOrNull(r.sl),
    tp: decOrNull(r.tp),
    trailing: r.trailingPips ? { distancePips: dec(r.trailingPips), stepPips: r.trailingStepPips ? dec(r.trailingStepPips) : new Decimal(0) } : null,
    expiresAt: r.expiresAt ? r.expiresAt.getTime() : null,
    createdAt: r.createdAt.getTime(),
  };
}

export function pendingDto(o: PendingOrderState): OrderDto {
  return {
    id: o.id.toString(),
    accountId: o.accountId,
    symbol: o.symbol,
    type: o.type,
    side: o.side,
    volume: o.volume,
    price: o.price,
    stopPrice: o.stopPrice,
    sl: o.sl,
    tp: o.tp,
    expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt),
    status: 'PENDING',
    filledPrice: null,
    positionId: null,
    rejectCode: null,
    createdAt: new Date(o.createdAt),
  };
}

export function positionDto(p: PositionState, currentPrice: Decimal | null, unrealized: Decimal | null): PositionDto {
  return {
    id: p.id.toString(),
    accountId: p.accountId,
    symbol: p.symbol,
    side: p.side,
    volume: p.volume,
    openPrice: p.openPrice,
    currentPrice,
    sl: p.sl,
    tp: p.tp,
    margin: p.margin,
    swap: p.swap,
    commission: p.commission,
    unrealizedPnl: unrealized ?? new Decimal(0),
    openTime: new Date(p.openTime),
    venue: p.venue ?? 'BBOOK',
    trailing: p.trailing ?? null,
  };
}

export function orderDto(r: {
  id: bigint;
  accountId: number;
  symbol: string;
  type: string;
  side: string;
  volume: Dec;
  price: Dec | null;
  status: string;
  filledPrice: Dec | null;
  positionId: bigint | null;
  rejectCode: string | null;
  createdAt: Date;
  triggerPrice?: Dec | null;
  sl?: Dec | null;
  tp?: Dec | null;
  expiresAt?: Date | null;
}): OrderDto {
  return {
    id: r.id.toString(),
    accountId: r.accountId,
    symbol: r.symbol,
    type: r.type as OrderDto['type'],
    side: r.side as OrderDto['side'],
    volume: dec(r.volume),
    price: decOrNull(r.price),
    stopPrice: decOrNull(r.triggerPrice),
    sl: decOrNull(r.sl),
    tp: decOrNull(r.tp),
    expiresAt: r.expiresAt ?? null,
    status: r.status,
    filledPrice: decOrNull(r.filledPrice),
    positionId: r.positionId?.toString() ?? null,
    rejectCode: r.rejectCode,
    createdAt: r.createdAt,
  };
}

export function tradeDto(r: {
  id: bigint;
  orderId: bigint;
  positionId: bigint | null;
  symbol: string;
  side: string;
  entry: string;
  volume: Dec;
  price: Dec;
  realizedPnl: Dec | null;
  commission: Dec;
  swap: Dec;
  executedAt: Date;
  venue?: string;
  order?: { comment: string | null; closesPositionId: bigint | null; type: string } | null;
}): TradeDto {
  return {
    id: r.id.toString(),
    orderId: r.orderId.toString(),
    positionId: r.positionId?.toString() ?? null,
    symbol: r.symbol,
    side: r.side as TradeDto['side'],
    entry: r.entry as TradeDto['entry'],
    volume: dec(r.volume),
    price: dec(r.price),
    realizedPnl: decOrNull(r.realizedPnl),
    commission: dec(r.commission),
    swap: dec(r.swap),
    executedAt: r.executedAt,
    closeReason: r.entry === 'CLOSE' ? closeReasonOf(r) : null,
    venue: (r.venue ?? 'BBOOK') as TradeDto['venue'],
  };
}

export function ledgerDto(r: {
  id: bigint;
  accountId: number;
  type: string;
  amount: Dec;
  balanceBefore: Dec;
  balanceAfter: Dec;
  referenceType: string | null;
  referenceId: bigint | null;
  method: string | null;
  note: string | null;
  createdAt: Date;
}): LedgerDto {
  return {
    id: r.id.toString(),
    accountId: r.accountId,
    type: r.type,
    amount: dec(r.amount),
    balanceBefore: dec(r.balanceBefore),
    balanceAfter: dec(r.balanceAfter),
    referenceType: r.referenceType,
    referenceId: r.referenceId?.toString() ?? null,
    method: r.method,
    note: r.note,
    createdAt: r.createdAt,
  };
}

const REASONS = new Set(['SL_HIT', 'TP_HIT', 'STOP_OUT', 'CLOSE_ALL', 'ADMIN', 'PARTIAL']);

function closeReasonOf(r: { positionId: bigint | null; volume: Dec; order?: { comment: string | null; closesPositionId: bigint | null; type: string } | null }): string {
  const o = r.order;
  if (!o) return 'MANUAL';
  if (o.comment && REASONS.has(o.comment)) return o.comment;
  // A closing order names the position it closes; an opposite market order on a netting account does not.
  return o.closesPositionId === r.positionId && o.type === 'MARKET' ? 'MANUAL' : 'NETTING';
}
