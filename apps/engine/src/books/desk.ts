// The dealing desk: every command that changes an account. Each runs on the account's command queue (one
// writer per account), asks the pure domain for a plan, turns the plan into a write set, hands it to the
// group committer, and only after the commit updates memory, the trigger index and publishes events.
import { Decimal } from 'decimal.js';
import { EngineError, type ErrorCode } from '@broker/api/errors';
import type { PrismaClient } from '@broker/db';
import {
  accountFigures,
  approxFigures,
  byLargestLoss,
  closingPrice,
  isExpired,
  pendingTrigger,
  planClosePosition,
  planMarketOrder,
  planStopOut,
  positionsAfter,
  riskState,
  stopHit,
  swapAccrual,
  trailedStop,
  triggerDirection,
  validatePendingOrder,
  watchPrice,
  checkStops,
  type AccountState,
  type CloseLeg,
  type DealPlan,
  type LedgerPlan,
  type MarketOrderRequest,
  type PendingOrderRequest,
  type PendingOrderState,
  type PositionState,
  type Quote,
  type Reject,
  type RiskLimits,
  type Side,
  type SymbolSpec,
  type Trailing,
  type TradingContext,
  type Weekday,
} from '../domain/index.ts';
import type { Logger } from '../logger.ts';
import { PointsQuote, trailMayMove } from '../domain/points.ts';
import { isTradingDay, rolloverMoment } from '../domain/rollover.ts';
import type { AccountBook } from './account-book.ts';
import type { CommandQueue } from './command-queue.ts';
import type { GroupCommitter } from './group-commit.ts';
import type { IdAllocator } from './id-allocator.ts';
import { orderKey, slKey, tpKey, type TriggerEntry, type TriggerIndex } from './trigger-index.ts';
import { emptyWriteSet, type WriteSet } from './write-set.ts';

export type CloseReason = 'MANUAL' | 'PARTIAL' | 'SL_HIT' | 'TP_HIT' | 'STOP_OUT' | 'CLOSE_ALL' | 'NETTING' | 'ADMIN';

/** How the desk tells the outside world what happened (after commit). */
export interface DeskPublisher {
  orderFilled(
    accountId: number,
    e: { orderId: bigint; positionId: bigint | null; symbol: string; side: Side; volume: Decimal; price: Decimal; at: number },
  ): void;
  positionChanged(
    accountId: number,
    action: 'opened' | 'modified' | 'closed' | 'partially_closed',
    p: PositionState,
    extra?: { closePrice?: Decimal; reason?: CloseReason },
  ): void;
  orderChanged(
    accountId: number,
    action: 'placed' | 'modified' | 'triggered' | 'cancelled' | 'expired' | 'rejected' | 'filled',
    o: PendingOrderState,
    extra?: { code?: string; message?: string },
  ): void;
  accountChanged(accountId: number): void;
  stopOut(accountId: number, marginLevel: Decimal | null, closed: bigint[]): void;
}

export interface DeskDeps {
  prisma: PrismaClient;
  book: AccountBook;
  index: TriggerIndex;
  committer: GroupCommitter;
  ids: IdAllocator;
  queue: CommandQueue;
  clock: () => number;
  log: Logger;
  symbols: (name: string) => SymbolSpec | undefined;
  quote: (symbol: string) => Quote | undefined;
  risk: (accountId: number) => RiskLimits;
  publish: DeskPublisher;
}

export interface FillResult {
  orderId: bigint;
  position: PositionState | null;
  price: Decimal;
  replayed: boolean;
}

export interface CloseResult {
  position: PositionState;
  leg: CloseLeg;
  orderId: bigint;
}

const DAY_MS = 86_400_000;
const WEEKDAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505' || (err as { code?: string }).code === 'P2002';
}

function fail(r: Reject): never {
  throw new EngineError(r.code, r.message);
}

const str = (d: Decimal | null | undefined) => (d === null || d === undefined ? null : d.toString());

export class Desk {
  /** Idempotency keys already used, per account (loaded lazily for the last day, then kept up to date). */
  private readonly keys = new Map<number, Map<string, bigint>>();
  /** Lots opened per account in the current UTC day. */
  private readonly daily = new Map<number, { day: number; volume: Decimal }>();
  /** Accounts with a stop out or trigger command already queued. */
  private readonly inFlight = new Set<string>();
  /** Positions with a trailing stop, by symbol (a quote walks only these). */
  private readonly trailingBySymbol = new Map<string, Map<bigint, number>>();
  private readonly trailingSymbolOf = new Map<bigint, string>();
  /** The position object last indexed, for the integer trailing screen (every SL/trailing change re-indexes). */
  private readonly trailingPos = new Map<bigint, PositionState>();

  constructor(private readonly d: DeskDeps) {}

  // ───────────────────────────── helpers ─────────────────────────────

  private ctx(accountId: number): TradingContext {
    return { symbols: this.d.symbols, quotes: this.d.quote, risk: this.d.risk(accountId), now: this.d.clock() };
  }

  private async account(accountId: number): Promise<AccountState> {
    const a = await this.d.book.get(accountId);
    if (!a) throw new EngineError('ACCOUNT_NOT_FOUND');
    return a;
  }

  private async dailyVolume(accountId: number, now: number): Promise<Decimal> {
    const day = Math.floor(now / DAY_MS);
    const known = this.daily.get(accountId);
    if (known && known.day === day) return known.volume;
    const agg = await this.d.prisma.trade.aggregate({
      where: { accountId, entry: 'OPEN', executedAt: { gte: new Date(day * DAY_MS) } },
      _sum: { volume: true },
    });
    const volume = new Decimal(agg._sum.volume?.toString() ?? '0');
    this.daily.set(accountId, { day, volume });
    return volume;
  }

  private addDaily(accountId: number, now: number, lots: Decimal) {
    const day = Math.floor(now / DAY_MS);
    const known = this.daily.get(accountId);
    this.daily.set(accountId, { day, volume: (known && known.day === day ? known.volume : new Decimal(0)).plus(lots) });
  }

  private async usedKeys(accountId: number): Promise<Map<string, bigint>> {
    let m = this.keys.get(accountId);
    if (!m) {
      const since = new Date(this.d.clock() - DAY_MS);
      const rows = await this.d.prisma.order.findMany({
        where: { accountId, idempotencyKey: { not: null }, createdAt: { gte: since } },
        select: { id: true, idempotencyKey: true },
      });
      m = new Map(rows.map((r) => [r.idempotencyKey!, r.id]));
      this.keys.set(accountId, m);
    }
    return m;
  }

  /**
   * The order a key already produced. Memory holds the last day's keys; an older key is caught by the
   * database's unique index when the new order is written (see `replayOnDuplicate`), so the hot path never
   * pays a lookup.
   */
  private async findKey(accountId: number, key: string): Promise<bigint | null> {
    return (await this.usedKeys(accountId)).get(key) ?? null;
  }

  /** After a unique violation on (account, idempotency key): the stored order, to replay. */
  private async keyFromDb(accountId: number, key: string): Promise<bigint | null> {
    const row = await this.d.prisma.order.findUnique({
      where: { accountId_idempotencyKey: { accountId, idempotencyKey: key } },
      select: { id: true },
    });
    if (row) (await this.usedKeys(accountId)).set(key, row.id);
    return row?.id ?? null;
  }

