import { createRouter, staffProcedure } from '../../trpc.ts';

export const adminSystemRouter = createRouter({
  health: staffProcedure.query(({ ctx }) => ctx.engine.system.health()),
});
