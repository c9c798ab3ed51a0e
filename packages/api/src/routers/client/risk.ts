import { accountReadProcedure, createRouter } from '../../trpc.ts';
import { CalculateLotInput, MarginPreviewInput } from '../../schemas.ts';

export const riskRouter = createRouter({
  marginPreview: accountReadProcedure.input(MarginPreviewInput).query(({ ctx, input }) => ctx.engine.trading.marginPreview(input)),
  calculateLot: accountReadProcedure.input(CalculateLotInput).query(({ ctx, input }) => ctx.engine.trading.calculateLot(input)),
});