  /** Commits a write set; on failure the account's cached state is reloaded so memory never runs ahead. */
  private async commit(accountId: number | number[], ws: WriteSet): Promise<void> {
    try {
      await this.d.committer.commit(ws);
    } catch (err) {
      for (const id of Array.isArray(accountId) ? accountId : [accountId]) await this.reload(id);
      throw err;
    }
  }

  async reload(accountId: number): Promise<void> {
    for (const o of this.d.book.pendingOrders(accountId)) this.d.index.remove(orderKey(o.id));
    for (const p of this.d.book.openPositions(accountId)) {
      this.d.index.remove(slKey(p.id));
      this.d.index.remove(tpKey(p.id));
    }
    this.d.book.evict(accountId);
    this.keys.delete(accountId);
    await this.d.book.get(accountId);
    this.indexAccount(accountId);
  }

  // ───────────────────────────── trigger index ─────────────────────────────

  indexAccount(accountId: number): void {
    for (const o of this.d.book.pendingOrders(accountId)) this.indexOrder(o);
    for (const p of this.d.book.openPositions(accountId)) this.indexPosition(p);
  }

  indexAll(): void {
    for (const id of [...this.d.book.accountIds()]) this.indexAccount(id);
  }

  private indexOrder(o: PendingOrderState): void {
    this.d.index.upsert({
      key: orderKey(o.id),
      kind: 'ORDER',
      id: o.id,
      accountId: o.accountId,
      symbol: o.symbol,
      side: o.side === 'BUY' ? 'ask' : 'bid',
      direction: triggerDirection(o),
      price: watchPrice(o),
    });
  }

  private indexPosition(p: PositionState): void {
    if (p.trailing) {
      let m = this.trailingBySymbol.get(p.symbol);
      if (!m) this.trailingBySymbol.set(p.symbol, (m = new Map()));
      m.set(p.id, p.accountId);
      this.trailingSymbolOf.set(p.id, p.symbol);
      this.trailingPos.set(p.id, p);
    } else this.untrail(p.id);
    // trading-rules.md table: BUY stops watch the bid, SELL stops the ask; a BUY's SL fires falling, its TP rising.
    const side = p.side === 'BUY' ? 'bid' : 'ask';
    const stops = [
      { kind: 'SL' as const, key: slKey(p.id), price: p.sl, direction: p.side === 'BUY' ? ('down' as const) : ('up' as const) },
      { kind: 'TP' as const, key: tpKey(p.id), price: p.tp, direction: p.side === 'BUY' ? ('up' as const) : ('down' as const) },
    ];
    for (const st of stops) {
      if (st.price) this.d.index.upsert({ key: st.key, kind: st.kind, id: p.id, accountId: p.accountId, symbol: p.symbol, side, direction: st.direction, price: st.price });
      else this.d.index.remove(st.key);
    }
  }

  private unindexPosition(id: bigint): void {
    this.d.index.remove(slKey(id));
    this.d.index.remove(tpKey(id));
    this.untrail(id);
  }

  private untrail(id: bigint): void {
    const symbol = this.trailingSymbolOf.get(id);
    if (symbol === undefined) return;
    this.trailingSymbolOf.delete(id);
    this.trailingPos.delete(id);
    this.trailingBySymbol.get(symbol)?.delete(id);
  }

  /** Applies closes/opens to memory after commit: positions, balance, index. */
  private applyPositions(accountId: number, after: PositionState[], balance: Decimal) {
    const before = new Set(this.d.book.openPositions(accountId).map((p) => p.id));
    const now = new Set(after.map((p) => p.id));
    for (const id of before) if (!now.has(id)) this.unindexPosition(id);
    this.d.book.setPositions(accountId, after);
    this.d.book.setBalance(accountId, balance);
    for (const p of after) this.indexPosition(p);
  }

  // ───────────────────────────── write sets ─────────────────────────────

  private ledgerRows(
    ws: WriteSet,
    accountId: number,
    rows: LedgerPlan[],
    tradeIds: Map<string, bigint>,
    ids: bigint[],
    now: Date,
    referenceType = 'TRADE',
  ) {
    rows.forEach((r, i) => {
      ws.ledger.push({
        id: ids[i]!,
        accountId,
        type: r.type,
        amount: r.amount.toString(),
        balanceBefore: r.balanceBefore.toString(),
        balanceAfter: r.balanceAfter.toString(),
        referenceType: tradeIds.has(r.ref) ? 'TRADE' : referenceType,
        referenceId: tradeIds.get(r.ref) ?? null,
        createdAt: now,
      });
    });
  }

  private closeRows(
    ws: WriteSet,
    account: AccountState,
    leg: CloseLeg,
    symbol: string,
    orderId: bigint,
    tradeId: bigint,
    now: Date,
    reason: CloseReason,
  ) {
    const side: Side = leg.side === 'BUY' ? 'SELL' : 'BUY';
    const realized = leg.realizedPnl.plus(leg.swap).toString();
    ws.positionUpdates.push({
      id: leg.positionId,
      data: leg.remaining
        ? {
            volume: leg.remaining.volume.toString(),
            margin: leg.remaining.margin.toString(),
            swap: leg.remaining.swap.toString(),
            realizedPnl: { increment: realized },
          }
        : {
            status: 'CLOSED',
            closeTime: now,
            closePrice: leg.closePrice.toString(),
            currentPrice: leg.closePrice.toString(),
            closeReason: reason,
            swap: '0',
            unrealizedPnl: '0',
            realizedPnl: { increment: realized },
          },
    });
    ws.trades.push({
      id: tradeId,
      orderId,
      positionId: leg.positionId,
      accountId: account.id,
      symbol,
      side,
      entry: 'CLOSE',
      volume: leg.volume.toString(),
      price: leg.closePrice.toString(),
      realizedPnl: leg.realizedPnl.toString(),
      swap: leg.swap.toString(),
      executedAt: now,
    });
  }

