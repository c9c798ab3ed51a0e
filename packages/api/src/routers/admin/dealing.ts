import { DealerCloseInput, DealingOrdersInput, DealingPositionsInput } from '../../backoffice-schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminDealingRouter = createRouter({
  positions: staffProcedure.input(DealingPositionsInput).query(({ ctx, input }) => ctx.engine.dealing.positions(input)),
  orders: staffProcedure.input(DealingOrdersInput).query(({ ctx, input }) => ctx.engine.dealing.orders(input)),
  /** Close for the client, with a reason (audited; close reason ADMIN). */
  closePosition: staffProcedure
    .input(DealerCloseInput)
    .mutation(({ ctx, input }) => ctx.engine.dealing.closePosition(ctx.user, input, meta(ctx))),
  exposure: staffProcedure.query(({ ctx }) => ctx.engine.dealing.exposure()),
  dashboard: staffProcedure.query(({ ctx }) => ctx.engine.dealing.dashboard()),
});
