// Money in and out of an account that is not a trade: deposits, withdrawals, adjustments, bonuses.
import type { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { accountFigures } from '../domain/index.ts';
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
      // trading-rules.md, Ledger: withdrawals never take the balance below 0 nor free margin below 0.
      const f = accountFigures(account, core.d.book.openPositions(accountId), core.d.symbols, core.d.quote);
      if (account.balance.plus(op.amount).lt(0) || f.freeMargin.plus(op.amount).lt(0)) {
        throw new EngineError('INSUFFICIENT_FUNDS', `Balance ${account.balance.toFixed(2)}, free margin ${f.freeMargin.toFixed(2)}`);
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

