// The statement's periods (design.md §7.4): this month, last month, or custom days — in UTC, as the engine
// dates its ledger and names its files, the end exclusive ([from, to)). Pure, so it is tested without a browser.
export type StatementPreset = 'thisMonth' | 'lastMonth' | 'custom';
export const STATEMENT_PRESETS: readonly { id: StatementPreset; label: string }[] = [
  { id: 'thisMonth', label: 'This month' },
  { id: 'lastMonth', label: 'Last month' },
  { id: 'custom', label: 'Custom' },
];

export interface StatementPeriod {
  from: Date;
  to: Date;
}

/** The engine's limit on one statement (StatementInput: at most a year at a time). */
export const MAX_STATEMENT_DAYS = 366;
const DAY = 86_400_000;

const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1));

export function presetPeriod(preset: Exclude<StatementPreset, 'custom'>, now: Date): StatementPeriod {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return preset === 'thisMonth'
    ? { from: monthStart(y, m), to: monthStart(y, m + 1) }
    : { from: monthStart(y, m - 1), to: monthStart(y, m) };
}

/** "2026-12-03" for a date input. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Custom days from two date inputs ("YYYY-MM-DD", both inclusive): the period from the first day's 00:00 UTC
 * to the day after the last; or why it cannot be asked for.
 */
export function customPeriod(fromDay: string, toDay: string): StatementPeriod | { error: string } {
  const parse = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00.000Z`) : null);
  const from = parse(fromDay);
  const last = parse(toDay);
  if (!from || Number.isNaN(from.getTime())) return { error: 'Choose the first day' };
  if (!last || Number.isNaN(last.getTime())) return { error: 'Choose the last day' };
  const to = new Date(last.getTime() + DAY);
  if (to <= from) return { error: 'The last day must not be before the first' };
  if (to.getTime() - from.getTime() > MAX_STATEMENT_DAYS * DAY) return { error: `At most ${MAX_STATEMENT_DAYS} days at a time` };
  return { from, to };
}

/** "2026-11-01 – 2026-11-30 (UTC)": the days a period covers, its end exclusive. */
export function periodLabel(p: StatementPeriod): string {
  return `${isoDay(p.from)} – ${isoDay(new Date(p.to.getTime() - 1))} (UTC)`;
}

/** The engine's file (base64) as the bytes a Blob is made of. */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
