import { accountTradeProcedure, createRouter } from '../../trpc.ts';
import { CloseAllInput, ClosePositionInput, ModifyPositionInput } from '../../schemas.ts';

export const positionsRouter = createRouter({
  /** Closes the whole position, or `volume` of it (partial close). */
  close: accountTradeProcedure.input(ClosePositionInput).mutation(({ ctx, input }) => ctx.engine.trading.closePosition(ctx.user, input)),
  modify: accountTradeProcedure.input(ModifyPositionInput).mutation(({ ctx, input }) => ctx.engine.trading.modifyPosition(ctx.user, input)),
  closeAll: accountTradeProcedure.input(CloseAllInput).mutation(({ ctx, input }) => ctx.engine.trading.closeAll(ctx.user, input)),
});
