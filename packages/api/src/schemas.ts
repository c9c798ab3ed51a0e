// Input schemas shared by the engine (validation) and the web apps (client-side form validation).
import { Decimal } from 'decimal.js';
import { z } from 'zod';

const MAX_DP = 8;
/** Decimal(20,8) holds 12 integer digits: every figure is below 1e12 in magnitude (issue 12: ≥ 1e12 was a 500). */
export const MAX_DECIMAL_ABS = new Decimal('1e12');
/**
 * What a decimal string may look like before decimal.js reads it: plain notation, or an exponent of at most
 * two digits, at most 40 characters. `'1e1000000000'` is refused here, cheaply (it held ~1 GB per call once
 * formatted for the database).
 */
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,2})?$/;

/**
 * A finite decimal given as a string, a number or a Decimal; NaN, Infinity, junk, |x| ≥ 1e12 and more than 8
 * decimal places are refused.
 */
export const zDecimal = z
  .union([z.string().trim().max(40).regex(DECIMAL_TEXT, 'Not a number'), z.number(), z.custom<Decimal>((v) => Decimal.isDecimal(v))])
  .transform((v, ctx) => {
    let d: Decimal;
    try {
      d = new Decimal(v as Decimal.Value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a number' });
      return z.NEVER;
    }
    if (!d.isFinite()) {
      ctx.addIssue({ code: 'custom', message: 'Not a finite number' });
      return z.NEVER;
    }
    // Magnitude first: both checks are cheap whatever the exponent of a Decimal that came over the wire.
    if (d.abs().gte(MAX_DECIMAL_ABS)) {
      ctx.addIssue({ code: 'custom', message: 'Must be below 1e12 in magnitude' });
      return z.NEVER;
    }
    if (d.decimalPlaces() > MAX_DP) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_DP} decimal places` });
      return z.NEVER;
    }
    return d;
  });

export const zPositiveDecimal = zDecimal.refine((d) => d.gt(0), 'Must be greater than 0');
export const zVolume = zPositiveDecimal.refine((d) => d.lte(1_000_000), 'Volume is too large');
export const zPrice = zPositiveDecimal;
/** Money booked to the ledger: positive, at most 2 decimals (trading-rules.md: booked money has 2 places). */
export const zMoneyAmount = zPositiveDecimal
  .refine((d) => d.decimalPlaces() <= 2, 'At most 2 decimal places')
  .refine((d) => d.lte(1_000_000_000), 'Amount is too large');

// C0 controls (NUL…) and DEL; a multi-line text may keep tab, newline and carriage return.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// A surrogate half without its partner: PostgreSQL refuses it in UTF-8 text (a 500 once).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Well-formed text of at most `max` characters without control characters (`multiline`: tab and newlines allowed). */
export function zText(max: number, opts: { multiline?: boolean } = {}) {
  const control = opts.multiline ? CONTROL_MULTILINE : CONTROL;
  return z
    .string()
    .max(max)
    .refine((s) => !control.test(s), 'No control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'Not well-formed text');
}

export const zSymbol = z
  .string()
  .max(40)
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9._-]{2,20}$/, 'Not a symbol name');
export const zSide = z.enum(['BUY', 'SELL']);
export const zAccountId = z.number().int().positive().max(2_147_483_647);
/** Order, position, trade and ledger ids are 64-bit: they travel as decimal strings. */
export const zId = z
  .union([z.string().regex(/^[1-9]\d{0,18}$/, 'Not an id'), z.bigint().positive()])
  .transform((v) => BigInt(v))
  // BigInt columns are signed 64-bit.
  .refine((v) => v <= 9_223_372_036_854_775_807n, 'Not an id');

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export const zTimeframe = z.enum(TIMEFRAMES);
export type Timeframe = z.infer<typeof zTimeframe>;

export const LoginInput = z.object({
  email: z.string().max(320).trim().toLowerCase().email().max(255),
  password: zText(200).min(1),
});

/** A new password as typed: bounded here; the policy (password-policy.ts) is checked with the user's email. */
export const zNewPassword = zText(512).min(1, 'Enter a password');
/** A TOTP code (6 digits) or a recovery code (xxxx-xxxx-xxxx); spaces and dashes are ignored. */
export const zTwoFactorCode = z
  .string()
  .max(40)
  .trim()
  .regex(/^[0-9A-Za-z -]{6,40}$/, 'Enter the 6-digit code or a recovery code');

/** The second sign-in step: the challenge the password step answered with, and a code. */
export const LoginTwoFactorInput = z.object({
  challenge: z.string().max(100).regex(/^[A-Za-z0-9_-]{20,100}$/, 'Not a sign-in challenge'),
  code: zTwoFactorCode,
});

export const ChangePasswordInput = z.object({
  currentPassword: zText(200).min(1, 'Enter your current password'),
  newPassword: zNewPassword,
});

export const TwoFactorCodeInput = z.object({ code: zTwoFactorCode });

export const AccountRef = z.object({ accountId: zAccountId });

export const PageInput = AccountRef.extend({
  limit: z.number().int().min(1).max(500).default(100),
  /** Return rows older than this id. */
  before: zId.optional(),
});

export const CandlesInput = z.object({
  symbol: zSymbol,
  timeframe: zTimeframe.default('1m'),
  limit: z.number().int().min(1).max(5000).default(500),
  /** Older bars: only those that start strictly before this time (unix seconds), the newest `limit` of them. */
  before: z.number().int().min(0).max(4_102_444_800).optional(),
});

export const TicksInput = z.object({
  symbol: zSymbol,
  limit: z.number().int().min(1).max(5000).default(500),
  /** Ticks strictly before this time (ms). */
  before: z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => (typeof v === 'string' ? new Date(v) : v)).optional(),
  /**
   * Paging back without gaps: the `cursor` of the last tick of the previous page; ticks strictly after it in
   * the newest-first order (ticks keep microseconds, several can share the last millisecond of a page).
   */
  cursor: z
    .string()
    .max(120)
    .regex(/^\d{1,16}:[^\u0000-\u001f\u007f]{1,100}$/, 'Not a tick cursor')
    .refine((v) => !LONE_SURROGATE.test(v), 'Not a tick cursor')
    .transform((v) => {
      const i = v.indexOf(':');
      return { us: Number(v.slice(0, i)), lp: v.slice(i + 1) };
    })
    .optional(),
});
export type TicksInput = z.infer<typeof TicksInput>;

export const QuotesInput = z.object({ symbols: z.array(zSymbol).max(500).optional() }).optional();

export const MarketOrderInput = AccountRef.extend({
  symbol: zSymbol,
  side: zSide,
  volume: zVolume,
  sl: zPrice.optional(),
  tp: zPrice.optional(),
  trailing: z.lazy(() => zTrailing).optional(),
  /** A retried request with the same key never fills twice. */
  idempotencyKey: zText(100).min(1).optional(),
  comment: zText(200).optional(),
});

export const zTrailing = z.object({
  distancePips: zPositiveDecimal,
  stepPips: zDecimal.refine((d) => d.gte(0), 'Must be 0 or more').default(new Decimal(0)),
});

/** An expiry (GTD): a Date, or an ISO-8601 string from plain JSON clients; carried as unix ms. */
export const zExpiry = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'string' ? new Date(v) : v).getTime());

const pendingBase = AccountRef.extend({
  symbol: zSymbol,
  side: zSide,
  volume: zVolume,
  /** The limit price (LIMIT, STOP_LIMIT) or the stop price (STOP). */
  price: zPrice,
  sl: zPrice.optional(),
  tp: zPrice.optional(),
  trailing: zTrailing.optional(),
  /** GTD when set, GTC when not. */
  expiresAt: zExpiry.optional(),
  idempotencyKey: zText(100).min(1).optional(),
  comment: zText(200).optional(),
});

export const LimitOrderInput = pendingBase;
export const StopOrderInput = pendingBase;
export const StopLimitOrderInput = pendingBase.extend({ stopPrice: zPrice });

export const ModifyOrderInput = AccountRef.extend({
  orderId: zId,
  price: zPrice.optional(),
  stopPrice: zPrice.optional(),
  /** null removes it. */
  sl: zPrice.nullable().optional(),
  tp: zPrice.nullable().optional(),
  expiresAt: zExpiry.nullable().optional(),
});

export const CancelOrderInput = AccountRef.extend({ orderId: zId });

export const ModifyPositionInput = AccountRef.extend({
  positionId: zId,
  sl: zPrice.nullable().optional(),
  tp: zPrice.nullable().optional(),
  trailing: zTrailing.nullable().optional(),
});

export const CloseAllInput = AccountRef.extend({ symbol: zSymbol.optional() });

export const MarginPreviewInput = AccountRef.extend({ symbol: zSymbol, side: zSide, volume: zVolume });

export const CalculateLotInput = AccountRef.extend({
  symbol: zSymbol,
  /** Percent of equity to risk. */
  riskPercent: zPositiveDecimal.refine((d) => d.lte(100), 'At most 100%'),
  slPips: zPositiveDecimal,
});

export const PushQuoteInput = z.object({
  symbol: zSymbol,
  bid: zPrice,
  ask: zPrice,
  /** A quote further from the live price than the symbol's bound (maxDeviation) is refused unless confirmed. */
  confirm: z.boolean().default(false),
});

export const RolloverInput = z
  .object({
    tradingDay: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .refine((v) => {
        const d = new Date(`${v}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && v >= '2000-01-01';
      }, 'Not a date')
      .optional(),
  })
  .default({});

