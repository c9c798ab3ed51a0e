// Stop out (trading-rules.md, Margin call, stop out, negative balance): a cheap screen on every revaluation,
// and when the level is at or below stop out, the domain's plan (largest loss first, negative balance
// protection) booked in one transaction.
import { accountFigures, approxFigures, planStopOut, positionsAfter, riskState, type AccountState, type PositionState } from '../domain/index.ts';
import { offsetCoverage } from './abook-close.ts';
import { closeRows, ledgerRows } from './deal-rows.ts';
import type { DeskCore } from './desk-core.ts';
import { emptyWriteSet } from './write-set.ts';

/**
 * A fast screen in floating point: the margin level to within rounding, or null when it cannot tell (no
 * quote). Only accounts near stop out (or unpriced) are then checked exactly with Decimal, so revaluing
 * thousands of accounts on every quote stays cheap.
 */
function approxMarginLevel(core: DeskCore, account: AccountState, positions: readonly PositionState[]): number | null {
  if (!positions.length) return null;
  const f = approxFigures(account, positions, core.d.symbols, core.d.quote);
  return f && f.margin > 0 ? (f.equity / f.margin) * 100 : null;
}

/** Checks an account's margin level; queues a stop out when it is at or below the stop-out level. */
export function checkStopOut(core: DeskCore, accountId: number): void {
  const account = core.d.book.peek(accountId);
  if (!account) return;
  const ctx = core.ctx(accountId);
  const positions = core.d.book.openPositions(accountId);
  const approx = approxMarginLevel(core, account, positions);
  // Far above stop out (5% of the level plus a point of margin for float error): nothing to do.
  if (approx !== null && approx > ctx.risk.stopOutLevel.toNumber() * 1.05 + 1) return;
  const f = accountFigures(account, core.d.book.openPositions(accountId), core.d.symbols, core.d.quote);
  if (riskState(f.marginLevel, ctx) !== 'STOP_OUT') return;
  const key = `STOPOUT:${accountId}`;
  if (core.inFlight.has(key)) return;
  core.inFlight.add(key);
  void core.d.queue
    .submit(accountId, () => runStopOut(core, accountId))
    .catch((err: Error) => core.d.log.error('stop out failed', { accountId, error: err.message }))
    .finally(() => core.inFlight.delete(key));
}

async function runStopOut(core: DeskCore, accountId: number): Promise<void> {
  const account = await core.account(accountId);
  const positions = core.d.book.openPositions(accountId);
  const now = core.d.clock();
  const plan = planStopOut(account, positions, { ...core.ctx(accountId), now });
  if (!plan || !plan.closes.length) return;
  const at = new Date(now);
  const ws = emptyWriteSet();
  const orderIds = await core.d.ids.take('orders', plan.closes.length);
  const tradeIds = await core.d.ids.take('trades', plan.closes.length);
  const ledgerIds = plan.ledger.length ? await core.d.ids.take('ledger', plan.ledger.length) : [];
  const refs = new Map<string, bigint>();
  plan.closes.forEach((leg, i) => {
    const p = positions.find((x) => x.id === leg.positionId)!;
    refs.set(`close:${i}`, tradeIds[i]!);
    ws.orders.push({
      id: orderIds[i]!,
      accountId,
      symbol: p.symbol,
      type: 'MARKET',
      side: p.side === 'BUY' ? 'SELL' : 'BUY',
      volume: leg.volume.toString(),
      filledVolume: leg.volume.toString(),
      status: 'FILLED',
      filledPrice: leg.closePrice.toString(),
      filledAt: at,
      closesPositionId: p.id,
      comment: 'STOP_OUT',
      venue: p.venue ?? 'BBOOK',
      createdAt: at,
    });
    closeRows(ws, account, leg, p.symbol, orderIds[i]!, tradeIds[i]!, at, 'STOP_OUT');
  });
  ledgerRows(ws, accountId, plan.ledger, refs, ledgerIds, at, 'STOP_OUT');
  ws.balances.push({
    accountId,
    before: account.balance,
    after: plan.balanceAfter,
    ...(plan.creditAfter.eq(account.credit) ? {} : { credit: { before: account.credit, after: plan.creditAfter } }),
  });
  ws.audit.push({
    action: 'risk.stop_out',
    entityType: 'account',
    entityId: String(accountId),
    details: {
      marginLevelBefore: plan.marginLevelBefore.toFixed(2),
      marginLevelAfter: plan.marginLevelAfter?.toFixed(2) ?? null,
      closed: plan.closes.map((c) => c.positionId.toString()),
      // Each close as the other close rows tell it (one row for the whole stop out: one decision, one commit).
      closes: plan.closes.map((c, i) => ({ positionId: c.positionId.toString(), orderId: orderIds[i]!.toString(), volume: c.volume.toString(), closePrice: c.closePrice.toString(), realizedPnl: c.realizedPnl.toString() })),
      negativeBalanceProtection: plan.protection?.toString() ?? null,
      ...(plan.creditWrittenOff ? { creditWrittenOff: plan.creditWrittenOff.toString(), before: { credit: account.credit.toString() }, after: { credit: plan.creditAfter.toString() } } : {}),
    },
    createdAt: at,
  });
  await core.commit(accountId, ws);
  let after = [...positions];
  for (const c of plan.closes) after = positionsAfter(after, [c], null, '', now, -1n, accountId);
  core.applyPositions(accountId, after, plan.balanceAfter);
  if (!plan.creditAfter.eq(account.credit)) core.d.book.setCredit(accountId, plan.creditAfter);
  // The stop out books at the platform quote at once; what the closed positions had at LPs is offset afterwards.
  const routing = core.d.routing;
  if (routing) plan.closes.forEach((c, i) => offsetCoverage(core, routing, positions.find((x) => x.id === c.positionId)!, orderIds[i]!, c));
  core.d.log.warn('stop out', {
    accountId,
    closed: plan.closes.length,
    marginLevelBefore: plan.marginLevelBefore.toFixed(2),
    protection: plan.protection?.toString(),
  });
  plan.closes.forEach((c, i) => {
    const p = positions.find((x) => x.id === c.positionId)!;
    core.publishCloseFill(accountId, orderIds[i]!, p, c, now);
    core.d.publish.positionChanged(accountId, 'closed', p, { closePrice: c.closePrice, reason: 'STOP_OUT' });
  });
  core.d.publish.stopOut(
    accountId,
    plan.marginLevelBefore,
    plan.closes.map((c) => c.positionId),
  );
  core.d.publish.accountChanged(accountId);
}

