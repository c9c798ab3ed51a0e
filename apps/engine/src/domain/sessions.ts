import type { Session, Weekday } from './types.ts';

const DAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether a symbol trades at `now` (unix ms, UTC). No sessions = always open (crypto). */
export function isMarketOpen(sessions: readonly Session[], now: number): boolean {
  if (sessions.length === 0) return true;
  const DAY_MS = 86_400_000;
  // 1970-01-01 was a Thursday (index 4); UTC has no DST, so plain arithmetic is exact.
  const day = DAYS[(((Math.floor(now / DAY_MS) + 4) % 7) + 7) % 7];
  const minute = Math.floor((((now % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  return sessions.some((s) => {
    if (s.day !== day) return false;
    const close = minutes(s.close);
    // "23:59" closes at the end of the day.
    return minute >= minutes(s.open) && (close >= 23 * 60 + 59 ? true : minute < close);
  });
}
