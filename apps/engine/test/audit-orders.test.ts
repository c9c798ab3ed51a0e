// Issue 12 (design.md §9.3): every order placed, modified, cancelled or expired and every close — the trader's,
// close all, SL/TP — is audited with the actor, the address, the user agent and before/after, in the same
// commit as the order (the group commit's statement). There were no rows for any of them.
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@broker/api';
import { transformer } from '@broker/api/transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

const UA = 'audit-test/1.0 (orders)';
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

/** A trader's client that says who it is, as a browser would. */
function clientWithAgent(token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${t.url}/trpc`, transformer, headers: () => ({ authorization: `Bearer ${token}`, 'user-agent': UA }) })],
  });
}

const rowsOf = (entityType: string, entityId: string) =>
  t.database.db.prisma.auditLog.findMany({ where: { entityType, entityId }, orderBy: { id: 'asc' } });

describe('audit rows of orders and closes', () => {
  it('market orders, filled and rejected: who, from where, with which client, and the outcome', async () => {
    const { token, userId, accountId } = await t.createTrader({ balance: '10000' });
    const api = clientWithAgent(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const filled = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.10', sl: '1.09000' });
    const [placed, ...more] = await rowsOf('order', filled.order.id);
    expect(more).toHaveLength(0);
    expect(placed).toMatchObject({ actorId: userId, actorRole: 'CLIENT', action: 'order.place' });
    expect(placed!.ip).toMatch(/127\.0\.0\.1$/);
    expect(placed!.details).toMatchObject({
      accountId,
      type: 'MARKET',
      symbol: 'EURUSD',
      side: 'BUY',
      volume: '0.1',
      sl: '1.09',
      userAgent: UA,
      after: { status: 'FILLED', price: filled.order.filledPrice!.toString(), positionId: filled.position!.id },
    });

    // Far beyond the margin: rejected, and the attempt is on record too.
    expect(await errorCode(api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '90' }))).toBe('INSUFFICIENT_MARGIN');
    const rejected = await t.database.db.prisma.order.findFirstOrThrow({ where: { accountId, status: 'REJECTED' } });
    const [row] = await rowsOf('order', rejected.id.toString());
    expect(row).toMatchObject({ actorId: userId, action: 'order.place', details: { volume: '90', userAgent: UA, after: { status: 'REJECTED', rejectCode: 'INSUFFICIENT_MARGIN' } } });
  });

  it('a pending order placed, modified and cancelled, with its terms before and after', async () => {
    const { token, userId, accountId } = await t.createTrader({ balance: '10000' });
    const api = clientWithAgent(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const { order } = await api.orders.limit.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2', price: '1.09000' });
    await api.orders.modify.mutate({ accountId, orderId: order.id, price: '1.08500', sl: '1.08000' });
    await api.orders.cancel.mutate({ accountId, orderId: order.id });
    const rows = await rowsOf('order', order.id);
    expect(rows.map((r) => [r.action, r.actorId, (r.details as { userAgent?: string }).userAgent])).toEqual([
      ['order.place', userId, UA],
      ['order.modify', userId, UA],
      ['order.cancel', userId, UA],
    ]);
    expect(rows[0]!.details).toMatchObject({ type: 'LIMIT', volume: '0.2', after: { status: 'PENDING', price: '1.09', sl: null } });
    expect(rows[1]!.details).toMatchObject({ before: { price: '1.09', sl: null }, after: { price: '1.085', sl: '1.08' } });
    expect(rows[2]!.details).toMatchObject({ before: { status: 'PENDING', price: '1.085' }, after: { status: 'CANCELLED' } });
    for (const r of rows) expect(r.ip).toMatch(/127\.0\.0\.1$/);
  });

  it('an expired GTD order is audited as the engine’s act', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const api = clientWithAgent(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const { order } = await api.orders.limit.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1', price: '1.09000', expiresAt: new Date(Date.now() + 3000) });
    const expired = await eventually(async () => {
      const rows = await rowsOf('order', order.id);
      expect(rows.map((r) => r.action)).toEqual(['order.place', 'order.expire']);
      return rows[1]!;
    }, 15_000);
    expect(expired).toMatchObject({ actorId: null, actorRole: 'SYSTEM', ip: null, details: { after: { status: 'EXPIRED' } } });
  });

  it('position stops changed, a partial close, a full close and close all: one row each, with volume before and after', async () => {
    const { token, userId, accountId } = await t.createTrader({ balance: '10000' });
    const api = clientWithAgent(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const a = (await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.30' })).position!;
    await api.positions.modify.mutate({ accountId, positionId: a.id, tp: '1.12000' });
    const part = await api.positions.close.mutate({ accountId, positionId: a.id, volume: '0.10' });
    await api.positions.close.mutate({ accountId, positionId: a.id });
    const rows = await rowsOf('position', a.id);
    expect(rows.map((r) => r.action)).toEqual(['position.modify', 'position.close', 'position.close']);
    expect(rows[0]).toMatchObject({ actorId: userId, details: { before: { tp: null }, after: { tp: '1.12' }, userAgent: UA } });
    expect(rows[1]).toMatchObject({
      actorId: userId,
      details: { closeReason: 'PARTIAL', requestedVolume: '0.1', closedVolume: '0.1', closePrice: part.closePrice.toString(), realizedPnl: part.realizedPnl.toString(), before: { volume: '0.3' }, after: { volume: '0.2' }, userAgent: UA },
    });
    expect(rows[2]).toMatchObject({ details: { closeReason: 'MANUAL', closedVolume: '0.2', before: { volume: '0.2' }, after: { volume: '0' } } });
    // The close order the row names is the one that closed it.
    const closeOrder = await t.database.db.prisma.order.findUniqueOrThrow({ where: { id: BigInt((rows[2]!.details as { orderId: string }).orderId) } });
    expect(closeOrder.closesPositionId?.toString()).toBe(a.id);

    const b = (await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'SELL', volume: '0.10' })).position!;
    const c = (await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.10' })).position!;
    await api.positions.closeAll.mutate({ accountId });
    for (const p of [b, c]) {
      const [row, ...rest] = await rowsOf('position', p.id);
      expect(rest).toHaveLength(0);
      expect(row).toMatchObject({ action: 'position.close', actorId: userId, details: { closeReason: 'CLOSE_ALL', closedVolume: '0.1', userAgent: UA } });
    }
  });

  it('an SL that fires is audited as the engine’s close', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const api = clientWithAgent(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const p = (await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.10', sl: '1.09900' })).position!;
    t.quoteTo('EURUSD', '1.09800', '1.09802');
    const row = await eventually(async () => {
      const [r] = await rowsOf('position', p.id);
      expect(r).toBeDefined();
      return r!;
    });
    expect(row).toMatchObject({ action: 'position.close', actorId: null, actorRole: 'SYSTEM', ip: null, details: { accountId, closeReason: 'SL_HIT', closedVolume: '0.1', after: { volume: '0' } } });
  });
});
