// Where an order is validated: the pre-trade checks of trading-rules.md (domain/market-order.ts plans the
// deal or rejects it), and a rejected order recorded so the trader's journal and dealers see it.
import type { Decimal } from 'decimal.js';
import {
  planMarketOrder,
  type AccountState,
  type DealPlan,
  type MarketOrderRequest,
  type PendingOrderState,
  type PositionState,
  type Reject,
} from '../../domain/index.ts';
import { fail, isUniqueViolation, str, type DeskCore } from '../desk-core.ts';
import { auditRow, txt, type AuditActor } from '../audit-rows.ts';
import { emptyWriteSet } from '../write-set.ts';

/** A market order (or a triggered pending order) through the pre-trade checks, against the account as it is now. */
export function validateMarketOrder(
  core: DeskCore,
  account: AccountState,
  positions: readonly PositionState[],
  req: MarketOrderRequest,
  now: number,
  dailyVolume: Decimal,
): DealPlan | Reject {
  return planMarketOrder(account, positions, req, { ...core.ctx(account.id), now, dailyVolume });
}

/** The row of a rejected order (market or pending). */
export async function rejectedOrderWriteSet(
  core: DeskCore,
  accountId: number,
  req: MarketOrderRequest & { type?: 'MARKET' | PendingOrderState['type']; price?: Decimal | null; stopPrice?: Decimal | null },
  r: Reject,
  now: number,
  idempotencyKey?: string,
  by?: AuditActor,
) {
  const ws = emptyWriteSet();
  const [id] = await core.d.ids.take('orders', 1);
  const at = new Date(now);
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
    createdAt: at,
  });
  if (by)
    ws.audit.push(
      auditRow(by, 'order.place', 'order', id!, {
        accountId,
        type: req.type ?? 'MARKET',
        symbol: req.symbol,
        side: req.side,
        volume: req.volume.toString(),
        price: txt(req.price),
        stopPrice: txt(req.stopPrice),
        sl: txt(req.sl),
        tp: txt(req.tp),
        after: { status: 'REJECTED', rejectCode: r.code },
      }, at),
    );
  return { ws, id: id! };
}

/** Records a rejected market order (when its symbol exists) and throws the reject. */
export async function rejectMarketOrder(
  core: DeskCore,
  accountId: number,
  req: MarketOrderRequest,
  r: Reject,
  now: number,
  idempotencyKey: string | undefined,
  by?: AuditActor,
): Promise<never> {
  if (core.d.symbols(req.symbol)) {
    const { ws, id } = await rejectedOrderWriteSet(core, accountId, req, r, now, idempotencyKey, by);
    try {
      await core.commit(accountId, ws);
      // Only a stored reject answers a retry with the same key.
      if (idempotencyKey) (await core.usedKeys(accountId)).set(idempotencyKey, id);
    } catch (err) {
      if (idempotencyKey && isUniqueViolation(err)) throw err;
      core.d.log.warn('could not record a rejected order', { accountId, error: (err as Error).message });
    }
  }
  fail(r);
}
