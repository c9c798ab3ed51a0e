// The finance area: money in and out of an account. Every move is one ledger row booked by the desk
// (books/desk.ts balanceOperation) on the account's command queue, with its audit row in the same commit:
// deposits, withdrawals (requested, then approved or rejected by a dealer), adjustments and bonuses with a
// reason, the broker's credit in and out (books/money.ts creditOperation: credit, never balance), and
// reversals — a linked entry of the opposite amount, never a deletion.
import { Decimal } from 'decimal.js';
import {
  EngineError,
  type AdjustmentInput,
  type AuthUser,
  type CreditInput,
  type DepositInput,
  type FinanceApi,
  type LedgerDto,
  type RequestMeta,
  type ReverseEntryInput,
  type StaffLedgerDto,
  type WithdrawalDecisionInput,
  type WithdrawalDto,
  type WithdrawalRejectInput,
  type WithdrawalRequestInput,
  type WithdrawalsInput,
} from '@broker/api';
import { dec, ledgerDto } from '../books/mapping.ts';
import { withdrawable } from '../domain/index.ts';
import type { EngineCore } from './core.ts';

/** The most one operation may move unless FINANCE_MAX_OPERATION says otherwise (a typo of 1e9 is refused). */
export const DEFAULT_MAX_OPERATION = new Decimal(1_000_000);
const REVERSIBLE = new Set(['DEPOSIT', 'WITHDRAWAL', 'ADJUSTMENT', 'BONUS', 'CREDIT']);

type LedgerRow = Parameters<typeof ledgerDto>[0] & { internalNote: string | null; reversalOfId: bigint | null; createdById: number | null };

export function staffLedgerDto(r: LedgerRow, reversedById: bigint | null = null): StaffLedgerDto {
  return {
    ...ledgerDto(r),
    internalNote: r.internalNote,
    reversalOfId: r.reversalOfId?.toString() ?? null,
    reversedById: reversedById?.toString() ?? null,
    createdById: r.createdById,
  };
}

const isUnique = (err: unknown) => (err as { code?: string }).code === '23505' || (err as { code?: string }).code === 'P2002';

export class FinanceArea implements FinanceApi {
  constructor(private readonly c: EngineCore) {}

  /** FINANCE_MAX_OPERATION (env), else DEFAULT_MAX_OPERATION, in the account's currency. */
  private get maxOperation(): Decimal {
    const raw = (this.c.opts.env ?? process.env).FINANCE_MAX_OPERATION;
    if (raw && /^\d{1,12}(\.\d{1,2})?$/.test(raw)) return new Decimal(raw);
    return DEFAULT_MAX_OPERATION;
  }

  private checkLimit(amount: Decimal): void {
    const max = this.maxOperation;
    if (amount.abs().gt(max)) throw new EngineError('DEPOSIT_LIMIT', `At most ${max.toFixed(2)} in one operation; this was ${amount.abs().toFixed(2)}`, { max: max.toFixed(2) });
  }

  async deposit(actor: AuthUser, input: DepositInput, meta: RequestMeta = {}): Promise<LedgerDto> {
    this.checkLimit(input.amount);
    const row = await this.c.desk.balanceOperation(input.accountId, {
      type: 'DEPOSIT',
      amount: input.amount,
      method: input.method,
      reference: input.reference,
      internalNote: input.note,
      actorId: actor.id,
      actorRole: actor.role,
      audit: { ip: meta.ip, details: { userAgent: meta.userAgent ?? null } },
    });
    this.c.log.info('deposit', { accountId: input.accountId, amount: input.amount.toString(), by: actor.id });
    return ledgerDto({ ...row, referenceId: row.referenceId ?? null });
  }

