// The LP side of A-Book and C-Book: an order for an LP is recorded (lp_orders, SENT) before it goes out, sent
// as a FIX 4.4 NewOrderSingle (IOC) through the LP's adapter, and its outcome recorded with the house's
// coverage position at that LP. Every ExecutionReport is stored once per (LP, ExecID): a PossDup/PossResend
// resend is recognised and never applied twice. A report for an order whose answer never came (the sender
// timed out, or the engine restarted in between) is applied when it arrives; an order still unanswered is
// UNKNOWN and listed for dealers, never guessed and never sent again (its ClOrdID is unique in the table).
import { Decimal } from 'decimal.js';
import type { PrismaClient } from '@broker/db';
import { applyCoverageFill } from '../domain/exposure.ts';
import type { SymbolSpec } from '../domain/index.ts';
import type { Logger } from '../logger.ts';
import type { ExecutionResult, FixExecutionReport, FixLp } from '../lp/fix/fix-lp.ts';
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
  lpManager: LpManager;
  log: Logger;
  clock: () => number;
  symbols: (name: string) => SymbolSpec | undefined;
  /** A late fill (an answer that came after the order's outcome was decided): the dealers must know. */
  onLateFill?: (e: { clOrdId: string; kind: LpOrderKind; orderId: bigint | null; lp: string; volume: Decimal; price: Decimal }) => void;
}

const ZERO = new Decimal(0);
const dec = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : new Decimal(v.toString()));

function isFixLp(a: unknown): a is FixLp {
  return typeof (a as FixLp | null)?.placeOrder === 'function' && typeof (a as FixLp | null)?.onExecutionReport === 'function';
}

export class LpGateway {
  /** ClOrdIDs whose answer the sender is still waiting for: their reports are applied by the sender. */
  private readonly inFlight = new Set<string>();
  private readonly unsubscribe = new Map<object, () => void>();

  constructor(private readonly d: Deps) {}

  /** The LP takes orders (a FIX adapter): price-only adapters cannot. */
  tradable(lpName: string): boolean {
    return isFixLp(this.d.lpManager.adapter(lpName));
  }

  /** Listens to every order-taking LP's execution reports (call after the LPs are loaded, and after a reload). */
  attach(): void {
    for (const a of this.d.lpManager.adapters()) {
      if (!isFixLp(a) || this.unsubscribe.has(a)) continue;
      this.unsubscribe.set(a, a.onExecutionReport((r) => void this.onReport(r).catch((err: Error) => this.d.log.error('execution report not stored', { lp: r.lp, error: err.message }))));
    }
  }

  detach(): void {
    for (const off of this.unsubscribe.values()) off();
    this.unsubscribe.clear();
  }

  /** Orders sent before a restart and never answered: UNKNOWN until a report says what happened. */
  async markUnanswered(): Promise<number> {
    const n = await this.d.prisma.lpOrder.updateMany({ where: { status: 'SENT' }, data: { status: 'UNKNOWN', rejectReason: 'no answer before the engine restarted' } });
    if (n.count) this.d.log.warn('LP orders without an answer after a restart', { count: n.count });
    return n.count;
  }

  async send(req: LpOrderRequest): Promise<LpOutcome> {
    const { prisma, log, clock } = this.d;
    const adapter = this.d.lpManager.adapter(req.lp.name);
    const notSent = (reason: string): LpOutcome => ({ status: 'REJECTED', sent: false, filledVolume: ZERO, avgPrice: null, lpOrderId: null, reason, beyondLimit: false });
    if (!isFixLp(adapter)) return notSent(`${req.lp.name} does not take orders`);
    const status = adapter.status();
    if (status.state !== 'CONNECTED') return notSent(`${req.lp.name} is ${status.state.toLowerCase()}${status.reason ? `: ${status.reason}` : ''}`);
    // Recorded before it goes out: after a crash the row says it was sent (and its ClOrdID is never reused).
    await prisma.lpOrder.create({
      data: {
        orderId: req.orderId,
        lpId: req.lp.id,
        kind: req.kind,
        clOrdId: req.clOrdId,
        symbol: req.symbol,
        side: req.side,
        volume: req.volume.toString(),
        status: 'SENT',
        sentAt: new Date(clock()),
        quoteBid: req.quote?.bid.toString() ?? null,
        quoteAsk: req.quote?.ask.toString() ?? null,
      },
    });
    this.inFlight.add(req.clOrdId);
    let res: ExecutionResult;
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
    } finally {
      this.inFlight.delete(req.clOrdId);
    }
    const out = this.outcomeOf(res);
    await this.record(req, out, res);
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

