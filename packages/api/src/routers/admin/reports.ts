import { ReportInput, SymbolCreateInput, SymbolSettingsInput } from '../../backoffice-schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

// design.md §9.1: "modify all settings" is SUPER_ADMIN's; everyone on staff reads them.
const SETTINGS = ['SUPER_ADMIN'] as const;
const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminReportsRouter = createRouter({
  report: staffProcedure().input(ReportInput).query(({ ctx, input }) => ctx.engine.reports.report(input)),
});

export const adminSymbolsRouter = createRouter({
  list: staffProcedure().query(({ ctx }) => ctx.engine.reports.symbols()),
  update: staffProcedure(...SETTINGS)
    .input(SymbolSettingsInput)
    .mutation(({ ctx, input }) => ctx.engine.reports.updateSymbol(ctx.user, input, meta(ctx))),
  create: staffProcedure(...SETTINGS)
    .input(SymbolCreateInput)
    .mutation(({ ctx, input }) => ctx.engine.reports.createSymbol(ctx.user, input, meta(ctx))),
});
