import { accountTradeProcedure, createRouter, type Context } from '../../trpc.ts';
import { CloseAllInput, ClosePositionInput, ModifyPositionInput } from '../../schemas.ts';

/** Who asked, for the audit row (design.md §9.3). */
const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const positionsRouter = createRouter({
  /** Closes the whole position, or `volume` of it (partial close). */
  close: accountTradeProcedure.input(ClosePositionInput).mutation(({ ctx, input }) => ctx.engine.trading.closePosition(ctx.user, input, meta(ctx))),
  modify: accountTradeProcedure.input(ModifyPositionInput).mutation(({ ctx, input }) => ctx.engine.trading.modifyPosition(ctx.user, input, meta(ctx))),
  closeAll: accountTradeProcedure.input(CloseAllInput).mutation(({ ctx, input }) => ctx.engine.trading.closeAll(ctx.user, input, meta(ctx))),
});
