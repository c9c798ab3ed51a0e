// What a quote sets off: pending orders that trigger (validated as market orders, then filled), SL/TP that
// close a position, and trailing stops that follow the price. Each runs on the account's queue and re-checks
// against the state it finds when it runs.
import {
  pendingTrigger,
  isExpired,
  stopHit,
  trailedStop,
  type MarketOrderRequest,
  type Quote,
} from '../domain/index.ts';
import { PointsQuote, trailMayMove } from '../domain/points.ts';
import { auditRow, SYSTEM } from './audit-rows.ts';
import { closeOne } from './close.ts';
import type { DeskCore } from './desk-core.ts';
import { fillDeal } from './fill.ts';
import { validateMarketOrder } from './orders/validate.ts';
import { endPending } from './pending.ts';
import { persistPositionStops } from './position-stops.ts';
import { checkStopOut } from './stop-out.ts';
import type { TriggerEntry } from './trigger-index.ts';
import { emptyWriteSet } from './write-set.ts';

/**
 * Queues the commands a quote triggered. Each re-checks against the state it finds when it runs. An account's
 * commands run one at a time in the order they are queued, so the queueing order is the order of effect:
 * trading-rules.md, at one quote closes come first — SL/TP of open positions, then a stop out the quote
 * brings, and only then the pending orders it triggers, in the order they were placed (a close frees margin
 * before a fill needs it).
 */
export function onTriggered(core: DeskCore, entries: TriggerEntry[]): void {
  let orders: TriggerEntry[] | null = null;
  for (const e of entries) {
    if (e.kind === 'ORDER') (orders ??= []).push(e);
    else queueTrigger(core, e);
  }
  if (!orders) return;
  if (orders.length === 1) {
    checkStopOut(core, orders[0]!.accountId);
    queueTrigger(core, orders[0]!);
    return;
  }
  const placed = new Map<bigint, number>();
  for (const e of orders) placed.set(e.id, core.d.book.pendingOrder(e.accountId, e.id)?.createdAt ?? 0);
  orders.sort((a, b) => placed.get(a.id)! - placed.get(b.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const checked = new Set<number>();
  for (const e of orders) {
    if (!checked.has(e.accountId)) {
      checked.add(e.accountId);
      checkStopOut(core, e.accountId);
    }
    queueTrigger(core, e);
  }
}

function queueTrigger(core: DeskCore, e: TriggerEntry): void {
  const key = `${e.kind}:${e.id}`;
  if (core.inFlight.has(key)) return;
  core.inFlight.add(key);
  void core.d.queue
    .submit(e.accountId, () => (e.kind === 'ORDER' ? runPendingTrigger(core, e) : runStopTrigger(core, e)))
    .catch((err: Error) => core.d.log.warn('trigger failed', { accountId: e.accountId, kind: e.kind, id: e.id, error: err.message }))
    .finally(() => core.inFlight.delete(key));
}

async function runPendingTrigger(core: DeskCore, e: TriggerEntry): Promise<void> {
  let order = core.d.book.pendingOrder(e.accountId, e.id);
  if (!order) return;
  const now = core.d.clock();
  if (isExpired(order, now)) return endPending(core, e.accountId, order, 'EXPIRED');
  const quote = core.d.quote(order.symbol);
  let action = quote ? pendingTrigger(order, quote) : null;
  if (!action) {
    core.indexOrder(order); // the market moved back before we ran: keep waiting
    return;
  }
  if (action === 'BECOME_LIMIT') {
    // trading-rules.md: a triggered STOP-LIMIT becomes a LIMIT at its limit price.
    const ws = emptyWriteSet();
    ws.orderUpdates.push({ id: order.id, data: { type: 'LIMIT' } });
    await core.commit(e.accountId, ws);
    order = { ...order, type: 'LIMIT', stopPrice: null };
    core.d.book.putPending(order);
    core.d.publish.orderChanged(e.accountId, 'triggered', order);
    action = pendingTrigger(order, quote!);
    if (!action) {
      core.indexOrder(order);
      return;
    }
  }
  // A triggered order goes through the same pre-trade checks as a market order (trading-rules.md).
  const account = await core.account(e.accountId);
  const positions = core.d.book.openPositions(e.accountId);
  const req: MarketOrderRequest = {
    symbol: order.symbol,
    side: order.side,
    volume: order.volume,
    sl: order.sl,
    tp: order.tp,
    trailing: order.trailing,
  };
  const plan = validateMarketOrder(core, account, positions, req, now, await core.dailyVolume(e.accountId, now));
  if (!plan.ok) {
    await endPending(core, e.accountId, order, 'REJECTED', plan);
    return;
  }
  await fillDeal(core, account, positions, plan, now, { existingOrderId: order.id });
  core.d.book.removePending(e.accountId, order.id);
  core.d.publish.orderChanged(e.accountId, 'filled', order);
}

async function runStopTrigger(core: DeskCore, e: TriggerEntry): Promise<void> {
  const position = core.d.book.openPositions(e.accountId).find((p) => p.id === e.id);
  if (!position) return;
  const quote = core.d.quote(position.symbol);
  const hit = quote ? stopHit(position, quote) : null;
  if (!hit) {
    core.indexPosition(position);
    return;
  }
  const account = await core.account(e.accountId);
  try {
    await closeOne(core, account, position, undefined, hit, auditRow(SYSTEM, 'position.close', 'position', position.id, { accountId: e.accountId }, new Date(core.d.clock())));
  } catch (err) {
    // The market may be closed or unpriced: keep the stop armed for the next quote.
    core.indexPosition(position);
    throw err;
  }
}

/** Trailing stops of one symbol's positions follow the quote (only ever tightening). */
export function trail(core: DeskCore, symbol: string, quote: Quote): void {
  const spec = core.d.symbols(symbol);
  if (!spec) return;
  const trailing = core.trailingBySymbol.get(symbol);
  if (!trailing?.size) return;
  const pq = quote instanceof PointsQuote ? quote : null;
  for (const [positionId, accountId] of trailing) {
    {
      // Integer screen first (domain/points.ts): most quotes move no trail, and then no Decimal is needed.
      const known = pq && core.trailingPos.get(positionId);
      if (known && !trailMayMove(known, spec, pq.bidPts, pq.askPts, pq.digits)) continue;
      const p = core.d.book.openPositions(accountId).find((x) => x.id === positionId);
      if (!p || !p.trailing) continue;
      const sl = trailedStop(p, quote, spec);
      if (!sl) continue;
      const key = `TRAIL:${p.id}`;
      if (core.inFlight.has(key)) continue;
      core.inFlight.add(key);
      void core.d.queue
        .submit(accountId, async () => {
          const current = core.d.book.openPositions(accountId).find((x) => x.id === p.id);
          if (!current) return;
          const q = core.d.quote(symbol);
          const next = q ? trailedStop(current, q, spec) : null;
          if (next) await persistPositionStops(core, accountId, { ...current, sl: next });
        })
        .catch((err: Error) => core.d.log.warn('trailing stop update failed', { accountId, positionId: p.id, error: err.message }))
        .finally(() => core.inFlight.delete(key));
    }
  }
}

