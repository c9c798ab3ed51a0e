// The engine's finance area: money in and out of accounts, every move a ledger row; withdrawals wait for a
// dealer's approval; a mistaken entry is reversed by a linked entry, never deleted.
import type { Decimal } from 'decimal.js';
import type { AdjustmentInput, CreditInput, ReverseEntryInput, WithdrawalDecisionInput, WithdrawalRejectInput, WithdrawalRequestInput, WithdrawalsInput } from '../backoffice-schemas.ts';
import type { DepositInput } from '../schemas.ts';
import type { AuthUser } from './auth.ts';
import type { LedgerDto } from './accounts.ts';

/** The staff's view of a ledger entry: the internal note and the reversal links too. */
export interface StaffLedgerDto extends LedgerDto {
  internalNote: string | null;
  /** The entry this one reverses. */
  reversalOfId: string | null;
  /** The entry that reversed this one. */
  reversedById: string | null;
  createdById: number | null;
}

export interface WithdrawalDto {
  id: string;
  accountId: number;
  accountNumber: string;
  currency: string;
  amount: Decimal;
  method: string;
  destination: string | null;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';
  createdAt: Date;
  reviewedById: number | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
  ledgerId: string | null;
  /** The account's balance and free margin now (what an approval is checked against). */
  balance: Decimal;
  freeMargin: Decimal;
  /** The broker's credit now: in the free margin, but never withdrawable (at most free margin − credit leaves). */
  credit: Decimal;
}

/** Who is asking, for the audit row. */
export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
}

export interface FinanceApi {
  deposit(actor: AuthUser, input: DepositInput, meta?: RequestMeta): Promise<LedgerDto>;
  /** A withdrawal request (the client's own, or staff on the client's behalf): PENDING until a dealer decides. */
  requestWithdrawal(actor: AuthUser, input: WithdrawalRequestInput, meta?: RequestMeta): Promise<WithdrawalDto>;
  withdrawals(input: WithdrawalsInput): Promise<{ rows: WithdrawalDto[]; total: number }>;
  /** Books the withdrawal if balance and free margin still allow it (never below 0). */
  approveWithdrawal(actor: AuthUser, input: WithdrawalDecisionInput, meta?: RequestMeta): Promise<WithdrawalDto>;
  rejectWithdrawal(actor: AuthUser, input: WithdrawalRejectInput, meta?: RequestMeta): Promise<WithdrawalDto>;
  /** An adjustment or bonus with a required reason. */
  adjust(actor: AuthUser, input: AdjustmentInput, meta?: RequestMeta): Promise<StaffLedgerDto>;
  /** Lends the client credit: a CREDIT entry that raises the account's credit (equity), not its balance. */
  creditIn(actor: AuthUser, input: CreditInput, meta?: RequestMeta): Promise<StaffLedgerDto>;
  /** Takes credit back: at most the account's credit, and never free margin below 0. */
  creditOut(actor: AuthUser, input: CreditInput, meta?: RequestMeta): Promise<StaffLedgerDto>;
  /** Reverses a deposit, withdrawal, adjustment, bonus or credit entry by a linked entry of the opposite amount. */
  reverse(actor: AuthUser, input: ReverseEntryInput, meta?: RequestMeta): Promise<StaffLedgerDto>;
}
