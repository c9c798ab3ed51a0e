import { AdjustmentInput, CreditInput, ReverseEntryInput, WithdrawalDecisionInput, WithdrawalRejectInput, WithdrawalRequestInput, WithdrawalsInput } from '../../backoffice-schemas.ts';
import { DepositInput } from '../../schemas.ts';
import { createRouter, staffProcedure, type Context } from '../../trpc.ts';

const meta = (ctx: Context) => ({ ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });

export const adminFinanceRouter = createRouter({
  deposit: staffProcedure
    .input(DepositInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.deposit(ctx.user, input, meta(ctx))),
  /** Staff file a withdrawal on a client's behalf; it waits for approval like the client's own. */
  requestWithdrawal: staffProcedure
    .input(WithdrawalRequestInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.requestWithdrawal(ctx.user, input, meta(ctx))),
  withdrawals: staffProcedure.input(WithdrawalsInput).query(({ ctx, input }) => ctx.engine.finance.withdrawals(input)),
  approveWithdrawal: staffProcedure
    .input(WithdrawalDecisionInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.approveWithdrawal(ctx.user, input, meta(ctx))),
  rejectWithdrawal: staffProcedure
    .input(WithdrawalRejectInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.rejectWithdrawal(ctx.user, input, meta(ctx))),
  adjust: staffProcedure
    .input(AdjustmentInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.adjust(ctx.user, input, meta(ctx))),
  creditIn: staffProcedure
    .input(CreditInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.creditIn(ctx.user, input, meta(ctx))),
  creditOut: staffProcedure
    .input(CreditInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.creditOut(ctx.user, input, meta(ctx))),
  reverse: staffProcedure
    .input(ReverseEntryInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.reverse(ctx.user, input, meta(ctx))),
});
