import { AuditQueryInput, ReconcileInput } from '../../backoffice-schemas.ts';
import { createRouter, staffProcedure } from '../../trpc.ts';

export const adminAuditRouter = createRouter({
  /** Who did what, when, from which address, with before and after; newest first, filtered. */
  log: staffProcedure.input(AuditQueryInput).query(({ ctx, input }) => ctx.engine.audit.auditLog(input)),
  /** Rebuilds one account's balance and positions from its ledger and trades and compares them with the live books. */
  reconcile: staffProcedure.input(ReconcileInput).query(({ ctx, input }) => ctx.engine.audit.reconcile(input.accountId)),
  reconcileAll: staffProcedure.mutation(({ ctx }) => ctx.engine.audit.reconcileAll()),
  lastReconciliation: staffProcedure.query(({ ctx }) => ctx.engine.audit.lastReconciliation()),
});
