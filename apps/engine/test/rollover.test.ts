// The swap rollover through tRPC and the engine's own schedule, on an engine whose clock the test sets.
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

/** The engine's time, moved by hand: it stands still between the moments a test sets. */
function testClock(iso: string) {
  let now = Date.parse(iso);
  return {
    now: () => now,
    set(at: string) {
      now = Date.parse(at);
    },
  };
}

const engines: TestEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

async function engineAt(iso: string, opts: { autoRollover?: boolean } = {}) {
  const clock = testClock(iso);
  const t = await startTestEngine({ clock: clock.now, autoRollover: opts.autoRollover });
  engines.push(t);
  const admin = t.client((await t.login('superadmin@broker.local')).token);
  return { t, clock, admin };
}

/** A trader holding 1 lot of EURUSD bought at the engine's current time; its swapLong per lot. */
async function buyEurusd(t: TestEngine, trader?: { token: string; accountId: number }) {
  const { token, accountId } = trader ?? (await t.createTrader());
  const api = t.client(token);
  t.lp.push('EURUSD', '1.10000', '1.10002');
  const { position } = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '1' });
  const swapLong = (await api.market.symbols.query()).find((s) => s.name === 'EURUSD')!.swapLong;
  return { api, token, accountId, positionId: position!.id, swapLong };
}

async function swapOf(t: TestEngine, positionId: string) {
  const row = await t.database.db.prisma.position.findUniqueOrThrow({ where: { id: BigInt(positionId) } });
  return new Decimal(row.swap.toString());
}

const rolloverAudit = (t: TestEngine) =>
  t.database.db.prisma.auditLog.findMany({ where: { action: 'risk.rollover' }, orderBy: { id: 'asc' } });

