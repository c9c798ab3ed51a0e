import { createRouter, staffProcedure, type Context } from '../../trpc.ts';
import { PushQuoteInput, RiskSettingsInput, RiskSettingsRef, RolloverInput } from '../../schemas.ts';

const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminRiskRouter = createRouter({
  /** The manual LP: push a quote for a symbol (tests, drills, a feed outage). */
  pushQuote: staffProcedure.input(PushQuoteInput).mutation(({ ctx, input }) => ctx.engine.risk.pushQuote(ctx.user, input, meta(ctx))),
  /** Run a trading day's swap rollover now (once per day, never twice). */
  rollover: staffProcedure.input(RolloverInput).mutation(({ ctx, input }) => ctx.engine.risk.rollover(ctx.user, input, meta(ctx))),
  settings: staffProcedure.input(RiskSettingsRef).query(({ ctx, input }) => ctx.engine.risk.riskSettings(input.accountId)),
  updateSettings: staffProcedure.input(RiskSettingsInput).mutation(({ ctx, input }) => ctx.engine.risk.updateRiskSettings(ctx.user, input, meta(ctx))),
});
