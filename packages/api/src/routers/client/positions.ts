import { accountTradeProcedure, createRouter } from '../../trpc.ts';
import { ClosePositionInput } from '../../schemas.ts';

export const positionsRouter = createRouter({
  close: accountTradeProcedure
    .input(ClosePositionInput)
    .mutation(({ ctx, input }) => ctx.engine.closePosition(ctx.user, input)),
});
