// The daily swap rollover (trading-rules.md, Swap; docs/trading-rules-notes.md, Rollover days).
import { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { swapAccrual, type Weekday } from '../domain/index.ts';
import { isTradingDay, rolloverMoment } from '../domain/rollover.ts';
import type { DeskCore } from './desk-core.ts';
import { emptyWriteSet } from './write-set.ts';

const WEEKDAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/**
 * trading-rules.md, Swap: every position open across the rollover accrues its swap, three times on the
 * symbol's triple day. Once per trading day: the rollover_runs row is unique per day, and each position
 * remembers the last day it accrued, so a rerun after a crash finishes the day without charging twice.
 * The cut-off is the day's rollover moment (22:00 UTC), not when the run happens: a position opened at or
 * after it is not open across that day's rollover. A day whose moment has not come yet cannot run.
 */
export async function rollover(
  core: DeskCore,
  tradingDay: string,
  actorId: number | null,
): Promise<{ tradingDay: string; positions: number; totalSwap: Decimal; resumed: boolean }> {
  if (!isTradingDay(tradingDay)) throw new EngineError('VALIDATION_ERROR', `${tradingDay} is not a date`);
  const cutoff = rolloverMoment(tradingDay);
  if (cutoff > core.d.clock())
    throw new EngineError('ROLLOVER_TOO_EARLY', `The rollover for ${tradingDay} happens at ${new Date(cutoff).toISOString()}; it cannot run before`);
  const day = new Date(`${tradingDay}T00:00:00.000Z`);
  const weekday = WEEKDAYS[day.getUTCDay()]!;
  const existing = await core.d.prisma.rolloverRun.findUnique({ where: { tradingDay: day } });
  if (existing?.finishedAt)
    throw new EngineError('ROLLOVER_DONE', `The rollover for ${tradingDay} already ran at ${existing.finishedAt.toISOString()}`);
  if (!existing) {
    try {
      await core.d.prisma.rolloverRun.create({ data: { tradingDay: day, triggeredBy: actorId } });
    } catch {
      throw new EngineError('ROLLOVER_DONE', `The rollover for ${tradingDay} is already running`);
    }
  }
  let count = 0;
  let total = new Decimal(0);
  const accountIds = [...core.d.book.accountIds()].filter((id) => core.d.book.openPositions(id).length);
  await Promise.all(
    accountIds.map((accountId) =>
      core.d.queue.submit(accountId, async () => {
        const positions = core.d.book.openPositions(accountId);
        const ws = emptyWriteSet();
        const accrued = new Map<bigint, Decimal>();
        for (const p of positions) {
          const spec = core.d.symbols(p.symbol);
          if (!spec || p.openTime >= cutoff) continue;
          const amount = swapAccrual(p, spec, weekday);
          if (amount.isZero()) continue;
          accrued.set(p.id, amount);
          ws.positionUpdates.push({ id: p.id, data: { swap: { increment: amount.toString() }, lastSwapDay: day } });
        }
        if (!accrued.size) return;
        // Positions that already accrued this day (a resumed run) are skipped by the database too.
        const already = await core.d.prisma.position.findMany({
          where: { id: { in: [...accrued.keys()] }, lastSwapDay: { gte: day } },
          select: { id: true },
        });
        for (const a of already) accrued.delete(a.id);
        ws.positionUpdates = ws.positionUpdates.filter((u) => accrued.has(u.id));
        if (!ws.positionUpdates.length) return;
        await core.commit(accountId, ws);
        const next = core.d.book
          .openPositions(accountId)
          .map((p) => (accrued.has(p.id) ? { ...p, swap: p.swap.plus(accrued.get(p.id)!) } : p));
        core.d.book.setPositions(accountId, next);
        count += accrued.size;
        for (const a of accrued.values()) total = total.plus(a);
        core.d.publish.accountChanged(accountId);
      }),
    ),
  );
  await core.d.prisma.rolloverRun.update({
    where: { tradingDay: day },
    data: { finishedAt: new Date(core.d.clock()), positions: { increment: count }, totalSwap: { increment: total.toString() } },
  });
  core.d.log.info('rollover', { tradingDay, positions: count, totalSwap: total.toString() });
  return { tradingDay, positions: count, totalSwap: total, resumed: !!existing };
}

