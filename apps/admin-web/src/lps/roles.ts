import type { Role } from '@broker/api/roles';

/** Who may add, edit, enable and disable LPs (packages/api admin.lps router: FINANCE_ROLES). */
export const LP_ADMIN_ROLES = ['SUPER_ADMIN', 'ADMIN'] as const satisfies readonly Role[];
/** Who may force an LP to reconnect. */
export const LP_RECONNECT_ROLES = ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'] as const satisfies readonly Role[];

export const lpPermissions = (role: Role) => ({
  canManage: (LP_ADMIN_ROLES as readonly string[]).includes(role),
  canReconnect: (LP_RECONNECT_ROLES as readonly string[]).includes(role),
});
