// Closing positions: one position in full or in part (a trader's close, and SL/TP when it fires), and close
// all (one transaction, largest loss first). Each close is its own order, trade and ledger rows. A position
// whose volume sits with an LP (A-Book, or a C-Book position's hedged share) is offset there (abook-close.ts).
import type { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { byLargestLoss, planClosePosition, positionsAfter, type AccountState, type CloseLeg, type ClosePlan, type PositionState } from '../domain/index.ts';
import { aBookClose, offsetCoverage } from './abook-close.ts';
import { auditRow, type AuditActor } from './audit-rows.ts';
import { closeRows, ledgerRows } from './deal-rows.ts';
import { fail, type CloseReason, type CloseResult, type DeskCore } from './desk-core.ts';
import { routeColumns, type OrderRoute } from './fill.ts';
import { emptyWriteSet, type WriteSet } from './write-set.ts';

export async function closeOne(
  core: DeskCore,
  account: AccountState,
  position: PositionState,
  volume: Decimal | undefined,
  reason: CloseReason | null,
  audit?: WriteSet['audit'][number],
): Promise<CloseResult> {
  const routing = core.d.routing;
  // A trader's or a dealer's close of an A-Book position goes to the LP and books at its price
  // (abook-close.ts); SL/TP close at the platform quote at once and the LP gets the offset afterwards.
  if (routing && position.venue === 'ABOOK' && (reason === null || reason === 'ADMIN')) return aBookClose(core, routing, account, position, volume, reason, audit);
  const plan = planClosePosition(account, position, volume, core.ctx(account.id));
  if (!plan.ok) fail(plan);
  const res = await bookClose(core, account, position, plan, reason ?? (plan.close.remaining ? 'PARTIAL' : 'MANUAL'), { audit });
  if (routing) offsetCoverage(core, routing, position, res.orderId, plan.close);
  return res;
}

/** How a close's order row is written: a new FILLED order, or the A-Book close order that was waiting for its LP. */
export interface CloseOrder {
  audit?: WriteSet['audit'][number];
  /** The PENDING close order (A-Book) the fill completes: updated, not inserted. */
  existingOrderId?: bigint;
  /** The volume asked for, when the LP filled less: PARTIALLY_FILLED. */
  requestedVolume?: Decimal;
  /** Where the close was executed: by default the position's venue. */
  route?: OrderRoute;
}

/** Books a close plan: one order, trade and ledger rows, then memory and events. */
export async function bookClose(core: DeskCore, account: AccountState, position: PositionState, plan: ClosePlan, why: CloseReason, order: CloseOrder = {}): Promise<CloseResult> {
  const now = core.d.clock();
  const at = new Date(now);
  const ws = emptyWriteSet();
  const audit = order.audit;
  const [orderId] = order.existingOrderId ? [order.existingOrderId] : await core.d.ids.take('orders', 1);
  if (audit) ws.audit.push({ ...audit, details: { ...(audit.details as object), ...closeAudit(position, plan.close, orderId!, why) }, createdAt: at });
  const [tradeId] = await core.d.ids.take('trades', 1);
  const ledgerIds = plan.ledger.length ? await core.d.ids.take('ledger', plan.ledger.length) : [];
  const filled = {
    filledVolume: plan.close.volume.toString(),
    status: order.requestedVolume && plan.close.volume.lt(order.requestedVolume) ? ('PARTIALLY_FILLED' as const) : ('FILLED' as const),
    filledPrice: plan.close.closePrice.toString(),
    filledAt: at,
    venue: order.route?.venue ?? position.venue ?? 'BBOOK',
    ...(order.route?.lpOrderId ? { lpOrderId: order.route.lpOrderId } : {}),
    ...routeColumns(order.route),
  };
  if (order.existingOrderId) ws.orderUpdates.push({ id: orderId!, data: filled });
  else
    ws.orders.push({
      id: orderId!,
      accountId: account.id,
      symbol: position.symbol,
      type: 'MARKET',
      side: position.side === 'BUY' ? 'SELL' : 'BUY',
      volume: plan.close.volume.toString(),
      closesPositionId: position.id,
      comment: why === 'MANUAL' ? null : why,
      createdAt: at,
      ...filled,
    });
  closeRows(ws, account, plan.close, position.symbol, orderId!, tradeId!, at, why);
  ledgerRows(ws, account.id, plan.ledger, new Map([['close:0', tradeId!]]), ledgerIds, at);
  if (!plan.balanceAfter.eq(account.balance))
    ws.balances.push({ accountId: account.id, before: account.balance, after: plan.balanceAfter });
  await core.commit(account.id, ws);
  const positions = core.d.book.openPositions(account.id);
  core.applyPositions(
    account.id,
    positionsAfter(positions, [plan.close], null, position.symbol, now, -1n, account.id),
    plan.balanceAfter,
  );
  const pub = core.d.publish;
  core.publishCloseFill(account.id, orderId!, position, plan.close, now);
  if (plan.close.remaining) pub.positionChanged(account.id, 'partially_closed', plan.close.remaining, { reason: why });
  else pub.positionChanged(account.id, 'closed', position, { closePrice: plan.close.closePrice, reason: why });
  pub.accountChanged(account.id);
  return { position, leg: plan.close, orderId: orderId! };
}

/** What every close's audit row tells: the close order, the volume before and after, price and result. */
function closeAudit(position: PositionState, leg: CloseLeg, orderId: bigint, reason: CloseReason) {
  return {
    orderId: orderId.toString(),
    symbol: position.symbol,
    closeReason: reason,
    closedVolume: leg.volume.toString(),
    closePrice: leg.closePrice.toString(),
    realizedPnl: leg.realizedPnl.toString(),
    before: { volume: position.volume.toString() },
    after: { volume: leg.remaining?.volume.toString() ?? '0' },
  };
}

/** A close by the trader (reason from the volume), or by a dealer (`reason: 'ADMIN'`); `by.audit` is its audit row. */
export async function closePosition(
  core: DeskCore,
  accountId: number,
  positionId: bigint,
  volume?: Decimal,
  by?: { reason?: CloseReason; audit?: WriteSet['audit'][number] },
): Promise<CloseResult> {
  return core.d.queue.submit(accountId, async () => {
    const account = await core.account(accountId);
    const position = core.d.book.openPositions(accountId).find((p) => p.id === positionId);
    if (!position) throw new EngineError('POSITION_NOT_FOUND', `Position ${positionId} is not open on this account`);
    return closeOne(core, account, position, volume, by?.reason ?? null, by?.audit);
  });
}

/** Closes every open position (optionally of one symbol), one transaction, largest loss first. */
export async function closeAll(
  core: DeskCore,
  accountId: number,
  symbol?: string,
  by?: AuditActor,
): Promise<{ closed: CloseResult[]; failed: { positionId: bigint; code: string; message: string }[] }> {
  return core.d.queue.submit(accountId, async () => {
    let account = await core.account(accountId);
    const targets = byLargestLoss(
      core.d.book.openPositions(accountId).filter((p) => !symbol || p.symbol === symbol),
      core.d.symbols,
      account.currency,
      core.d.quote,
    );
    const now = core.d.clock();
    const at = new Date(now);
    const ws = emptyWriteSet();
    const closed: CloseResult[] = [];
    const failed: { positionId: bigint; code: string; message: string }[] = [];
    let positions = [...core.d.book.openPositions(accountId)];
    const startBalance = account.balance;
    for (const position of targets) {
      const plan = planClosePosition(account, position, undefined, core.ctx(accountId));
      if (!plan.ok) {
        failed.push({ positionId: position.id, code: plan.code, message: plan.message });
        continue;
      }
      const [orderId] = await core.d.ids.take('orders', 1);
      const [tradeId] = await core.d.ids.take('trades', 1);
      const ledgerIds = plan.ledger.length ? await core.d.ids.take('ledger', plan.ledger.length) : [];
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
        venue: position.venue ?? 'BBOOK',
        createdAt: at,
      });
      closeRows(ws, account, plan.close, position.symbol, orderId!, tradeId!, at, 'CLOSE_ALL');
      ledgerRows(ws, accountId, plan.ledger, new Map([['close:0', tradeId!]]), ledgerIds, at);
      ws.audit.push(auditRow(by, 'position.close', 'position', position.id, { accountId, ...closeAudit(position, plan.close, orderId!, 'CLOSE_ALL') }, at));
      account = { ...account, balance: plan.balanceAfter };
      positions = positionsAfter(positions, [plan.close], null, position.symbol, now, -1n, accountId);
      closed.push({ position, leg: plan.close, orderId: orderId! });
    }
    if (!closed.length) return { closed, failed };
    if (!account.balance.eq(startBalance)) ws.balances.push({ accountId, before: startBalance, after: account.balance });
    await core.commit(accountId, ws);
    core.applyPositions(accountId, positions, account.balance);
    // Close all books at the platform quote in one transaction; the LPs get the offsets afterwards.
    if (core.d.routing) for (const c of closed) offsetCoverage(core, core.d.routing, c.position, c.orderId, c.leg);
    for (const c of closed) {
      core.publishCloseFill(accountId, c.orderId, c.position, c.leg, now);
      core.d.publish.positionChanged(accountId, 'closed', c.position, { closePrice: c.leg.closePrice, reason: 'CLOSE_ALL' });
    }
    core.d.publish.accountChanged(accountId);
    return { closed, failed };
  });
}

