// The engine's audit area: the audit log (who did what, when, from where, before and after) and the
// reconciliation of an account's books (balance from its ledger, positions from its trades).
import type { Decimal } from 'decimal.js';
import type { AuditQueryInput } from '../backoffice-schemas.ts';

export interface AuditRowDto {
  id: string;
  actorId: number | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  details: unknown;
  ip: string | null;
  createdAt: Date;
}

export interface ReconcileBreak {
  /** ledger: a row whose balanceBefore is not the previous row's balanceAfter, or whose after ≠ before + amount;
   *  balance: the stored balance ≠ the ledger's sum; credit: the stored credit ≠ the sum of CREDIT entries (or
   *  they take it below 0); position: an open position's volume ≠ its trades'. */
  kind: 'ledger' | 'balance' | 'credit' | 'position';
  /** The ledger entry or position where it breaks. */
  id: string | null;
  expected: string;
  actual: string;
  message: string;
}

export interface ReconcileDto {
  accountId: number;
  ok: boolean;
  checkedAt: Date;
  ledgerRows: number;
  /** The sum of every ledger amount but credit, the stored balance, and the engine's live balance. */
  ledgerBalance: Decimal;
  storedBalance: Decimal;
  liveBalance: Decimal;
  /** The sum of the CREDIT entries, the stored credit, and the engine's live credit. */
  ledgerCredit: Decimal;
  storedCredit: Decimal;
  liveCredit: Decimal;
  positionsChecked: number;
  /** The first row that breaks, then every other difference found. */
  breaks: ReconcileBreak[];
}

export interface ReconcileRunDto {
  startedAt: Date;
  finishedAt: Date | null;
  accounts: number;
  mismatched: number[];
}

export interface AuditApi {
  auditLog(input: AuditQueryInput): Promise<{ rows: AuditRowDto[] }>;
  reconcile(accountId: number): Promise<ReconcileDto>;
  /** Reconciles every account now (the nightly job does the same); mismatches raise an alert. */
  reconcileAll(): Promise<ReconcileRunDto>;
  /** The last run, by hand or nightly; null before the first. */
  lastReconciliation(): Promise<ReconcileRunDto | null>;
}
