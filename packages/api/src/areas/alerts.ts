// The engine's price alerts area: a trader's one-shot alerts on a symbol's bid or ask.
import type { Decimal } from 'decimal.js';
import type { AlertsInput, CreateAlertInput, DeleteAlertInput } from '../trader-schemas.ts';

export interface PriceAlertDto {
  id: bigint;
  accountId: number;
  symbol: string;
  side: 'BID' | 'ASK';
  direction: 'ABOVE' | 'BELOW';
  price: Decimal;
  note: string | null;
  createdAt: Date;
  /** When the quote reached the price (the alert fired, once); null while active. */
  triggeredAt: Date | null;
  /** The side's price that fired it. */
  triggeredPrice: Decimal | null;
}

export interface AlertsApi {
  create(input: CreateAlertInput): Promise<PriceAlertDto>;
  /** Active alerts (oldest first), then triggered ones (newest first) when asked for. */
  list(input: AlertsInput): Promise<PriceAlertDto[]>;
  /** Deletes an alert of the account, active or triggered. */
  delete(input: DeleteAlertInput): Promise<{ deleted: true }>;
}
