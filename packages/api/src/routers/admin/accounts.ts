import { CreateAccountInput, StaffLedgerInput, UpdateAccountInput } from '../../backoffice-schemas.ts';
import { AccountRef, AdminAccountsInput } from '../../schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminAccountsRouter = createRouter({
  list: staffProcedure.input(AdminAccountsInput).query(({ ctx, input }) => ctx.engine.accounts.adminAccounts(input)),
  get: staffProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.adminAccount(input.accountId)),
  ledger: staffProcedure.input(StaffLedgerInput).query(({ ctx, input }) => ctx.engine.accounts.staffLedger(input)),
  create: staffProcedure
    .input(CreateAccountInput)
    .mutation(({ ctx, input }) => ctx.engine.accounts.createAccount(ctx.user, input, meta(ctx))),
  update: staffProcedure
    .input(UpdateAccountInput)
    .mutation(({ ctx, input }) => ctx.engine.accounts.updateAccount(ctx.user, input, meta(ctx))),
});