export const RiskSettingsRef = z.object({ accountId: zAccountId.nullable().default(null) }).default({ accountId: null });

export const RiskSettingsInput = z.object({
  /** null = the global settings. */
  accountId: zAccountId.nullable().default(null),
  marginCallLevel: zPositiveDecimal.nullable().optional(),
  stopOutLevel: zPositiveDecimal.nullable().optional(),
  maxLeverage: z.number().int().min(1).max(1000).nullable().optional(),
  maxPositionSize: zPositiveDecimal.nullable().optional(),
  maxDailyVolume: zPositiveDecimal.nullable().optional(),
  maxOpenPositions: z.number().int().min(1).max(100_000).nullable().optional(),
  maxSymbolExposure: zPositiveDecimal.nullable().optional(),
  negativeBalanceProtection: z.boolean().nullable().optional(),
});

export const ClosePositionInput = AccountRef.extend({
  positionId: zId,
  /** Partial close: the volume to close; the whole position when omitted. */
  volume: zVolume.optional(),
});

export const DEPOSIT_METHODS = ['BANK_TRANSFER', 'CARD', 'CRYPTO', 'INTERNAL'] as const;
export const DepositInput = AccountRef.extend({
  amount: zMoneyAmount,
  method: z.enum(DEPOSIT_METHODS).default('BANK_TRANSFER'),
  reference: zText(200).trim().max(100).optional(),
  note: zText(1000, { multiline: true }).trim().max(500).optional(),
});

