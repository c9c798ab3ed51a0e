// The swap rollover by itself (trading-rules.md, Swap): at 22:00 UTC every day, and at start for the days
// missed while the engine was down (domain/rollover.ts catchUpDays), one pass at a time, each day audited.
import type { AuthUser, RequestMeta, RolloverResultDto } from '@broker/api';
import { catchUpDays, nextRolloverMoment } from '../domain/rollover.ts';
import type { EngineCore } from './core.ts';

export class RolloverScheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the scheduled rollover next runs (autoRollover); the timer compares it with the clock. */
  private nextRolloverAt = 0;
  /** The scheduled rollover pass in progress: one at a time, and stop() waits for it. */
  private pass: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly c: EngineCore) {}

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }

  /** The scheduled run has no actor: its audit row says SYSTEM. */
  async audit(res: RolloverResultDto, actor: AuthUser | null, meta: RequestMeta = {}): Promise<void> {
    await this.c.prisma.auditLog.create({
      data: {
        actorId: actor?.id ?? null,
        actorRole: actor?.role ?? 'SYSTEM',
        action: 'risk.rollover',
        entityType: 'rollover',
        entityId: res.tradingDay,
        details: { positions: res.positions, totalSwap: res.totalSwap.toString(), resumed: res.resumed, userAgent: meta.userAgent ?? null },
        ip: meta.ip ?? null,
      },
    });
  }

  /**
   * Wakes at the next rollover moment (trading-rules.md: 22:00 UTC) when autoRollover is on, but at least once
   * a minute, so a clock stepped forward (NTP, a suspended VM, a test's clock) is noticed within a minute.
   */
  schedule(): void {
    if (this.stopping) return;
    const wait = Math.min(Math.max(this.nextRolloverAt - this.c.clock(), 0), 60_000);
    this.timer = setTimeout(() => {
      if (this.c.clock() < this.nextRolloverAt) return this.schedule();
      void this.runDue().finally(() => this.schedule());
    }, wait);
    this.timer.unref?.();
  }

  /** Rolls every due day not rolled yet, oldest first (domain/rollover.ts catchUpDays); one pass at a time. */
  runDue(): Promise<void> {
    this.pass ??= this.rollDueDays().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  private async rollDueDays(): Promise<void> {
    const now = this.c.clock();
    this.nextRolloverAt = nextRolloverMoment(now);
    let day: string | undefined;
    try {
      const [first, lastFinished] = await Promise.all([
        this.c.prisma.rolloverRun.findFirst({ orderBy: { tradingDay: 'asc' }, select: { tradingDay: true } }),
        this.c.prisma.rolloverRun.findFirst({
          where: { finishedAt: { not: null } },
          orderBy: { tradingDay: 'desc' },
          select: { tradingDay: true },
        }),
      ]);
      const dayOf = (d: Date) => d.toISOString().slice(0, 10);
      const days = catchUpDays({
        nowMs: now,
        lastFinished: lastFinished ? dayOf(lastFinished.tradingDay) : null,
        firstDay: first ? dayOf(first.tradingDay) : null,
        startedAtMs: this.c.startedAt,
      });
      if (days.length > 1) this.c.log.info('rollover catch-up', { days });
      for (day of days) {
        if (this.stopping) return;
        await this.audit(await this.c.desk.rollover(day, null), null);
      }
    } catch (err) {
      // The later days wait too: a position that accrued a later day would never be charged this one.
      this.c.log.warn('scheduled rollover did not run; retrying in a minute', { day, error: (err as Error).message });
      this.nextRolloverAt = this.c.clock() + 60_000;
    }
  }
}
