import { authedProcedure, createRouter } from '../../trpc.ts';
import { CandlesInput, QuotesInput, TicksInput } from '../../schemas.ts';

export const marketRouter = createRouter({
  symbols: authedProcedure.query(({ ctx }) => ctx.engine.symbols()),
  quotes: authedProcedure.input(QuotesInput).query(({ ctx, input }) => ctx.engine.quotes(input?.symbols)),
  candles: authedProcedure.input(CandlesInput).query(({ ctx, input }) => ctx.engine.candles(input)),
  /** Tick history, newest first (design.md Appendix B: GET /api/ticks). */
  ticks: authedProcedure.input(TicksInput).query(({ ctx, input }) => ctx.engine.ticks(input)),
});
