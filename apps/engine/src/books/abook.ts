// Where an order goes to an LP (A-Book) and where a C-Book hedge is sent. An A-Book order is recorded first
// (the order PENDING with its routing decision and the LP order SENT, in one statement, before anything leaves), sent as
// an IOC order — a limit at the LP's price plus the allowed slippage when slippage control is on, so a price
// beyond it is not filled and never requoted — and booked at the LP's average fill price plus the symbol's
// markup, for the volume the LP filled. An LP reject rejects the order with the LP's reason; no answer in time
// expires it; an LP that went down before the order left sends it to the B-Book (LP_DOWN_FALLBACK).
// A netting order that adds to an A-Book position goes the same way to the position's LP (POSITION_VENUE) and
// merges into the position at its fill; if that LP cannot take it, the add is refused (LP_UNAVAILABLE), so one
// position never mixes books. An add to a C-Book position fills internally and hedges the configured share.
// After a restart, an order still PENDING is completed from what the LP says it did (completeABookOrder:
// the late execution report or the answer to an OrderStatusRequest, execution/lp-gateway.ts), booked the same
// way; an order that never reached the LP expires (LP_NOT_RECEIVED, or LP_NOT_SENT when it never left).
import { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { planMarketOrder, type AccountState, type DealPlan, type MarketOrderRequest, type PositionState } from '../domain/index.ts';
import type { RoutingDecision } from '../domain/routing.ts';
import { str, type DeskCore, type DeskRouting, type FillResult } from './desk-core.ts';
import { fillDeal, routeColumns, type OrderRoute } from './fill.ts';
import { auditRow, SYSTEM, txt, type AuditActor } from './audit-rows.ts';
import { emptyWriteSet } from './write-set.ts';
import type { LpOutcome } from '../execution/lp-gateway.ts';

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
  /** A netting order that adds to an A-Book position: the add goes to the position's LP or nowhere. */
  add?: { positionId: bigint },
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
  const route: OrderRoute = add
    ? { venue: 'ABOOK', rule: 'POSITION_VENUE', reason: `adds to A-Book position ${add.positionId} at ${lp.name}`, figures: { lp: lp.name, positionId: add.positionId.toString() }, lpId: lp.id }
    : orderRoute(decision);
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
  const lpReq = {
    orderId: orderId!,
    kind: 'CLIENT' as const,
    lp,
    clOrdId: `A${orderId}`,
    symbol: req.symbol,
    side: req.side,
    volume,
    limitPrice: limit,
    quote: { bid: lpBid, ask: lpAsk },
    timeoutMs: exec.timeoutMs,
  };
  // The LP order is recorded SENT in the same statement as the order PENDING (both durable before it leaves);
  // an LP that cannot take it now gets no row: the order never left.
  const down = routing.unavailable(lp.name);
  if (!down) ws.lpOrders.push(routing.prepare(lpReq));
  try {
    await core.commit(account.id, ws);
  } catch (err) {
    if (!down) routing.release(lpReq.clOrdId);
    throw err;
  }
  if (opts.idempotencyKey) (await core.usedKeys(account.id)).set(opts.idempotencyKey, orderId!);

  const out: LpOutcome = down
    ? { status: 'REJECTED', sent: false, filledVolume: new Decimal(0), avgPrice: null, lpOrderId: null, reason: down, beyondLimit: false }
    : await routing.send(lpReq, { recorded: true });
  const later = core.d.clock();

  if (!out.sent && add) {
    // One position, one book: an add the position's LP cannot take is refused, not filled on the B-Book.
    return endOrder(core, account.id, orderId!, 'REJECTED', 'LP_UNAVAILABLE', `${lp.name} could not take the order (${out.reason ?? 'down'}): nothing was added to A-Book position ${add.positionId}`);
  }
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
  const price = clientPrice(req.side, out.avgPrice, half, spec.digits);
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

/** The LP's average price with the markup's half on the client's side. */
function clientPrice(side: 'BUY' | 'SELL', lpPrice: Decimal, half: Decimal, digits: number): Decimal {
  return (side === 'BUY' ? lpPrice.plus(half) : lpPrice.minus(half)).toDecimalPlaces(digits + 1);
}

/** What the LP did with a client's order whose sender stopped waiting (a restart in between). */
export interface LpFinalOutcome {
  status: 'FILLED' | 'PARTIAL' | 'REJECTED' | 'EXPIRED';
  filledVolume: Decimal;
  avgPrice: Decimal | null;
  lpOrderId: string | null;
  reason: string | null;
  /** The LP never received it (its answer to the status request: unknown order), or it never left the engine. */
  notReceived?: 'LP_NOT_RECEIVED' | 'LP_NOT_SENT';
}

/**
 * Completes an A-Book order still PENDING from the LP's outcome, on the account's queue: filled → booked at the
 * LP's average price plus the markup for the volume filled (FILLED / PARTIALLY_FILLED, the position), as if the
 * answer had come in time; rejected → REJECTED with the LP's reason; canceled or expired with nothing filled →
 * EXPIRED; never received → EXPIRED (LP_NOT_RECEIVED / LP_NOT_SENT). 'NOT_PENDING' when the order already had
 * its outcome (the fill, if any, is the house's coverage).
 */
export async function completeABookOrder(core: DeskCore, routing: DeskRouting, orderId: bigint, lp: { id: number; name: string }, out: LpFinalOutcome): Promise<'BOOKED' | 'ENDED' | 'UNBOOKED' | 'NOT_PENDING'> {
  const first = await core.d.prisma.order.findUnique({ where: { id: orderId } });
  // Only an order that opens (the only kind aBookOrder sends); a close sent to the LP is not completed here.
  if (!first || first.status !== 'PENDING' || first.type !== 'MARKET' || first.venue !== 'ABOOK' || first.closesPositionId !== null) return 'NOT_PENDING';
  return core.d.queue.submit(first.accountId, async () => {
    const row = await core.d.prisma.order.findUnique({ where: { id: orderId } });
    if (!row || row.status !== 'PENDING') return 'NOT_PENDING' as const;
    const end = async (status: 'REJECTED' | 'EXPIRED', code: string, message: string) => {
      const ws = emptyWriteSet();
      ws.orderUpdates.push({ id: orderId, data: { status, rejectCode: code, rejectReason: message.slice(0, 255) } });
      await core.commit(row.accountId, ws);
      core.d.log.info('a-book order completed after a restart', { orderId: orderId.toString(), status, code });
      return 'ENDED' as const;
    };
    if (out.notReceived === 'LP_NOT_SENT') return end('EXPIRED', 'LP_NOT_SENT', `The engine stopped before the order was sent to ${lp.name}: not executed`);
    if (out.notReceived === 'LP_NOT_RECEIVED') return end('EXPIRED', 'LP_NOT_RECEIVED', `Not received by LP ${lp.name}${out.reason ? ` (${out.reason})` : ''}: not executed`);
    if (out.filledVolume.lte(0) || !out.avgPrice) {
      if (out.status === 'REJECTED') return end('REJECTED', 'LP_REJECTED', `${lp.name}: ${out.reason ?? 'rejected'}`);
      return end('EXPIRED', 'LP_REJECTED', `${lp.name} filled nothing: ${out.reason ?? 'canceled'}`);
    }
    const spec = core.d.symbols(row.symbol);
    if (!spec) return end('REJECTED', 'UNKNOWN_SYMBOL', `Unknown symbol ${row.symbol}`);
    const account = await core.account(row.accountId);
    const positions = core.d.book.openPositions(row.accountId);
    const now = core.d.clock();
    const half = spec.markupPips.times(spec.pipSize).div(2);
    const side = row.side;
    const price = clientPrice(side, out.avgPrice, half, spec.digits);
    const req = {
      symbol: row.symbol,
      side,
      volume: out.filledVolume,
      sl: row.sl ? new Decimal(row.sl.toString()) : null,
      tp: row.tp ? new Decimal(row.tp.toString()) : null,
      trailing: row.trailingPips ? { distancePips: new Decimal(row.trailingPips.toString()), stepPips: new Decimal(row.trailingStepPips?.toString() ?? '0') } : null,
    };
    const ctx = core.ctx(row.accountId);
    // The fill's price is the quote it books at (the platform may not be priced yet after a restart).
    const at = { symbol: row.symbol, bid: price, ask: price, time: now, lp: lp.name };
    const booked = planMarketOrder(account, positions, req, { ...ctx, now, quotes: (s) => (s === row.symbol ? at : ctx.quotes(s)) });
    if (!booked.ok) {
      routing.unbooked({ orderId, accountId: row.accountId, code: booked.code, message: booked.message, volume: out.filledVolume, price: out.avgPrice, lp: lp.name });
      await end('REJECTED', booked.code, booked.message);
      return 'UNBOOKED' as const;
    }
    await fillDeal(core, account, positions, booked, now, {
      existingOrderId: orderId,
      sl: req.sl,
      tp: req.tp,
      trailing: req.trailing,
      route: {
        venue: 'ABOOK',
        rule: row.routeRule ?? 'GLOBAL_MODE',
        reason: row.routeReason ?? '',
        figures: (row.routeFigures as Record<string, unknown> | null) ?? {},
        lpId: row.routeLpId ?? lp.id,
        lpOrderId: out.lpOrderId,
      },
      requestedVolume: new Decimal(row.volume.toString()),
    });
    core.d.log.info('a-book order completed after a restart', { orderId: orderId.toString(), status: out.status, filled: out.filledVolume.toString(), price: price.toString() });
    return 'BOOKED' as const;
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
