import { AlertsInput, CreateAlertInput, DeleteAlertInput } from '../../trader-schemas.ts';
import { accountReadProcedure, accountTradeProcedure, createRouter } from '../../trpc.ts';

/** Price alerts (issue 15): the account's owner sets and deletes them; the engine fires each once. */
export const alertsRouter = createRouter({
  list: accountReadProcedure.input(AlertsInput).query(({ ctx, input }) => ctx.engine.alerts.list(input)),
  create: accountTradeProcedure.input(CreateAlertInput).mutation(({ ctx, input }) => ctx.engine.alerts.create(input)),
  delete: accountTradeProcedure.input(DeleteAlertInput).mutation(({ ctx, input }) => ctx.engine.alerts.delete(input)),
});
