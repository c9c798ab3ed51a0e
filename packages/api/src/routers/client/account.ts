import { WithdrawalRequestInput } from '../../backoffice-schemas.ts';
import { accountReadProcedure, accountTradeProcedure, createRouter } from '../../trpc.ts';
import { AccountRef, PageInput } from '../../schemas.ts';

export const accountRouter = createRouter({
  summary: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.accountSummary(input.accountId)),
  positions: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.positions(input.accountId)),
  orders: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.orders(input.accountId)),
  trades: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.accounts.trades(input)),
  ledger: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.accounts.ledger(input)),
  /** The trader asks for a withdrawal; a dealer approves or rejects it in the back office. */
  requestWithdrawal: accountTradeProcedure
    .input(WithdrawalRequestInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.requestWithdrawal(ctx.user, input, { ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null })),
});
