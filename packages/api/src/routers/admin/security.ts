// A staff user's own two-factor sign-in, and the staff users a SUPER_ADMIN manages (permissions.ts).
import { createRouter, staffProcedure } from '../../trpc.ts';
import { TwoFactorCodeInput } from '../../schemas.ts';
import { CreateStaffUserInput, ResetTwoFactorInput } from '../../backoffice-schemas.ts';

export const adminSecurityRouter = createRouter({
  twoFactorStatus: staffProcedure.query(({ ctx }) => ctx.engine.security.twoFactorStatus(ctx.user)),
  beginTwoFactor: staffProcedure.mutation(({ ctx }) => ctx.engine.security.beginTwoFactor(ctx.user, { ip: ctx.ip, userAgent: ctx.userAgent })),
  confirmTwoFactor: staffProcedure
    .input(TwoFactorCodeInput)
    .mutation(({ ctx, input }) => ctx.engine.security.confirmTwoFactor(ctx.user, input, { ip: ctx.ip, userAgent: ctx.userAgent })),
  disableTwoFactor: staffProcedure
    .input(TwoFactorCodeInput)
    .mutation(({ ctx, input }) => ctx.engine.security.disableTwoFactor(ctx.user, input, { ip: ctx.ip, userAgent: ctx.userAgent })),
  staffUsers: staffProcedure.query(({ ctx }) => ctx.engine.security.staffUsers(ctx.user)),
  createStaffUser: staffProcedure
    .input(CreateStaffUserInput)
    .mutation(({ ctx, input }) => ctx.engine.security.createStaffUser(ctx.user, input, { ip: ctx.ip, userAgent: ctx.userAgent })),
  resetTwoFactor: staffProcedure
    .input(ResetTwoFactorInput)
    .mutation(({ ctx, input }) => ctx.engine.security.resetTwoFactor(ctx.user, input, { ip: ctx.ip, userAgent: ctx.userAgent })),
});