  /**
   * A filled deal as rows. `existingOrderId`: a pending order that filled (updated, not inserted).
   * Returns the ids it used so memory can follow.
   */
  private async dealWriteSet(
    account: AccountState,
    plan: DealPlan,
    now: number,
    order: {
      existingOrderId?: bigint;
      idempotencyKey?: string;
      comment?: string;
      sl?: Decimal | null;
      tp?: Decimal | null;
      trailing?: Trailing | null;
    },
  ): Promise<{ ws: WriteSet; orderId: bigint; positionId: bigint | null }> {
    const at = new Date(now);
    const ws = emptyWriteSet();
    const [orderId] = order.existingOrderId ? [order.existingOrderId] : await this.d.ids.take('orders', 1);
    const newPosition = plan.open && !plan.open.mergeInto;
    const positionId = plan.open ? (plan.open.mergeInto ? plan.open.mergeInto.id : (await this.d.ids.take('positions', 1))[0]!) : null;
    const tradeIds = await this.d.ids.take('trades', plan.closes.length + (plan.open ? 1 : 0));
    const ledgerIds = plan.ledger.length ? await this.d.ids.take('ledger', plan.ledger.length) : [];
    const refs = new Map<string, bigint>();

    if (plan.open && newPosition) {
      ws.positions.push({
        id: positionId!,
        accountId: account.id,
        symbol: plan.symbol,
        side: plan.open.side,
        volume: plan.open.volume.toString(),
        openPrice: plan.open.openPrice.toString(),
        currentPrice: plan.open.openPrice.toString(),
        openTime: at,
        sl: str(plan.open.sl),
        tp: str(plan.open.tp),
        trailingPips: str(plan.open.trailing?.distancePips),
        trailingStepPips: str(plan.open.trailing?.stepPips),
        margin: plan.open.margin.toString(),
        commission: plan.open.commission.toString(),
        venue: 'BBOOK',
      });
    }
    const filled = {
      status: 'FILLED' as const,
      filledVolume: plan.volume.toString(),
      filledPrice: plan.price.toString(),
      filledAt: at,
      positionId,
      closesPositionId: plan.open ? null : (plan.closes[0]?.positionId ?? null),
      venue: 'BBOOK' as const,
    };
    if (order.existingOrderId) {
      ws.orderUpdates.push({ id: orderId!, data: filled });
    } else {
      ws.orders.push({
        id: orderId!,
        accountId: account.id,
        symbol: plan.symbol,
        type: 'MARKET',
        side: plan.side,
        volume: plan.volume.toString(),
        sl: str(order.sl),
        tp: str(order.tp),
        trailingPips: str(order.trailing?.distancePips),
        trailingStepPips: str(order.trailing?.stepPips),
        idempotencyKey: order.idempotencyKey ?? null,
        comment: order.comment ?? null,
        createdAt: at,
        ...filled,
      });
    }
    plan.closes.forEach((leg, i) => {
      refs.set(`close:${i}`, tradeIds[i]!);
      this.closeRows(ws, account, leg, plan.symbol, orderId!, tradeIds[i]!, at, 'NETTING');
    });
    if (plan.open) {
      const tradeId = tradeIds[plan.closes.length]!;
      refs.set('open', tradeId);
      const m = plan.open.mergeInto;
      if (m) {
        ws.positionUpdates.push({
          id: m.id,
          data: {
            volume: m.volume.toString(),
            openPrice: m.openPrice.toString(),
            margin: m.margin.toString(),
            commission: m.commission.toString(),
            sl: str(m.sl),
            tp: str(m.tp),
          },
        });
      }
      ws.trades.push({
        id: tradeId,
        orderId: orderId!,
        positionId: positionId!,
        accountId: account.id,
        symbol: plan.symbol,
        side: plan.open.side,
        entry: 'OPEN',
        volume: plan.open.volume.toString(),
        price: plan.open.openPrice.toString(),
        commission: plan.open.commission.toString(),
        executedAt: at,
      });
    }
    this.ledgerRows(ws, account.id, plan.ledger, refs, ledgerIds, at);
    if (!plan.balanceAfter.eq(account.balance))
      ws.balances.push({ accountId: account.id, before: account.balance, after: plan.balanceAfter });
    return { ws, orderId: orderId!, positionId };
  }

  private async rejectedOrderWriteSet(
    accountId: number,
    req: MarketOrderRequest & { type?: 'MARKET' | PendingOrderState['type']; price?: Decimal | null; stopPrice?: Decimal | null },
    r: Reject,
    now: number,
    idempotencyKey?: string,
  ) {
    const ws = emptyWriteSet();
    const [id] = await this.d.ids.take('orders', 1);
    ws.orders.push({
      id: id!,
      accountId,
      symbol: req.symbol,
      type: req.type ?? 'MARKET',
      side: req.side,
      volume: req.volume.toString(),
      price: str(req.price),
      triggerPrice: str(req.stopPrice),
      sl: str(req.sl),
      tp: str(req.tp),
      status: 'REJECTED',
      rejectCode: r.code,
      rejectReason: r.message.slice(0, 255),
      idempotencyKey: idempotencyKey ?? null,
      createdAt: new Date(now),
    });
    return { ws, id: id! };
  }

  // ───────────────────────────── market orders ─────────────────────────────

  /** Runs a deal plan to completion: write, then memory, then events. */
  private async executeDeal(
    account: AccountState,
    positions: readonly PositionState[],
    plan: DealPlan,
    now: number,
    order: {
      existingOrderId?: bigint;
      idempotencyKey?: string;
      comment?: string;
      sl?: Decimal | null;
      tp?: Decimal | null;
      trailing?: Trailing | null;
    },
  ): Promise<FillResult> {
    const { ws, orderId, positionId } = await this.dealWriteSet(account, plan, now, order);
    await this.commit(account.id, ws);
    const after = positionsAfter(positions, plan.closes, plan.open, plan.symbol, now, positionId ?? -1n, account.id);
    this.applyPositions(account.id, after, plan.balanceAfter);
    if (plan.open) this.addDaily(account.id, now, plan.open.volume);
    if (order.idempotencyKey) (await this.usedKeys(account.id)).set(order.idempotencyKey, orderId);
    const pub = this.d.publish;
    pub.orderFilled(account.id, {
      orderId,
      positionId,
      symbol: plan.symbol,
      side: plan.side,
      volume: plan.volume,
      price: plan.price,
      at: now,
    });
    for (const c of plan.closes) {
      const before = positions.find((p) => p.id === c.positionId)!;
      if (c.remaining) pub.positionChanged(account.id, 'partially_closed', c.remaining, { reason: 'NETTING' });
      else pub.positionChanged(account.id, 'closed', before, { closePrice: c.closePrice, reason: 'NETTING' });
    }
    const position = positionId !== null ? (after.find((p) => p.id === positionId) ?? null) : null;
    if (position) pub.positionChanged(account.id, plan.open?.mergeInto ? 'modified' : 'opened', position);
    pub.accountChanged(account.id);
    return { orderId, position, price: plan.price, replayed: false };
  }

  async marketOrder(
    accountId: number,
    req: MarketOrderRequest,
    opts: { idempotencyKey?: string; comment?: string } = {},
  ): Promise<FillResult> {
    const replay = async (id: bigint): Promise<FillResult> => {
      const row = await this.d.prisma.order.findUniqueOrThrow({ where: { id } });
      sameRequest(row, { type: 'MARKET', symbol: req.symbol, side: req.side, volume: req.volume });
      const position = row.positionId ? (this.d.book.openPositions(accountId).find((p) => p.id === row.positionId) ?? null) : null;
      if (row.status === 'REJECTED')
        throw new EngineError((row.rejectCode ?? 'INTERNAL_ERROR') as ErrorCode, row.rejectReason ?? undefined, { replayed: true });
      return { orderId: row.id, position, price: new Decimal(row.filledPrice?.toString() ?? '0'), replayed: true };
    };
    return this.d.queue.submit(accountId, async () => {
      if (opts.idempotencyKey) {
        const previous = await this.findKey(accountId, opts.idempotencyKey);
        if (previous !== null) return replay(previous);
      }
      try {
        return await this.fillMarket(accountId, req, opts);
      } catch (err) {
        if (opts.idempotencyKey && isUniqueViolation(err)) {
          const previous = await this.keyFromDb(accountId, opts.idempotencyKey);
          if (previous !== null) return replay(previous);
        }
        throw err;
      }
    });
  }

