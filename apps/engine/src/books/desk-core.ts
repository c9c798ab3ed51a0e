// What every area of the dealing desk shares: its dependencies, the state it keeps beside the account book
// (idempotency keys, daily volume, commands already queued, trailing stops), loading an account, committing
// a write set, and keeping the trigger index in step with memory. The areas (orders/, fill.ts, close.ts,
// pending.ts, triggers.ts, stop-out.ts, rollover.ts, money.ts) are plain functions over one DeskCore.
import { Decimal } from 'decimal.js';
import type { RoutingDecision, RoutingOrder } from '../domain/routing.ts';
import type { LpOrderRequest, LpOutcome } from '../execution/lp-gateway.ts';
import { EngineError } from '@broker/api/errors';
import type { PrismaClient } from '@broker/db';
import {
  triggerDirection,
  watchPrice,
  type AccountState,
  type CloseLeg,
  type PendingOrderState,
  type PositionState,
  type Quote,
  type Reject,
  type RiskLimits,
  type Side,
  type SymbolSpec,
  type TradingContext,
} from '../domain/index.ts';
import type { Logger } from '../logger.ts';
import type { AccountBook } from './account-book.ts';
import type { CommandQueue } from './command-queue.ts';
import type { GroupCommitter } from './group-commit.ts';
import type { IdAllocator } from './id-allocator.ts';
import { orderKey, slKey, tpKey, type TriggerIndex } from './trigger-index.ts';
import type { WriteSet } from './write-set.ts';

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
  /** The order router and the LP side (execution/): absent, every order fills on the B-Book. */
  routing?: DeskRouting;
}

/** What the desk needs of the router (execution/router.ts) and the LP gateway (execution/lp-gateway.ts). */
export interface DeskRouting {
  decide(order: RoutingOrder): Promise<RoutingDecision>;
  execution(): { slippageControl: boolean; maxSlippagePips: Decimal; timeoutMs: number };
  /** Percent of a C-Book order's volume hedged with an LP (execution_config). */
  hedgeShare(): Decimal;
  send(req: LpOrderRequest, opts?: { recorded?: boolean }): Promise<LpOutcome>;
  /** Why the LP cannot take an order now, or null. */
  unavailable(lpName: string): string | null;
  /** The LP order's row for the caller's write set (in flight from now on); release() it if the write fails. */
  prepare(req: LpOrderRequest): WriteSet['lpOrders'][number];
  release(clOrdId: string): void;
  /** A fill the LP made that the client's books could not take (a margin or stops check at the LP's price). */
  unbooked(e: { orderId: bigint; accountId: number; code: string; message: string; volume: Decimal; price: Decimal; lp: string; clOrdId?: string }): void;
  /** A client's close whose volume at an LP could not be (fully) offset there: it stays the house's coverage. */
  coverageLeft(e: { accountId: number; orderId: bigint; positionId: bigint; lp: string; volume: Decimal; reason: string }): void;
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

export const DAY_MS = 86_400_000;

export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505' || (err as { code?: string }).code === 'P2002';
}

export function fail(r: Reject): never {
  throw new EngineError(r.code, r.message);
}

export const str = (d: Decimal | null | undefined) => (d === null || d === undefined ? null : d.toString());

export class DeskCore {
  /** Idempotency keys already used, per account (loaded lazily for the last day, then kept up to date). */
  readonly keys = new Map<number, Map<string, bigint>>();
  /** Lots opened per account in the current UTC day. */
  readonly daily = new Map<number, { day: number; volume: Decimal }>();
  /** Accounts with a stop out or trigger command already queued. */
  readonly inFlight = new Set<string>();
  /** Positions with a trailing stop, by symbol (a quote walks only these). */
  readonly trailingBySymbol = new Map<string, Map<bigint, number>>();
  readonly trailingSymbolOf = new Map<bigint, string>();
  /** The position object last indexed, for the integer trailing screen (every SL/trailing change re-indexes). */
  readonly trailingPos = new Map<bigint, PositionState>();
  /** The last LP close of each position in flight (books/abook-close.ts runs them one after another). */
  readonly lpCloses = new Map<bigint, Promise<unknown>>();

  constructor(readonly d: DeskDeps) {}

  // ───────────────────────────── accounts ─────────────────────────────

  ctx(accountId: number): TradingContext {
    return { symbols: this.d.symbols, quotes: this.d.quote, risk: this.d.risk(accountId), now: this.d.clock() };
  }

  async account(accountId: number): Promise<AccountState> {
    const a = await this.d.book.get(accountId);
    if (!a) throw new EngineError('ACCOUNT_NOT_FOUND');
    return a;
  }

  async dailyVolume(accountId: number, now: number): Promise<Decimal> {
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

  addDaily(accountId: number, now: number, lots: Decimal) {
    const day = Math.floor(now / DAY_MS);
    const known = this.daily.get(accountId);
    this.daily.set(accountId, { day, volume: (known && known.day === day ? known.volume : new Decimal(0)).plus(lots) });
  }

  // ───────────────────────────── idempotency keys ─────────────────────────────

  async usedKeys(accountId: number): Promise<Map<string, bigint>> {
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
   * database's unique index when the new order is written (see `keyFromDb`), so the hot path never
   * pays a lookup.
   */
  async findKey(accountId: number, key: string): Promise<bigint | null> {
    return (await this.usedKeys(accountId)).get(key) ?? null;
  }

  /** After a unique violation on (account, idempotency key): the stored order, to replay. */
  async keyFromDb(accountId: number, key: string): Promise<bigint | null> {
    const row = await this.d.prisma.order.findUnique({
      where: { accountId_idempotencyKey: { accountId, idempotencyKey: key } },
      select: { id: true },
    });
    if (row) (await this.usedKeys(accountId)).set(key, row.id);
    return row?.id ?? null;
  }

  // ───────────────────────────── commit ─────────────────────────────

  /** Commits a write set; on failure the account's cached state is reloaded so memory never runs ahead. */
  async commit(accountId: number | number[], ws: WriteSet): Promise<void> {
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

  indexOrder(o: PendingOrderState): void {
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

  indexPosition(p: PositionState): void {
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

  unindexPosition(id: bigint): void {
    this.d.index.remove(slKey(id));
    this.d.index.remove(tpKey(id));
    this.untrail(id);
  }

  untrail(id: bigint): void {
    const symbol = this.trailingSymbolOf.get(id);
    if (symbol === undefined) return;
    this.trailingSymbolOf.delete(id);
    this.trailingPos.delete(id);
    this.trailingBySymbol.get(symbol)?.delete(id);
  }

  /** Applies closes/opens to memory after commit: positions, balance, index. */
  applyPositions(accountId: number, after: PositionState[], balance: Decimal) {
    const before = new Set(this.d.book.openPositions(accountId).map((p) => p.id));
    const now = new Set(after.map((p) => p.id));
    for (const id of before) if (!now.has(id)) this.unindexPosition(id);
    this.d.book.setPositions(accountId, after);
    this.d.book.setBalance(accountId, balance);
    for (const p of after) this.indexPosition(p);
  }

  /** order_filled for the order that closed (part of) a position: every close, whatever its reason. */
  publishCloseFill(accountId: number, orderId: bigint, position: PositionState, leg: CloseLeg, now: number): void {
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
}