export const AdminAccountsInput = z
  .object({
    search: zText(200).trim().max(100).optional(),
    type: z.enum(['DEMO', 'LIVE']).optional(),
    status: z.enum(['ACTIVE', 'SUSPENDED', 'READ_ONLY', 'CLOSED']).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 100, offset: 0 });

export type LoginInput = z.infer<typeof LoginInput>;
export type LoginTwoFactorInput = z.infer<typeof LoginTwoFactorInput>;
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;
export type TwoFactorCodeInput = z.infer<typeof TwoFactorCodeInput>;
export type AccountRef = z.infer<typeof AccountRef>;
export type PageInput = z.infer<typeof PageInput>;
export type CandlesInput = z.infer<typeof CandlesInput>;
export type MarketOrderInput = z.infer<typeof MarketOrderInput>;
export type ClosePositionInput = z.infer<typeof ClosePositionInput>;
export type DepositInput = z.infer<typeof DepositInput>;
export type AdminAccountsInput = z.infer<typeof AdminAccountsInput>;
export type LimitOrderInput = z.infer<typeof LimitOrderInput>;
export type StopLimitOrderInput = z.infer<typeof StopLimitOrderInput>;
export type ModifyOrderInput = z.infer<typeof ModifyOrderInput>;
export type CancelOrderInput = z.infer<typeof CancelOrderInput>;
export type ModifyPositionInput = z.infer<typeof ModifyPositionInput>;
export type CloseAllInput = z.infer<typeof CloseAllInput>;
export type MarginPreviewInput = z.infer<typeof MarginPreviewInput>;
export type CalculateLotInput = z.infer<typeof CalculateLotInput>;
export type PushQuoteInput = z.infer<typeof PushQuoteInput>;
export type RolloverInput = z.infer<typeof RolloverInput>;
export type RiskSettingsInput = z.infer<typeof RiskSettingsInput>;
export type RiskSettingsRef = z.infer<typeof RiskSettingsRef>;

export const LP_TYPES = ['FIX', 'REST', 'WEBSOCKET', 'SIMULATED', 'MANUAL'] as const;
export const LpRef = z.object({ id: zAccountId });
/**
 * The name of an environment variable holding an LP secret, never the secret: only names under LP_ (upper
 * case, digits, _), so a row cannot make the engine read DATABASE_URL or ENGINE_JWT_SECRET (issue 12). The
 * engine checks it again where adapters read the environment (apps/engine/src/lp/credentials.ts).
 */