  private async fillMarket(
    accountId: number,
    req: MarketOrderRequest,
    opts: { idempotencyKey?: string; comment?: string },
  ): Promise<FillResult> {
    {
      const account = await this.account(accountId);
      const positions = this.d.book.openPositions(accountId);
      const now = this.d.clock();
      const ctx = { ...this.ctx(accountId), now, dailyVolume: await this.dailyVolume(accountId, now) };
      const plan = planMarketOrder(account, positions, req, ctx);
      if (!plan.ok) {
        if (this.d.symbols(req.symbol)) {
          const { ws, id } = await this.rejectedOrderWriteSet(accountId, req, plan, now, opts.idempotencyKey);
          try {
            await this.commit(accountId, ws);
            // Only a stored reject answers a retry with the same key.
            if (opts.idempotencyKey) (await this.usedKeys(accountId)).set(opts.idempotencyKey, id);
          } catch (err) {
            if (opts.idempotencyKey && isUniqueViolation(err)) throw err;
            this.d.log.warn('could not record a rejected order', { accountId, error: (err as Error).message });
          }
        }
        fail(plan);
      }
      return this.executeDeal(account, positions, plan, now, {
        idempotencyKey: opts.idempotencyKey,
        comment: opts.comment,
        sl: req.sl,
        tp: req.tp,
        trailing: req.trailing,
      });
    }
  }

  // ───────────────────────────── closing ─────────────────────────────

  private async closeOne(
    account: AccountState,
    position: PositionState,
    volume: Decimal | undefined,
    reason: CloseReason | null,
    audit?: WriteSet['audit'][number],
  ): Promise<CloseResult> {
    const now = this.d.clock();
    const plan = planClosePosition(account, position, volume, this.ctx(account.id));
    if (!plan.ok) fail(plan);
    const why: CloseReason = reason ?? (plan.close.remaining ? 'PARTIAL' : 'MANUAL');
    const at = new Date(now);
    const ws = emptyWriteSet();
    if (audit) ws.audit.push({ ...audit, details: { ...(audit.details as object), closedVolume: plan.close.volume.toString(), closePrice: plan.close.closePrice.toString(), realizedPnl: plan.close.realizedPnl.toString() }, createdAt: at });
    const [orderId] = await this.d.ids.take('orders', 1);
    const [tradeId] = await this.d.ids.take('trades', 1);
    const ledgerIds = plan.ledger.length ? await this.d.ids.take('ledger', plan.ledger.length) : [];
    ws.orders.push({
      id: orderId!,
      accountId: account.id,
      symbol: position.symbol,
      type: 'MARKET',
      side: position.side === 'BUY' ? 'SELL' : 'BUY',
      volume: plan.close.volume.toString(),
      filledVolume: plan.close.volume.toString(),
      status: 'FILLED',
      filledPrice: plan.close.closePrice.toString(),
      filledAt: at,
      closesPositionId: position.id,
      comment: why === 'MANUAL' ? null : why,
      venue: 'BBOOK',
      createdAt: at,
    });
    this.closeRows(ws, account, plan.close, position.symbol, orderId!, tradeId!, at, why);
    this.ledgerRows(ws, account.id, plan.ledger, new Map([['close:0', tradeId!]]), ledgerIds, at);
    if (!plan.balanceAfter.eq(account.balance))
      ws.balances.push({ accountId: account.id, before: account.balance, after: plan.balanceAfter });
    await this.commit(account.id, ws);
    const positions = this.d.book.openPositions(account.id);
    this.applyPositions(
      account.id,
      positionsAfter(positions, [plan.close], null, position.symbol, now, -1n, account.id),
      plan.balanceAfter,
    );
    const pub = this.d.publish;
    this.publishCloseFill(account.id, orderId!, position, plan.close, now);
    if (plan.close.remaining) pub.positionChanged(account.id, 'partially_closed', plan.close.remaining, { reason: why });
    else pub.positionChanged(account.id, 'closed', position, { closePrice: plan.close.closePrice, reason: why });
    pub.accountChanged(account.id);
    return { position, leg: plan.close, orderId: orderId! };
  }

  /** A close by the trader (reason from the volume), or by a dealer (`reason: 'ADMIN'`, with its audit row). */
  async closePosition(
    accountId: number,
    positionId: bigint,
    volume?: Decimal,
    by?: { reason: CloseReason; audit?: WriteSet['audit'][number] },
  ): Promise<CloseResult> {
    return this.d.queue.submit(accountId, async () => {
      const account = await this.account(accountId);
      const position = this.d.book.openPositions(accountId).find((p) => p.id === positionId);
      if (!position) throw new EngineError('POSITION_NOT_FOUND', `Position ${positionId} is not open on this account`);
      return this.closeOne(account, position, volume, by?.reason ?? null, by?.audit);
    });
  }

  /** Closes every open position (optionally of one symbol), one transaction, largest loss first. */
  async closeAll(
    accountId: number,
    symbol?: string,
  ): Promise<{ closed: CloseResult[]; failed: { positionId: bigint; code: string; message: string }[] }> {
    return this.d.queue.submit(accountId, async () => {
      let account = await this.account(accountId);
      const targets = byLargestLoss(
        this.d.book.openPositions(accountId).filter((p) => !symbol || p.symbol === symbol),
        this.d.symbols,
        account.currency,
        this.d.quote,
      );
      const now = this.d.clock();
      const at = new Date(now);
      const ws = emptyWriteSet();
      const closed: CloseResult[] = [];
      const failed: { positionId: bigint; code: string; message: string }[] = [];
      let positions = [...this.d.book.openPositions(accountId)];
      const startBalance = account.balance;
      for (const position of targets) {
        const plan = planClosePosition(account, position, undefined, this.ctx(accountId));
        if (!plan.ok) {
          failed.push({ positionId: position.id, code: plan.code, message: plan.message });
          continue;
        }
        const [orderId] = await this.d.ids.take('orders', 1);
        const [tradeId] = await this.d.ids.take('trades', 1);
        const ledgerIds = plan.ledger.length ? await this.d.ids.take('ledger', plan.ledger.length) : [];
        ws.orders.push({
          id: orderId!,
          accountId,
          symbol: position.symbol,
          type: 'MARKET',
          side: position.side === 'BUY' ? 'SELL' : 'BUY',
          volume: position.volume.toString(),
          filledVolume: position.volume.toString(),
          status: 'FILLED',
          filledPrice: plan.close.closePrice.toString(),
          filledAt: at,
          closesPositionId: position.id,
          comment: 'CLOSE_ALL',
          venue: 'BBOOK',
          createdAt: at,
        });
        this.closeRows(ws, account, plan.close, position.symbol, orderId!, tradeId!, at, 'CLOSE_ALL');
        this.ledgerRows(ws, accountId, plan.ledger, new Map([['close:0', tradeId!]]), ledgerIds, at);
        account = { ...account, balance: plan.balanceAfter };
        positions = positionsAfter(positions, [plan.close], null, position.symbol, now, -1n, accountId);
        closed.push({ position, leg: plan.close, orderId: orderId! });
      }
      if (!closed.length) return { closed, failed };
      if (!account.balance.eq(startBalance)) ws.balances.push({ accountId, before: startBalance, after: account.balance });
      await this.commit(accountId, ws);
      this.applyPositions(accountId, positions, account.balance);
      for (const c of closed) {
        this.publishCloseFill(accountId, c.orderId, c.position, c.leg, now);
        this.d.publish.positionChanged(accountId, 'closed', c.position, { closePrice: c.leg.closePrice, reason: 'CLOSE_ALL' });
      }
      this.d.publish.accountChanged(accountId);
      return { closed, failed };
    });
  }

