import type { Session, Weekday } from './types.ts';

const DAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether a symbol trades at `now` (unix ms, UTC). No sessions = always open (crypto). */
export function isMarketOpen(sessions: readonly Session[], now: number): boolean {
  if (sessions.length === 0) return true;
  const d = new Date(now);
  const day = DAYS[d.getUTCDay()];
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  return sessions.some((s) => {
    if (s.day !== day) return false;
    const close = minutes(s.close);
    // "23:59" closes at the end of the day.
    return minute >= minutes(s.open) && (close >= 23 * 60 + 59 ? true : minute < close);
  });
}
