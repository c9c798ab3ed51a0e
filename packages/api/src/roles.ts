// design.md §9.1
export const ROLES = ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER', 'SUPPORT', 'CLIENT'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER', 'SUPPORT'] as const satisfies readonly Role[];
/** Who may move money: deposits, withdrawals, adjustments. */
export const FINANCE_ROLES = ['SUPER_ADMIN', 'ADMIN'] as const satisfies readonly Role[];
export const isStaff = (role: Role) => role !== 'CLIENT';
/** Who may create, change, suspend and close accounts. */
export const ACCOUNT_ADMIN_ROLES = ['SUPER_ADMIN', 'ADMIN'] as const satisfies readonly Role[];