  /** order_filled for the order that closed (part of) a position: every close, whatever its reason. */
  private publishCloseFill(accountId: number, orderId: bigint, position: PositionState, leg: CloseLeg, now: number): void {
    this.d.publish.orderFilled(accountId, {
      orderId,
      positionId: position.id,
      symbol: position.symbol,
      side: position.side === 'BUY' ? 'SELL' : 'BUY',
      volume: leg.volume,
      price: leg.closePrice,
      at: now,
    });
  }

  async modifyPosition(
    accountId: number,
    positionId: bigint,
    change: { sl?: Decimal | null; tp?: Decimal | null; trailing?: Trailing | null },
  ): Promise<PositionState> {
    return this.d.queue.submit(accountId, async () => {
      const account = await this.account(accountId);
      if (account.status === 'READ_ONLY' || account.status === 'CLOSED')
        throw new EngineError(account.status === 'READ_ONLY' ? 'ACCOUNT_READ_ONLY' : 'ACCOUNT_INACTIVE');
      const position = this.d.book.openPositions(accountId).find((p) => p.id === positionId);
      if (!position) throw new EngineError('POSITION_NOT_FOUND', `Position ${positionId} is not open on this account`);
      const next: PositionState = {
        ...position,
        sl: change.sl === undefined ? position.sl : change.sl,
        tp: change.tp === undefined ? position.tp : change.tp,
        trailing: change.trailing === undefined ? (position.trailing ?? null) : change.trailing,
      };
      const quote = this.d.quote(position.symbol);
      if (!quote) throw new EngineError('NO_QUOTE', `No quote for ${position.symbol}`);
      // MT5: a BUY's SL below and TP above the bid; a SELL's mirror around the ask.
      const stopsReject = checkStops(position.side, closingPrice(position.side, quote), next.sl, next.tp);
      if (stopsReject) fail(stopsReject);
      await this.persistPositionStops(account.id, next);
      return next;
    });
  }

  private async persistPositionStops(accountId: number, next: PositionState) {
    const ws = emptyWriteSet();
    ws.positionUpdates.push({
      id: next.id,
      data: {
        sl: str(next.sl),
        tp: str(next.tp),
        trailingPips: str(next.trailing?.distancePips),
        trailingStepPips: str(next.trailing?.stepPips),
      },
    });
    await this.commit(accountId, ws);
    const positions = this.d.book.openPositions(accountId).map((p) => (p.id === next.id ? next : p));
    this.d.book.setPositions(accountId, positions);
    this.indexPosition(next);
    this.d.publish.positionChanged(accountId, 'modified', next);
  }

  // ───────────────────────────── pending orders ─────────────────────────────

  async placePending(
    accountId: number,
    req: PendingOrderRequest,
    opts: { idempotencyKey?: string; comment?: string } = {},
  ): Promise<{ order: PendingOrderState; replayed: boolean }> {
    return this.d.queue.submit(accountId, async () => {
      if (opts.idempotencyKey) {
        const previous = await this.findKey(accountId, opts.idempotencyKey);
        if (previous !== null) {
          const open = this.d.book.pendingOrder(accountId, previous);
          // Not the price: orders.modify may have moved it since, and a late retry is still the same order.
          const asked = { type: req.type, symbol: req.symbol, side: req.side, volume: req.volume };
          if (open) {
            sameRequest(open, asked);
            return { order: open, replayed: true };
          }
          const row = await this.d.prisma.order.findUniqueOrThrow({ where: { id: previous } });
          sameRequest(row, asked);
          throw new EngineError('DUPLICATE_REQUEST', `Order ${row.id} with this key is already ${row.status.toLowerCase()}`, {
            orderId: row.id.toString(),
          });
        }
      }
      const account = await this.account(accountId);
      const now = this.d.clock();
      const valid = validatePendingOrder(account, req, this.d.symbols, this.d.quote, now);
      if (!valid.ok) {
        if (this.d.symbols(req.symbol)) {
          const { ws } = await this.rejectedOrderWriteSet(accountId, { ...req }, valid, now, opts.idempotencyKey);
          await this.commit(accountId, ws).catch(() => undefined);
        }
        fail(valid);
      }
      const [id] = await this.d.ids.take('orders', 1);
      const order: PendingOrderState = {
        id: id!,
        accountId,
        symbol: req.symbol,
        type: req.type,
        side: req.side,
        volume: req.volume,
        price: req.price,
        stopPrice: req.type === 'STOP_LIMIT' ? (req.stopPrice ?? null) : null,
        sl: req.sl ?? null,
        tp: req.tp ?? null,
        trailing: req.trailing ?? null,
        expiresAt: req.expiresAt ?? null,
        createdAt: now,
      };
      const ws = emptyWriteSet();
      ws.orders.push({
        id: order.id,
        accountId,
        symbol: order.symbol,
        type: order.type,
        side: order.side,
        volume: order.volume.toString(),
        price: order.price.toString(),
        triggerPrice: str(order.stopPrice),
        sl: str(order.sl),
        tp: str(order.tp),
        trailingPips: str(order.trailing?.distancePips),
        trailingStepPips: str(order.trailing?.stepPips),
        timeInForce: order.expiresAt === null ? 'GTC' : 'GTD',
        expiresAt: order.expiresAt === null ? null : new Date(order.expiresAt),
        status: 'PENDING',
        idempotencyKey: opts.idempotencyKey ?? null,
        comment: opts.comment ?? null,
        createdAt: new Date(now),
      });
      try {
        await this.commit(accountId, ws);
      } catch (err) {
        if (opts.idempotencyKey && isUniqueViolation(err))
          throw new EngineError('DUPLICATE_REQUEST', 'An order with this idempotency key already exists');
        throw err;
      }
      this.d.book.putPending(order);
      this.indexOrder(order);
      if (opts.idempotencyKey) (await this.usedKeys(accountId)).set(opts.idempotencyKey, order.id);
      this.d.publish.orderChanged(accountId, 'placed', order);
      return { order, replayed: false };
    });
  }

