import { FINANCE_ROLES } from '../../roles.ts';
import { LpRef, LpUpsertInput } from '../../schemas.ts';
import { createRouter, staffProcedure } from '../../trpc.ts';

/** Liquidity providers (design.md §2.4.6, §8.6): everyone on staff sees them; admins change them. */
export const adminLpsRouter = createRouter({
  list: staffProcedure().query(({ ctx }) => ctx.engine.lps.lps()),
  enable: staffProcedure(...FINANCE_ROLES).input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.setLpEnabled(ctx.user, input.id, true)),
  disable: staffProcedure(...FINANCE_ROLES).input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.setLpEnabled(ctx.user, input.id, false)),
  reconnect: staffProcedure(...FINANCE_ROLES, 'RISK_MANAGER').input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.reconnectLp(ctx.user, input.id)),
  resetSeqNums: staffProcedure(...FINANCE_ROLES, 'RISK_MANAGER').input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.resetLpSeqNums(ctx.user, input.id)),
  logout: staffProcedure(...FINANCE_ROLES, 'RISK_MANAGER').input(LpRef).mutation(({ ctx, input }) => ctx.engine.lps.logoutLp(ctx.user, input.id)),
  upsert: staffProcedure(...FINANCE_ROLES).input(LpUpsertInput).mutation(({ ctx, input }) => ctx.engine.lps.upsertLp(ctx.user, input)),
});
