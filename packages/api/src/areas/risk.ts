// The engine's risk area: risk settings, the dealer's manual quote and the swap rollover.
import type { Decimal } from 'decimal.js';
import type { PushQuoteInput, RiskSettingsInput, RolloverInput } from '../schemas.ts';
import type { RequestMeta } from './finance.ts';
import type { AuthUser } from './auth.ts';
import type { QuoteDto } from './market.ts';

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

export interface RiskApi {
  /** The manual LP: a quote pushed by a risk manager (or a test) enters the pipeline like any LP's. */
  pushQuote(actor: AuthUser, input: PushQuoteInput, meta?: RequestMeta): Promise<QuoteDto>;
  rollover(actor: AuthUser, input: RolloverInput, meta?: RequestMeta): Promise<RolloverResultDto>;
  riskSettings(accountId: number | null): Promise<RiskSettingsDto>;
  updateRiskSettings(actor: AuthUser, input: RiskSettingsInput, meta?: RequestMeta): Promise<RiskSettingsDto>;
}
