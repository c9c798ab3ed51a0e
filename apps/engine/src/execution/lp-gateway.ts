// The LP side of A-Book and C-Book: an order for an LP is recorded (lp_orders, SENT) before it goes out, sent
// as a FIX 4.4 NewOrderSingle (IOC) through the LP's adapter, and its outcome recorded with the house's
// coverage position at that LP. Every ExecutionReport is stored once per (LP, ExecID): a PossDup/PossResend
// resend is recognised and never applied twice, and fills are counted by the LP's CumQty, so a resent report
// and a status answer never count the same quantity twice. A ClOrdID is never sent twice (unique in the
// table; nothing here resends an order).
//
// Recovery (after a restart, and on every Logon of an LP): every LP order still SENT/UNKNOWN is asked about
// with an OrderStatusRequest (35=H) and the answer applied — filled / partially filled / rejected / canceled /
// expired as the LP says, or "not received by LP" when the LP does not know the ClOrdID. A client's order
// still PENDING is then completed from it (books/abook.ts completeABookOrder), as is one whose late execution
// report arrives. An LP order whose outcome the LP does not confirm within the bound stays UNKNOWN, its
// client order PENDING, and the dealers get an alert: never guessed.
import { Decimal } from 'decimal.js';
import { sqlOf, type Db, type Prisma, type PrismaClient, type Sql } from '@broker/db';
import { applyCoverageFill } from '../domain/exposure.ts';
import type { SymbolSpec } from '../domain/index.ts';
import type { Logger } from '../logger.ts';
import type { LpFinalOutcome } from '../books/abook.ts';
import type { ExecutionResult, FixExecutionReport, FixLp, OrderStatusAnswer } from '../lp/fix/fix-lp.ts';
import type { LpManager } from '../lp/manager.ts';

export type LpOrderKind = 'CLIENT' | 'COVERAGE';

export interface LpOrderRequest {
  /** Our order (CLIENT: the client's; COVERAGE: the client order a C-Book hedge covers), or null. */
  orderId: bigint | null;
  kind: LpOrderKind;
  lp: { id: number; name: string };
  clOrdId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: Decimal;
  /** An IOC limit (slippage control): the LP fills at this price or better, or not at all. */
  limitPrice?: Decimal | null;
  /** The platform's view of the LP's price when sent (slippage on the LP's scorecard). */
  quote?: { bid: Decimal; ask: Decimal } | null;
  timeoutMs?: number;
}

export type LpOutcomeStatus = 'FILLED' | 'PARTIAL' | 'REJECTED' | 'EXPIRED' | 'UNKNOWN';

export interface LpOutcome {
  status: LpOutcomeStatus;
  /** False when the order never left (LP down, not an order-taking LP): safe to route elsewhere. */
  sent: boolean;
  filledVolume: Decimal;
  avgPrice: Decimal | null;
  lpOrderId: string | null;
  reason: string | null;
  /** Canceled with nothing filled because the price moved beyond the limit. */
  beyondLimit: boolean;
}

interface Deps {
  prisma: PrismaClient;
  /** The same database as `prisma`, for plain SQL on the order path. */
  db: Db;
  lpManager: LpManager;
  log: Logger;
  clock: () => number;
  symbols: (name: string) => SymbolSpec | undefined;
  /** A late fill (an answer that came after the order's outcome was decided): the dealers must know. */
  onLateFill?: (e: { clOrdId: string; kind: LpOrderKind; orderId: bigint | null; lp: string; volume: Decimal; price: Decimal }) => void;
  /**
   * A client's LP order has its outcome and nobody waits for it (the engine restarted in between): the desk
   * completes the client's order if it is still PENDING (books/abook.ts).
   */
  onClientOutcome?: (e: { orderId: bigint; lp: { id: number; name: string }; outcome: LpFinalOutcome }) => Promise<'BOOKED' | 'ENDED' | 'UNBOOKED' | 'NOT_PENDING'>;
  /** The LP did not establish an order's outcome within the bound: it stays UNKNOWN and the dealers are told. */
  onUnknownOutcome?: (e: { clOrdId: string; kind: LpOrderKind; orderId: bigint | null; lp: string; reason: string }) => void;
  recovery?: RecoveryOptions;
}

