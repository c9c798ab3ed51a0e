// Reading the engine's errors out of whatever a tRPC call threw. Only the error's shape is used: the app
// passes its tRPC client error class and the engine's code → message table (`@broker/api/errors`).

export interface AppErrorInfo {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
  /** The engine's details, e.g. `field` (the form field a refusal is about), `retryAfterSeconds`, or QUOTE_TOO_FAR's live feed and distance. */
  details?: Record<string, unknown>;
}

/** The class a tRPC client throws (`TRPCClientError` from `@trpc/client`): a message and the server's data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ClientErrorClass = abstract new (...args: any[]) => Error & { data?: unknown };

/** The engine's stable code and human message when `e` is a tRPC error carrying an app code; null otherwise. */
export function engineError(e: unknown, errorClass: ClientErrorClass, messages: Readonly<Record<string, string>>): AppErrorInfo | null {
  if (!(e instanceof errorClass)) return null;
  const data = e.data as { appCode?: string; issues?: { path: string; message: string }[]; details?: Record<string, unknown> } | undefined;
  if (!data?.appCode) return null;
  const info: AppErrorInfo = { code: data.appCode, message: e.message || messages[data.appCode] || data.appCode, issues: data.issues };
  if (data.details) info.details = data.details;
  return info;
}

/**
 * The engine's stable code and human message from any error a tRPC call throws: its app code when it
 * carries one, `NETWORK` for a tRPC error without one, `INTERNAL_ERROR` for anything else.
 */
export function appErrorOf(e: unknown, errorClass: ClientErrorClass, messages: Readonly<Record<string, string>>): AppErrorInfo {
  const info = engineError(e, errorClass, messages);
  if (info) return info;
  if (e instanceof errorClass) return { code: 'NETWORK', message: 'Cannot reach the trading server.' };
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) };
}

/**
 * Every engine code (packages/api/src/errors.ts) said for a person: what happened and what to do. The engine's
 * own message, when it carries the figures ("Volume must be between 0.01 and 100 lots"), goes with it.
 */