  /** The answer on the LP order, and its fills on the house's coverage position at that LP. */
  private async record(req: LpOrderRequest, out: LpOutcome, res: ExecutionResult): Promise<void> {
    const spec = this.d.symbols(req.symbol);
    await this.d.prisma.$transaction(async (tx) => {
      await tx.lpOrder.update({
        where: { clOrdId: req.clOrdId },
        data: {
          status: out.status,
          filledVolume: out.filledVolume.toString(),
          avgPrice: out.avgPrice?.toString() ?? null,
          lpOrderId: out.lpOrderId,
          rejectReason: out.reason?.slice(0, 255) ?? null,
          answeredAt: new Date(res.completedAt),
        },
      });
      for (const f of res.fills) await this.storeReport(tx, req.lp.id, f.execId, req.clOrdId, { lastQty: f.qty.toString(), lastPx: f.price.toString(), volume: f.volume.toString() });
      if (out.filledVolume.gt(0) && out.avgPrice && spec) await this.cover(tx, req.lp.id, req.symbol, req.side, out.filledVolume, out.avgPrice, spec.contractSize);
    });
  }

  private async storeReport(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], lpId: number, execId: string, clOrdId: string, fields: Record<string, unknown>): Promise<boolean> {
    // Unique per (LP, ExecID): a resent report is skipped, never applied twice.
    const n = await tx.executionReport.createMany({ data: [{ lpId, execId, clOrdId, fields: fields as object }], skipDuplicates: true });
    return n.count > 0;
  }

  private async cover(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], lpId: number, symbol: string, side: 'BUY' | 'SELL', volume: Decimal, price: Decimal, contractSize: Decimal) {
    const row = await tx.coveragePosition.findUnique({ where: { lpId_symbol: { lpId, symbol } } });
    const next = applyCoverageFill(
      { netVolume: dec(row?.netVolume) ?? ZERO, avgPrice: dec(row?.avgPrice) ?? ZERO, realizedPnl: dec(row?.realizedPnl) ?? ZERO },
      { side, volume, price },
      contractSize,
    );
    const data = { netVolume: next.netVolume.toString(), avgPrice: next.avgPrice.toString(), realizedPnl: next.realizedPnl.toString() };
    await tx.coveragePosition.upsert({ where: { lpId_symbol: { lpId, symbol } }, create: { lpId, symbol, ...data }, update: data });
  }

  /**
   * Every ExecutionReport of an order-taking LP. Stored once per (LP, ExecID); a fill for an LP order whose
   * sender has stopped waiting (timed out, or from before a restart) is applied to the LP order and the
   * coverage position here, and the dealers are told.
   */
  private async onReport(r: FixExecutionReport): Promise<void> {
    if (!r.execId || !r.clOrdId || this.inFlight.has(r.clOrdId)) return;
    const lp = this.d.lpManager.status().find((s) => s.name === r.lp);
    if (!lp?.id) return;
    const order = await this.d.prisma.lpOrder.findUnique({ where: { clOrdId: r.clOrdId } });
    if (!order) return;
    const spec = this.d.symbols(order.symbol);
    let late: { volume: Decimal; price: Decimal } | null = null;
    await this.d.prisma.$transaction(async (tx) => {
      const fresh = await this.storeReport(tx, lp.id!, r.execId!, r.clOrdId!, { kind: r.kind, ordStatus: r.ordStatus, lastQty: r.lastQty?.toString() ?? null, lastPx: r.lastPx?.toString() ?? null, cumQty: r.cumQty?.toString() ?? null, avgPx: r.avgPx?.toString() ?? null, possDup: r.possDup ?? false });
      if (!fresh) return; // a resend of a report already applied
      const volume = r.lastVolume ?? (r.lastQty && spec ? r.lastQty.div(spec.contractSize) : null);
      if (r.kind === 'trade' && volume?.gt(0) && r.lastPx) {
        const filled = dec(order.filledVolume)!.plus(volume);
        const prevAvg = dec(order.avgPrice);
        const avg = prevAvg && dec(order.filledVolume)!.gt(0) ? prevAvg.times(dec(order.filledVolume)!).plus(r.lastPx.times(volume)).div(filled) : r.lastPx;
        await tx.lpOrder.update({
          where: { id: order.id },
          data: { filledVolume: filled.toString(), avgPrice: avg.toDecimalPlaces(8).toString(), status: r.ordStatus === '2' ? 'FILLED' : 'PARTIAL', answeredAt: new Date(r.receivedAt), lpOrderId: r.orderId ?? order.lpOrderId },
        });
        if (spec) await this.cover(tx, lp.id!, order.symbol, order.side, volume, r.lastPx, spec.contractSize);
        late = { volume, price: r.lastPx };
      } else if (r.terminal && (order.status === 'SENT' || order.status === 'UNKNOWN')) {
        const status = r.kind === 'rejected' || r.ordStatus === '8' ? 'REJECTED' : dec(order.filledVolume)!.gt(0) ? 'PARTIAL' : 'EXPIRED';
        await tx.lpOrder.update({ where: { id: order.id }, data: { status, answeredAt: new Date(r.receivedAt), rejectReason: r.text?.slice(0, 255) ?? order.rejectReason } });
      }
    });
    if (late) {
      const l = late as { volume: Decimal; price: Decimal };
      this.d.log.warn('late LP fill applied to coverage', { lp: r.lp, clOrdId: r.clOrdId, volume: l.volume.toString(), price: l.price.toString() });
      this.d.onLateFill?.({ clOrdId: r.clOrdId, kind: order.kind, orderId: order.orderId, lp: r.lp, volume: l.volume, price: l.price });
    }
  }
}
