import { authedProcedure, createRouter } from '../../trpc.ts';
import { CandlesInput, QuotesInput, TicksInput } from '../../schemas.ts';

export const marketRouter = createRouter({
  symbols: authedProcedure.query(({ ctx }) => ctx.engine.market.symbols()),
  quotes: authedProcedure.input(QuotesInput).query(({ ctx, input }) => ctx.engine.market.quotes(input?.symbols)),
  candles: authedProcedure.input(CandlesInput).query(({ ctx, input }) => ctx.engine.market.candles(input)),
  /** Tick history, newest first (design.md Appendix B: GET /api/ticks). */
  ticks: authedProcedure.input(TicksInput).query(({ ctx, input }) => ctx.engine.market.ticks(input)),
});
