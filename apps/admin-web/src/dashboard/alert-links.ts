import type { AlertEvent } from '@broker/api/socket';

/**
 * Where a pushed alert is dealt with: an LP fill outside the client's books (LP_FILL_UNBOOKED, LATE_LP_FILL)
 * and coverage a client's close could not offset (COVERAGE_NOT_OFFSET) sit in the house's coverage, and an LP
 * order whose outcome the LP has not confirmed (LP_ORDER_UNKNOWN), on the execution page's LP orders; a
 * reconciliation difference on one account
 * on that account's page.
 */
export function pushedLink(a: Pick<AlertEvent, 'kind' | 'accountIds'>): string | undefined {
  switch (a.kind) {
    case 'LP_FILL_UNBOOKED':
    case 'LATE_LP_FILL':
    case 'COVERAGE_NOT_OFFSET':
    case 'LP_ORDER_UNKNOWN':
      return '/execution#lp-orders';
    case 'RECONCILIATION_MISMATCH':
      return a.accountIds.length === 1 ? `/accounts/${a.accountIds[0]}` : '/';
  }
}
