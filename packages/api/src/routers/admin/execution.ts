import { ClientFlowInput, ClientOverrideInput, ScorecardsInput, ClientOverrideRef, ExecutionConfigInput, LpOrdersInput, RoutingReportInput, SymbolRuleInput, SymbolRuleRef } from '../../execution-schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

// The execution model is risk: SUPER_ADMIN ("all settings") and RISK_MANAGER ("risk parameters") change it
const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminExecutionRouter = createRouter({
  config: staffProcedure.query(({ ctx }) => ctx.engine.execution.config()),
  updateConfig: staffProcedure
    .input(ExecutionConfigInput)
    .mutation(({ ctx, input }) => ctx.engine.execution.updateConfig(ctx.user, input, meta(ctx))),
  overrides: staffProcedure.query(({ ctx }) => ctx.engine.execution.overrides()),
  setOverride: staffProcedure
    .input(ClientOverrideInput)
    .mutation(({ ctx, input }) => ctx.engine.execution.setOverride(ctx.user, input, meta(ctx))),
  removeOverride: staffProcedure
    .input(ClientOverrideRef)
    .mutation(({ ctx, input }) => ctx.engine.execution.removeOverride(ctx.user, input.accountId, meta(ctx))),
  symbolRules: staffProcedure.query(({ ctx }) => ctx.engine.execution.symbolRules()),
  setSymbolRule: staffProcedure
    .input(SymbolRuleInput)
    .mutation(({ ctx, input }) => ctx.engine.execution.setSymbolRule(ctx.user, input, meta(ctx))),
  removeSymbolRule: staffProcedure
    .input(SymbolRuleRef)
    .mutation(({ ctx, input }) => ctx.engine.execution.removeSymbolRule(ctx.user, input.symbol, meta(ctx))),
  /** Orders and lots by venue, routing rule, symbol and client over a period. */
  report: staffProcedure.input(RoutingReportInput).query(({ ctx, input }) => ctx.engine.execution.report(input)),
  /** Orders sent to LPs, newest first; `status: 'UNKNOWN'` lists those whose outcome is not established. */
  lpOrders: staffProcedure.input(LpOrdersInput).query(({ ctx, input }) => ctx.engine.execution.lpOrders(input)),
  /** The house's coverage position per LP and symbol. */
  coverage: staffProcedure.query(({ ctx }) => ctx.engine.execution.coverage()),
  /** A client's markouts at +1 s/+10 s/+60 s, latency-arbitrage score, win rate and hold times. */
  clientFlow: staffProcedure.input(ClientFlowInput).query(({ ctx, input }) => ctx.engine.execution.clientFlow(input)),
  /** LP scorecards over a period. */
  scorecards: staffProcedure.input(ScorecardsInput).query(({ ctx, input }) => ctx.engine.execution.scorecards(input)),
});
