import { adminAccountsRouter } from './routers/admin/accounts.ts';
import { adminAuditRouter } from './routers/admin/audit.ts';
import { adminDealingRouter } from './routers/admin/dealing.ts';
import { adminExecutionRouter } from './routers/admin/execution.ts';
import { adminReportsRouter, adminSymbolsRouter } from './routers/admin/reports.ts';
import { adminFinanceRouter } from './routers/admin/finance.ts';
import { adminLpsRouter } from './routers/admin/lps.ts';
import { adminRiskRouter } from './routers/admin/risk.ts';
import { adminSecurityRouter } from './routers/admin/security.ts';
import { adminSystemRouter } from './routers/admin/system.ts';
import { accountRouter } from './routers/client/account.ts';
import { alertsRouter } from './routers/client/alerts.ts';
import { authRouter } from './routers/client/auth.ts';
import { marketRouter } from './routers/client/market.ts';
import { ordersRouter } from './routers/client/orders.ts';
import { positionsRouter } from './routers/client/positions.ts';
import { riskRouter } from './routers/client/risk.ts';
import { createRouter } from './trpc.ts';

export const appRouter = createRouter({
  auth: authRouter,
  market: marketRouter,
  account: accountRouter,
  orders: ordersRouter,
  positions: positionsRouter,
  risk: riskRouter,
  alerts: alertsRouter,
  admin: createRouter({
    accounts: adminAccountsRouter,
    finance: adminFinanceRouter,
    risk: adminRiskRouter,
    lps: adminLpsRouter,
    system: adminSystemRouter,
    audit: adminAuditRouter,
    dealing: adminDealingRouter,
    execution: adminExecutionRouter,
    reports: adminReportsRouter,
    symbols: adminSymbolsRouter,
    security: adminSecurityRouter,
  }),
});

export type AppRouter = typeof appRouter;
