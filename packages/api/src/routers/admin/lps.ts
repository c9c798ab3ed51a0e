import { LpRef, LpUpsertInput } from '../../schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

/** Liquidity providers (design.md §2.4.6, §8.6): everyone on staff sees them; admins change them. */
export const adminLpsRouter = createRouter({
  list: staffProcedure.query(({ ctx }) => ctx.engine.lps.lps()),
  enable: staffProcedure.input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.setLpEnabled(ctx.user, input.id, true, meta(ctx))),
  disable: staffProcedure.input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.setLpEnabled(ctx.user, input.id, false, meta(ctx))),
  reconnect: staffProcedure.input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.reconnectLp(ctx.user, input.id, meta(ctx))),
  resetSeqNums: staffProcedure.input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.resetLpSeqNums(ctx.user, input.id, meta(ctx))),
  logout: staffProcedure.input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.logoutLp(ctx.user, input.id, meta(ctx))),
  upsert: staffProcedure.input(LpUpsertInput).mutation(({ ctx, input }) => ctx.engine.lps.upsertLp(ctx.user, input, meta(ctx))),
});
