// The dealing desk: every command that changes an account. Each runs on the account's command queue (one
// writer per account), asks the pure domain for a plan, turns the plan into a write set, hands it to the
// group committer, and only after the commit updates memory, the trigger index and publishes events.
//
// This class is the desk's surface; each area lives in its own file, so an order's path reads from the names:
//   orders/market.ts      a market order: idempotent replay, then validate and fill
//   orders/validate.ts    the pre-trade checks, and a rejected order recorded
//   orders/idempotency.ts a retried key is the same order
//   fill.ts               an order filled and booked (the deal's write set, commit, memory, events)
//   close.ts              closing one position (trader, SL/TP) and close all
//   abook-close.ts        a close of a position whose volume sits with an LP (A-Book, C-Book hedge)
//   position-stops.ts     a position's SL/TP/trailing changed
//   pending.ts            pending orders placed, modified, cancelled, expired
//   triggers.ts           what a quote sets off: pending orders, SL/TP, trailing stops
//   stop-out.ts           the stop-out screen and the stop out itself
//   rollover.ts           the daily swap
//   money.ts              deposits, withdrawals, adjustments, bonuses
//   desk-core.ts          the shared state: account load, commit, idempotency keys, daily volume, indexing
//   deal-rows.ts          the ledger and close rows every deal books
//   audit-rows.ts         the audit rows of orders and closes (in the same write set as the order)
import type { Decimal } from 'decimal.js';
import type { MarketOrderRequest, PendingOrderRequest, PendingOrderState, PositionState, Quote, Trailing } from '../domain/index.ts';
import type { AuditActor } from './audit-rows.ts';
import { closeAll, closePosition } from './close.ts';
import { DeskCore, type CloseResult, type DeskDeps, type FillResult } from './desk-core.ts';
import { balanceOperation, creditOperation } from './money.ts';
import { marketOrder } from './orders/market.ts';
import { completeABookOrder, type LpFinalOutcome } from './abook.ts';
import { cancelPending, expireDue, modifyPending, placePending } from './pending.ts';
import { modifyPosition } from './position-stops.ts';
import { rollover } from './rollover.ts';
import { checkStopOut } from './stop-out.ts';
import type { TriggerEntry } from './trigger-index.ts';
import { onTriggered, trail } from './triggers.ts';

export type { CloseReason, CloseResult, DeskDeps, DeskPublisher, FillResult } from './desk-core.ts';

export class Desk {
  private readonly core: DeskCore;

  constructor(private readonly d: DeskDeps) {
    this.core = new DeskCore(d);
  }

  // ───────────────────────────── orders ─────────────────────────────

  marketOrder(accountId: number, req: MarketOrderRequest, opts: { idempotencyKey?: string; comment?: string; by?: AuditActor } = {}): Promise<FillResult> {
    return marketOrder(this.core, accountId, req, opts);
  }

  /** An A-Book order still PENDING after a restart, completed from what the LP did (abook.ts). */
  completeABookOrder(orderId: bigint, lp: { id: number; name: string }, out: LpFinalOutcome): Promise<'BOOKED' | 'ENDED' | 'UNBOOKED' | 'NOT_PENDING'> {
    if (!this.d.routing) return Promise.resolve('NOT_PENDING');
    return completeABookOrder(this.core, this.d.routing, orderId, lp, out);
  }

  placePending(
    accountId: number,
    req: PendingOrderRequest,
    opts: { idempotencyKey?: string; comment?: string; by?: AuditActor } = {},
  ): Promise<{ order: PendingOrderState; replayed: boolean }> {
    return placePending(this.core, accountId, req, opts);
  }

  modifyPending(
    accountId: number,
    orderId: bigint,
    change: { price?: Decimal; stopPrice?: Decimal | null; sl?: Decimal | null; tp?: Decimal | null; expiresAt?: number | null },
    by?: AuditActor,
  ): Promise<PendingOrderState> {
    return modifyPending(this.core, accountId, orderId, change, by);
  }

  cancelPending(accountId: number, orderId: bigint, by?: AuditActor): Promise<PendingOrderState> {
    return cancelPending(this.core, accountId, orderId, by);
  }

  // ───────────────────────────── positions ─────────────────────────────

  /** A close by the trader, or by a dealer (`by.reason` ADMIN, with its audit row in the same commit). */
  closePosition(accountId: number, positionId: bigint, volume?: Decimal, by?: Parameters<typeof closePosition>[4]): Promise<CloseResult> {
    return closePosition(this.core, accountId, positionId, volume, by);
  }

  /** Closes every open position (optionally of one symbol), one transaction, largest loss first. */
  closeAll(accountId: number, symbol?: string, by?: AuditActor): Promise<{ closed: CloseResult[]; failed: { positionId: bigint; code: string; message: string }[] }> {
    return closeAll(this.core, accountId, symbol, by);
  }

  modifyPosition(
    accountId: number,
    positionId: bigint,
    change: { sl?: Decimal | null; tp?: Decimal | null; trailing?: Trailing | null },
    by?: AuditActor,
  ): Promise<PositionState> {
    return modifyPosition(this.core, accountId, positionId, change, by);
  }

  // ───────────────────────────── quotes and time ─────────────────────────────

  /** Queues the commands a quote triggered. Each re-checks against the state it finds when it runs. */
  onTriggered(entries: TriggerEntry[]): void {
    onTriggered(this.core, entries);
  }

  /** Trailing stops of one symbol's positions follow the quote (only ever tightening). */
  trail(symbol: string, quote: Quote): void {
    trail(this.core, symbol, quote);
  }

  /** GTD orders whose time has come. */
  expireDue(): void {
    expireDue(this.core);
  }

  /** Checks an account's margin level; queues a stop out when it is at or below the stop-out level. */
  checkStopOut(accountId: number): void {
    checkStopOut(this.core, accountId);
  }

  rollover(tradingDay: string, actorId: number | null): Promise<{ tradingDay: string; positions: number; totalSwap: Decimal; resumed: boolean }> {
    return rollover(this.core, tradingDay, actorId);
  }

  // ───────────────────────────── money ─────────────────────────────

  balanceOperation(accountId: number, op: Parameters<typeof balanceOperation>[2]): ReturnType<typeof balanceOperation> {
    return balanceOperation(this.core, accountId, op);
  }

  creditOperation(accountId: number, op: Parameters<typeof creditOperation>[2]): ReturnType<typeof creditOperation> {
    return creditOperation(this.core, accountId, op);
  }

  // ───────────────────────────── memory ─────────────────────────────

  reload(accountId: number): Promise<void> {
    return this.core.reload(accountId);
  }

  indexAccount(accountId: number): void {
    this.core.indexAccount(accountId);
  }

  indexAll(): void {
    this.core.indexAll();
  }
}
