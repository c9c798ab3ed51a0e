// Where an order goes to an LP (A-Book) and where a C-Book hedge is sent. An A-Book order is recorded first
// (the order PENDING with its routing decision, then the LP order SENT, both before anything leaves), sent as
// an IOC order — a limit at the LP's price plus the allowed slippage when slippage control is on, so a price
// beyond it is not filled and never requoted — and booked at the LP's average fill price plus the symbol's
// markup, for the volume the LP filled. An LP reject rejects the order with the LP's reason; no answer in time
// expires it; an LP that went down before the order left sends it to the B-Book (LP_DOWN_FALLBACK).
import type { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { planMarketOrder, type AccountState, type DealPlan, type MarketOrderRequest, type PositionState } from '../domain/index.ts';
import type { RoutingDecision } from '../domain/routing.ts';
import { str, type DeskCore, type DeskRouting, type FillResult } from './desk-core.ts';
import { fillDeal, routeColumns, type OrderRoute } from './fill.ts';
import { auditRow, SYSTEM, txt, type AuditActor } from './audit-rows.ts';
import { emptyWriteSet } from './write-set.ts';

export function orderRoute(d: RoutingDecision): OrderRoute {
  return { venue: d.venue, rule: d.rule, reason: d.reason, figures: d.figures, lpId: d.lp?.id ?? null };
}

async function endOrder(core: DeskCore, accountId: number, orderId: bigint, status: 'REJECTED' | 'EXPIRED', code: string, message: string): Promise<never> {
  const ws = emptyWriteSet();
  ws.orderUpdates.push({ id: orderId, data: { status, rejectCode: code, rejectReason: message.slice(0, 255) } });
  await core.commit(accountId, ws);
  throw new EngineError(code as 'LP_REJECTED', message);
}

export async function aBookOrder(
  core: DeskCore,
  routing: DeskRouting,
  account: AccountState,
  positions: readonly PositionState[],
  req: MarketOrderRequest,
  plan: DealPlan,
  decision: RoutingDecision,
  opts: { idempotencyKey?: string; comment?: string; by?: AuditActor },
  now: number,
): Promise<FillResult> {
  const spec = core.d.symbols(req.symbol)!;
  const quote = core.d.quote(req.symbol)!;
  const lp = decision.lp!;
  const exec = routing.execution();
  // The platform quote is the LP's widened by the markup, half on each side.
  const half = spec.markupPips.times(spec.pipSize).div(2);
  const lpBid = quote.bid.plus(half);
  const lpAsk = quote.ask.minus(half);
  const slip = exec.maxSlippagePips.times(spec.pipSize);
  const limit = exec.slippageControl ? (req.side === 'BUY' ? lpAsk.plus(slip) : lpBid.minus(slip)) : null;
  const volume = plan.open!.volume;

  const [orderId] = await core.d.ids.take('orders', 1);
  const route = orderRoute(decision);
  const ws = emptyWriteSet();
  ws.orders.push({
    id: orderId!,
    accountId: account.id,
    symbol: req.symbol,
    type: 'MARKET',
    side: req.side,
    volume: req.volume.toString(),
    sl: str(req.sl),
    tp: str(req.tp),
    trailingPips: str(req.trailing?.distancePips),
    trailingStepPips: str(req.trailing?.stepPips),
    idempotencyKey: opts.idempotencyKey ?? null,
    comment: opts.comment ?? null,
    status: 'PENDING',
    venue: 'ABOOK',
    createdAt: new Date(now),
    ...routeColumns(route),
  });
  // Placed now (sent to the LP next): its fill or reject is the order row's later status.
  ws.audit.push(
    auditRow(opts.by ?? SYSTEM, 'order.place', 'order', orderId!, {
      accountId: account.id,
      type: 'MARKET',
      symbol: req.symbol,
      side: req.side,
      volume: req.volume.toString(),
      sl: txt(req.sl),
      tp: txt(req.tp),
      after: { status: 'PENDING', venue: 'ABOOK', lp: lp.name },
    }, new Date(now)),
  );
  await core.commit(account.id, ws);
  if (opts.idempotencyKey) (await core.usedKeys(account.id)).set(opts.idempotencyKey, orderId!);

  const out = await routing.send({
    orderId: orderId!,
    kind: 'CLIENT',
    lp,
    clOrdId: `A${orderId}`,
    symbol: req.symbol,
    side: req.side,
    volume,
    limitPrice: limit,
    quote: { bid: lpBid, ask: lpAsk },
    timeoutMs: exec.timeoutMs,
  });
  const later = core.d.clock();

  if (!out.sent) {
    // Nothing left: the B-Book takes it, and the order says why.
    const fallback: OrderRoute = { venue: 'BBOOK', rule: 'LP_DOWN_FALLBACK', reason: `${lp.name} could not take the order (${out.reason ?? 'down'}): filled on the B-Book`, figures: { ...decision.figures, lp: lp.name, lpAnswer: out.reason ?? null }, lpId: null };
    const again = planMarketOrder(account, positions, req, { ...core.ctx(account.id), now: later });
    if (!again.ok) return endOrder(core, account.id, orderId!, 'REJECTED', again.code, again.message);
    return fillDeal(core, account, positions, again, later, { existingOrderId: orderId!, idempotencyKey: undefined, sl: req.sl, tp: req.tp, trailing: req.trailing, route: fallback, requestedVolume: req.volume });
  }
  if (out.filledVolume.lte(0) || !out.avgPrice) {
    if (out.status === 'REJECTED') return endOrder(core, account.id, orderId!, 'REJECTED', 'LP_REJECTED', `${lp.name}: ${out.reason ?? 'rejected'}`);
    if (out.status === 'UNKNOWN') return endOrder(core, account.id, orderId!, 'EXPIRED', 'LP_TIMEOUT', `${lp.name} did not answer within ${exec.timeoutMs} ms: the order expired`);
    if (out.beyondLimit) return endOrder(core, account.id, orderId!, 'REJECTED', 'SLIPPAGE_EXCEEDED', `The price moved more than ${exec.maxSlippagePips} pips: not filled (${out.reason ?? ''})`.trim());
    return endOrder(core, account.id, orderId!, 'EXPIRED', 'LP_REJECTED', `${lp.name} filled nothing: ${out.reason ?? 'canceled'}`);
  }
  // The client's price: the LP's fill with the markup on the client's side.
  const price = (req.side === 'BUY' ? out.avgPrice.plus(half) : out.avgPrice.minus(half)).toDecimalPlaces(spec.digits + 1);
  const filledReq = { ...req, volume: out.filledVolume };
  const ctx = core.ctx(account.id);
  const at = { ...quote, bid: price, ask: price };
  const booked = planMarketOrder(account, positions, filledReq, { ...ctx, now: later, quotes: (s) => (s === req.symbol ? at : ctx.quotes(s)) });
  if (!booked.ok) {
    // The LP filled, the client's books cannot take it at that price: the fill stays with the house (its
    // coverage at the LP) and the dealers are told; the client's order is rejected with the reason.
    routing.unbooked({ orderId: orderId!, accountId: account.id, code: booked.code, message: booked.message, volume: out.filledVolume, price: out.avgPrice, lp: lp.name });
    return endOrder(core, account.id, orderId!, 'REJECTED', booked.code, booked.message);
  }
  return fillDeal(core, account, positions, booked, later, {
    existingOrderId: orderId!,
    sl: req.sl,
    tp: req.tp,
    trailing: req.trailing,
    route: { ...route, lpOrderId: out.lpOrderId },
    requestedVolume: req.volume,
  });
}

/** A C-Book order's hedge: the house's own order with the LP, after the client's fill is booked. */
export function sendHedge(core: DeskCore, routing: DeskRouting, decision: RoutingDecision, orderId: bigint, side: 'BUY' | 'SELL', symbol: string, volume: Decimal): void {
  const lp = decision.lp!;
  void routing
    .send({ orderId, kind: 'COVERAGE', lp, clOrdId: `H${orderId}`, symbol, side, volume, timeoutMs: routing.execution().timeoutMs })
    .then((out) => core.d.log.info('c-book hedge', { orderId, lp: lp.name, status: out.status, filled: out.filledVolume.toString(), price: out.avgPrice?.toString() ?? null }))
    .catch((err: Error) => core.d.log.error('c-book hedge not sent', { orderId, lp: lp.name, error: err.message }));
}
