import { authedProcedure, createRouter, publicProcedure } from '../../trpc.ts';
import { ChangePasswordInput, LoginInput, LoginTwoFactorInput } from '../../schemas.ts';

export const authRouter = createRouter({
  login: publicProcedure.input(LoginInput).mutation(({ ctx, input }) => ctx.engine.auth.login(input, { ip: ctx.ip, userAgent: ctx.userAgent })),
  loginTwoFactor: publicProcedure
    .input(LoginTwoFactorInput)
    .mutation(({ ctx, input }) => ctx.engine.auth.loginTwoFactor(input, { ip: ctx.ip, userAgent: ctx.userAgent })),
  me: authedProcedure.query(({ ctx }) => ctx.engine.auth.me(ctx.user)),
  logout: authedProcedure.mutation(({ ctx }) => ctx.engine.auth.logout(ctx.user, { ip: ctx.ip, userAgent: ctx.userAgent })),
  changePassword: authedProcedure
    .input(ChangePasswordInput)
    .mutation(({ ctx, input }) => ctx.engine.auth.changePassword(ctx.user, input, { ip: ctx.ip, userAgent: ctx.userAgent })),
});
