import { PERMISSIONS } from '@broker/api/permissions';
import type { Role } from '@broker/api/roles';

const may = (path: keyof typeof PERMISSIONS, role: Role) => (PERMISSIONS[path] as readonly Role[]).includes(role);

/**
 * What the signed-in role may do: the engine's permission table (packages/api/src/permissions.ts,
 * docs/permissions.md). SUPPORT reads everything and sees no write buttons. The engine refuses anyway; this
 * only hides buttons.
 */
export function permissionsOf(role: Role) {
  return {
    role,
    moveMoney: may('admin.finance.deposit', role),
    manageAccounts: may('admin.accounts.update', role),
    deal: may('admin.dealing.closePosition', role),
    reconcileAll: may('admin.audit.reconcileAll', role),
    editSymbols: may('admin.symbols.update', role),
    /** admin.execution's writes: SUPER_ADMIN ("all settings") and RISK_MANAGER ("risk parameters"). */
    editExecution: may('admin.execution.updateConfig', role),
    /** Staff users: the list, adding one, resetting another's two-factor (SUPER_ADMIN). */
    manageStaff: may('admin.security.staffUsers', role),
  };
}

export type Permissions = ReturnType<typeof permissionsOf>;
