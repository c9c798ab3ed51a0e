import { ERROR_CODES } from '@broker/api/errors';
import { HUMAN_ERRORS, appErrorOf, type AppErrorInfo } from '@broker/ui/errors';
import { TRPCClientError } from '@trpc/client';

export type { AppErrorInfo };

/**
 * The shared sentences (packages/ui) speak to the trader ("is not yours"); these speak to the dealer acting
 * on someone else's account.
 */
export const STAFF_ERRORS: Readonly<Record<string, string>> = {
  FORBIDDEN: 'Your role may not do this.',
  ACCOUNT_NOT_FOUND: 'There is no such trading account.',
  ACCOUNT_INACTIVE: 'This account is suspended or closed, so nothing new can be opened on it.',
  ACCOUNT_READ_ONLY: 'This account is read-only: nothing can be opened or closed on it.',
  INSUFFICIENT_FUNDS: 'The account’s balance or free margin does not cover this amount now.',
  INSUFFICIENT_CREDIT: 'The account has less credit than this amount: credit out takes back at most what was lent.',
  DEPOSIT_LIMIT: 'The amount is above the limit for one operation. Check it for a typo, or split it.',
  MAX_OPEN_POSITIONS: 'The account holds as many open positions as it may.',
  INSUFFICIENT_MARGIN: 'The account has not enough free margin for this.',
  LP_REJECTED: 'The LP refused the client’s A-Book order; nothing was booked.',
  LP_TIMEOUT: 'The LP did not answer in time: the client’s order expired, and the LP order waits under “Orders sent to LPs” until its outcome is known.',
  LP_NOT_RECEIVED: 'The LP says it never received this order (a restart interrupted it): the client’s order expired, nothing was booked.',
  LP_NOT_SENT: 'The engine stopped before this order left for the LP: the client’s order expired, nothing was sent or booked.',
  LP_UNAVAILABLE: 'The LP holding this position is down: an add to an A-Book position is refused rather than booked elsewhere. Nothing changed.',
  SLIPPAGE_EXCEEDED: 'The LP’s price moved beyond the allowed slippage, so the order was not filled (slippage control).',
  ORDER_IN_FLIGHT: 'The order is still with the LP: wait for its answer before acting on it.',
};

/** A person's sentence for a code, then the engine's own message when it says more (the figures, the limit). */
export function staffMessage(info: AppErrorInfo): AppErrorInfo {
  const text = STAFF_ERRORS[info.code] ?? HUMAN_ERRORS[info.code];
  if (!text) return info;
  const generic = (ERROR_CODES as Record<string, string>)[info.code];
  const detail = info.message && info.message !== info.code && info.message !== generic && info.message !== text ? info.message : undefined;
  return { ...info, message: detail ? `${text} ${detail.replace(/\.?$/, '.')}` : text };
}

/** The engine's stable code and a human message from any error a tRPC call throws. */
export function appError(e: unknown): AppErrorInfo {
  return staffMessage(appErrorOf(e, TRPCClientError, ERROR_CODES));
}
