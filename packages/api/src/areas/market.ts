// The engine's market area: symbols, quotes and price history.
import type { Decimal } from 'decimal.js';
import type { CandlesInput, TicksInput } from '../schemas.ts';

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

export interface MarketApi {
  symbols(): Promise<SymbolDto[]>;
  quotes(symbols?: string[]): Promise<QuoteDto[]>;
  candles(input: CandlesInput): Promise<CandleDto[]>;
  ticks(input: TicksInput): Promise<TickDto[]>;
}
