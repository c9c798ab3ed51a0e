// A symbol's weekly sessions (UTC, from account.symbolSpec) in a few words: consecutive days with the same
// hours share a line, "Mon–Thu 00:00–24:00". Pure, so it is tested without a browser.
const ORDER = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const SHORT: Record<string, string> = {
  MONDAY: 'Mon',
  TUESDAY: 'Tue',
  WEDNESDAY: 'Wed',
  THURSDAY: 'Thu',
  FRIDAY: 'Fri',
  SATURDAY: 'Sat',
  SUNDAY: 'Sun',
};

export function tradingHoursLines(sessions: readonly { day: string; open: string; close: string }[]): string[] {
  if (sessions.length === 0) return ['Always open'];
  // A day's sessions as one string ("00:00–12:00, 13:00–24:00"), days in week order from Monday.
  const byDay = new Map<string, string>();
  for (const d of ORDER) {
    const own = sessions.filter((s) => s.day === d).sort((a, b) => a.open.localeCompare(b.open));
    if (own.length) byDay.set(d, own.map((s) => `${s.open}–${s.close}`).join(', '));
  }
  const lines: string[] = [];
  let i = 0;
  while (i < ORDER.length) {
    const hours = byDay.get(ORDER[i]!);
    if (!hours) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < ORDER.length && byDay.get(ORDER[j + 1]!) === hours) j++;
    lines.push(`${SHORT[ORDER[i]!]}${j > i ? `–${SHORT[ORDER[j]!]}` : ''} ${hours}`);
    i = j + 1;
  }
  return lines;
}

/** "WEDNESDAY" → "Wednesday". */
export const dayName = (d: string) => d.charAt(0) + d.slice(1).toLowerCase();
