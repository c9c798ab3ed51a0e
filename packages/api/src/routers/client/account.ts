import { WithdrawalRequestInput } from '../../backoffice-schemas.ts';
import { ExplainInput, HistoryInput, StatementFileInput, StatementInput, SymbolSpecInput } from '../../trader-schemas.ts';
import { accountReadProcedure, accountTradeProcedure, createRouter } from '../../trpc.ts';
import { AccountRef, PageInput } from '../../schemas.ts';

export const accountRouter = createRouter({
  summary: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.accountSummary(input.accountId)),
  positions: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.positions(input.accountId)),
  orders: accountReadProcedure.input(AccountRef).query(({ ctx, input }) => ctx.engine.accounts.orders(input.accountId)),
  trades: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.accounts.trades(input)),
  ledger: accountReadProcedure.input(PageInput).query(({ ctx, input }) => ctx.engine.accounts.ledger(input)),
  /** How a figure is computed: the rule, the inputs, the conversion rates and the leverage that applied. */
  explain: accountReadProcedure.input(ExplainInput).query(({ ctx, input }) => ctx.engine.statements.explain(input)),
  /** The statement of a period: opening and closing balance, every ledger line, the trades, a summary. */
  statement: accountReadProcedure.input(StatementInput).query(({ ctx, input }) => ctx.engine.statements.statement(input)),
  /** The same statement as a CSV or PDF file (base64), built by the engine from the books. */
  statementFile: accountReadProcedure.input(StatementFileInput).query(({ ctx, input }) => ctx.engine.statements.statementFile(input)),
  /** Trades in a period, optionally of one symbol, with totals. */
  history: accountReadProcedure.input(HistoryInput).query(({ ctx, input }) => ctx.engine.statements.history(input)),
  /** A symbol's specification for this account (its effective leverage on the symbol). */
  symbolSpec: accountReadProcedure.input(SymbolSpecInput).query(({ ctx, input }) => ctx.engine.statements.symbolSpec(input)),
  /** The trader asks for a withdrawal; a dealer approves or rejects it in the back office. */
  requestWithdrawal: accountTradeProcedure
    .input(WithdrawalRequestInput)
    .mutation(({ ctx, input }) => ctx.engine.finance.requestWithdrawal(ctx.user, input, { ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null })),
});
