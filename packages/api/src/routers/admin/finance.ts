import { FINANCE_ROLES } from '../../roles.ts';
import { DepositInput } from '../../schemas.ts';
import { createRouter, staffProcedure } from '../../trpc.ts';

export const adminFinanceRouter = createRouter({
  deposit: staffProcedure(...FINANCE_ROLES)
    .input(DepositInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.deposit(ctx.user, input)),
});
