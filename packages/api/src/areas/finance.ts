// The engine's finance area: money in and out of accounts: every move a ledger row.
import type { DepositInput } from '../schemas.ts';
import type { AuthUser } from './auth.ts';
import type { LedgerDto } from './accounts.ts';

export interface FinanceApi {
  deposit(actor: AuthUser, input: DepositInput): Promise<LedgerDto>;
}
