// Money in and out of an account that is not a trade: deposits, withdrawals, adjustments, bonuses — and the
// broker's credit, which moves the account's credit and never its balance.
import type { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { accountFigures, withdrawable } from '../domain/index.ts';
import type { DeskCore } from './desk-core.ts';
import { emptyWriteSet } from './write-set.ts';

export async function balanceOperation(
  core: DeskCore,
  accountId: number,
  op: {
    type: 'DEPOSIT' | 'WITHDRAWAL' | 'ADJUSTMENT' | 'BONUS';
    amount: Decimal;
    method?: string;
    /** The payment's reference: shown to the client. */
    reference?: string;
    /** Shown to the client next to the reference (a reason given to them). */
    clientNote?: string;
    /** Staff only: never in the client's ledger or statement. */
    internalNote?: string;
    /** What the entry books (a withdrawal request, a reversed entry): referenceType and id. */
    ref?: { type: string; id: bigint };
    /** The entry this one reverses (unique: an entry is reversed once). */
    reversalOfId?: bigint;
    /** A fact checked inside the account's queue, before anything is written (throws to refuse). */
    check?: () => Promise<void> | void;
    actorId: number;
    actorRole: string;
    audit?: { action?: string; details?: Record<string, unknown>; ip?: string | null };
  },
) {
  return core.d.queue.submit(accountId, async () => {
    const account = await core.account(accountId);
    if (account.status === 'CLOSED') throw new EngineError('ACCOUNT_INACTIVE', 'Account is closed');
    await op.check?.();
    if (op.amount.lt(0)) {
      // trading-rules.md, Ledger: withdrawals never take the balance below 0 nor free margin below 0; and the
      // free margin here is without the broker's credit (docs/trading-rules-notes.md, Credit).
      const f = accountFigures(account, core.d.book.openPositions(accountId), core.d.symbols, core.d.quote);
      if (op.amount.neg().gt(withdrawable(f))) {
        throw new EngineError(
          'INSUFFICIENT_FUNDS',
          `Balance ${account.balance.toFixed(2)}, free margin ${f.freeMargin.toFixed(2)}${f.credit.isZero() ? '' : ` of which credit ${f.credit.toFixed(2)}`}: at most ${withdrawable(f).toFixed(2)} can leave the balance`,
        );
      }
    }
    const now = core.d.clock();
    const at = new Date(now);
    const [ledgerId] = await core.d.ids.take('ledger', 1);
    const after = account.balance.plus(op.amount);
    const ws = emptyWriteSet();
    const row = {
      id: ledgerId!,
      accountId,
      type: op.type,
      amount: op.amount.toString(),
      balanceBefore: account.balance.toString(),
      balanceAfter: after.toString(),
      referenceType: op.ref?.type ?? (op.reference ? 'EXTERNAL' : null),
      referenceId: op.ref?.id ?? null,
      method: op.method ?? null,
      note: [op.reference ? `ref ${op.reference}` : null, op.clientNote].filter(Boolean).join(' · ') || null,
      internalNote: op.internalNote || null,
      reversalOfId: op.reversalOfId ?? null,
      createdById: op.actorId,
      createdAt: at,
    };
    ws.ledger.push(row);
    ws.balances.push({ accountId, before: account.balance, after });
    ws.audit.push({
      actorId: op.actorId,
      actorRole: op.actorRole,
      action: op.audit?.action ?? `finance.${op.type.toLowerCase()}`,
      entityType: 'account',
      entityId: String(accountId),
      details: {
        amount: op.amount.toString(),
        method: op.method ?? null,
        reference: op.reference ?? null,
        ledgerId: ledgerId!.toString(),
        before: { balance: account.balance.toString() },
        after: { balance: after.toString() },
        ...(op.internalNote ? { internalNote: op.internalNote } : {}),
        ...(op.reversalOfId ? { reversalOf: op.reversalOfId.toString() } : {}),
        ...(op.ref ? { referenceType: op.ref.type, referenceId: op.ref.id.toString() } : {}),
        ...op.audit?.details,
      },
      ip: op.audit?.ip ?? null,
      createdAt: at,
    });
    await core.commit(accountId, ws);
    core.d.book.setBalance(accountId, after);
    core.d.publish.accountChanged(accountId);
    return { ...row, amount: op.amount, balanceBefore: account.balance, balanceAfter: after };
  });
}


/**
 * Credit in (amount > 0) or out (< 0): one CREDIT ledger entry that leaves the balance as it is (its balance
 * before and after are the same) and moves the account's credit. Credit out takes at most the credit there
 * is, and never takes free margin below 0 (docs/trading-rules-notes.md, Credit).
 */
export async function creditOperation(
  core: DeskCore,
  accountId: number,
  op: {
    amount: Decimal;
    clientNote?: string;
    internalNote?: string;
    reversalOfId?: bigint;
    check?: () => Promise<void> | void;
    actorId: number;
    actorRole: string;
    audit?: { action?: string; details?: Record<string, unknown>; ip?: string | null };
  },
) {
  return core.d.queue.submit(accountId, async () => {
    const account = await core.account(accountId);
    if (account.status === 'CLOSED') throw new EngineError('ACCOUNT_INACTIVE', 'Account is closed');
    await op.check?.();
    const creditAfter = account.credit.plus(op.amount);
    if (op.amount.lt(0)) {
      if (creditAfter.lt(0)) throw new EngineError('INSUFFICIENT_CREDIT', `The account's credit is ${account.credit.toFixed(2)}; this takes ${op.amount.neg().toFixed(2)}`);
      const f = accountFigures(account, core.d.book.openPositions(accountId), core.d.symbols, core.d.quote);
      if (f.freeMargin.plus(op.amount).lt(0))
        throw new EngineError('INSUFFICIENT_FUNDS', `Free margin ${f.freeMargin.toFixed(2)}: taking ${op.amount.neg().toFixed(2)} of credit would leave it below 0`);
    }
    const at = new Date(core.d.clock());
    const [ledgerId] = await core.d.ids.take('ledger', 1);
    const ws = emptyWriteSet();
    const row = {
      id: ledgerId!,
      accountId,
      type: 'CREDIT' as const,
      amount: op.amount.toString(),
      balanceBefore: account.balance.toString(),
      balanceAfter: account.balance.toString(),
      referenceType: null,
      referenceId: null,
      method: null,
      note: op.clientNote || null,
      internalNote: op.internalNote || null,
      reversalOfId: op.reversalOfId ?? null,
      createdById: op.actorId,
      createdAt: at,
    };
    ws.ledger.push(row);
    ws.balances.push({ accountId, before: account.balance, after: account.balance, credit: { before: account.credit, after: creditAfter } });
    ws.audit.push({
      actorId: op.actorId,
      actorRole: op.actorRole,
      action: op.audit?.action ?? (op.amount.gt(0) ? 'finance.credit_in' : 'finance.credit_out'),
      entityType: 'account',
      entityId: String(accountId),
      details: {
        amount: op.amount.toString(),
        ledgerId: ledgerId!.toString(),
        before: { credit: account.credit.toString(), balance: account.balance.toString() },
        after: { credit: creditAfter.toString(), balance: account.balance.toString() },
        ...(op.internalNote ? { internalNote: op.internalNote } : {}),
        ...(op.reversalOfId ? { reversalOf: op.reversalOfId.toString() } : {}),
        ...op.audit?.details,
      },
      ip: op.audit?.ip ?? null,
      createdAt: at,
    });
    await core.commit(accountId, ws);
    core.d.book.setCredit(accountId, creditAfter);
    core.d.publish.accountChanged(accountId);
    return { ...row, amount: op.amount, balanceBefore: account.balance, balanceAfter: account.balance, creditBefore: account.credit, creditAfter };
  });
}
