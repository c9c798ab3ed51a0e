// The finance area: money in and out of an account. Every move is one ledger row booked by the desk
// (books/desk.ts balanceOperation) on the account's command queue.
import type { AuthUser, DepositInput, FinanceApi, LedgerDto } from '@broker/api';
import type { EngineCore } from './core.ts';

export class FinanceArea implements FinanceApi {
  constructor(private readonly c: EngineCore) {}

  async deposit(actor: AuthUser, input: DepositInput): Promise<LedgerDto> {
    const row = await this.c.desk.balanceOperation(input.accountId, {
      type: 'DEPOSIT',
      amount: input.amount,
      method: input.method,
      reference: input.reference,
      note: input.note,
      actorId: actor.id,
      actorRole: actor.role,
    });
    this.c.log.info('deposit', { accountId: input.accountId, amount: input.amount.toString(), by: actor.id });
    return {
      id: row.id.toString(),
      accountId: row.accountId,
      type: row.type,
      amount: row.amount,
      balanceBefore: row.balanceBefore,
      balanceAfter: row.balanceAfter,
      referenceType: row.referenceType,
      referenceId: null,
      method: row.method,
      note: row.note,
      createdAt: row.createdAt,
    };
  }
}