describe('swap rollover', () => {
  it('accrues once per day, triples on Wednesday, skips forex on Saturday, splits on partial close, and never runs twice', async () => {
    const { t, clock, admin } = await engineAt('2031-01-08T12:00:00Z');
    const { api, accountId, positionId, swapLong } = await buyEurusd(t);
    clock.set('2031-01-12T09:00:00Z'); // after the Saturday's 22:00 UTC
    // 2031-01-08 is a Wednesday: EURUSD (forex sessions, triple Wednesday) accrues 3 × 1 lot × swapLong.
    const run = await admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-08' });
    expect(run.positions).toBe(1);
    expect(await errorCode(admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-08' }))).toBe('ROLLOVER_DONE');
    expect((await swapOf(t, positionId)).toFixed(2)).toBe(swapLong.times(3).toFixed(2));
    await admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-09' }); // Thursday: once
    const accrued = swapLong.times(4);
    expect((await swapOf(t, positionId)).toFixed(2)).toBe(accrued.toFixed(2));
    await admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-11' }); // Saturday: forex does not roll
    expect((await swapOf(t, positionId)).toFixed(2)).toBe(accrued.toFixed(2));
    // Equity counts accrued swap.
    t.lp.push('EURUSD', '1.10000', '1.10002');
    const summary = await api.account.summary.query({ accountId });
    expect(summary.equity.toFixed(8)).toBe(summary.balance.plus(summary.unrealizedPnl).plus(accrued).toFixed(8));
    // Close 0.3 lot: 30% of the swap is booked, 70% stays with the position.
    const res = await api.positions.close.mutate({ accountId, positionId, volume: '0.3' });
    const share = accrued.times('0.3').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    expect(res.swap.toFixed(2)).toBe(share.toFixed(2));
    expect(res.remaining!.swap.toFixed(2)).toBe(accrued.minus(share).toFixed(2));
    expect(res.remaining!.volume.toString()).toBe('0.7');
    const ledger = await t.database.db.prisma.ledgerEntry.findMany({ where: { accountId, type: 'SWAP' } });
    expect(ledger.map((l) => new Decimal(l.amount.toString()).toFixed(2))).toEqual([share.toFixed(2)]);
  });

  it("charges a position opened before the day's 22:00 UTC and not one opened at 22:00", async () => {
    const { t, clock, admin } = await engineAt('2031-01-09T21:59:59.999Z');
    const trader = await t.createTrader();
    const before = await buyEurusd(t, trader);
    clock.set('2031-01-09T22:00:00.000Z');
    const at = await buyEurusd(t, trader);
    clock.set('2031-01-10T01:00:00.000Z'); // the run itself happens later: the cut-off is still 22:00
    const run = await admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-09' }); // Thursday: once
    expect(run.positions).toBe(1);
    expect((await swapOf(t, before.positionId)).toFixed(2)).toBe(before.swapLong.toFixed(2));
    expect((await swapOf(t, at.positionId)).isZero()).toBe(true);
  });

  it('refuses a day whose 22:00 UTC has not come, and writes no run for it', async () => {
    const { t, clock, admin } = await engineAt('2031-01-09T21:59:59.999Z');
    expect(await errorCode(admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-09' }))).toBe('ROLLOVER_TOO_EARLY');
    expect(await errorCode(admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-10' }))).toBe('ROLLOVER_TOO_EARLY');
    expect(await t.database.db.prisma.rolloverRun.count()).toBe(0);
    clock.set('2031-01-09T22:00:00.000Z');
    expect((await admin.admin.risk.rollover.mutate({ tradingDay: '2031-01-09' })).tradingDay).toBe('2031-01-09');
  });

  it('defaults to the last day whose 22:00 UTC has passed, once', async () => {
    const { t, clock, admin } = await engineAt('2031-01-09T21:00:00Z');
    expect((await admin.admin.risk.rollover.mutate({})).tradingDay).toBe('2031-01-08');
    expect(await errorCode(admin.admin.risk.rollover.mutate({}))).toBe('ROLLOVER_DONE');
    clock.set('2031-01-09T22:00:00Z');
    expect((await admin.admin.risk.rollover.mutate({})).tradingDay).toBe('2031-01-09');
    const audit = await rolloverAudit(t);
    expect(audit.map((a) => [a.entityId, a.actorRole])).toEqual([
      ['2031-01-08', 'SUPER_ADMIN'],
      ['2031-01-09', 'SUPER_ADMIN'],
    ]);
    expect(audit.every((a) => a.actorId !== null)).toBe(true);
  });
});

describe('scheduled swap rollover', () => {
  it("runs by itself at the day's 22:00 UTC with no actor, and audits it", async () => {
    const { t, clock } = await engineAt('2031-01-09T21:59:59.900Z', { autoRollover: true });
    // A database that has never rolled: no day before the engine's start is made up.
    expect(await t.database.db.prisma.rolloverRun.count()).toBe(0);
    const { positionId, swapLong } = await buyEurusd(t);
    clock.set('2031-01-09T22:00:00.000Z');
    const run = await eventually(() => t.database.db.prisma.rolloverRun.findFirstOrThrow({ where: { finishedAt: { not: null } } }));
    expect(run.tradingDay.toISOString().slice(0, 10)).toBe('2031-01-09');
    expect(run.triggeredBy).toBeNull();
    expect((await swapOf(t, positionId)).toFixed(2)).toBe(swapLong.toFixed(2));
    const audit = await eventually(async () => {
      const rows = await rolloverAudit(t);
      expect(rows).toHaveLength(1);
      return rows[0]!;
    });
    expect([audit.entityId, audit.actorId, audit.actorRole]).toEqual(['2031-01-09', null, 'SYSTEM']);
  });

  it('catches up two missed days at start, oldest first, each once; a restart runs them no more', async () => {
    const { t, clock, admin } = await engineAt('2031-01-06T12:00:00Z');
    const { positionId, swapLong } = await buyEurusd(t);
    clock.set('2031-01-06T22:30:00Z');
    await admin.admin.risk.rollover.mutate({}); // Monday, by a dealer: the last finished run
    // Down over Tuesday's and Wednesday's rollovers, back on Thursday morning.
    clock.set('2031-01-09T09:00:00Z');
    await t.restart({ autoRollover: true });
    const prisma = t.database.db.prisma;
    const runs = await prisma.rolloverRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.tradingDay.toISOString().slice(0, 10), r.triggeredBy, r.finishedAt !== null])).toEqual([
      ['2031-01-06', expect.any(Number), true],
      ['2031-01-07', null, true],
      ['2031-01-08', null, true],
    ]);
    // Monday once, Tuesday once, Wednesday triple: run in any other order Tuesday would find the position
    // already past it and charge nothing.
    const accrued = swapLong.times(5);
    expect((await swapOf(t, positionId)).toFixed(2)).toBe(accrued.toFixed(2));
    const audit = await rolloverAudit(t);
    expect(audit.map((a) => [a.entityId, a.actorRole])).toEqual([
      ['2031-01-06', 'SUPER_ADMIN'],
      ['2031-01-07', 'SYSTEM'],
      ['2031-01-08', 'SYSTEM'],
    ]);
    await t.restart({ autoRollover: true });
    expect(await prisma.rolloverRun.count()).toBe(3);
    expect(await rolloverAudit(t)).toHaveLength(3);
    expect((await swapOf(t, positionId)).toFixed(2)).toBe(accrued.toFixed(2));
  });

  it('resumes a day whose run was interrupted, without charging twice', async () => {
    const { t, clock, admin } = await engineAt('2031-01-06T12:00:00Z');
    const first = await buyEurusd(t);
    const second = await buyEurusd(t);
    clock.set('2031-01-06T22:30:00Z');
    await admin.admin.risk.rollover.mutate({});
    // Tuesday's run stopped after charging the first position: its row has no finish.
    const prisma = t.database.db.prisma;
    await prisma.rolloverRun.create({ data: { tradingDay: new Date('2031-01-07T00:00:00Z') } });
    await prisma.position.update({
      where: { id: BigInt(first.positionId) },
      data: { swap: { increment: first.swapLong.toString() }, lastSwapDay: new Date('2031-01-07T00:00:00Z') },
    });
    clock.set('2031-01-08T09:00:00Z');
    await t.restart({ autoRollover: true });
    const tuesday = await prisma.rolloverRun.findUniqueOrThrow({ where: { tradingDay: new Date('2031-01-07T00:00:00Z') } });
    expect(tuesday.finishedAt).not.toBeNull();
    expect(tuesday.positions).toBe(1);
    expect((await swapOf(t, first.positionId)).toFixed(2)).toBe(first.swapLong.times(2).toFixed(2));
    expect((await swapOf(t, second.positionId)).toFixed(2)).toBe(second.swapLong.times(2).toFixed(2));
  });
});
