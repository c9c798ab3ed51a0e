// Input schemas of the back office's account and money procedures (design.md §2.4.1, §2.4.2, §8.2, §8.5).
import { z } from 'zod';
import { STAFF_ROLES } from './roles.ts';
import { AccountRef, DEPOSIT_METHODS, zAccountId, zDecimal, zId, zMoneyAmount, zNewPassword, zSymbol, zText } from './schemas.ts';

/** Text a person typed: trimmed, bounded, no control characters but tab and newlines, no lone surrogates (schemas.ts zText). */
export const zTypedText = (max: number) => zText(max, { multiline: true }).trim();

/** A reason is required for every staff money move but a plain deposit: it goes to the audit log. */
const zReason = zTypedText(500).refine((s) => s.length >= 3, 'Give a reason (at least 3 characters)');

/** Signed money: an adjustment may take money away. At most 2 decimals, bounded. */
export const zSignedMoney = zDecimal
  .refine((d) => !d.isZero(), 'Must not be 0')
  .refine((d) => d.decimalPlaces() <= 2, 'At most 2 decimal places')
  .refine((d) => d.abs().lte(1_000_000_000), 'Amount is too large');

export const WITHDRAWAL_METHODS = ['BANK_TRANSFER', 'CARD', 'CRYPTO', 'INTERNAL'] as const;

export const WithdrawalRequestInput = AccountRef.extend({
  amount: zMoneyAmount,
  method: z.enum(WITHDRAWAL_METHODS).default('BANK_TRANSFER'),
  /** Where the money goes (IBAN, card reference, wallet address): shown to staff reviewing it. */
  destination: zTypedText(200).optional(),
});

export const WithdrawalsInput = z
  .object({
    status: z.enum(['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED']).optional(),
    accountId: zAccountId.optional(),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 50, offset: 0 });

export const WithdrawalDecisionInput = z.object({ id: zId, note: zTypedText(500).optional() });
export const WithdrawalRejectInput = z.object({ id: zId, reason: zReason });

export const ADJUSTMENT_TYPES = ['ADJUSTMENT', 'BONUS'] as const;
export const AdjustmentInput = AccountRef.extend({
  type: z.enum(ADJUSTMENT_TYPES),
  amount: zSignedMoney,
  /** Why: required, staff only (audit log and the entry's internal note). */
  reason: zReason,
  /** What the client reads next to the entry; nothing when omitted. */
  clientNote: zTypedText(200).optional(),
});

export const ReverseEntryInput = z.object({ ledgerId: zId, reason: zReason });

/** Credit in or out (MT5's credit: lent by the broker, in equity, never withdrawable): a positive amount. */
export const CreditInput = AccountRef.extend({
  amount: zMoneyAmount,
  /** Why: required, staff only (audit log and the entry's internal note). */
  reason: zReason,
  /** What the client reads next to the entry; nothing when omitted. */
  clientNote: zTypedText(200).optional(),
});

export const StaffLedgerInput = AccountRef.extend({
  before: zId.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export const LEVERAGES = [1, 2, 5, 10, 20, 30, 50, 100, 200, 300, 400, 500] as const;

export const CreateAccountInput = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  name: zTypedText(100).refine((s) => s.length >= 2, 'Give the client’s name'),
  type: z.enum(['DEMO', 'LIVE']).default('DEMO'),
  currency: z.enum(CURRENCIES).default('USD'),
  leverage: z
    .number()
    .int()
    .refine((n) => (LEVERAGES as readonly number[]).includes(n), `One of ${LEVERAGES.join(', ')}`)
    .default(100),
  marginMode: z.enum(['HEDGING', 'NETTING']).default('HEDGING'),
  initialDeposit: zMoneyAmount.optional(),
  depositMethod: z.enum(DEPOSIT_METHODS).default('INTERNAL'),
  /** A password chosen for a new client (the password policy applies); none: the engine generates one. */
  password: zNewPassword.optional(),
});

export const UpdateAccountInput = AccountRef.extend({
  leverage: z
    .number()
    .int()
    .refine((n) => (LEVERAGES as readonly number[]).includes(n), `One of ${LEVERAGES.join(', ')}`)
    .optional(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'READ_ONLY', 'CLOSED']).optional(),
  marginMode: z.enum(['HEDGING', 'NETTING']).optional(),
  reason: zReason,
});

export const AuditQueryInput = z
  .object({
    actorId: z.number().int().positive().max(2_147_483_647).optional(),
    action: zTypedText(100).optional(),
    entityType: zTypedText(50).optional(),
    entityId: zTypedText(100).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    before: zId.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });

export const ReconcileInput = AccountRef;

