import { accountTradeProcedure, createRouter } from '../../trpc.ts';
import { CancelOrderInput, LimitOrderInput, MarketOrderInput, ModifyOrderInput, StopLimitOrderInput, StopOrderInput } from '../../schemas.ts';

export const ordersRouter = createRouter({
  market: accountTradeProcedure.input(MarketOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.placeMarketOrder(ctx.user, input)),
  limit: accountTradeProcedure.input(LimitOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.placePendingOrder(ctx.user, { ...input, type: 'LIMIT' })),
  stop: accountTradeProcedure.input(StopOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.placePendingOrder(ctx.user, { ...input, type: 'STOP' })),
  stopLimit: accountTradeProcedure
    .input(StopLimitOrderInput)
    .mutation(({ ctx, input }) => ctx.engine.trading.placePendingOrder(ctx.user, { ...input, type: 'STOP_LIMIT' })),
  modify: accountTradeProcedure.input(ModifyOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.modifyOrder(ctx.user, input)),
  cancel: accountTradeProcedure.input(CancelOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.cancelOrder(ctx.user, input)),
});
