import { accountReadProcedure, createRouter } from '../../trpc.ts';
import { AccountRef, PageInput } from '../../schemas.ts';

export const accountRouter = createRouter({
  summary: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accountSummary(input.accountId)),
  positions: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.positions(input.accountId)),
  orders: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.orders(input.accountId)),
  trades: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.trades(input)),
  ledger: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.ledger(input)),
});
