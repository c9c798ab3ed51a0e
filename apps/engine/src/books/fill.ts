// Where an order is filled and booked: a deal plan (domain/market-order.ts) becomes one write set (the
// order, the position opened, added to or reduced, the trades and the ledger), is committed, and only then
// moves memory, the trigger index and the events. A market order and a triggered pending order both end here.
import type { Decimal } from 'decimal.js';
import { positionsAfter, type AccountState, type DealPlan, type PositionState, type Trailing } from '../domain/index.ts';
import { offsetCoverage } from './abook-close.ts';
import { auditRow, txt, type AuditActor } from './audit-rows.ts';
import { closeRows, ledgerRows } from './deal-rows.ts';
import { str, type DeskCore, type FillResult } from './desk-core.ts';
import { emptyWriteSet, type WriteSet } from './write-set.ts';

/** Where the order was executed and why (execution/router.ts): stored on the order, the position and the trade. */
export interface OrderRoute {
  venue: 'BBOOK' | 'ABOOK' | 'CBOOK';
  rule: string;
  reason: string;
  figures: Record<string, unknown>;
  lpId: number | null;
  /** The LP's OrderID of the fill (A-Book). */
  lpOrderId?: string | null;
}

/** The order a deal books: a new market order's fields, or the pending order that filled. */
export interface DealOrder {
  /** A pending (or A-Book) order that filled: updated, not inserted. */
  existingOrderId?: bigint;
  idempotencyKey?: string;
  comment?: string;
  sl?: Decimal | null;
  tp?: Decimal | null;
  trailing?: Trailing | null;
  route?: OrderRoute;
  /** The volume asked for, when the fill is less (an A-Book IOC remainder): PARTIALLY_FILLED. */
  requestedVolume?: Decimal;
  /** A new order placed by this actor: its `order.place` audit row goes into the deal's write set. */
  placedBy?: AuditActor;
}

/** The router's decision as the order row's columns. */
export function routeColumns(route: OrderRoute | undefined) {
  if (!route) return {};
  return { routeRule: route.rule, routeReason: route.reason.slice(0, 500), routeFigures: route.figures as object, routeLpId: route.lpId };
}

/**
 * A filled deal as rows. `existingOrderId`: a pending order that filled (updated, not inserted).
 * Returns the ids it used so memory can follow.
 */
async function dealWriteSet(
  core: DeskCore,
  account: AccountState,
  plan: DealPlan,
  now: number,
  order: DealOrder,
): Promise<{ ws: WriteSet; orderId: bigint; positionId: bigint | null }> {
  const venue = order.route?.venue ?? 'BBOOK';
  const at = new Date(now);
  const ws = emptyWriteSet();
  const [orderId] = order.existingOrderId ? [order.existingOrderId] : await core.d.ids.take('orders', 1);
  const newPosition = plan.open && !plan.open.mergeInto;
  const positionId = plan.open ? (plan.open.mergeInto ? plan.open.mergeInto.id : (await core.d.ids.take('positions', 1))[0]!) : null;
  const tradeIds = await core.d.ids.take('trades', plan.closes.length + (plan.open ? 1 : 0));
  const ledgerIds = plan.ledger.length ? await core.d.ids.take('ledger', plan.ledger.length) : [];
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
      venue,
      lpOrderId: order.route?.lpOrderId ?? undefined,
    });
  }
  const filled = {
    status: order.requestedVolume && plan.volume.lt(order.requestedVolume) ? ('PARTIALLY_FILLED' as const) : ('FILLED' as const),
    filledVolume: plan.volume.toString(),
    filledPrice: plan.price.toString(),
    filledAt: at,
    positionId,
    closesPositionId: plan.open ? null : (plan.closes[0]?.positionId ?? null),
    venue,
    ...(order.route?.lpOrderId ? { lpOrderId: order.route.lpOrderId } : {}),
  };
  if (order.existingOrderId) {
    ws.orderUpdates.push({ id: orderId!, data: { ...filled, ...routeColumns(order.route) } });
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
      ...routeColumns(order.route),
      ...filled,
    });
  }
  if (order.placedBy && !order.existingOrderId)
    ws.audit.push(
      auditRow(order.placedBy, 'order.place', 'order', orderId!, {
        accountId: account.id,
        type: 'MARKET',
        symbol: plan.symbol,
        side: plan.side,
        volume: plan.volume.toString(),
        sl: txt(order.sl),
        tp: txt(order.tp),
        after: { status: filled.status, price: plan.price.toString(), positionId: positionId?.toString() ?? null, venue },
      }, at),
    );
  plan.closes.forEach((leg, i) => {
    refs.set(`close:${i}`, tradeIds[i]!);
    closeRows(ws, account, leg, plan.symbol, orderId!, tradeIds[i]!, at, 'NETTING');
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
      venue,
      executedAt: at,
    });
  }
  ledgerRows(ws, account.id, plan.ledger, refs, ledgerIds, at);
  if (!plan.balanceAfter.eq(account.balance))
    ws.balances.push({ accountId: account.id, before: account.balance, after: plan.balanceAfter });
  return { ws, orderId: orderId!, positionId };
}

/** Fills and books a deal plan: write, then memory, then events. */
export async function fillDeal(
  core: DeskCore,
  account: AccountState,
  positions: readonly PositionState[],
  plan: DealPlan,
  now: number,
  order: DealOrder,
): Promise<FillResult> {
  const { ws, orderId, positionId } = await dealWriteSet(core, account, plan, now, order);
  await core.commit(account.id, ws);
  const after = positionsAfter(positions, plan.closes, plan.open, plan.symbol, now, positionId ?? -1n, account.id);
  if (order.route && order.route.venue !== 'BBOOK' && positionId !== null && !plan.open?.mergeInto) {
    const opened = after.find((p) => p.id === positionId);
    if (opened) opened.venue = order.route.venue;
  }
  core.applyPositions(account.id, after, plan.balanceAfter);
  // A netting order that reduces a position fills where it is; what that position had at an LP is offset after.
  const routing = core.d.routing;
  if (routing) for (const c of plan.closes) offsetCoverage(core, routing, positions.find((p) => p.id === c.positionId)!, orderId, c);
  if (plan.open) core.addDaily(account.id, now, plan.open.volume);
  if (order.idempotencyKey) (await core.usedKeys(account.id)).set(order.idempotencyKey, orderId);
  const pub = core.d.publish;
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
  // The position the order leaves: the one it opened or added to, or (a netting reduction) what remains of
  // the one it reduced; null only when it closed the position in full.
  const leftId = positionId ?? (plan.closes[0]?.remaining ? plan.closes[0].positionId : null);
  const position = leftId !== null ? (after.find((p) => p.id === leftId) ?? null) : null;
  if (position && positionId !== null) pub.positionChanged(account.id, plan.open?.mergeInto ? 'modified' : 'opened', position);
  pub.accountChanged(account.id);
  return { orderId, position, price: plan.price, replayed: false };
}