  async modifyPending(
    accountId: number,
    orderId: bigint,
    change: { price?: Decimal; stopPrice?: Decimal | null; sl?: Decimal | null; tp?: Decimal | null; expiresAt?: number | null },
  ): Promise<PendingOrderState> {
    return this.d.queue.submit(accountId, async () => {
      const account = await this.account(accountId);
      const order = this.d.book.pendingOrder(accountId, orderId);
      if (!order) throw new EngineError('ORDER_NOT_FOUND', `Order ${orderId} is not pending on this account`);
      const next: PendingOrderState = {
        ...order,
        price: change.price ?? order.price,
        stopPrice: order.type === 'STOP_LIMIT' ? (change.stopPrice === undefined ? order.stopPrice : change.stopPrice) : null,
        sl: change.sl === undefined ? order.sl : change.sl,
        tp: change.tp === undefined ? order.tp : change.tp,
        expiresAt: change.expiresAt === undefined ? order.expiresAt : change.expiresAt,
      };
      if (order.type === 'STOP_LIMIT' && change.stopPrice !== undefined && !order.stopPrice) {
        throw new EngineError('INVALID_ORDER', 'The stop of this order has already fired; it is a limit order now');
      }
      const valid = validatePendingOrder(account, { ...next, stopPrice: next.stopPrice }, this.d.symbols, this.d.quote, this.d.clock());
      if (!valid.ok) fail(valid);
      const ws = emptyWriteSet();
      ws.orderUpdates.push({
        id: orderId,
        data: {
          price: next.price.toString(),
          triggerPrice: str(next.stopPrice),
          sl: str(next.sl),
          tp: str(next.tp),
          timeInForce: next.expiresAt === null ? 'GTC' : 'GTD',
          expiresAt: next.expiresAt === null ? null : new Date(next.expiresAt),
        },
      });
      await this.commit(accountId, ws);
      this.d.book.putPending(next);
      this.indexOrder(next);
      this.d.publish.orderChanged(accountId, 'modified', next);
      return next;
    });
  }

  private async endPending(accountId: number, order: PendingOrderState, status: 'CANCELLED' | 'EXPIRED' | 'REJECTED', reject?: Reject) {
    const ws = emptyWriteSet();
    ws.orderUpdates.push({
      id: order.id,
      data: { status, rejectCode: reject?.code ?? null, rejectReason: reject?.message.slice(0, 255) ?? null },
    });
    await this.commit(accountId, ws);
    this.d.book.removePending(accountId, order.id);
    this.d.index.remove(orderKey(order.id));
    this.d.publish.orderChanged(
      accountId,
      status === 'CANCELLED' ? 'cancelled' : status === 'EXPIRED' ? 'expired' : 'rejected',
      order,
      reject ? { code: reject.code, message: reject.message } : undefined,
    );
  }

  async cancelPending(accountId: number, orderId: bigint): Promise<PendingOrderState> {
    return this.d.queue.submit(accountId, async () => {
      await this.account(accountId);
      const order = this.d.book.pendingOrder(accountId, orderId);
      if (!order) throw new EngineError('ORDER_NOT_FOUND', `Order ${orderId} is not pending on this account`);
      await this.endPending(accountId, order, 'CANCELLED');
      return order;
    });
  }

  // ───────────────────────────── triggers from quotes ─────────────────────────────

  /** Queues the commands a quote triggered. Each re-checks against the state it finds when it runs. */
  onTriggered(entries: TriggerEntry[]): void {
    for (const e of entries) {
      const key = `${e.kind}:${e.id}`;
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      void this.d.queue
        .submit(e.accountId, () => (e.kind === 'ORDER' ? this.runPendingTrigger(e) : this.runStopTrigger(e)))
        .catch((err: Error) => this.d.log.warn('trigger failed', { accountId: e.accountId, kind: e.kind, id: e.id, error: err.message }))
        .finally(() => this.inFlight.delete(key));
    }
  }

  private async runPendingTrigger(e: TriggerEntry): Promise<void> {
    let order = this.d.book.pendingOrder(e.accountId, e.id);
    if (!order) return;
    const now = this.d.clock();
    if (isExpired(order, now)) return this.endPending(e.accountId, order, 'EXPIRED');
    const quote = this.d.quote(order.symbol);
    let action = quote ? pendingTrigger(order, quote) : null;
    if (!action) {
      this.indexOrder(order); // the market moved back before we ran: keep waiting
      return;
    }
    if (action === 'BECOME_LIMIT') {
      // trading-rules.md: a triggered STOP-LIMIT becomes a LIMIT at its limit price.
      const ws = emptyWriteSet();
      ws.orderUpdates.push({ id: order.id, data: { type: 'LIMIT' } });
      await this.commit(e.accountId, ws);
      order = { ...order, type: 'LIMIT', stopPrice: null };
      this.d.book.putPending(order);
      this.d.publish.orderChanged(e.accountId, 'triggered', order);
      action = pendingTrigger(order, quote!);
      if (!action) {
        this.indexOrder(order);
        return;
      }
    }
    // A triggered order goes through the same pre-trade checks as a market order (trading-rules.md).
    const account = await this.account(e.accountId);
    const positions = this.d.book.openPositions(e.accountId);
    const req: MarketOrderRequest = {
      symbol: order.symbol,
      side: order.side,
      volume: order.volume,
      sl: order.sl,
      tp: order.tp,
      trailing: order.trailing,
    };
    const plan = planMarketOrder(account, positions, req, {
      ...this.ctx(e.accountId),
      now,
      dailyVolume: await this.dailyVolume(e.accountId, now),
    });
    if (!plan.ok) {
      await this.endPending(e.accountId, order, 'REJECTED', plan);
      return;
    }
    await this.executeDeal(account, positions, plan, now, { existingOrderId: order.id });
    this.d.book.removePending(e.accountId, order.id);
    this.d.publish.orderChanged(e.accountId, 'filled', order);
  }

  private async runStopTrigger(e: TriggerEntry): Promise<void> {
    const position = this.d.book.openPositions(e.accountId).find((p) => p.id === e.id);
    if (!position) return;
    const quote = this.d.quote(position.symbol);
    const hit = quote ? stopHit(position, quote) : null;
    if (!hit) {
      this.indexPosition(position);
      return;
    }
    const account = await this.account(e.accountId);
    try {
      await this.closeOne(account, position, undefined, hit);
    } catch (err) {
      // The market may be closed or unpriced: keep the stop armed for the next quote.
      this.indexPosition(position);
      throw err;
    }
  }

  /** Trailing stops of one symbol's positions follow the quote (only ever tightening). */
  trail(symbol: string, quote: Quote): void {
    const spec = this.d.symbols(symbol);
    if (!spec) return;
    const trailing = this.trailingBySymbol.get(symbol);
    if (!trailing?.size) return;
    const pq = quote instanceof PointsQuote ? quote : null;
    for (const [positionId, accountId] of trailing) {
      {
        // Integer screen first (domain/points.ts): most quotes move no trail, and then no Decimal is needed.
        const known = pq && this.trailingPos.get(positionId);
        if (known && !trailMayMove(known, spec, pq.bidPts, pq.askPts, pq.digits)) continue;
        const p = this.d.book.openPositions(accountId).find((x) => x.id === positionId);
        if (!p || !p.trailing) continue;
        const sl = trailedStop(p, quote, spec);
        if (!sl) continue;
        const key = `TRAIL:${p.id}`;
        if (this.inFlight.has(key)) continue;
        this.inFlight.add(key);
        void this.d.queue
          .submit(accountId, async () => {
            const current = this.d.book.openPositions(accountId).find((x) => x.id === p.id);
            if (!current) return;
            const q = this.d.quote(symbol);
            const next = q ? trailedStop(current, q, spec) : null;
            if (next) await this.persistPositionStops(accountId, { ...current, sl: next });
          })
          .catch((err: Error) => this.d.log.warn('trailing stop update failed', { accountId, positionId: p.id, error: err.message }))
          .finally(() => this.inFlight.delete(key));
      }
    }
  }

