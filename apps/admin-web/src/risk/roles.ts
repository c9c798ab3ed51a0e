import { PERMISSIONS } from '@broker/api/permissions';
import type { Role } from '@broker/api/roles';

/** What a role may do on the risk screen: the permission table's rows (packages/api/src/permissions.ts). */
export function riskPermissions(role: Role) {
  const may = (path: keyof typeof PERMISSIONS) => (PERMISSIONS[path] as readonly Role[]).includes(role);
  return { settings: may('admin.risk.updateSettings'), pushQuote: may('admin.risk.pushQuote'), rollover: may('admin.risk.rollover') };
}