  private async withdrawalDto(r: {
    id: bigint;
    accountId: number;
    amount: { toString(): string };
    method: string;
    bankInfo: string | null;
    status: WithdrawalDto['status'];
    createdAt: Date;
    reviewedById: number | null;
    reviewedAt: Date | null;
    reviewNote: string | null;
    ledgerId: bigint | null;
    account: { accountNumber: string; currency: string };
  }): Promise<WithdrawalDto> {
    const state = await this.c.book.get(r.accountId);
    const f = state ? this.c.figures(state) : null;
    return {
      id: r.id.toString(),
      accountId: r.accountId,
      accountNumber: r.account.accountNumber,
      currency: r.account.currency,
      amount: dec(r.amount),
      method: r.method,
      destination: r.bankInfo,
      status: r.status,
      createdAt: r.createdAt,
      reviewedById: r.reviewedById,
      reviewedAt: r.reviewedAt,
      reviewNote: r.reviewNote,
      ledgerId: r.ledgerId?.toString() ?? null,
      balance: f?.balance ?? new Decimal(0),
      freeMargin: f?.freeMargin ?? new Decimal(0),
      credit: f?.credit ?? new Decimal(0),
    };
  }

  private withdrawal(id: bigint) {
    return this.c.prisma.withdrawalRequest.findUnique({ where: { id }, include: { account: { select: { accountNumber: true, currency: true } } } });
  }

