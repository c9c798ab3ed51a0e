// Every reject code the engine and the API return. Codes are stable: clients switch on them.
export const ERROR_CODES = {
  // input and protocol
  VALIDATION_ERROR: 'Input failed validation',
  PARSE_ERROR: 'Request body is not valid JSON',
  PAYLOAD_TOO_LARGE: 'Request body is too large',
  METHOD_NOT_SUPPORTED: 'Method not supported',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Too many requests',
  // auth
  UNAUTHENTICATED: 'Sign in first',
  INVALID_CREDENTIALS: 'Email or password is wrong',
  FORBIDDEN: 'Your role may not do this',
  ACCOUNT_NOT_FOUND: 'No such account',
  // two-factor sign-in (staff) and passwords
  TWO_FACTOR_REQUIRED: 'Enter the code from your authenticator app, or a recovery code',
  INVALID_TWO_FACTOR_CODE: 'The code is wrong, expired or was already used',
  TWO_FACTOR_CHALLENGE_EXPIRED: 'The sign-in took too long: enter your email and password again',
  TWO_FACTOR_ALREADY_ENABLED: 'Two-factor sign-in is already on for this user',
  TWO_FACTOR_NOT_ENABLED: 'Two-factor sign-in is not on for this user',
  TWO_FACTOR_NOT_STARTED: 'Start the set-up first: the code is checked against the new secret',
  TWO_FACTOR_SETUP_REQUIRED: 'Your role must sign in with two-factor: set it up first',
  TWO_FACTOR_REQUIRED_BY_POLICY: 'Your role must sign in with two-factor: it cannot be turned off',
  WEAK_PASSWORD: 'The password does not meet the password policy',
  CURRENT_PASSWORD_WRONG: 'The current password is wrong',
  USER_EXISTS: 'A user with this email or username already exists',
  // trading (trading-rules.md, Opening: pre-trade checks in order)
  ACCOUNT_INACTIVE: 'Account is not active',
  ACCOUNT_READ_ONLY: 'Account is read-only',
  UNKNOWN_SYMBOL: 'Unknown symbol',
  SYMBOL_DISABLED: 'Symbol is disabled',
  MARKET_CLOSED: 'Market is closed',
  NO_QUOTE: 'No fresh quote for this symbol',
  INVALID_VOLUME: 'Volume is outside the symbol limits or not a multiple of its step',
  INVALID_STOPS: 'Stop loss or take profit is on the wrong side of the price',
  MAX_OPEN_POSITIONS: 'Maximum number of open positions reached',
  MAX_POSITION_SIZE: 'Position size limit exceeded',
  MAX_DAILY_VOLUME: 'Daily volume limit exceeded',
  MAX_SYMBOL_EXPOSURE: 'Symbol exposure limit exceeded',
  INSUFFICIENT_MARGIN: 'Not enough free margin',
  INVALID_PRICE: 'The order price is on the wrong side of the market',
  INVALID_EXPIRY: 'The expiry must be in the future',
  INVALID_ORDER: 'This order cannot be changed',
  IDEMPOTENCY_KEY_REUSED: 'This idempotency key was used for a different request',
  POSITION_NOT_FOUND: 'No such open position',
  ORDER_NOT_FOUND: 'No such pending order',
  DUPLICATE_REQUEST: 'This request was already processed',
  LP_REJECTED: 'The liquidity provider rejected the order',
  LP_TIMEOUT: 'The liquidity provider did not answer in time: the order expired',
  SLIPPAGE_EXCEEDED: 'The price moved beyond the allowed slippage: the order was not filled',
  ORDER_IN_FLIGHT: 'The order is still with the liquidity provider',
  LP_NOT_RECEIVED: 'The liquidity provider never received the order: it expired',
  LP_NOT_SENT: 'The order was not sent to the liquidity provider: it expired',
  LP_UNAVAILABLE: 'The liquidity provider that holds this position cannot take orders now: nothing was added',
  ROLLOVER_DONE: 'The rollover for this trading day has already run',
  ROLLOVER_TOO_EARLY: "This trading day's rollover moment (22:00 UTC) has not come yet",
  // price alerts
  MAX_ALERTS: 'The account has the most active price alerts allowed (50): delete one first',
  ALERT_ALREADY_REACHED: 'The price is already there: the alert would fire at once',
  ALERT_NOT_FOUND: 'No such price alert',
  QUOTE_TOO_FAR: 'The manual quote is further from the live price than the bound allows: push it again with confirm to override',
  // money
  INVALID_AMOUNT: 'Amount must be positive with at most 2 decimals',
  INSUFFICIENT_FUNDS: 'Not enough balance or free margin',
  DEPOSIT_LIMIT: 'The amount is above the limit for one operation',
  WITHDRAWAL_NOT_PENDING: 'This withdrawal has already been decided',
  INSUFFICIENT_CREDIT: 'Credit out is more than the account’s credit',
  NOT_REVERSIBLE: 'Only deposits, withdrawals, adjustments, bonuses and credit can be reversed',
  ALREADY_REVERSED: 'This entry has already been reversed',
  ACCOUNT_HAS_EXPOSURE: 'The account still has open positions or pending orders',
  // fallback
  INTERNAL_ERROR: 'Internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A rejection the engine returns on purpose: a stable code and a message for people. */
export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code]);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'EngineError');
}

/** The HTTP status a code maps to (tRPC error codes). */
export function trpcCodeFor(code: ErrorCode) {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      return 'UNAUTHORIZED' as const;
    case 'FORBIDDEN':
      return 'FORBIDDEN' as const;
    case 'NOT_FOUND':
    case 'ACCOUNT_NOT_FOUND':
    case 'POSITION_NOT_FOUND':
    case 'ORDER_NOT_FOUND':
    case 'ALERT_NOT_FOUND':
      return 'NOT_FOUND' as const;
    case 'PAYLOAD_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE' as const;
    case 'PARSE_ERROR':
      return 'PARSE_ERROR' as const;
    case 'RATE_LIMITED':
      return 'TOO_MANY_REQUESTS' as const;
    case 'DUPLICATE_REQUEST':
    case 'IDEMPOTENCY_KEY_REUSED':
      return 'CONFLICT' as const;
    case 'INTERNAL_ERROR':
      return 'INTERNAL_SERVER_ERROR' as const;
    default:
      return 'BAD_REQUEST' as const;
  }
}
