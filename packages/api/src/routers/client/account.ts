import { accountReadProcedure, createRouter } from '../../trpc.ts';
import { PageInput } from '../../schemas.ts';

export const accountRouter = createRouter({
  summary: accountReadProcedure.query(({ ctx, input }) => ctx.engine.accountSummary(input.accountId)),
  positions: accountReadProcedure.query(({ ctx, input }) => ctx.engine.positions(input.accountId)),
  orders: accountReadProcedure.query(({ ctx, input }) => ctx.engine.orders(input.accountId)),
  trades: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.trades(input)),
  ledger: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.ledger(input)),
});
