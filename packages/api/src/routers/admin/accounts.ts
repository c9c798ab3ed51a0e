import { createRouter, staffProcedure } from '../../trpc.ts';
import { AdminAccountsInput } from '../../schemas.ts';

export const adminAccountsRouter = createRouter({
  list: staffProcedure().input(AdminAccountsInput).query(({ ctx, input }) => ctx.engine.accounts.adminAccounts(input)),
});
