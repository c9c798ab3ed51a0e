import { ACCOUNT_ADMIN_ROLES, FINANCE_ROLES, type Role } from '@broker/api/roles';

/** Who closes positions for clients, pushes quotes and changes risk (the engine's DEALERS in admin.risk). */
export const DEALER_ROLES = ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'] as const satisfies readonly Role[];

/** Who changes the execution model (the engine's ROUTING in routers/admin/execution.ts). */
export const EXECUTION_ROLES = ['SUPER_ADMIN', 'RISK_MANAGER'] as const satisfies readonly Role[];

const has = (roles: readonly Role[], role: Role) => roles.includes(role);

/**
 * What the signed-in role may do, mirroring the engine's routers (design.md §9.1): SUPPORT reads everything
 * and sees no write buttons, RISK_MANAGER moves no money. The engine refuses anyway; this only hides buttons.
 */
export function permissionsOf(role: Role) {
  return {
    role,
    moveMoney: has(FINANCE_ROLES, role),
    manageAccounts: has(ACCOUNT_ADMIN_ROLES, role),
    deal: has(DEALER_ROLES, role),
    reconcileAll: has(FINANCE_ROLES, role),
    /** design.md §9.1 "modify all settings": symbols are SUPER_ADMIN's (admin.symbols.update/create). */
    editSymbols: role === 'SUPER_ADMIN',
    /** admin.execution's writes: SUPER_ADMIN ("all settings") and RISK_MANAGER ("risk parameters"). */
    editExecution: has(EXECUTION_ROLES, role),
  };
}

export type Permissions = ReturnType<typeof permissionsOf>;
