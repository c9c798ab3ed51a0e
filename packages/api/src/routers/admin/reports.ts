import { ReportInput, SymbolCreateInput, SymbolSettingsInput } from '../../backoffice-schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminReportsRouter = createRouter({
  report: staffProcedure.input(ReportInput).query(({ ctx, input }) => ctx.engine.reports.report(input)),
});

export const adminSymbolsRouter = createRouter({
  list: staffProcedure.query(({ ctx }) => ctx.engine.reports.symbols()),
  update: staffProcedure
    .input(SymbolSettingsInput)
    .mutation(({ ctx, input }) => ctx.engine.reports.updateSymbol(ctx.user, input, meta(ctx))),
  create: staffProcedure
    .input(SymbolCreateInput)
    .mutation(({ ctx, input }) => ctx.engine.reports.createSymbol(ctx.user, input, meta(ctx))),
});
