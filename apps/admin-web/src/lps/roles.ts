import { PERMISSIONS } from '@broker/api/permissions';
import type { Role } from '@broker/api/roles';

/** Who may add, edit, enable and disable LPs: the permission table's row (packages/api/src/permissions.ts). */
export const LP_ADMIN_ROLES: readonly Role[] = PERMISSIONS['admin.lps.upsert'];
/** Who may force an LP to reconnect. */
export const LP_RECONNECT_ROLES: readonly Role[] = PERMISSIONS['admin.lps.reconnect'];

export const lpPermissions = (role: Role) => ({
  canManage: LP_ADMIN_ROLES.includes(role),
  canReconnect: LP_RECONNECT_ROLES.includes(role),
});
