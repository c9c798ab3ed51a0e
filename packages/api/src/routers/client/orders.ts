import { accountTradeProcedure, createRouter, type Context } from '../../trpc.ts';
import { CancelOrderInput, LimitOrderInput, MarketOrderInput, ModifyOrderInput, StopLimitOrderInput, StopOrderInput } from '../../schemas.ts';

/** Who asked, for the audit row (design.md §9.3). */
const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const ordersRouter = createRouter({
  market: accountTradeProcedure.input(MarketOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.placeMarketOrder(ctx.user, input, meta(ctx))),
  limit: accountTradeProcedure.input(LimitOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.placePendingOrder(ctx.user, { ...input, type: 'LIMIT' }, meta(ctx))),
  stop: accountTradeProcedure.input(StopOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.placePendingOrder(ctx.user, { ...input, type: 'STOP' }, meta(ctx))),
  stopLimit: accountTradeProcedure
    .input(StopLimitOrderInput)
    .mutation(({ ctx, input }) => ctx.engine.trading.placePendingOrder(ctx.user, { ...input, type: 'STOP_LIMIT' }, meta(ctx))),
  modify: accountTradeProcedure.input(ModifyOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.modifyOrder(ctx.user, input, meta(ctx))),
  cancel: accountTradeProcedure.input(CancelOrderInput).mutation(({ ctx, input }) => ctx.engine.trading.cancelOrder(ctx.user, input, meta(ctx))),
});
