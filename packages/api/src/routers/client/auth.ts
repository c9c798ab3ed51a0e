import { authedProcedure, createRouter, publicProcedure } from '../../trpc.ts';
import { LoginInput } from '../../schemas.ts';

export const authRouter = createRouter({
  login: publicProcedure.input(LoginInput).mutation(({ ctx, input }) => ctx.engine.auth.login(input, { ip: ctx.ip, userAgent: ctx.userAgent })),
  me: authedProcedure.query(({ ctx }) => ctx.engine.auth.me(ctx.user)),
  logout: authedProcedure.mutation(({ ctx }) => ctx.engine.auth.logout(ctx.user, { ip: ctx.ip, userAgent: ctx.userAgent })),
});