  /** GTD orders whose time has come. */
  expireDue(): void {
    const now = this.d.clock();
    for (const o of this.d.book.allPending()) {
      if (!isExpired(o, now)) continue;
      const key = `EXPIRE:${o.id}`;
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      void this.d.queue
        .submit(o.accountId, async () => {
          const current = this.d.book.pendingOrder(o.accountId, o.id);
          if (current && isExpired(current, this.d.clock())) await this.endPending(o.accountId, current, 'EXPIRED');
        })
        .catch((err: Error) => this.d.log.warn('expiry failed', { orderId: o.id, error: err.message }))
        .finally(() => this.inFlight.delete(key));
    }
  }

  // ───────────────────────────── stop out ─────────────────────────────

  /**
   * A fast screen in floating point: the margin level to within rounding, or null when it cannot tell (no
   * quote). Only accounts near stop out (or unpriced) are then checked exactly with Decimal, so revaluing
   * thousands of accounts on every quote stays cheap.
   */
  private approxMarginLevel(account: AccountState, positions: readonly PositionState[]): number | null {
    if (!positions.length) return null;
    const f = approxFigures(account, positions, this.d.symbols, this.d.quote);
    return f && f.margin > 0 ? (f.equity / f.margin) * 100 : null;
  }

  /** Checks an account's margin level; queues a stop out when it is at or below the stop-out level. */
  checkStopOut(accountId: number): void {
    const account = this.d.book.peek(accountId);
    if (!account) return;
    const ctx = this.ctx(accountId);
    const positions = this.d.book.openPositions(accountId);
    const approx = this.approxMarginLevel(account, positions);
    // Far above stop out (5% of the level plus a point of margin for float error): nothing to do.
    if (approx !== null && approx > ctx.risk.stopOutLevel.toNumber() * 1.05 + 1) return;
    const f = accountFigures(account, this.d.book.openPositions(accountId), this.d.symbols, this.d.quote);
    if (riskState(f.marginLevel, ctx) !== 'STOP_OUT') return;
    const key = `STOPOUT:${accountId}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    void this.d.queue
      .submit(accountId, () => this.runStopOut(accountId))
      .catch((err: Error) => this.d.log.error('stop out failed', { accountId, error: err.message }))
      .finally(() => this.inFlight.delete(key));
  }

  private async runStopOut(accountId: number): Promise<void> {
    const account = await this.account(accountId);
    const positions = this.d.book.openPositions(accountId);
    const now = this.d.clock();
    const plan = planStopOut(account, positions, { ...this.ctx(accountId), now });
    if (!plan || !plan.closes.length) return;
    const at = new Date(now);
    const ws = emptyWriteSet();
    const orderIds = await this.d.ids.take('orders', plan.closes.length);
    const tradeIds = await this.d.ids.take('trades', plan.closes.length);
    const ledgerIds = plan.ledger.length ? await this.d.ids.take('ledger', plan.ledger.length) : [];
    const refs = new Map<string, bigint>();
    plan.closes.forEach((leg, i) => {
      const p = positions.find((x) => x.id === leg.positionId)!;
      refs.set(`close:${i}`, tradeIds[i]!);
      ws.orders.push({
        id: orderIds[i]!,
        accountId,
        symbol: p.symbol,
        type: 'MARKET',
        side: p.side === 'BUY' ? 'SELL' : 'BUY',
        volume: leg.volume.toString(),
        filledVolume: leg.volume.toString(),
        status: 'FILLED',
        filledPrice: leg.closePrice.toString(),
        filledAt: at,
        closesPositionId: p.id,
        comment: 'STOP_OUT',
        venue: 'BBOOK',
        createdAt: at,
      });
      this.closeRows(ws, account, leg, p.symbol, orderIds[i]!, tradeIds[i]!, at, 'STOP_OUT');
    });
    this.ledgerRows(ws, accountId, plan.ledger, refs, ledgerIds, at, 'STOP_OUT');
    ws.balances.push({ accountId, before: account.balance, after: plan.balanceAfter });
    ws.audit.push({
      action: 'risk.stop_out',
      entityType: 'account',
      entityId: String(accountId),
      details: {
        marginLevelBefore: plan.marginLevelBefore.toFixed(2),
        marginLevelAfter: plan.marginLevelAfter?.toFixed(2) ?? null,
        closed: plan.closes.map((c) => c.positionId.toString()),
        negativeBalanceProtection: plan.protection?.toString() ?? null,
      },
      createdAt: at,
    });
    await this.commit(accountId, ws);
    let after = [...positions];
    for (const c of plan.closes) after = positionsAfter(after, [c], null, '', now, -1n, accountId);
    this.applyPositions(accountId, after, plan.balanceAfter);
    this.d.log.warn('stop out', {
      accountId,
      closed: plan.closes.length,
      marginLevelBefore: plan.marginLevelBefore.toFixed(2),
      protection: plan.protection?.toString(),
    });
    plan.closes.forEach((c, i) => {
      const p = positions.find((x) => x.id === c.positionId)!;
      this.publishCloseFill(accountId, orderIds[i]!, p, c, now);
      this.d.publish.positionChanged(accountId, 'closed', p, { closePrice: c.closePrice, reason: 'STOP_OUT' });
    });
    this.d.publish.stopOut(
      accountId,
      plan.marginLevelBefore,
      plan.closes.map((c) => c.positionId),
    );
    this.d.publish.accountChanged(accountId);
  }

  // ───────────────────────────── swap rollover ─────────────────────────────

  /**
   * trading-rules.md, Swap: every position open across the rollover accrues its swap, three times on the
   * symbol's triple day. Once per trading day: the rollover_runs row is unique per day, and each position
   * remembers the last day it accrued, so a rerun after a crash finishes the day without charging twice.
   * The cut-off is the day's rollover moment (22:00 UTC), not when the run happens: a position opened at or
   * after it is not open across that day's rollover. A day whose moment has not come yet cannot run.
   */
  async rollover(
    tradingDay: string,
    actorId: number | null,
  ): Promise<{ tradingDay: string; positions: number; totalSwap: Decimal; resumed: boolean }> {
    if (!isTradingDay(tradingDay)) throw new EngineError('VALIDATION_ERROR', `${tradingDay} is not a date`);
    const cutoff = rolloverMoment(tradingDay);
    if (cutoff > this.d.clock())
      throw new EngineError('ROLLOVER_TOO_EARLY', `The rollover for ${tradingDay} happens at ${new Date(cutoff).toISOString()}; it cannot run before`);
    const day = new Date(`${tradingDay}T00:00:00.000Z`);
    const weekday = WEEKDAYS[day.getUTCDay()]!;
    const existing = await this.d.prisma.rolloverRun.findUnique({ where: { tradingDay: day } });
    if (existing?.finishedAt)
      throw new EngineError('ROLLOVER_DONE', `The rollover for ${tradingDay} already ran at ${existing.finishedAt.toISOString()}`);
    if (!existing) {
      try {
        await this.d.prisma.rolloverRun.create({ data: { tradingDay: day, triggeredBy: actorId } });
      } catch {
        throw new EngineError('ROLLOVER_DONE', `The rollover for ${tradingDay} is already running`);
      }
    }
    let count = 0;
    let total = new Decimal(0);
    const accountIds = [...this.d.book.accountIds()].filter((id) => this.d.book.openPositions(id).length);
    await Promise.all(
      accountIds.map((accountId) =>
        this.d.queue.submit(accountId, async () => {
          const positions = this.d.book.openPositions(accountId);
          const ws = emptyWriteSet();
          const accrued = new Map<bigint, Decimal>();
          for (const p of positions) {
            const spec = this.d.symbols(p.symbol);
            if (!spec || p.openTime >= cutoff) continue;
            const amount = swapAccrual(p, spec, weekday);
            if (amount.isZero()) continue;
            accrued.set(p.id, amount);
            ws.positionUpdates.push({ id: p.id, data: { swap: { increment: amount.toString() }, lastSwapDay: day } });
          }
          if (!accrued.size) return;
          // Positions that already accrued this day (a resumed run) are skipped by the database too.
          const already = await this.d.prisma.position.findMany({
            where: { id: { in: [...accrued.keys()] }, lastSwapDay: { gte: day } },
            select: { id: true },
          });
          for (const a of already) accrued.delete(a.id);
          ws.positionUpdates = ws.positionUpdates.filter((u) => accrued.has(u.id));
          if (!ws.positionUpdates.length) return;
          await this.commit(accountId, ws);
          const next = this.d.book
            .openPositions(accountId)
            .map((p) => (accrued.has(p.id) ? { ...p, swap: p.swap.plus(accrued.get(p.id)!) } : p));
          this.d.book.setPositions(accountId, next);
          count += accrued.size;
          for (const a of accrued.values()) total = total.plus(a);
          this.d.publish.accountChanged(accountId);
        }),
      ),
    );
    await this.d.prisma.rolloverRun.update({
      where: { tradingDay: day },
      data: { finishedAt: new Date(this.d.clock()), positions: { increment: count }, totalSwap: { increment: total.toString() } },
    });
    this.d.log.info('rollover', { tradingDay, positions: count, totalSwap: total.toString() });
    return { tradingDay, positions: count, totalSwap: total, resumed: !!existing };
  }

  // ───────────────────────────── money ─────────────────────────────

  async balanceOperation(
    accountId: number,
    op: {
      type: 'DEPOSIT' | 'WITHDRAWAL' | 'ADJUSTMENT' | 'BONUS';
      amount: Decimal;
      method?: string;
      /** The payment's reference: shown to the client. */
      reference?: string;
      /** Shown to the client next to the reference (a reason given to them). */
      clientNote?: string;
      /** Staff only: never in the client's ledger or statement. */
      internalNote?: string;
      /** What the entry books (a withdrawal request, a reversed entry): referenceType and id. */
      ref?: { type: string; id: bigint };
      /** The entry this one reverses (unique: an entry is reversed once). */
      reversalOfId?: bigint;
      /** A fact checked inside the account's queue, before anything is written (throws to refuse). */
      check?: () => Promise<void> | void;
      actorId: number;
      actorRole: string;
      audit?: { action?: string; details?: Record<string, unknown>; ip?: string | null };
    },
  ) {
    return this.d.queue.submit(accountId, async () => {
      const account = await this.account(accountId);
      if (account.status === 'CLOSED') throw new EngineError('ACCOUNT_INACTIVE', 'Account is closed');
      await op.check?.();
      if (op.amount.lt(0)) {
        // trading-rules.md, Ledger: withdrawals never take the balance below 0 nor free margin below 0.
        const f = accountFigures(account, this.d.book.openPositions(accountId), this.d.symbols, this.d.quote);
        if (account.balance.plus(op.amount).lt(0) || f.freeMargin.plus(op.amount).lt(0)) {
          throw new EngineError('INSUFFICIENT_FUNDS', `Balance ${account.balance.toFixed(2)}, free margin ${f.freeMargin.toFixed(2)}`);
        }
      }
      const now = this.d.clock();
      const at = new Date(now);
      const [ledgerId] = await this.d.ids.take('ledger', 1);
      const after = account.balance.plus(op.amount);
      const ws = emptyWriteSet();
      const row = {
        id: ledgerId!,
        accountId,
        type: op.type,
        amount: op.amount.toString(),
        balanceBefore: account.balance.toString(),
        balanceAfter: after.toString(),
        referenceType: op.ref?.type ?? (op.reference ? 'EXTERNAL' : null),
        referenceId: op.ref?.id ?? null,
        method: op.method ?? null,
        note: [op.reference ? `ref ${op.reference}` : null, op.clientNote].filter(Boolean).join(' · ') || null,
        internalNote: op.internalNote || null,
        reversalOfId: op.reversalOfId ?? null,
        createdById: op.actorId,
        createdAt: at,
      };
      ws.ledger.push(row);
      ws.balances.push({ accountId, before: account.balance, after });
      ws.audit.push({
        actorId: op.actorId,
        actorRole: op.actorRole,
        action: op.audit?.action ?? `finance.${op.type.toLowerCase()}`,
        entityType: 'account',
        entityId: String(accountId),
        details: {
          amount: op.amount.toString(),
          method: op.method ?? null,
          reference: op.reference ?? null,
          ledgerId: ledgerId!.toString(),
          before: { balance: account.balance.toString() },
          after: { balance: after.toString() },
          ...(op.internalNote ? { internalNote: op.internalNote } : {}),
          ...(op.reversalOfId ? { reversalOf: op.reversalOfId.toString() } : {}),
          ...(op.ref ? { referenceType: op.ref.type, referenceId: op.ref.id.toString() } : {}),
          ...op.audit?.details,
        },
        ip: op.audit?.ip ?? null,
        createdAt: at,
      });
      await this.commit(accountId, ws);
      this.d.book.setBalance(accountId, after);
      this.d.publish.accountChanged(accountId);
      return { ...row, amount: op.amount, balanceBefore: account.balance, balanceAfter: after };
    });
  }
}

/**
 * A retried request carries the same idempotency key and the same order; a key reused for a different order
 * is the client's mistake, answered as such instead of with the other order's result.
 */
function sameRequest(
  stored: { type: string; symbol: string; side: string; volume: { toString(): string } },
  req: { type: string; symbol: string; side: string; volume: Decimal },
): void {
  const differs = stored.type !== req.type || stored.symbol !== req.symbol || stored.side !== req.side || !req.volume.eq(stored.volume.toString());
  if (differs)
    throw new EngineError('IDEMPOTENCY_KEY_REUSED', `This key was used for ${stored.type} ${stored.side} ${stored.volume.toString()} ${stored.symbol}`);
}