export interface RecoveryOptions {
  /** Pause after a Logon before the status requests, so a resend the LP asks for with its Logon is done first; default 300. */
  delayMs?: number;
  /** Wait for one status answer; default 3000. */
  timeoutMs?: number;
  /** Status requests per order (unanswered, or the LP still working it) before it is left UNKNOWN; default 3. */
  attempts?: number;
  /** Pause before asking again about an order the LP still works; default 1000. */
  workingRetryMs?: number;
  /** Orders asked about at once; default 8. */
  parallel?: number;
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type LpOrderRow = Awaited<ReturnType<PrismaClient['lpOrder']['findUniqueOrThrow']>>;

/** 39 values after which the LP does nothing more with the order. */
const FINAL_ORD_STATUS = new Set(['2', '3', '4', '8', 'C']);
/** The prefix of an LP order's reason when the LP said it never received it. */
export const NOT_RECEIVED = 'not received by LP';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

const ZERO = new Decimal(0);
const dec = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : new Decimal(v.toString()));

function isFixLp(a: unknown): a is FixLp {
  return typeof (a as FixLp | null)?.placeOrder === 'function' && typeof (a as FixLp | null)?.onExecutionReport === 'function';
}

export class LpGateway {
  /** ClOrdIDs whose answer the sender is still waiting for: their reports are applied after the sender's. */
  private readonly inFlight = new Set<string>();
  /** In flight, and the adapter has given the sender its answer: a report now is not in it (a fill after the timeout). */
  private readonly answered = new Set<string>();
  /** Such reports, applied once the sender has recorded its answer. */
  private readonly deferred = new Map<string, FixExecutionReport[]>();
  private readonly unsubscribe = new Map<object, () => void>();
  /** One change at a time per LP order (reports, status answers and the sender's record). */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** LPs being recovered now, and those whose recovery must run once more when it ends (a Logon meanwhile). */
  private readonly recovering = new Map<string, { again: boolean }>();
  /** Recoveries running (tests and stop wait for them). */
  private readonly recoveries = new Set<Promise<void>>();
  /** Orders already reported as not established (one alert per order and engine run). */
  private readonly alerted = new Set<string>();
  private stopped = false;

  private readonly sql: Sql;

