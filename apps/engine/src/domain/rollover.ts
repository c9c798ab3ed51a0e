// The rollover calendar: when a trading day's swap rollover happens and which days are due at a moment.
// Trading days are UTC dates written YYYY-MM-DD.

const DAY_MS = 86_400_000;
/** trading-rules.md, Swap: the daily rollover is at 22:00 UTC by default. */
const ROLLOVER_UTC_MS = 22 * 3_600_000;
/** Missed days further back than this are not caught up (a week covers a long outage; older days are the desk's call). */
export const MAX_CATCH_UP_DAYS = 7;

// Dates as days since 1970-01-01 in integers (H. Hinnant's days_from_civil / civil_from_days): the domain has
// no Date (eslint: no clock here), and a calendar needs none.
function epochDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function dayOfEpochDay(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Milliseconds of 00:00 UTC of a YYYY-MM-DD day; NaN when it is not that shape. */
function dayStartMs(tradingDay: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(tradingDay);
  return m ? epochDay(Number(m[1]), Number(m[2]), Number(m[3])) * DAY_MS : NaN;
}

const dayOf = (ms: number) => dayOfEpochDay(Math.floor(ms / DAY_MS));

/** A calendar date that exists (2031-02-31 does not: the arithmetic would make it 2031-03-03). */
export function isTradingDay(tradingDay: string): boolean {
  const ms = dayStartMs(tradingDay);
  return Number.isFinite(ms) && dayOf(ms) === tradingDay;
}

/** The moment a trading day's rollover happens: positions opened before it accrue that day's swap. */
export function rolloverMoment(tradingDay: string): number {
  return dayStartMs(tradingDay) + ROLLOVER_UTC_MS;
}

/** The most recent trading day whose rollover moment is at or before `nowMs`. */
export function lastDueTradingDay(nowMs: number): string {
  return dayOf(nowMs - ROLLOVER_UTC_MS);
}

/** The first rollover moment strictly after `nowMs`. */
export function nextRolloverMoment(nowMs: number): number {
  return rolloverMoment(lastDueTradingDay(nowMs)) + DAY_MS;
}

export function addDays(tradingDay: string, days: number): string {
  return dayOf(dayStartMs(tradingDay) + days * DAY_MS);
}

/**
 * The days a catch-up runs, oldest first: every day after the last finished rollover up to the last due one,
 * but no more than the last MAX_CATCH_UP_DAYS, and none before `firstDay` (the first rollover_runs row) — or,
 * on a database with no rollover yet, none whose moment came before `startedAtMs` (no made-up history).
 * An older day is never run after a newer one: a position that accrued a later day is not charged an earlier one.
 */
export function catchUpDays(opts: { nowMs: number; lastFinished: string | null; firstDay: string | null; startedAtMs: number }): string[] {
  const due = lastDueTradingDay(opts.nowMs);
  let from = addDays(due, -(MAX_CATCH_UP_DAYS - 1));
  if (opts.lastFinished && opts.lastFinished >= from) from = addDays(opts.lastFinished, 1);
  if (opts.firstDay) {
    if (opts.firstDay > from) from = opts.firstDay;
  } else {
    const firstAfterStart = lastDueTradingDay(nextRolloverMoment(opts.startedAtMs - 1));
    if (firstAfterStart > from) from = firstAfterStart;
  }
  const days: string[] = [];
  for (let day = from; day <= due; day = addDays(day, 1)) days.push(day);
  return days;
}
