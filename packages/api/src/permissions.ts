// The permission table (issue 12; design.md §9.1): which staff role may call which staff procedure. The one
// place it is decided: staffProcedure's middleware looks the procedure's path up here, and a staff procedure
// missing from the table is refused to everyone (fail closed). docs/permissions.md is this table for people;
// apps/engine/test/permissions.test.ts calls every staff procedure as every role and checks both agree.
//
// §9.1: SUPER_ADMIN "full system access, can modify all settings"; ADMIN "account management, financial
// operations, view reports"; RISK_MANAGER "view positions, modify risk parameters"; SUPPORT "view accounts,
// view ledgers (read-only)"; CLIENT "trading operations only" (no staff procedure). The choices this table
// makes where §9.1 is silent:
// - Manual quotes move every client's execution prices: SUPER_ADMIN only (not ADMIN, not RISK_MANAGER).
// - The swap rollover books money to every open position, and of any past day: SUPER_ADMIN only.
// - Risk settings are risk parameters: RISK_MANAGER and SUPER_ADMIN (not ADMIN).
// - LP configuration (create, edit, enable, disable) is a system setting: SUPER_ADMIN only. Reconnecting an
//   LP changes no setting (an operational action during an incident): SUPER_ADMIN, ADMIN, RISK_MANAGER.
// - Reads (accounts, ledgers, audit log, dealing views, execution reports, LP health, risk settings, symbols,
//   system health): every staff role.
// - Kept as the back office defined them: account create/update, withdrawals, adjustments, reversals and a
//   full reconciliation are ADMIN's and SUPER_ADMIN's (financial and account operations); routing rules
//   SUPER_ADMIN and RISK_MANAGER; a dealer's close of a client position SUPER_ADMIN, ADMIN and RISK_MANAGER;
//   symbol settings SUPER_ADMIN's.
// - One's own two-factor sign-in (status, set-up, confirm, turn off): every staff role. Staff users (the list,
//   creating one, resetting another's two-factor) are "all settings": SUPER_ADMIN only.
import type { Role } from './roles.ts';

export const ALL_STAFF = ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER', 'SUPPORT'] as const satisfies readonly Role[];

export const PERMISSIONS = {
  'admin.accounts.list': ALL_STAFF,
  'admin.accounts.get': ALL_STAFF,
  'admin.accounts.ledger': ALL_STAFF,
  'admin.accounts.create': ['SUPER_ADMIN', 'ADMIN'],
  'admin.accounts.update': ['SUPER_ADMIN', 'ADMIN'],
  'admin.audit.log': ALL_STAFF,
  'admin.audit.reconcile': ALL_STAFF,
  'admin.audit.reconcileAll': ['SUPER_ADMIN', 'ADMIN'],
  'admin.audit.lastReconciliation': ALL_STAFF,
  'admin.dealing.positions': ALL_STAFF,
  'admin.dealing.orders': ALL_STAFF,
  'admin.dealing.closePosition': ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'],
  'admin.dealing.exposure': ALL_STAFF,
  'admin.dealing.dashboard': ALL_STAFF,
  'admin.execution.config': ALL_STAFF,
  'admin.execution.updateConfig': ['SUPER_ADMIN', 'RISK_MANAGER'],
  'admin.execution.overrides': ALL_STAFF,
  'admin.execution.setOverride': ['SUPER_ADMIN', 'RISK_MANAGER'],
  'admin.execution.removeOverride': ['SUPER_ADMIN', 'RISK_MANAGER'],
  'admin.execution.symbolRules': ALL_STAFF,
  'admin.execution.setSymbolRule': ['SUPER_ADMIN', 'RISK_MANAGER'],
  'admin.execution.removeSymbolRule': ['SUPER_ADMIN', 'RISK_MANAGER'],
  'admin.execution.report': ALL_STAFF,
  'admin.execution.lpOrders': ALL_STAFF,
  'admin.execution.coverage': ALL_STAFF,
  'admin.execution.clientFlow': ALL_STAFF,
  'admin.execution.scorecards': ALL_STAFF,
  'admin.finance.deposit': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.requestWithdrawal': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.withdrawals': ALL_STAFF,
  'admin.finance.approveWithdrawal': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.rejectWithdrawal': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.adjust': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.reverse': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.creditIn': ['SUPER_ADMIN', 'ADMIN'],
  'admin.finance.creditOut': ['SUPER_ADMIN', 'ADMIN'],
  'admin.lps.list': ALL_STAFF,
  'admin.lps.enable': ['SUPER_ADMIN'],
  'admin.lps.disable': ['SUPER_ADMIN'],
  'admin.lps.upsert': ['SUPER_ADMIN'],
  'admin.lps.reconnect': ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'],
  // Operating a FIX session (as reconnect): no setting changes.
  'admin.lps.resetSeqNums': ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'],
  'admin.lps.logout': ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'],
  'admin.reports.report': ALL_STAFF,
  'admin.risk.pushQuote': ['SUPER_ADMIN'],
  'admin.risk.rollover': ['SUPER_ADMIN'],
  'admin.risk.settings': ALL_STAFF,
  'admin.risk.updateSettings': ['SUPER_ADMIN', 'RISK_MANAGER'],
  'admin.symbols.list': ALL_STAFF,
  'admin.symbols.update': ['SUPER_ADMIN'],
  'admin.symbols.create': ['SUPER_ADMIN'],
  'admin.system.health': ALL_STAFF,
  'admin.security.twoFactorStatus': ALL_STAFF,
  'admin.security.beginTwoFactor': ALL_STAFF,
  'admin.security.confirmTwoFactor': ALL_STAFF,
  'admin.security.disableTwoFactor': ALL_STAFF,
  'admin.security.staffUsers': ['SUPER_ADMIN'],
  'admin.security.createStaffUser': ['SUPER_ADMIN'],
  'admin.security.resetTwoFactor': ['SUPER_ADMIN'],
} as const satisfies Record<string, readonly Role[]>;

export type StaffProcedurePath = keyof typeof PERMISSIONS;

/** The roles that may call a staff procedure; none when it is not in the table. */
export function rolesFor(path: string): readonly Role[] {
  return Object.hasOwn(PERMISSIONS, path) ? PERMISSIONS[path as StaffProcedurePath] : [];
}