  constructor(private readonly d: Deps) {
    this.sql = sqlOf(d.db);
  }

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return next;
  }

  /** The LP takes orders (a FIX adapter): price-only adapters cannot. */
  tradable(lpName: string): boolean {
    return isFixLp(this.d.lpManager.adapter(lpName));
  }

  /**
   * Listens to every order-taking LP's execution reports and Logons (call after the LPs are loaded, and after
   * a reload); an LP already logged on is recovered at once.
   */
  attach(): void {
    this.stopped = false;
    for (const a of this.d.lpManager.adapters()) {
      if (!isFixLp(a) || this.unsubscribe.has(a)) continue;
      const offReports = a.onExecutionReport((r) => void this.onReport(r).catch((err: Error) => this.d.log.error('execution report not stored', { lp: r.lp, error: err.message })));
      const offLogon = typeof a.onSessionUp === 'function' ? a.onSessionUp(() => this.recover(a.name)) : () => undefined;
      this.unsubscribe.set(a, () => {
        offReports();
        offLogon();
      });
      if (a.loggedOn) this.recover(a.name);
    }
  }

  /** Stops listening and recovering (a recovery under way ends at its next step: idle() waits for it). */
  detach(): void {
    this.stopped = true;
    for (const off of this.unsubscribe.values()) off();
    this.unsubscribe.clear();
  }

  /** Resolves when no recovery is running (tests). */
  async idle(): Promise<void> {
    while (this.recoveries.size) await Promise.allSettled([...this.recoveries]);
  }

  /** Orders sent before a restart and never answered: UNKNOWN until a report or a status answer says what happened. */
  async markUnanswered(): Promise<number> {
    const n = await this.d.prisma.lpOrder.updateMany({ where: { status: 'SENT' }, data: { status: 'UNKNOWN', rejectReason: 'no answer before the engine restarted' } });
    if (n.count) this.d.log.warn('LP orders without an answer after a restart', { count: n.count });
    return n.count;
  }

  /**
   * At start, before orders are taken: client orders a crash left PENDING whose outcome is already known here —
   * never sent (no LP order: the engine stopped between recording the order and recording it as sent), or
   * answered and recorded on the LP order but not yet booked — are completed now. Those whose LP order has no
   * answer wait for the LP's Logon (recover()).
   */
  async completeInterrupted(): Promise<{ notSent: number; answered: number }> {
    const { prisma } = this.d;
    const out = { notSent: 0, answered: 0 };
    if (!this.d.onClientOutcome) return out;
    const pending = await prisma.order.findMany({ where: { status: 'PENDING', type: 'MARKET', venue: 'ABOOK', closesPositionId: null }, select: { id: true, routeLpId: true }, orderBy: { id: 'asc' } });
    if (!pending.length) return out;
    const lpOrders = await prisma.lpOrder.findMany({ where: { orderId: { in: pending.map((p) => p.id) }, kind: 'CLIENT' }, include: { lp: { select: { name: true } } } });
    const byOrder = new Map(lpOrders.map((l) => [l.orderId!.toString(), l]));
    for (const p of pending) {
      const l = byOrder.get(p.id.toString());
      if (!l) {
        const lp = p.routeLpId ? await prisma.liquidityProvider.findUnique({ where: { id: p.routeLpId }, select: { id: true, name: true } }) : null;
        await this.d.onClientOutcome({ orderId: p.id, lp: lp ?? { id: p.routeLpId ?? 0, name: 'the LP' }, outcome: { status: 'EXPIRED', filledVolume: ZERO, avgPrice: null, lpOrderId: null, reason: null, notReceived: 'LP_NOT_SENT' } });
        out.notSent++;
      } else if (l.status !== 'SENT' && l.status !== 'UNKNOWN') {
        await this.d.onClientOutcome({ orderId: p.id, lp: { id: l.lpId, name: l.lp.name }, outcome: finalOf(l) });
        out.answered++;
      }
    }
    if (out.notSent || out.answered) this.d.log.warn('A-Book orders completed at start', out);
    return out;
  }

  /**
   * Asks the LP about every order of its still SENT/UNKNOWN (not in flight here) with an OrderStatusRequest and
   * applies the answers; runs on every Logon. Never sends an order again.
   */
  recover(lpName: string): void {
    if (this.stopped) return;
    const running = this.recovering.get(lpName);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.recovering.set(lpName, state);
    const job = (async () => {
      try {
        do {
          state.again = false;
          await this.recoverOnce(lpName);
        } while (state.again && !this.stopped);
      } catch (err) {
        this.d.log.error('LP order recovery failed', { lp: lpName, error: (err as Error).message });
      } finally {
        this.recovering.delete(lpName);
      }
    })();
    this.recoveries.add(job);
    void job.finally(() => this.recoveries.delete(job));
  }

  private async recoverOnce(lpName: string): Promise<void> {
    const o = this.d.recovery ?? {};
    const adapter = this.d.lpManager.adapter(lpName);
    const lp = this.d.lpManager.status().find((s) => s.name === lpName);
    if (!isFixLp(adapter) || !lp?.id) return;
    await sleep(o.delayMs ?? 300);
    if (this.stopped) return;
    const rows = await this.d.prisma.lpOrder.findMany({ where: { lpId: lp.id, status: { in: ['SENT', 'UNKNOWN'] } }, orderBy: { id: 'asc' }, take: 2000 });
    const todo = rows.filter((r) => !this.inFlight.has(r.clOrdId));
    if (!todo.length) return;
    this.d.log.info('asking the LP about orders without an outcome', { lp: lpName, count: todo.length });
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !this.stopped) {
        const row = todo[next++]!;
        await this.establish(adapter, { id: lp.id!, name: lpName }, row.id).catch((err: Error) => this.d.log.error('LP order status not applied', { lp: lpName, clOrdId: row.clOrdId, error: err.message }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.parallel ?? 8, todo.length) }, worker));
  }

  /** Status requests for one LP order until the LP says what became of it, or the bound. */
  private async establish(adapter: FixLp, lp: { id: number; name: string }, id: bigint): Promise<void> {
    const o = this.d.recovery ?? {};
    const attempts = o.attempts ?? 3;
    let last = 'not asked';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const row = await this.d.prisma.lpOrder.findUnique({ where: { id } });
      if (!row || (row.status !== 'SENT' && row.status !== 'UNKNOWN') || this.inFlight.has(row.clOrdId)) return;
      // The session went down: the next Logon asks again.
      if (!adapter.loggedOn || this.stopped) return;
      const spec = this.d.symbols(row.symbol);
      const answer = await adapter.requestOrderStatus({ clOrdId: row.clOrdId, symbol: row.symbol, side: row.side, orderId: row.lpOrderId, contractSize: spec?.contractSize.toString(), timeoutMs: o.timeoutMs ?? 3000 });
      const res = await this.applyStatus(lp, row.clOrdId, answer);
      if (res.done) return;
      last = res.why;
      if (res.working && attempt < attempts) await sleep(o.workingRetryMs ?? 1000);
    }
    if (!adapter.loggedOn || this.stopped) return;
    const row = await this.d.prisma.lpOrder.findUnique({ where: { id } });
    if (!row || (row.status !== 'SENT' && row.status !== 'UNKNOWN')) return;
    const reason = `outcome not established: ${last}`;
    await this.d.prisma.lpOrder.update({ where: { id }, data: { status: 'UNKNOWN', rejectReason: reason.slice(0, 255) } });
    this.d.log.error('LP order outcome not established', { lp: lp.name, clOrdId: row.clOrdId, reason });
    if (!this.alerted.has(row.clOrdId)) {
      this.alerted.add(row.clOrdId);
      this.d.onUnknownOutcome?.({ clOrdId: row.clOrdId, kind: row.kind, orderId: row.orderId, lp: lp.name, reason });
    }
  }

  /**
   * An answer to an OrderStatusRequest, applied to the LP order (and its coverage by CumQty); a final one completes
   * the client's order. `done`: the outcome is established; `working`: the LP still works the order.
   */
  private async applyStatus(lp: { id: number; name: string }, clOrdId: string, a: OrderStatusAnswer): Promise<{ done: boolean; working: boolean; why: string }> {
    if (a.answer === 'NO_ANSWER') return { done: false, working: false, why: a.text };
    const applied = await this.serial(clOrdId, async () => {
      const order = await this.d.prisma.lpOrder.findUnique({ where: { clOrdId } });
      if (!order) return null;
      if (order.status !== 'SENT' && order.status !== 'UNKNOWN') return { order, fresh: ZERO, price: null as Decimal | null, final: true };
      if (a.answer === 'UNKNOWN_ORDER') {
        if (dec(order.filledVolume)!.gt(0)) return { order, fresh: ZERO, price: null, final: false, contradiction: `the LP does not know ${clOrdId}, yet reported fills of it` };
        const updated = await this.d.prisma.lpOrder.update({ where: { id: order.id }, data: { status: 'EXPIRED', answeredAt: new Date(this.d.clock()), rejectReason: `${NOT_RECEIVED}: ${a.text}`.slice(0, 255) } });
        return { order: updated, fresh: ZERO, price: null, final: true };
      }
      const r = a.report;
      const final = FINAL_ORD_STATUS.has(r.ordStatus);
      let result = { order, fresh: ZERO, price: null as Decimal | null, final };
      await this.d.prisma.$transaction(async (tx) => {
        const fill = await this.applyCum(tx, lp.id, order, a.cumVolume, r.avgPx ?? null, null);
        const status = !final ? order.status : r.ordStatus === '2' ? 'FILLED' : r.ordStatus === '8' ? 'REJECTED' : fill.filled.gt(0) ? 'PARTIAL' : 'EXPIRED';
        const updated = await tx.lpOrder.update({
          where: { id: order.id },
          data: {
            status,
            filledVolume: fill.filled.toString(),
            avgPrice: fill.avg?.toDecimalPlaces(8).toString() ?? null,
            lpOrderId: r.orderId && r.orderId !== 'NONE' ? r.orderId : order.lpOrderId,
            ...(final ? { answeredAt: new Date(r.receivedAt), rejectReason: status === 'FILLED' ? null : (r.text?.slice(0, 255) ?? order.rejectReason) } : {}),
          },
        });
        result = { order: updated, fresh: fill.fresh, price: fill.price, final };
      });
      return result;
    });
    if (!applied) return { done: true, working: false, why: 'no such LP order' };
    if ('contradiction' in applied && applied.contradiction) return { done: false, working: false, why: applied.contradiction };
    await this.settle(lp, applied.order, applied.fresh, applied.price);
    const why = a.answer === 'STATUS' ? `the LP still works the order (OrdStatus ${a.report.ordStatus})` : '';
    return { done: applied.final, working: !applied.final, why };
  }

  /**
   * The LP order's filled volume set to what the LP reports done (CumQty in lots), the difference (if any) onto
   * the house's coverage at the price that difference was filled at (from the new and old average prices, or
   * the report's LastPx when given). Never goes down: an older report says nothing new.
   */
  private async applyCum(tx: Tx, lpId: number, order: LpOrderRow, cum: Decimal, avgPx: Decimal | null, lastPx: Decimal | null): Promise<{ filled: Decimal; avg: Decimal | null; fresh: Decimal; price: Decimal | null }> {
    const prev = dec(order.filledVolume)!;
    const prevAvg = dec(order.avgPrice);
    if (!cum.gt(prev)) return { filled: prev, avg: prevAvg, fresh: ZERO, price: null };
    const fresh = cum.minus(prev);
    let price = lastPx;
    if (!price && avgPx?.gt(0)) price = prev.gt(0) && prevAvg ? avgPx.times(cum).minus(prevAvg.times(prev)).div(fresh) : avgPx;
    if (!price) price = prevAvg ?? ZERO;
    const avg = avgPx?.gt(0) ? avgPx : prev.gt(0) && prevAvg ? prevAvg.times(prev).plus(price.times(fresh)).div(cum) : price;
    const spec = this.d.symbols(order.symbol);
    if (spec && price.gt(0)) await this.cover(tx, lpId, order.symbol, order.side, fresh, price, spec.contractSize);
    return { filled: cum, avg, fresh, price };
  }

  /**
   * After a change nobody waited for: a final client LP order completes the client's order when it is still
   * PENDING; a fill that no client order takes (already decided, or a hedge) is a late fill for the dealers.
   */
  private async settle(lp: { id: number; name: string }, order: LpOrderRow, fresh: Decimal, price: Decimal | null): Promise<void> {
    const final = order.status !== 'SENT' && order.status !== 'UNKNOWN';
    let taken = false;
    if (order.kind === 'CLIENT' && order.orderId !== null && this.d.onClientOutcome) {
      if (final) {
        const done = await this.d.onClientOutcome({ orderId: order.orderId, lp, outcome: finalOf(order) });
        taken = done === 'BOOKED';
      } else {
        // A fill before the final report: the client's order takes it when that report (or a status answer) comes.
        const client = await this.d.prisma.order.findUnique({ where: { id: order.orderId }, select: { status: true } });
        taken = client?.status === 'PENDING';
      }
    }
    if (fresh.gt(0) && price && !taken) {
      this.d.log.warn('late LP fill applied to coverage', { lp: lp.name, clOrdId: order.clOrdId, volume: fresh.toString(), price: price.toString() });
      this.d.onLateFill?.({ clOrdId: order.clOrdId, kind: order.kind, orderId: order.orderId, lp: lp.name, volume: fresh, price });
    }
  }

  /** Why the LP cannot take an order now (not an order-taking LP, not connected), or null when it can. */
  unavailable(lpName: string): string | null {
    const adapter = this.d.lpManager.adapter(lpName);
    if (!isFixLp(adapter)) return `${lpName} does not take orders`;
    const status = adapter.status();
    return status.state === 'CONNECTED' ? null : `${lpName} is ${status.state.toLowerCase()}${status.reason ? `: ${status.reason}` : ''}`;
  }

  /**
   * An LP order the caller records itself, in the same write as its client order (one statement: the order
   * PENDING and the LP order SENT are durable together before anything leaves): in flight from now on, so a
   * recovery running meanwhile never asks about it, and the row for the caller's write set. Then
   * send(req, { recorded: true }), or release(clOrdId) if the write failed.
   */
  prepare(req: LpOrderRequest): Prisma.LpOrderCreateManyInput {
    this.inFlight.add(req.clOrdId);
    return {
      orderId: req.orderId,
      lpId: req.lp.id,
      kind: req.kind,
      clOrdId: req.clOrdId,
      symbol: req.symbol,
      side: req.side,
      volume: req.volume.toString(),
      status: 'SENT',
      sentAt: new Date(this.d.clock()),
      quoteBid: req.quote?.bid.toString() ?? null,
      quoteAsk: req.quote?.ask.toString() ?? null,
    };
  }

  release(clOrdId: string): void {
    this.inFlight.delete(clOrdId);
  }

  async send(req: LpOrderRequest, opts: { recorded?: boolean } = {}): Promise<LpOutcome> {
    const { log } = this.d;
    const adapter = this.d.lpManager.adapter(req.lp.name);
    const notSent = (reason: string): LpOutcome => ({ status: 'REJECTED', sent: false, filledVolume: ZERO, avgPrice: null, lpOrderId: null, reason, beyondLimit: false });
    const down = this.unavailable(req.lp.name);
    if (down || !isFixLp(adapter)) {
      if (opts.recorded) {
        // Recorded, then the LP went away before it left: the row says it was never sent.
        try {
          await this.sql.query(`UPDATE lp_orders SET status = 'REJECTED', reject_reason = $2, answered_at = now(), updated_at = now() WHERE cl_ord_id = $1`, [req.clOrdId, `not sent: ${down}`.slice(0, 255)], { name: 'lp_order_unsent' });
        } finally {
          this.inFlight.delete(req.clOrdId);
        }
      }
      return notSent(down ?? `${req.lp.name} does not take orders`);
    }
    if (!opts.recorded) {
      // Recorded before it goes out: after a crash the row says it was sent (and its ClOrdID is never reused).
      // In flight from before the row exists, so a recovery running meanwhile never asks about it.
      const row = this.prepare(req);
      try {
        await this.sql.query(
          `INSERT INTO lp_orders (order_id, lp_id, kind, cl_ord_id, symbol, side, volume, status, sent_at, quote_bid, quote_ask, updated_at) VALUES ($1, $2, $3::"LpOrderKind", $4, $5, $6::"Side", $7, 'SENT', $8, $9, $10, now())`,
          [row.orderId?.toString() ?? null, row.lpId, row.kind, row.clOrdId, row.symbol, row.side, row.volume, (row.sentAt as Date).toISOString(), row.quoteBid, row.quoteAsk],
          { name: 'lp_order_insert' },
        );
      } catch (err) {
        this.inFlight.delete(req.clOrdId);
        throw err;
      }
    }
    let res: ExecutionResult;
    let out: LpOutcome;
    try {
      res = await adapter.placeOrder({
        clOrdId: req.clOrdId,
        symbol: req.symbol,
        side: req.side,
        volume: req.volume.toString(),
        contractSize: this.d.symbols(req.symbol)?.contractSize.toString(),
        ...(req.limitPrice ? { type: 'LIMIT' as const, price: req.limitPrice.toString() } : { type: 'MARKET' as const }),
        timeInForce: 'IOC',
        timeoutMs: req.timeoutMs,
      });
      this.answered.add(req.clOrdId);
      out = this.outcomeOf(res);
      await this.serial(req.clOrdId, () => this.record(req, out, res));
    } finally {
      this.inFlight.delete(req.clOrdId);
      this.answered.delete(req.clOrdId);
      // Reports that came after the adapter's answer (a late fill after the timeout) go the usual way now;
      // those the answer already held are recognised by their ExecID.
      const later = this.deferred.get(req.clOrdId);
      this.deferred.delete(req.clOrdId);
      for (const r of later ?? []) void this.onReport(r).catch((err: Error) => log.error('execution report not stored', { lp: r.lp, error: err.message }));
    }
    log.info('lp order answered', { lp: req.lp.name, clOrdId: req.clOrdId, kind: req.kind, status: out.status, filled: out.filledVolume.toString(), price: out.avgPrice?.toString() ?? null });
    return out;
  }

  private outcomeOf(res: ExecutionResult): LpOutcome {
    const filled = res.filledVolume;
    const base = { sent: res.sent, filledVolume: filled, avgPrice: res.avgPrice, lpOrderId: res.orderId ?? null, reason: res.text ?? null, beyondLimit: false };
    switch (res.status) {
      case 'FILLED':
        return { ...base, status: 'FILLED' };
      case 'PARTIALLY_FILLED':
        return { ...base, status: 'PARTIAL' };
      case 'CANCELED':
        return { ...base, status: 'EXPIRED', beyondLimit: /beyond|limit|price/i.test(res.text ?? '') };
      case 'REJECTED':
        return { ...base, status: 'REJECTED' };
      case 'TIMEOUT':
        // What was filled so far is known; the rest is not: the order's outcome is UNKNOWN until a report says.
        return { ...base, status: 'UNKNOWN', reason: res.text ?? 'no answer in time' };
    }
  }

  /**
   * The answer on the LP order, its fills' execution reports (once per (LP, ExecID)) and its fills on the
   * house's coverage position at that LP, in one transaction of plain SQL: one statement updates the LP order,
   * stores the reports and locks (creating it when missing) and reads the coverage row, a second writes the
   * coverage; with nothing filled, the first alone, without a transaction of its own.
   */
  private async record(req: LpOrderRequest, out: LpOutcome, res: ExecutionResult): Promise<void> {
    const spec = this.d.symbols(req.symbol);
    const fills = res.fills;
    const params: unknown[] = [
      req.clOrdId,
      out.status,
      out.filledVolume.toString(),
      out.avgPrice?.toString() ?? null,
      out.lpOrderId,
      out.reason?.slice(0, 255) ?? null,
      new Date(res.completedAt).toISOString(),
      req.lp.id,
      fills.map((f) => f.execId),
      fills.map((f) => JSON.stringify({ lastQty: f.qty.toString(), lastPx: f.price.toString(), volume: f.volume.toString() })),
    ];
    const answer = `u AS (UPDATE lp_orders SET status = $2::"LpOrderStatus", filled_volume = $3::numeric, avg_price = $4::numeric, lp_order_id = $5, reject_reason = $6, answered_at = $7::timestamptz, updated_at = now() WHERE cl_ord_id = $1 RETURNING 1),
      e AS (INSERT INTO execution_reports (lp_id, exec_id, cl_ord_id, fields) SELECT $8::int, x, $1, f::jsonb FROM unnest($9::text[], $10::text[]) AS r(x, f) ON CONFLICT (lp_id, exec_id) DO NOTHING RETURNING 1)`;
    if (!(out.filledVolume.gt(0) && out.avgPrice && spec)) {
      await this.sql.query(`WITH ${answer} SELECT (SELECT count(*) FROM u) AS n`, params, { name: 'lp_record_answer' });
      return;
    }
    const avgPrice = out.avgPrice;
    await this.sql.transaction(async (tx) => {
      // The coverage row is locked for the transaction (ON CONFLICT DO UPDATE locks it; created first when
      // missing), so concurrent fills of one LP and symbol each add to what the other wrote.
      const { rows } = await tx.query<{ net_volume: string; avg_price: string; realized_pnl: string }>(
        `WITH ${answer} INSERT INTO coverage_positions (lp_id, symbol, net_volume, avg_price, realized_pnl, updated_at) VALUES ($8::int, $11, 0, 0, 0, now())
           ON CONFLICT (lp_id, symbol) DO UPDATE SET lp_id = EXCLUDED.lp_id RETURNING net_volume::text, avg_price::text, realized_pnl::text`,
        [...params, req.symbol],
        { name: 'lp_record_fill' },
      );
      const row = rows[0];
      const next = applyCoverageFill(
        { netVolume: dec(row?.net_volume) ?? ZERO, avgPrice: dec(row?.avg_price) ?? ZERO, realizedPnl: dec(row?.realized_pnl) ?? ZERO },
        { side: req.side, volume: out.filledVolume, price: avgPrice },
        spec.contractSize,
      );
      await tx.query(`UPDATE coverage_positions SET net_volume = $3::numeric, avg_price = $4::numeric, realized_pnl = $5::numeric, updated_at = now() WHERE lp_id = $1 AND symbol = $2`, [req.lp.id, req.symbol, next.netVolume.toString(), next.avgPrice.toString(), next.realizedPnl.toString()], { name: 'lp_cover_write' });
    });
  }

  private async storeReport(tx: Tx, lpId: number, execId: string, clOrdId: string, fields: Record<string, unknown>): Promise<boolean> {
    // Unique per (LP, ExecID): a resent report is skipped, never applied twice.
    const n = await tx.executionReport.createMany({ data: [{ lpId, execId, clOrdId, fields: fields as object }], skipDuplicates: true });
    return n.count > 0;
  }

  /**
   * One fill onto the house's coverage position at the LP. The row is locked for the transaction (created first
   * when missing), so concurrent fills of one LP and symbol — two clients' orders, a report and a status answer —
   * each add to what the other wrote (a read-then-upsert lost one of them).
   */
  private async cover(tx: Tx, lpId: number, symbol: string, side: 'BUY' | 'SELL', volume: Decimal, price: Decimal, contractSize: Decimal) {
    await tx.$executeRaw`INSERT INTO coverage_positions (lp_id, symbol, net_volume, avg_price, realized_pnl, updated_at) VALUES (${lpId}, ${symbol}, 0, 0, 0, now()) ON CONFLICT (lp_id, symbol) DO NOTHING`;
    const [row] = await tx.$queryRaw<{ net_volume: string; avg_price: string; realized_pnl: string }[]>`SELECT net_volume::text, avg_price::text, realized_pnl::text FROM coverage_positions WHERE lp_id = ${lpId} AND symbol = ${symbol} FOR UPDATE`;
    const next = applyCoverageFill(
      { netVolume: dec(row?.net_volume) ?? ZERO, avgPrice: dec(row?.avg_price) ?? ZERO, realizedPnl: dec(row?.realized_pnl) ?? ZERO },
      { side, volume, price },
      contractSize,
    );
    await tx.coveragePosition.update({ where: { lpId_symbol: { lpId, symbol } }, data: { netVolume: next.netVolume.toString(), avgPrice: next.avgPrice.toString(), realizedPnl: next.realizedPnl.toString() } });
  }

  /**
   * Every ExecutionReport of an order-taking LP. Stored once per (LP, ExecID); a report for an LP order whose
   * sender has stopped waiting (timed out, or from before a restart) is applied here by the LP's CumQty, onto the
   * LP order and the coverage position; a final one completes the client's order if still PENDING, and a fill
   * nobody takes is a late fill for the dealers. A status answer nobody asked for is applied as one.
   */
  private async onReport(r: FixExecutionReport): Promise<void> {
    if (!r.clOrdId) return;
    if (this.inFlight.has(r.clOrdId)) {
      // Up to the adapter's answer, the answer holds the report (listeners hear it before the order resolves).
      if (!this.answered.has(r.clOrdId)) return;
      const list = this.deferred.get(r.clOrdId) ?? [];
      if (list.length < 100) list.push(r);
      this.deferred.set(r.clOrdId, list);
      return;
    }
    const lp = this.d.lpManager.status().find((s) => s.name === r.lp);
    if (!lp?.id) return;
    const who = { id: lp.id, name: r.lp };
    if (r.kind === 'status') {
      const spec = r.symbol ? this.d.symbols(r.symbol) : undefined;
      const cumVolume = r.cumQty && spec ? r.cumQty.div(spec.contractSize) : ZERO;
      await this.applyStatus(who, r.clOrdId, r.ordStatus === '8' && r.ordRejReason === '5' ? { answer: 'UNKNOWN_ORDER', text: r.text ?? 'unknown order' } : { answer: 'STATUS', report: r, cumVolume });
      return;
    }
    if (!r.execId) return;
    const clOrdId = r.clOrdId;
    const applied = await this.serial(clOrdId, async () => {
      const order = await this.d.prisma.lpOrder.findUnique({ where: { clOrdId } });
      if (!order) return null;
      const spec = this.d.symbols(order.symbol);
      let result: { order: LpOrderRow; fresh: Decimal; price: Decimal | null } | null = null;
      await this.d.prisma.$transaction(async (tx) => {
        const fresh = await this.storeReport(tx, lp.id!, r.execId, clOrdId, { kind: r.kind, ordStatus: r.ordStatus, lastQty: r.lastQty?.toString() ?? null, lastPx: r.lastPx?.toString() ?? null, cumQty: r.cumQty?.toString() ?? null, avgPx: r.avgPx?.toString() ?? null, possDup: r.possDup ?? false });
        if (!fresh) return; // a resend of a report already applied
        const open = order.status === 'SENT' || order.status === 'UNKNOWN';
        const lastVolume = r.lastVolume ?? (r.lastQty && spec ? r.lastQty.div(spec.contractSize) : null);
        const prev = dec(order.filledVolume)!;
        // The LP's CumQty says what is done; without one, this report's LastQty adds to what is known.
        const cum = r.cumQty && spec ? r.cumQty.div(spec.contractSize) : r.kind === 'trade' && lastVolume ? prev.plus(lastVolume) : prev;
        const inOrder = r.kind === 'trade' && lastVolume && cum.eq(prev.plus(lastVolume));
        const fill = await this.applyCum(tx, lp.id!, order, cum, r.avgPx ?? null, inOrder ? (r.lastPx ?? null) : null);
        let status = order.status;
        if (open && r.terminal) status = r.ordStatus === '2' ? 'FILLED' : r.kind === 'rejected' || r.ordStatus === '8' ? 'REJECTED' : fill.filled.gt(0) ? 'PARTIAL' : 'EXPIRED';
        else if (!open && fill.fresh.gt(0)) status = r.ordStatus === '2' ? 'FILLED' : 'PARTIAL';
        if (!fill.fresh.gt(0) && status === order.status) return;
        const updated = await tx.lpOrder.update({
          where: { id: order.id },
          data: {
            status,
            filledVolume: fill.filled.toString(),
            avgPrice: fill.avg?.toDecimalPlaces(8).toString() ?? null,
            answeredAt: new Date(r.receivedAt),
            lpOrderId: r.orderId || order.lpOrderId,
            ...(open && r.terminal && status !== 'FILLED' ? { rejectReason: r.text?.slice(0, 255) ?? order.rejectReason } : {}),
            ...(status === 'FILLED' ? { rejectReason: null } : {}),
          },
        });
        result = { order: updated, fresh: fill.fresh, price: fill.price };
      });
      return result as { order: LpOrderRow; fresh: Decimal; price: Decimal | null } | null;
    });
    if (applied) await this.settle(who, applied.order, applied.fresh, applied.price);
  }
}

/** A final LP order row as the outcome the client's order is completed from. */
function finalOf(l: LpOrderRow): LpFinalOutcome {
  const status = l.status === 'FILLED' || l.status === 'PARTIAL' || l.status === 'REJECTED' ? l.status : 'EXPIRED';
  const notReceived = l.status === 'EXPIRED' && l.rejectReason?.startsWith(NOT_RECEIVED) ? ('LP_NOT_RECEIVED' as const) : undefined;
  return {
    status,
    filledVolume: dec(l.filledVolume)!,
    avgPrice: dec(l.avgPrice),
    lpOrderId: l.lpOrderId,
    reason: notReceived ? (l.rejectReason!.slice(NOT_RECEIVED.length).replace(/^:\s*/, '') || null) : l.rejectReason,
    ...(notReceived ? { notReceived } : {}),
  };
}