export const HUMAN_ERRORS: Readonly<Record<string, string>> = {
  VALIDATION_ERROR: 'Some of what was entered is not valid: see the marked fields.',
  PARSE_ERROR: 'The request could not be read. Reload the page and try again.',
  PAYLOAD_TOO_LARGE: 'The request was too large to send.',
  METHOD_NOT_SUPPORTED: 'The trading server does not support this request. Reload the page.',
  NOT_FOUND: 'That was not found. It may have been removed.',
  RATE_LIMITED: 'Too many requests in a short time. Wait a moment and try again.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  INVALID_CREDENTIALS: 'The email or the password is wrong.',
  FORBIDDEN: 'Your login may not do this.',
  TWO_FACTOR_REQUIRED: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
  INVALID_TWO_FACTOR_CODE: 'That code is wrong, expired or already used. Enter the current code from the app, or an unused recovery code.',
  TWO_FACTOR_CHALLENGE_EXPIRED: 'The sign-in took too long. Enter your email and password again.',
  TWO_FACTOR_ALREADY_ENABLED: 'Two-factor sign-in is already on.',
  TWO_FACTOR_NOT_ENABLED: 'Two-factor sign-in is not on for this user.',
  TWO_FACTOR_NOT_STARTED: 'Start the set-up again: the code is checked against the new secret.',
  TWO_FACTOR_SETUP_REQUIRED: 'Your role must sign in with two-factor. Set it up on the Security page first.',
  TWO_FACTOR_REQUIRED_BY_POLICY: 'Your role must sign in with two-factor, so it cannot be turned off.',
  WEAK_PASSWORD: 'This password does not meet the password policy.',
  CURRENT_PASSWORD_WRONG: 'The current password is wrong.',
  USER_EXISTS: 'A user with this email or username already exists.',
  ACCOUNT_NOT_FOUND: 'This trading account does not exist or is not yours.',
  ACCOUNT_INACTIVE: 'This account is not active, so it cannot trade. Contact support.',
  ACCOUNT_READ_ONLY: 'This account is read-only: you can see it but not trade on it.',
  UNKNOWN_SYMBOL: 'This symbol is not traded here.',
  SYMBOL_DISABLED: 'Trading in this symbol is switched off for now.',
  MARKET_CLOSED: 'The market for this symbol is closed. Try again when it opens.',
  NO_QUOTE: 'There is no fresh price for this symbol right now. Wait for the next price and try again.',
  INVALID_VOLUME: 'This volume is not allowed for the symbol.',
  INVALID_STOPS: 'The stop loss or take profit is on the wrong side of the price.',
  MAX_OPEN_POSITIONS: 'You have as many open positions as this account may hold. Close one first.',
  MAX_POSITION_SIZE: 'This would make the position larger than the account may hold. Use a smaller volume.',
  MAX_DAILY_VOLUME: "Today's trading volume limit for this account is reached.",
  MAX_SYMBOL_EXPOSURE: 'This would take your exposure in this symbol over the account limit.',
  INSUFFICIENT_MARGIN: 'Not enough free margin for this volume. Use a smaller volume or close a position.',
  INVALID_PRICE: 'The order price is on the wrong side of the market for this order type.',
  INVALID_EXPIRY: 'The expiry must be in the future.',
  INVALID_ORDER: 'This order can no longer be changed (it has filled, expired or been cancelled).',
  IDEMPOTENCY_KEY_REUSED: 'This request clashed with an earlier one. Try again.',
  POSITION_NOT_FOUND: 'This position is no longer open.',
  ORDER_NOT_FOUND: 'This pending order no longer exists.',
  DUPLICATE_REQUEST: 'This request was already carried out.',
  LP_REJECTED: 'The liquidity provider refused the order; nothing was opened. Its reason follows.',
  LP_TIMEOUT: 'The liquidity provider did not answer in time, so the order expired and nothing was opened.',
  LP_NOT_RECEIVED: 'The liquidity provider never received the order (it was interrupted by a restart), so it expired and nothing was opened.',
  LP_NOT_SENT: 'The order was interrupted before it reached the liquidity provider, so it expired and nothing was opened.',
  LP_UNAVAILABLE: 'The liquidity provider that holds this position cannot take orders right now, so nothing was added. Try again shortly.',
  SLIPPAGE_EXCEEDED: 'The price moved further than the allowed slippage before the order could fill; nothing was opened. Try again at the new price.',
  ORDER_IN_FLIGHT: 'This order is still with the liquidity provider; its result will show in your orders and positions.',
  QUOTE_TOO_FAR: 'This price is far from the live feed. Check it, and confirm to push it anyway.',
  MAX_ALERTS: 'This account has as many active price alerts as allowed (50). Delete one first.',
  ALERT_ALREADY_REACHED: 'The price is already past this level. Pick a level it has not reached yet.',
  ALERT_NOT_FOUND: 'This price alert no longer exists.',
  ROLLOVER_DONE: "Today's rollover has already run.",
  ROLLOVER_TOO_EARLY: "Today's rollover time (22:00 UTC) has not come yet.",
  INVALID_AMOUNT: 'The amount must be positive, with at most 2 decimals.',
  INSUFFICIENT_FUNDS: 'Not enough balance or free margin for this amount.',
  DEPOSIT_LIMIT: 'The amount is above the limit for one operation. Split it into smaller ones.',
  WITHDRAWAL_NOT_PENDING: 'This withdrawal has already been approved or rejected.',
  INSUFFICIENT_CREDIT: 'The account has less credit than this amount.',
  NOT_REVERSIBLE: 'Only deposits, withdrawals, adjustments, bonuses and credit can be reversed.',
  ALREADY_REVERSED: 'This entry has already been reversed.',
  ACCOUNT_HAS_EXPOSURE: 'The account still has open positions or pending orders. Close them first.',
  INTERNAL_ERROR: 'Something went wrong on the trading server. Try again; if it persists, contact support.',
  NETWORK: 'Cannot reach the trading server. Check the connection and try again.',
};

/** The order ticket field an engine code is about, to show its message next to that field. */
export const ERROR_FIELDS: Readonly<Record<string, 'volume' | 'price' | 'sl' | 'expiresAt'>> = {
  INVALID_VOLUME: 'volume',
  MAX_POSITION_SIZE: 'volume',
  MAX_DAILY_VOLUME: 'volume',
  MAX_SYMBOL_EXPOSURE: 'volume',
  INSUFFICIENT_MARGIN: 'volume',
  INVALID_STOPS: 'sl',
  INVALID_PRICE: 'price',
  INVALID_EXPIRY: 'expiresAt',
};

/**
 * An error for a person: the human sentence for its code, and the engine's own message after it when that
 * says more (the figures, the limit). Unknown codes keep the engine's message.
 */
export function humanError(info: AppErrorInfo): AppErrorInfo & { detail?: string } {
  const text = HUMAN_ERRORS[info.code];
  if (!text) return info;
  const detail = info.message && info.message !== info.code && info.message !== text ? info.message : undefined;
  return { ...info, message: detail ? `${text} ${detail.replace(/\.?$/, '.')}` : text, detail };
}