export const LP_CREDENTIAL_ENV_NAME = /^LP_[A-Z0-9_]{1,97}$/;
const envName = z.string().regex(LP_CREDENTIAL_ENV_NAME, 'The name of an environment variable LP_… (upper case, digits, _), never the secret itself');
const LP_ENDPOINTS: Partial<Record<(typeof LP_TYPES)[number], { key: string; secure: string; plain: string }>> = {
  REST: { key: 'streamUrl', secure: 'https:', plain: 'http:' },
  WEBSOCKET: { key: 'wsUrl', secure: 'wss:', plain: 'ws:' },
};
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** The static part of the endpoint policy (the engine adds LP_ALLOWED_HOSTS and address ranges). */
function endpointIssue(raw: unknown, rule: { secure: string; plain: string }): string | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || raw.length > 500) return 'A URL of at most 500 characters';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'Not a URL';
  }
  if (u.username || u.password) return 'No user or password in the URL: credentials come from credentialEnv';
  if (u.search || u.hash) return 'No query or fragment';
  if (u.protocol === rule.secure) return null;
  if (u.protocol === rule.plain && LOOPBACK.test(u.hostname)) return null;
  return `A ${rule.secure.slice(0, -1)}:// URL (${rule.plain.slice(0, -1)}:// only to a loopback host, for tests)`;
}
/** A plain setting (URLs, comp IDs, instrument lists, flags, timeouts). */
const lpSettingValue = z.union([zText(500), z.number().finite(), z.boolean(), z.array(zText(50)).max(500)]);
/** Reconnect delays (apps/engine/src/lp/backoff.ts). */
const LpBackoff = z
  .object({
    baseMs: z.number().int().min(10).max(600_000),
    maxMs: z.number().int().min(10).max(3_600_000),
    factor: z.number().min(1).max(10),
    jitter: z.number().min(0).max(1),
  })
  .partial()
  .strict();
/**
 * An LP row's settings: every documented one (the adapters' READMEs), the objects among them included —
 * `quickfix` (further QuickFIX session settings), `backoff`, `contractSizes` (units per lot by symbol) — and
 * the pipeline's own: `spikeConfirmMs`, `quietAfterMs`, `fallback` (the simulated LP may stand in for real ones).
 */
/** A setting's value as stored (JSON): plain, or one of the documented objects. */
export type LpSettingValue = string | number | boolean | string[] | { [key: string]: string | number | boolean | undefined };
export const LpSettings = z
  .object({
    quickfix: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'A QuickFIX setting name'), z.union([z.string().max(500), z.number().finite(), z.boolean()])).optional(),
    backoff: LpBackoff.optional(),
    contractSizes: z.record(zSymbol, z.union([z.number().positive().max(1e12), z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, 'A positive decimal')])).optional(),
    spikeConfirmMs: z.number().int().min(0).max(3_600_000).optional(),
    quietAfterMs: z.number().int().min(1000).max(86_400_000).optional(),
    fallback: z.boolean().optional(),
  })
  .catchall(lpSettingValue) as unknown as z.ZodType<Record<string, LpSettingValue>, Record<string, LpSettingValue>>;

export const LpUpsertInput = z
  .object({
    /** Absent: create. */
    id: zAccountId.optional(),
    name: zText(200).trim().min(2).max(100),
    type: z.enum(LP_TYPES),
    enabled: z.boolean().default(true),
    priority: z.number().int().min(0).max(10_000).default(100),
    settings: LpSettings.refine((r) => Object.keys(r).length <= 50, 'At most 50 settings').default({}),
    credentialEnv: z
      .record(zText(50), envName)
      .refine((r) => Object.keys(r).length <= 10, 'At most 10 credentials')
      .default({}),
    symbolMap: z
      .record(zText(50), zSymbol)
      .refine((r) => Object.keys(r).length <= 1000, 'At most 1000 symbols')
      .default({}),
  })
  .superRefine((lp, ctx) => {
    const rule = LP_ENDPOINTS[lp.type];
    if (rule) {
      const issue = endpointIssue(lp.settings[rule.key], rule);
      if (issue) ctx.addIssue({ code: 'custom', path: ['settings', rule.key], message: issue });
    }
    const host = lp.settings.host;
    if (lp.type === 'FIX' && host !== undefined && (typeof host !== 'string' || !/^[A-Za-z0-9.:_[\]-]{1,253}$/.test(host))) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'host'], message: 'A host name or address' });
    }
  });
export type LpRef = z.infer<typeof LpRef>;
export type LpUpsertInput = z.infer<typeof LpUpsertInput>;
