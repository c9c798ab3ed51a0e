// What the API needs from the engine, by area. Procedures call these interfaces (passed in the context), never
// the database: the engine is the only writer (architecture.md). Each area's DTOs and methods live in
// areas/<area>.ts; the engine implements each in apps/engine/src/engine/<area>.ts.
import type { AccountsApi } from './areas/accounts.ts';
import type { AlertsApi } from './areas/alerts.ts';
import type { AuditApi } from './areas/audit.ts';
import type { DealingApi } from './areas/dealing.ts';
import type { ExecutionApi } from './areas/execution.ts';
import type { ReportsApi } from './areas/reports.ts';
import type { StatementsApi } from './areas/statements.ts';
import type { AuthApi } from './areas/auth.ts';
import type { FinanceApi } from './areas/finance.ts';
import type { LpsApi } from './areas/lps.ts';
import type { MarketApi } from './areas/market.ts';
import type { RiskApi } from './areas/risk.ts';
import type { SecurityApi } from './areas/security.ts';
import type { SystemApi } from './areas/system.ts';
import type { TradingApi } from './areas/trading.ts';

export type * from './areas/accounts.ts';
export type * from './areas/alerts.ts';
export type * from './areas/audit.ts';
export type * from './areas/dealing.ts';
export type * from './areas/execution.ts';
export type * from './areas/reports.ts';
export type * from './areas/statements.ts';
export type * from './areas/auth.ts';
export type * from './areas/finance.ts';
export type * from './areas/lps.ts';
export type * from './areas/market.ts';
export type * from './areas/risk.ts';
export type * from './areas/security.ts';
export type * from './areas/system.ts';
export type * from './areas/trading.ts';

export interface EngineApi {
  auth: AuthApi;
  market: MarketApi;
  accounts: AccountsApi;
  trading: TradingApi;
  finance: FinanceApi;
  risk: RiskApi;
  lps: LpsApi;
  system: SystemApi;
  audit: AuditApi;
  dealing: DealingApi;
  reports: ReportsApi;
  statements: StatementsApi;
  execution: ExecutionApi;
  alerts: AlertsApi;
  security: SecurityApi;
}
