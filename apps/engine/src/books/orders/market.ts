// A market order's path: on the account's queue, a retried key replays what it produced; otherwise the
// order is validated (./validate.ts) and filled and booked (../fill.ts).
import { Decimal } from 'decimal.js';
import { EngineError, type ErrorCode } from '@broker/api/errors';
import type { MarketOrderRequest } from '../../domain/index.ts';
import { isUniqueViolation, type DeskCore, type FillResult } from '../desk-core.ts';
import { aBookOrder, orderRoute, sendHedge } from '../abook.ts';
import { positionLp, serial } from '../abook-close.ts';
import type { RoutingDecision } from '../../domain/routing.ts';
import { SYSTEM, type AuditActor } from '../audit-rows.ts';
import { fillDeal } from '../fill.ts';
import { sameRequest } from './idempotency.ts';
import { rejectMarketOrder, validateMarketOrder } from './validate.ts';

export async function marketOrder(
  core: DeskCore,
  accountId: number,
  req: MarketOrderRequest,
  opts: { idempotencyKey?: string; comment?: string; by?: AuditActor },
): Promise<FillResult> {
  const replay = async (id: bigint): Promise<FillResult> => {
    const row = await core.d.prisma.order.findUniqueOrThrow({ where: { id } });
    sameRequest(row, { type: 'MARKET', symbol: req.symbol, side: req.side, volume: req.volume });
    // As when it filled: the position it opened or added to, or the rest of the one a netting order reduced.
    const leftId = row.positionId ?? row.closesPositionId;
    const position = leftId ? (core.d.book.openPositions(accountId).find((p) => p.id === leftId) ?? null) : null;
    if (row.status === 'REJECTED' || row.status === 'EXPIRED')
      throw new EngineError((row.rejectCode ?? 'INTERNAL_ERROR') as ErrorCode, row.rejectReason ?? undefined, { replayed: true });
    // An A-Book order whose LP has not answered (or whose answer a restart interrupted): not guessed.
    if (row.status === 'PENDING') throw new EngineError('ORDER_IN_FLIGHT', undefined, { replayed: true, orderId: row.id.toString() });
    return { orderId: row.id, position, price: new Decimal(row.filledPrice?.toString() ?? '0'), replayed: true };
  };
  return core.d.queue.submit(accountId, async () => {
    if (opts.idempotencyKey) {
      const previous = await core.findKey(accountId, opts.idempotencyKey);
      if (previous !== null) return replay(previous);
    }
    try {
      return await fillMarket(core, accountId, req, opts);
    } catch (err) {
      if (opts.idempotencyKey && isUniqueViolation(err)) {
        const previous = await core.keyFromDb(accountId, opts.idempotencyKey);
        if (previous !== null) return replay(previous);
      }
      throw err;
    }
  });
}

async function fillMarket(
  core: DeskCore,
  accountId: number,
  req: MarketOrderRequest,
  opts: { idempotencyKey?: string; comment?: string; by?: AuditActor },
): Promise<FillResult> {
  const account = await core.account(accountId);
  const positions = core.d.book.openPositions(accountId);
  const now = core.d.clock();
  const plan = validateMarketOrder(core, account, positions, req, now, await core.dailyVolume(accountId, now));
  if (!plan.ok) return rejectMarketOrder(core, accountId, req, plan, now, opts.idempotencyKey, opts.by ?? SYSTEM);
  // Only volume that opens is routed (domain/routing.ts): an order that closes or reduces fills where it is.
  const routing = core.d.routing;
  // Volume that adds to a position (netting) goes where the position is (docs/trading-rules-notes.md).
  const into = plan.open?.mergeInto;
  if (routing && plan.open && !plan.closes.length && into && (into.venue === 'ABOOK' || into.venue === 'CBOOK')) {
    const volume = plan.open.volume;
    const venue = into.venue;
    return serial(core, into.id, async () => {
      const lp = await positionLp(core, into);
      if (venue === 'ABOOK' && lp) {
        const decision: RoutingDecision = { venue: 'ABOOK', lp, hedgeVolume: null, rule: 'GLOBAL_MODE', reason: '', figures: {} };
        return aBookOrder(core, routing, account, positions, req, plan, decision, opts, now, { positionId: into.id });
      }
      const spec = core.d.symbols(req.symbol);
      const hedge = spec ? volume.times(routing.hedgeShare()).div(100).toNearest(spec.volumeStep, Decimal.ROUND_DOWN) : new Decimal(0);
      const hedged = venue === 'CBOOK' && lp !== null && hedge.gt(0);
      const fill = await fillDeal(core, account, positions, plan, now, {
        idempotencyKey: opts.idempotencyKey,
        comment: opts.comment,
        sl: req.sl,
        tp: req.tp,
        trailing: req.trailing,
        route: {
          venue,
          rule: 'POSITION_VENUE',
          reason: hedged && lp ? `adds to C-Book position ${into.id}; ${hedge} lots hedged with ${lp.name}` : `adds to ${venue === 'ABOOK' ? 'A' : 'C'}-Book position ${into.id}; nothing of it at an LP`,
          figures: { positionId: into.id.toString(), lp: lp?.name ?? null, hedgeVolume: hedged ? hedge.toString() : null },
          lpId: lp?.id ?? null,
        },
        placedBy: opts.by ?? SYSTEM,
      });
      if (hedged && lp) sendHedge(core, routing, { venue: 'CBOOK', lp, hedgeVolume: hedge, rule: 'GLOBAL_MODE', reason: '', figures: {} }, fill.orderId, req.side, req.symbol, hedge);
      return fill;
    });
  }
  if (routing && plan.open && !plan.closes.length && !plan.open.mergeInto) {
    const decision = await routing.decide({ accountId, symbol: req.symbol, side: req.side, volume: plan.open.volume });
    if (decision.venue === 'ABOOK' && decision.lp) return aBookOrder(core, routing, account, positions, req, plan, decision, opts, now);
    const fill = await fillDeal(core, account, positions, plan, now, {
      idempotencyKey: opts.idempotencyKey,
      comment: opts.comment,
      sl: req.sl,
      tp: req.tp,
      trailing: req.trailing,
      route: orderRoute(decision),
      placedBy: opts.by ?? SYSTEM,
    });
    if (decision.venue === 'CBOOK' && decision.lp && decision.hedgeVolume?.gt(0)) sendHedge(core, routing, decision, fill.orderId, req.side, req.symbol, decision.hedgeVolume);
    return fill;
  }
  return fillDeal(core, account, positions, plan, now, {
    idempotencyKey: opts.idempotencyKey,
    comment: opts.comment,
    sl: req.sl,
    tp: req.tp,
    trailing: req.trailing,
    placedBy: opts.by ?? SYSTEM,
  });
}
