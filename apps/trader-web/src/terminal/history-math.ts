// The history tab's periods (pure, so they are tested without a browser); the totals are the engine's
// (account.history).

export const PERIODS = [
  { id: 'today', label: 'Today', days: 0 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: 'all', label: 'All', days: null },
] as const;
export type Period = (typeof PERIODS)[number]['id'];

/** Where a period starts (local midnight today, or that many days back); null for all of it. */
export function periodStart(period: Period, now: Date): Date | null {
  const def = PERIODS.find((p) => p.id === period)!;
  if (def.days === null) return null;
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - def.days);
  return d;
}