export type WithdrawalRequestInput = z.infer<typeof WithdrawalRequestInput>;
export type WithdrawalsInput = z.infer<typeof WithdrawalsInput>;
export type WithdrawalDecisionInput = z.infer<typeof WithdrawalDecisionInput>;
export type WithdrawalRejectInput = z.infer<typeof WithdrawalRejectInput>;
export type AdjustmentInput = z.infer<typeof AdjustmentInput>;
export type ReverseEntryInput = z.infer<typeof ReverseEntryInput>;
export type CreditInput = z.infer<typeof CreditInput>;
export type StaffLedgerInput = z.infer<typeof StaffLedgerInput>;
export type CreateAccountInput = z.infer<typeof CreateAccountInput>;
export type UpdateAccountInput = z.infer<typeof UpdateAccountInput>;
export type AuditQueryInput = z.infer<typeof AuditQueryInput>;
export type ReconcileInput = z.infer<typeof ReconcileInput>;

// ───────────────────────────── dealing, symbols, reports ─────────────────────────────

export const DealingPositionsInput = z
  .object({
    symbol: zSymbol.optional(),
    accountId: zAccountId.optional(),
    side: z.enum(['BUY', 'SELL']).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 100, offset: 0 });

export const DealingOrdersInput = DealingPositionsInput;

/** A dealer closes (part of) a client's position; the reason is audited and the close reason is ADMIN. */
export const DealerCloseInput = AccountRef.extend({
  positionId: zId,
  volume: zDecimal.refine((d) => d.gt(0) && d.lte(1_000_000), 'Volume must be positive').optional(),
  reason: zReason,
});

const zWeekday = z.enum(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']);
const zHhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const zBounded = (min: number, max: number) => zDecimal.refine((d) => d.gte(min) && d.lte(max), `Between ${min} and ${max}`);

/** Every setting of a symbol a dealer may change (design.md §2.4.4, §8.4); omitted fields stay as they are. */
export const SymbolSettingsInput = z.object({
  name: zSymbol,
  description: zTypedText(200).optional(),
  enabled: z.boolean().optional(),
  markupPips: zBounded(0, 10_000).optional(),
  commissionPerLot: zBounded(0, 100_000).optional(),
  minVolume: zBounded(0.00000001, 1_000_000).optional(),
  maxVolume: zBounded(0.00000001, 1_000_000).optional(),
  volumeStep: zBounded(0.00000001, 1_000_000).optional(),
  marginPercent: zBounded(0.01, 100).optional(),
  swapLong: zBounded(-100_000, 100_000).optional(),
  swapShort: zBounded(-100_000, 100_000).optional(),
  tripleSwapDay: zWeekday.optional(),
  maxDeviation: zBounded(0.0001, 1).optional(),
  staleAfterMs: z.number().int().min(100).max(3_600_000).optional(),
  tradingHours: z.array(z.object({ day: zWeekday, open: zHhmm, close: zHhmm })).max(50).optional(),
});

/** A new symbol: everything a spec needs. */
export const SymbolCreateInput = SymbolSettingsInput.extend({
  category: z.enum(['FOREX', 'METAL', 'CRYPTO', 'INDEX', 'COMMODITY', 'STOCK']),
  baseCurrency: z.string().regex(/^[A-Z]{3,5}$/),
  quoteCurrency: z.string().regex(/^[A-Z]{3,5}$/),
  contractSize: zBounded(0.00000001, 100_000_000),
  digits: z.number().int().min(0).max(8),
  pipSize: zBounded(0.00000001, 1000),
  minVolume: zBounded(0.00000001, 1_000_000),
  maxVolume: zBounded(0.00000001, 1_000_000),
  volumeStep: zBounded(0.00000001, 1_000_000),
  marginPercent: zBounded(0.01, 100),
});

export const ReportInput = z
  .object({
    from: z.coerce.date(),
    to: z.coerce.date(),
    symbol: zSymbol.optional(),
    accountId: zAccountId.optional(),
  })
  .refine((r) => r.to > r.from, 'The period must end after it starts')
  .refine((r) => r.to.getTime() - r.from.getTime() <= 366 * 86_400_000, 'At most a year at a time');

export type DealingPositionsInput = z.infer<typeof DealingPositionsInput>;
export type DealingOrdersInput = z.infer<typeof DealingOrdersInput>;
export type DealerCloseInput = z.infer<typeof DealerCloseInput>;
export type SymbolSettingsInput = z.infer<typeof SymbolSettingsInput>;
export type SymbolCreateInput = z.infer<typeof SymbolCreateInput>;
export type ReportInput = z.infer<typeof ReportInput>;

// ───────────────────────────── staff users and two-factor sign-in ─────────────────────────────

export const CreateStaffUserInput = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  username: z
    .string()
    .trim()
    .max(100)
    .regex(/^[A-Za-z0-9._-]{3,100}$/, '3 to 100 letters, digits, dots, dashes or underscores'),
  name: zTypedText(100).refine((s) => s.length >= 2, 'Give the person’s name'),
  role: z.enum(STAFF_ROLES),
  password: zNewPassword,
});

export const ResetTwoFactorInput = z.object({
  userId: zAccountId,
  reason: zReason,
});

export type CreateStaffUserInput = z.infer<typeof CreateStaffUserInput>;
export type ResetTwoFactorInput = z.infer<typeof ResetTwoFactorInput>;
