import type { AdminAccountRow } from '@broker/api';

export const STATUS_TONE = { ACTIVE: 'ok', SUSPENDED: 'error', READ_ONLY: 'warn', CLOSED: 'idle' } as const satisfies Record<AdminAccountRow['status'], string>;
export const STATUS_LABEL = { ACTIVE: 'Active', SUSPENDED: 'Suspended', READ_ONLY: 'Read-only', CLOSED: 'Closed' } as const satisfies Record<AdminAccountRow['status'], string>;
