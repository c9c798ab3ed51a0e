import { accountTradeProcedure, createRouter } from '../../trpc.ts';
import { MarketOrderInput } from '../../schemas.ts';

export const ordersRouter = createRouter({
  market: accountTradeProcedure
    .input(MarketOrderInput)
    .mutation(({ ctx, input }) => ctx.engine.placeMarketOrder(ctx.user, input)),
});
