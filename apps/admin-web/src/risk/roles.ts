import type { Role } from '@broker/api/roles';

/** Who may change risk settings, push manual quotes and run the rollover (packages/api admin.risk router). */
export const RISK_ROLES = ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER'] as const satisfies readonly Role[];