  async requestWithdrawal(actor: AuthUser, input: WithdrawalRequestInput, meta: RequestMeta = {}): Promise<WithdrawalDto> {
    const c = this.c;
    this.checkLimit(input.amount);
    const account = await c.requireAccount(input.accountId);
    if (account.status === 'CLOSED') throw new EngineError('ACCOUNT_INACTIVE', 'Account is closed');
    // Checked now for a clear answer, and again at approval: the figures move in between.
    const f = c.figures(account);
    // Credit is never withdrawn, nor lets the balance be (docs/trading-rules-notes.md, Credit).
    if (withdrawable(f).lt(input.amount))
      throw new EngineError('INSUFFICIENT_FUNDS', `Balance ${account.balance.toFixed(2)}, free margin ${f.freeMargin.toFixed(2)}${f.credit.isZero() ? '' : ` of which credit ${f.credit.toFixed(2)}`}: at most ${withdrawable(f).toFixed(2)} can be withdrawn`);
    const row = await c.prisma.$transaction(async (tx) => {
      const saved = await tx.withdrawalRequest.create({
        data: { accountId: input.accountId, amount: input.amount.toString(), method: input.method, bankInfo: input.destination ?? null },
        include: { account: { select: { accountNumber: true, currency: true } } },
      });
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          actorRole: actor.role,
          action: 'finance.withdrawal_request',
          entityType: 'account',
          entityId: String(input.accountId),
          details: { withdrawalId: saved.id.toString(), amount: input.amount.toString(), method: input.method, userAgent: meta.userAgent ?? null },
          ip: meta.ip ?? null,
        },
      });
      return saved;
    });
    c.log.info('withdrawal requested', { accountId: input.accountId, amount: input.amount.toString(), by: actor.id });
    return this.withdrawalDto(row);
  }

  async withdrawals(input: WithdrawalsInput): Promise<{ rows: WithdrawalDto[]; total: number }> {
    const where = { ...(input.status ? { status: input.status } : {}), ...(input.accountId ? { accountId: input.accountId } : {}) };
    const [rows, total] = await Promise.all([
      this.c.prisma.withdrawalRequest.findMany({
        where,
        orderBy: { id: input.status === 'PENDING' ? 'asc' : 'desc' },
        skip: input.offset,
        take: input.limit,
        include: { account: { select: { accountNumber: true, currency: true } } },
      }),
      this.c.prisma.withdrawalRequest.count({ where }),
    ]);
    return { rows: await Promise.all(rows.map((r) => this.withdrawalDto(r))), total };
  }

  /**
   * Books the WITHDRAWAL entry (referencing the request) on the account's queue, checked against balance and
   * free margin there, then marks the request APPROVED. A crash in between leaves the entry booked and the
   * request PENDING: approving again finds the entry and completes the request without booking twice.
   */
  async approveWithdrawal(actor: AuthUser, input: WithdrawalDecisionInput, meta: RequestMeta = {}): Promise<WithdrawalDto> {
    const c = this.c;
    const req = await this.withdrawal(input.id);
    if (!req) throw new EngineError('NOT_FOUND', `No withdrawal ${input.id}`);
    if (req.status !== 'PENDING') throw new EngineError('WITHDRAWAL_NOT_PENDING', `Withdrawal ${input.id} is ${req.status.toLowerCase()}`);
    const booked = await c.prisma.ledgerEntry.findFirst({ where: { referenceType: 'WITHDRAWAL', referenceId: req.id } });
    let ledgerId = booked?.id;
    if (!ledgerId) {
      const row = await c.desk.balanceOperation(req.accountId, {
        type: 'WITHDRAWAL',
        amount: dec(req.amount).neg(),
        method: req.method,
        clientNote: `Withdrawal #${req.id}`,
        internalNote: input.note,
        ref: { type: 'WITHDRAWAL', id: req.id },
        // Decided once: a second approval racing this one finds the request no longer pending.
        check: async () => {
          const now = await c.prisma.withdrawalRequest.findUnique({ where: { id: req.id }, select: { status: true } });
          if (now?.status !== 'PENDING') throw new EngineError('WITHDRAWAL_NOT_PENDING');
          if (await c.prisma.ledgerEntry.findFirst({ where: { referenceType: 'WITHDRAWAL', referenceId: req.id }, select: { id: true } }))
            throw new EngineError('WITHDRAWAL_NOT_PENDING');
        },
        actorId: actor.id,
        actorRole: actor.role,
        audit: { action: 'finance.withdrawal_approve', ip: meta.ip, details: { withdrawalId: req.id.toString(), userAgent: meta.userAgent ?? null } },
      });
      ledgerId = row.id;
    }
    const done = await c.prisma.withdrawalRequest.update({
      where: { id: req.id },
      data: { status: 'APPROVED', reviewedById: actor.id, reviewedAt: new Date(c.clock()), reviewNote: input.note ?? null, ledgerId },
      include: { account: { select: { accountNumber: true, currency: true } } },
    });
    c.log.info('withdrawal approved', { accountId: req.accountId, withdrawalId: req.id.toString(), by: actor.id });
    return this.withdrawalDto(done);
  }

  async rejectWithdrawal(actor: AuthUser, input: WithdrawalRejectInput, meta: RequestMeta = {}): Promise<WithdrawalDto> {
    const c = this.c;
    const done = await c.prisma.$transaction(async (tx) => {
      // Only a pending request changes: the update's condition decides a race with an approval.
      const n = await tx.withdrawalRequest.updateMany({
        where: { id: input.id, status: 'PENDING' },
        data: { status: 'REJECTED', reviewedById: actor.id, reviewedAt: new Date(c.clock()), reviewNote: input.reason },
      });
      const row = await tx.withdrawalRequest.findUnique({ where: { id: input.id }, include: { account: { select: { accountNumber: true, currency: true } } } });
      if (!row) throw new EngineError('NOT_FOUND', `No withdrawal ${input.id}`);
      if (n.count === 0) throw new EngineError('WITHDRAWAL_NOT_PENDING', `Withdrawal ${input.id} is ${row.status.toLowerCase()}`);
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          actorRole: actor.role,
          action: 'finance.withdrawal_reject',
          entityType: 'account',
          entityId: String(row.accountId),
          details: { withdrawalId: row.id.toString(), amount: row.amount.toString(), reason: input.reason, before: { status: 'PENDING' }, after: { status: 'REJECTED' }, userAgent: meta.userAgent ?? null },
          ip: meta.ip ?? null,
        },
      });
      return row;
    });
    return this.withdrawalDto(done);
  }

  async adjust(actor: AuthUser, input: AdjustmentInput, meta: RequestMeta = {}): Promise<StaffLedgerDto> {
    this.checkLimit(input.amount);
    if (input.type === 'BONUS' && input.amount.lt(0)) throw new EngineError('INVALID_AMOUNT', 'A bonus is positive; take money back with an adjustment or a reversal');
    const row = await this.c.desk.balanceOperation(input.accountId, {
      type: input.type,
      amount: input.amount,
      clientNote: input.clientNote,
      internalNote: input.reason,
      actorId: actor.id,
      actorRole: actor.role,
      audit: { ip: meta.ip, details: { reason: input.reason, userAgent: meta.userAgent ?? null } },
    });
    return staffLedgerDto({ ...row, referenceId: row.referenceId ?? null });
  }

  creditIn(actor: AuthUser, input: CreditInput, meta: RequestMeta = {}): Promise<StaffLedgerDto> {
    return this.credit(actor, input, input.amount, meta);
  }

  creditOut(actor: AuthUser, input: CreditInput, meta: RequestMeta = {}): Promise<StaffLedgerDto> {
    return this.credit(actor, input, input.amount.neg(), meta);
  }

  private async credit(actor: AuthUser, input: CreditInput, amount: Decimal, meta: RequestMeta): Promise<StaffLedgerDto> {
    this.checkLimit(amount);
    const row = await this.c.desk.creditOperation(input.accountId, {
      amount,
      clientNote: input.clientNote,
      internalNote: input.reason,
      actorId: actor.id,
      actorRole: actor.role,
      audit: { ip: meta.ip, details: { reason: input.reason, userAgent: meta.userAgent ?? null } },
    });
    this.c.log.info(amount.gt(0) ? 'credit in' : 'credit out', { accountId: input.accountId, amount: amount.toString(), by: actor.id });
    return staffLedgerDto({ ...row, referenceId: row.referenceId ?? null });
  }

  async reverse(actor: AuthUser, input: ReverseEntryInput, meta: RequestMeta = {}): Promise<StaffLedgerDto> {
    const c = this.c;
    const original = await c.prisma.ledgerEntry.findUnique({ where: { id: input.ledgerId } });
    if (!original) throw new EngineError('NOT_FOUND', `No ledger entry ${input.ledgerId}`);
    if (!REVERSIBLE.has(original.type) || original.reversalOfId !== null) throw new EngineError('NOT_REVERSIBLE');
    const check = async () => {
      if (await c.prisma.ledgerEntry.findUnique({ where: { reversalOfId: original.id }, select: { id: true } })) throw new EngineError('ALREADY_REVERSED');
    };
    try {
      if (original.type === 'CREDIT') {
        // Held to credit out's rules when it takes credit back (no more than there is, free margin not below 0).
        const row = await c.desk.creditOperation(original.accountId, {
          amount: dec(original.amount).neg(),
          clientNote: `Reversal of #${original.id}`,
          internalNote: input.reason,
          reversalOfId: original.id,
          check,
          actorId: actor.id,
          actorRole: actor.role,
          audit: { action: 'finance.reversal', ip: meta.ip, details: { reason: input.reason, originalAmount: original.amount.toString(), userAgent: meta.userAgent ?? null } },
        });
        return staffLedgerDto({ ...row, referenceId: row.referenceId ?? null });
      }
      const type = original.type as 'DEPOSIT' | 'WITHDRAWAL' | 'ADJUSTMENT' | 'BONUS';
      const row = await c.desk.balanceOperation(original.accountId, {
        type,
        amount: dec(original.amount).neg(),
        method: original.method ?? undefined,
        clientNote: `Reversal of #${original.id}`,
        internalNote: input.reason,
        reversalOfId: original.id,
        check,
        actorId: actor.id,
        actorRole: actor.role,
        audit: { action: 'finance.reversal', ip: meta.ip, details: { reason: input.reason, originalAmount: original.amount.toString(), userAgent: meta.userAgent ?? null } },
      });
      return staffLedgerDto({ ...row, referenceId: row.referenceId ?? null });
    } catch (err) {
      // The unique index on reversal_of_id: another reversal of the same entry got there first.
      if (isUnique(err)) throw new EngineError('ALREADY_REVERSED');
      throw err;
    }
  }
}
