// The audit area: the audit log for the back office's viewer, and reconciliation — an account's balance and
// open positions rebuilt from its ledger and trades and compared with the stored and live books, showing the
// first row that breaks. A nightly job (ReconcileScheduler) does every account and alerts dealers on any
// difference.
import { Decimal } from 'decimal.js';
import { type AuditApi, type AuditQueryInput, type AuditRowDto, type ReconcileBreak, type ReconcileDto, type ReconcileRunDto } from '@broker/api';
import { dec } from '../books/mapping.ts';
import { replayLedger } from '../domain/index.ts';
import type { EngineCore } from './core.ts';

export class AuditArea implements AuditApi {
  private last: ReconcileRunDto | null = null;
  private running: Promise<ReconcileRunDto> | null = null;

  constructor(private readonly c: EngineCore) {}

  async auditLog(input: AuditQueryInput): Promise<{ rows: AuditRowDto[] }> {
    const rows = await this.c.prisma.auditLog.findMany({
      where: {
        ...(input.actorId ? { actorId: input.actorId } : {}),
        ...(input.action ? { action: { startsWith: input.action } } : {}),
        ...(input.entityType ? { entityType: input.entityType } : {}),
        ...(input.entityId ? { entityId: input.entityId } : {}),
        ...(input.before ? { id: { lt: input.before } } : {}),
        ...(input.from || input.to ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } } : {}),
      },
      orderBy: { id: 'desc' },
      take: input.limit,
      include: { actor: { select: { email: true } } },
    });
    return {
      rows: rows.map((r) => ({
        id: r.id.toString(),
        actorId: r.actorId,
        actorEmail: r.actor?.email ?? null,
        actorRole: r.actorRole,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        details: r.details,
        ip: r.ip,
        createdAt: r.createdAt,
      })),
    };
  }

  async reconcile(accountId: number): Promise<ReconcileDto> {
    const c = this.c;
    const live = await c.requireAccount(accountId);
    // Read on the account's queue: no command of the account is half-booked while its rows are read. Entries
    // in booking order: by time, then id (ids come from per-process sequence blocks, so rows written outside
    // the engine, e.g. by a seed or a migration, need not sort by id among the engine's).
    return c.queue.submit(accountId, async () => {
      const [account, ledger, positions, trades] = await Promise.all([
        c.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { balance: true, credit: true } }),
        c.prisma.ledgerEntry.findMany({ where: { accountId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, type: true, amount: true, balanceBefore: true, balanceAfter: true } }),
        c.prisma.position.findMany({ where: { accountId, status: 'OPEN' }, select: { id: true, volume: true } }),
        c.prisma.trade.groupBy({ by: ['positionId', 'entry'], where: { accountId, positionId: { not: null } }, _sum: { volume: true } }),
      ]);
      // Balance and credit rebuilt from the ledger (domain/ledger-replay.ts: credit entries move credit only).
      const replay = replayLedger(ledger.map((r) => ({ id: r.id, type: r.type, amount: dec(r.amount), balanceBefore: dec(r.balanceBefore), balanceAfter: dec(r.balanceAfter) })));
      const breaks: ReconcileBreak[] = [...replay.breaks];
      const running = replay.balance;
      const stored = dec(account.balance);
      if (!running.eq(stored))
        breaks.push({ kind: 'balance', id: null, expected: running.toFixed(2), actual: stored.toFixed(2), message: `The ledger sums to ${running.toFixed(2)}; the stored balance is ${stored.toFixed(2)}` });
      if (!live.balance.eq(stored))
        breaks.push({ kind: 'balance', id: null, expected: stored.toFixed(2), actual: live.balance.toFixed(2), message: `The engine's live balance ${live.balance.toFixed(2)} differs from the stored ${stored.toFixed(2)}` });
      const storedCredit = dec(account.credit);
      if (!replay.credit.eq(storedCredit))
        breaks.push({ kind: 'credit', id: null, expected: replay.credit.toFixed(2), actual: storedCredit.toFixed(2), message: `The credit entries sum to ${replay.credit.toFixed(2)}; the stored credit is ${storedCredit.toFixed(2)}` });
      if (!live.credit.eq(storedCredit))
        breaks.push({ kind: 'credit', id: null, expected: storedCredit.toFixed(2), actual: live.credit.toFixed(2), message: `The engine's live credit ${live.credit.toFixed(2)} differs from the stored ${storedCredit.toFixed(2)}` });
      const net = new Map<bigint, Decimal>();
      for (const t of trades) {
        const v = dec(t._sum.volume ?? 0);
        net.set(t.positionId!, (net.get(t.positionId!) ?? new Decimal(0)).plus(t.entry === 'CLOSE' ? v.neg() : v));
      }
      const liveOpen = new Map(c.book.openPositions(accountId).map((p) => [p.id, p.volume]));
      for (const p of positions) {
        const fromTrades = net.get(p.id) ?? new Decimal(0);
        const volume = dec(p.volume);
        if (!fromTrades.eq(volume))
          breaks.push({ kind: 'position', id: p.id.toString(), expected: fromTrades.toString(), actual: volume.toString(), message: `Position #${p.id} holds ${volume} lots; its trades add up to ${fromTrades}` });
        const inMemory = liveOpen.get(p.id);
        if (!inMemory || !inMemory.eq(volume))
          breaks.push({ kind: 'position', id: p.id.toString(), expected: volume.toString(), actual: inMemory?.toString() ?? 'not open', message: `Position #${p.id}: the engine holds ${inMemory ?? 'nothing'}, the database ${volume}` });
        liveOpen.delete(p.id);
      }
      for (const [id, v] of liveOpen)
        breaks.push({ kind: 'position', id: id.toString(), expected: 'not open', actual: v.toString(), message: `Position #${id} is open in the engine but not in the database` });
      return {
        accountId,
        ok: breaks.length === 0,
        checkedAt: new Date(c.clock()),
        ledgerRows: ledger.length,
        ledgerBalance: running,
        storedBalance: stored,
        liveBalance: live.balance,
        ledgerCredit: replay.credit,
        storedCredit,
        liveCredit: live.credit,
        positionsChecked: positions.length,
        breaks,
      };
    });
  }

  reconcileAll(): Promise<ReconcileRunDto> {
    this.running ??= this.runAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runAll(): Promise<ReconcileRunDto> {
    const c = this.c;
    const startedAt = new Date(c.clock());
    const ids = (await c.prisma.account.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((a) => a.id);
    const mismatched: number[] = [];
    const firstBreaks: Record<string, string> = {};
    for (const id of ids) {
      const r = await this.reconcile(id).catch((err: Error) => ({ ok: false, breaks: [{ message: err.message }] }));
      if (!r.ok) {
        mismatched.push(id);
        firstBreaks[id] = r.breaks[0]?.message ?? '';
      }
    }
    const run: ReconcileRunDto = { startedAt, finishedAt: new Date(c.clock()), accounts: ids.length, mismatched };
    await c.prisma.auditLog.create({
      data: {
        actorId: null,
        actorRole: 'SYSTEM',
        action: mismatched.length ? 'reconcile.mismatch' : 'reconcile.ok',
        entityType: 'reconciliation',
        entityId: startedAt.toISOString().slice(0, 10),
        details: { accounts: ids.length, mismatched, firstBreaks },
      },
    });
    if (mismatched.length) {
      c.log.error('reconciliation found differences', { mismatched, firstBreaks });
      c.events.emit('alert', {
        type: 'alert',
        kind: 'RECONCILIATION_MISMATCH',
        severity: 'critical',
        message: `Reconciliation: ${mismatched.length} of ${ids.length} accounts do not match their ledger and trades`,
        accountIds: mismatched,
        at: c.clock(),
      });
    }
    this.last = run;
    return run;
  }

  async lastReconciliation(): Promise<ReconcileRunDto | null> {
    if (this.last) return this.last;
    const row = await this.c.prisma.auditLog.findFirst({ where: { action: { in: ['reconcile.ok', 'reconcile.mismatch'] } }, orderBy: { id: 'desc' } });
    if (!row) return null;
    const d = row.details as { accounts?: number; mismatched?: number[] };
    return { startedAt: row.createdAt, finishedAt: row.createdAt, accounts: d.accounts ?? 0, mismatched: d.mismatched ?? [] };
  }
}

/**
 * The nightly reconciliation: every day at `hourUtc` (default 23:00 UTC, after the 22:00 rollover), checked at
 * least every `checkMs`, so a clock stepped forward is noticed. Errors are logged and retried next check.
 */
export class ReconcileScheduler {
  private timer: NodeJS.Timeout | null = null;
  private nextAt: number;
  private stopped = false;
  private pass: Promise<unknown> | null = null;

  constructor(
    private readonly c: EngineCore,
    private readonly audit: AuditArea,
    private readonly opts: { hourUtc?: number; checkMs?: number } = {},
  ) {
    this.nextAt = this.nextMoment(c.clock());
  }

  private nextMoment(now: number): number {
    const d = new Date(now);
    const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), this.opts.hourUtc ?? 23);
    return at > now ? at : at + 86_400_000;
  }

  start(): void {
    if (this.stopped) return;
    const wait = Math.min(Math.max(this.nextAt - this.c.clock(), 0), this.opts.checkMs ?? 60_000);
    this.timer = setTimeout(() => {
      if (this.c.clock() < this.nextAt) return this.start();
      this.nextAt = this.nextMoment(this.c.clock());
      this.pass = this.audit
        .reconcileAll()
        .catch((err: Error) => this.c.log.warn('nightly reconciliation failed', { error: err.message }))
        .finally(() => {
          this.pass = null;
          this.start();
        });
    }, wait);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }
}
