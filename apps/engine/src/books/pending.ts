// Pending orders (limit, stop, stop-limit) until they trigger: placed (validated, stored, indexed), modified,
// cancelled, expired (GTD). What happens when a quote reaches one is in triggers.ts.
import { EngineError } from '@broker/api/errors';
import type { Decimal } from 'decimal.js';
import { isExpired, validatePendingOrder, type PendingOrderRequest, type PendingOrderState, type Reject } from '../domain/index.ts';
import { fail, isUniqueViolation, str, type DeskCore } from './desk-core.ts';
import { sameRequest } from './orders/idempotency.ts';
import { rejectedOrderWriteSet } from './orders/validate.ts';
import { orderKey } from './trigger-index.ts';
import { auditRow, SYSTEM, txt, type AuditActor } from './audit-rows.ts';
import { emptyWriteSet } from './write-set.ts';

export async function placePending(
  core: DeskCore,
  accountId: number,
  req: PendingOrderRequest,
  opts: { idempotencyKey?: string; comment?: string; by?: AuditActor } = {},
): Promise<{ order: PendingOrderState; replayed: boolean }> {
  return core.d.queue.submit(accountId, async () => {
    if (opts.idempotencyKey) {
      const previous = await core.findKey(accountId, opts.idempotencyKey);
      if (previous !== null) {
        const open = core.d.book.pendingOrder(accountId, previous);
        // Not the price: orders.modify may have moved it since, and a late retry is still the same order.
        const asked = { type: req.type, symbol: req.symbol, side: req.side, volume: req.volume };
        if (open) {
          sameRequest(open, asked);
          return { order: open, replayed: true };
        }
        const row = await core.d.prisma.order.findUniqueOrThrow({ where: { id: previous } });
        sameRequest(row, asked);
        throw new EngineError('DUPLICATE_REQUEST', `Order ${row.id} with this key is already ${row.status.toLowerCase()}`, {
          orderId: row.id.toString(),
        });
      }
    }
    const account = await core.account(accountId);
    const now = core.d.clock();
    const valid = validatePendingOrder(account, req, core.d.symbols, core.d.quote, now);
    if (!valid.ok) {
      if (core.d.symbols(req.symbol)) {
        const { ws } = await rejectedOrderWriteSet(core, accountId, { ...req }, valid, now, opts.idempotencyKey, opts.by ?? SYSTEM);
        await core.commit(accountId, ws).catch(() => undefined);
      }
      fail(valid);
    }
    const [id] = await core.d.ids.take('orders', 1);
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
    ws.audit.push(
      auditRow(opts.by, 'order.place', 'order', order.id, {
        accountId,
        type: order.type,
        symbol: order.symbol,
        side: order.side,
        volume: order.volume.toString(),
        after: { status: 'PENDING', ...orderTerms(order) },
      }, new Date(now)),
    );
    try {
      await core.commit(accountId, ws);
    } catch (err) {
      if (opts.idempotencyKey && isUniqueViolation(err))
        throw new EngineError('DUPLICATE_REQUEST', 'An order with this idempotency key already exists');
      throw err;
    }
    core.d.book.putPending(order);
    core.indexOrder(order);
    if (opts.idempotencyKey) (await core.usedKeys(accountId)).set(opts.idempotencyKey, order.id);
    core.d.publish.orderChanged(accountId, 'placed', order);
    return { order, replayed: false };
  });
}

export async function modifyPending(
  core: DeskCore,
  accountId: number,
  orderId: bigint,
  change: { price?: Decimal; stopPrice?: Decimal | null; sl?: Decimal | null; tp?: Decimal | null; expiresAt?: number | null },
  by?: AuditActor,
): Promise<PendingOrderState> {
  return core.d.queue.submit(accountId, async () => {
    const account = await core.account(accountId);
    const order = core.d.book.pendingOrder(accountId, orderId);
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
    const valid = validatePendingOrder(account, { ...next, stopPrice: next.stopPrice }, core.d.symbols, core.d.quote, core.d.clock());
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
    ws.audit.push(auditRow(by, 'order.modify', 'order', orderId, { accountId, symbol: order.symbol, before: orderTerms(order), after: orderTerms(next) }, new Date(core.d.clock())));
    await core.commit(accountId, ws);
    core.d.book.putPending(next);
    core.indexOrder(next);
    core.d.publish.orderChanged(accountId, 'modified', next);
    return next;
  });
}

/** An order's terms as its audit rows show them (before and after a change). */
function orderTerms(o: PendingOrderState) {
  return {
    price: o.price.toString(),
    stopPrice: txt(o.stopPrice),
    sl: txt(o.sl),
    tp: txt(o.tp),
    trailingPips: txt(o.trailing?.distancePips),
    expiresAt: o.expiresAt === null ? null : new Date(o.expiresAt).toISOString(),
  };
}

const END_ACTION = { CANCELLED: 'order.cancel', EXPIRED: 'order.expire', REJECTED: 'order.reject' } as const;

/** A pending order ended: cancelled (by `by`, the trader), expired or rejected when it triggered (the engine). */
export async function endPending(core: DeskCore, accountId: number, order: PendingOrderState, status: 'CANCELLED' | 'EXPIRED' | 'REJECTED', reject?: Reject, by: AuditActor = SYSTEM) {
  const ws = emptyWriteSet();
  ws.orderUpdates.push({
    id: order.id,
    data: { status, rejectCode: reject?.code ?? null, rejectReason: reject?.message.slice(0, 255) ?? null },
  });
  ws.audit.push(
    auditRow(by, END_ACTION[status], 'order', order.id, {
      accountId,
      type: order.type,
      symbol: order.symbol,
      side: order.side,
      volume: order.volume.toString(),
      before: { status: 'PENDING', ...orderTerms(order) },
      after: { status, ...(reject ? { rejectCode: reject.code } : {}) },
    }, new Date(core.d.clock())),
  );
  await core.commit(accountId, ws);
  core.d.book.removePending(accountId, order.id);
  core.d.index.remove(orderKey(order.id));
  core.d.publish.orderChanged(
    accountId,
    status === 'CANCELLED' ? 'cancelled' : status === 'EXPIRED' ? 'expired' : 'rejected',
    order,
    reject ? { code: reject.code, message: reject.message } : undefined,
  );
}

export async function cancelPending(core: DeskCore, accountId: number, orderId: bigint, by?: AuditActor): Promise<PendingOrderState> {
  return core.d.queue.submit(accountId, async () => {
    await core.account(accountId);
    const order = core.d.book.pendingOrder(accountId, orderId);
    if (!order) throw new EngineError('ORDER_NOT_FOUND', `Order ${orderId} is not pending on this account`);
    await endPending(core, accountId, order, 'CANCELLED', undefined, by);
    return order;
  });
}

/** GTD orders whose time has come. */
export function expireDue(core: DeskCore): void {
  const now = core.d.clock();
  for (const o of core.d.book.allPending()) {
    if (!isExpired(o, now)) continue;
    const key = `EXPIRE:${o.id}`;
    if (core.inFlight.has(key)) continue;
    core.inFlight.add(key);
    void core.d.queue
      .submit(o.accountId, async () => {
        const current = core.d.book.pendingOrder(o.accountId, o.id);
        if (current && isExpired(current, core.d.clock())) await endPending(core, o.accountId, current, 'EXPIRED');
      })
      .catch((err: Error) => core.d.log.warn('expiry failed', { orderId: o.id, error: err.message }))
      .finally(() => core.inFlight.delete(key));
  }
}

