import { Decimal } from 'decimal.js';
import type { OrderFilledEvent, PositionUpdateEvent } from '@broker/api/socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, eventually, nextEvent, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

async function ledgerSum(accountId: number) {
  const rows = await t.database.db.prisma.ledgerEntry.findMany({ where: { accountId }, orderBy: { id: 'asc' } });
  let balance = new Decimal(0);
  for (const r of rows) {
    expect(new Decimal(r.balanceBefore.toString()).plus(r.amount.toString()).eq(r.balanceAfter.toString())).toBe(true);
    balance = balance.plus(r.amount.toString());
  }
  return { rows, balance };
}

describe('a trader through the API', () => {
  it('buys 0.10 EURUSD, watches P&L, closes, and the balance moves by exactly commission + realized P&L', async () => {
    const { token, accountIds } = await t.login('trader1@broker.local');
    const api = t.client(token);
    const accountId = accountIds[0]!;
    t.lp.push('EURUSD', '1.08450', '1.08452');
    const before = await api.account.summary.query({ accountId });

    const filled = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.10', idempotencyKey: 'journey-1' });
    // Seeded markup 0.2 pips widens each side by 0.1 pip: ask 1.08452 + 0.00001.
    expect(filled.order.filledPrice!.toString()).toBe('1.08453');
    const position = filled.position!;
    expect(position.commission.toFixed(2)).toBe('0.70');

    t.lp.push('EURUSD', '1.08560', '1.08562');
    const positions = await api.account.positions.query({ accountId });
    // BUY values at the marked-up bid 1.08559: (1.08559 - 1.08453) * 100000 * 0.1 = 10.60
    expect(positions[0]!.unrealizedPnl.toFixed(2)).toBe('10.60');
    const live = await api.account.summary.query({ accountId });
    expect(live.equity.toFixed(2)).toBe(before.balance.minus('0.70').plus('10.60').toFixed(2));

    const closed = await api.positions.close.mutate({ accountId, positionId: position.id });
    expect(closed.realizedPnl.toFixed(2)).toBe('10.60');
    const after = await api.account.summary.query({ accountId });
    expect(after.balance.minus(before.balance).toFixed(2)).toBe('9.90');
    expect(after.openPositions).toBe(0);

    const { rows, balance } = await ledgerSum(accountId);
    expect(balance.eq(after.balance)).toBe(true);
    const last2 = rows.slice(-2).map((r) => [r.type, new Decimal(r.amount.toString()).toFixed(2)]);
    expect(last2).toEqual([
      ['COMMISSION', '-0.70'],
      ['REALIZED_PNL', '10.60'],
    ]);
    const trades = await api.account.trades.query({ accountId, limit: 10 });
    expect(trades.map((x) => x.entry).sort()).toEqual(['CLOSE', 'OPEN']);
  });

  it('never fills a retried request twice', async () => {
    const { token, accountIds } = await t.login('trader1@broker.local');
    const api = t.client(token);
    const accountId = accountIds[0]!;
    t.lp.push('GBPUSD', '1.26500', '1.26509');
    const input = { accountId, symbol: 'GBPUSD', side: 'SELL' as const, volume: '0.05', idempotencyKey: 'retry-me' };
    const [a, b] = await Promise.all([api.orders.market.mutate(input), api.orders.market.mutate(input)]);
    expect(a.order.id).toBe(b.order.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const count = await t.database.db.prisma.order.count({ where: { accountId, idempotencyKey: 'retry-me' } });
    expect(count).toBe(1);
    // The same key for a different order is the client's mistake: refused, nothing filled, not the other's result.
    expect(await errorCode(api.orders.market.mutate({ ...input, volume: '0.06' }))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await errorCode(api.orders.market.mutate({ ...input, side: 'BUY' }))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await errorCode(api.orders.limit.mutate({ accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.05', price: '1.20000', idempotencyKey: 'retry-me' }))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.database.db.prisma.order.count({ where: { accountId, idempotencyKey: 'retry-me' } })).toBe(1);
    // A pending order retried after a modify is still the same order: replayed.
    const limit = { accountId, symbol: 'GBPUSD', side: 'BUY' as const, volume: '0.05', price: '1.20000', idempotencyKey: 'limit-retry' };
    const placed = await api.orders.limit.mutate(limit);
    await api.orders.modify.mutate({ accountId, orderId: placed.order.id, price: '1.19000' });
    const again = await api.orders.limit.mutate(limit);
    expect(again).toMatchObject({ replayed: true, order: { id: placed.order.id } });
    expect(await errorCode(api.orders.stop.mutate({ ...limit, price: '1.30000' }))).toBe('IDEMPOTENCY_KEY_REUSED');
    await api.orders.cancel.mutate({ accountId, orderId: placed.order.id });
  });

  it('refuses an order that free margin cannot carry, with INSUFFICIENT_MARGIN, and writes nothing but the reject', async () => {
    const { token, accountIds } = await t.login('trader2@broker.local');
    const accountId = accountIds[0]!;
    t.lp.push('BTCUSD', '67000.00', '67015.00');
    const positionsBefore = await t.database.db.prisma.position.count({ where: { accountId } });
    expect(await errorCode(t.client(token).orders.market.mutate({ accountId, symbol: 'BTCUSD', side: 'BUY', volume: '1' }))).toBe('INSUFFICIENT_MARGIN');
    expect(await t.database.db.prisma.position.count({ where: { accountId } })).toBe(positionsBefore);
    const rejected = await t.database.db.prisma.order.findFirst({ where: { accountId, status: 'REJECTED' }, orderBy: { id: 'desc' } });
    expect(rejected?.rejectCode).toBe('INSUFFICIENT_MARGIN');
  });

  it('refuses a symbol with no quote with NO_QUOTE', async () => {
    const { token, accountIds } = await t.login('trader2@broker.local');
    expect(await errorCode(t.client(token).orders.market.mutate({ accountId: accountIds[0]!, symbol: 'USDCHF', side: 'BUY', volume: '0.1' }))).toBe('NO_QUOTE');
  });

  it('books a deposit through the ledger and pushes the new balance to the trader socket', async () => {
    const trader = await t.login('trader2@broker.local');
    const accountId = trader.accountIds[0]!;
    const socket = await t.socket(trader.token);
    const ack = await socket.emitWithAck('subscribe', { type: 'account', accountId });
    expect(ack.ok).toBe(true);
    const admin = await t.login('admin@broker.local');
    const before = await t.client(trader.token).account.summary.query({ accountId });
    const update = nextEvent<{ balance: string; accountId: number }>((fn) => socket.on('account_update', fn), (e) => e.accountId === accountId);
    const row = await t.client(admin.token).admin.finance.deposit.mutate({ accountId, amount: '250.55', method: 'BANK_TRANSFER', reference: 'WIRE-1' });
    expect(row.type).toBe('DEPOSIT');
    expect(row.balanceAfter.toFixed(2)).toBe(before.balance.plus('250.55').toFixed(2));
    expect((await update).balance).toBe(before.balance.plus('250.55').toFixed(2));
    const { balance } = await ledgerSum(accountId);
    expect(balance.toFixed(2)).toBe(row.balanceAfter.toFixed(2));
    const audit = await t.database.db.prisma.auditLog.findFirst({ where: { action: 'finance.deposit', entityId: String(accountId) } });
    expect(audit?.actorId).toBe(admin.userId);
  });

  it('streams order_filled and position_update (design.md §2.6, packages/api/src/socket.ts) on a fill, a partial close and an SL hit', async () => {
    const { token, accountId } = await t.createTrader();
    const api = t.client(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002'); // platform 1.09999 / 1.10003 (0.2 pip markup)
    const socket = await t.socket(token);
    expect((await socket.emitWithAck('subscribe', { type: 'account', accountId })).ok).toBe(true);
    const filled: OrderFilledEvent[] = [];
    const updates: PositionUpdateEvent[] = [];
    socket.on('order_filled', (e) => filled.push(e));
    socket.on('position_update', (e) => updates.push(e));
    const since = Date.now();
    const stamp = () => expect.toSatisfy((ms: number) => Number.isInteger(ms) && ms >= since && ms <= Date.now());

    const res = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.3', sl: '1.09500', tp: '1.11000' });
    const positionId = res.position!.id;
    await eventually(() => expect([filled.length, updates.length]).toEqual([1, 1]));
    expect(filled[0]).toStrictEqual({
      type: 'order_filled',
      accountId,
      orderId: res.order.id,
      positionId,
      symbol: 'EURUSD',
      side: 'BUY',
      volume: '0.3',
      filledPrice: '1.10003',
      timestamp: stamp(),
    });
    // Valued at the bid: (1.09999 - 1.10003) * 100000 * 0.3 = -1.20; commission 0.3 * 7 = 2.10.
    const wire = { id: positionId, symbol: 'EURUSD', side: 'BUY', openPrice: '1.10003', sl: '1.095', tp: '1.11', swap: '0.00', commission: '2.10' };
    expect(updates[0]).toStrictEqual({
      type: 'position_update',
      accountId,
      action: 'opened',
      position: { ...wire, volume: '0.3', currentPrice: '1.09999', unrealizedPnL: '-1.20' },
    });

    t.lp.push('EURUSD', '1.10100', '1.10102'); // platform 1.10099 / 1.10103
    await api.positions.close.mutate({ accountId, positionId, volume: '0.1' });
    await eventually(() => expect([filled.length, updates.length]).toEqual([2, 2]));
    const closeOrders = async () =>
      (await t.database.db.prisma.order.findMany({ where: { accountId, closesPositionId: BigInt(positionId) }, orderBy: { id: 'asc' } })).map((o) => o.id.toString());
    const [partialOrder] = await closeOrders();
    expect(filled[1]).toStrictEqual({
      type: 'order_filled',
      accountId,
      orderId: partialOrder,
      positionId,
      symbol: 'EURUSD',
      side: 'SELL',
      volume: '0.1',
      filledPrice: '1.10099',
      timestamp: stamp(),
    });
    // The rest: 0.2 lot, same open price, (1.10099 - 1.10003) * 100000 * 0.2 = 19.20.
    expect(updates[1]).toStrictEqual({
      type: 'position_update',
      accountId,
      action: 'partially_closed',
      reason: 'PARTIAL',
      position: { ...wire, volume: '0.2', currentPrice: '1.10099', unrealizedPnL: '19.20' },
    });

    t.lp.push('EURUSD', '1.09490', '1.09492'); // platform bid 1.09489 <= SL 1.09500
    await eventually(() => expect([filled.length, updates.length]).toEqual([3, 3]));
    const [, slOrder] = await closeOrders();
    expect(filled[2]).toStrictEqual({
      type: 'order_filled',
      accountId,
      orderId: slOrder,
      positionId,
      symbol: 'EURUSD',
      side: 'SELL',
      volume: '0.2',
      filledPrice: '1.09489',
      timestamp: stamp(),
    });
    expect(updates[2]).toStrictEqual({
      type: 'position_update',
      accountId,
      action: 'closed',
      reason: 'SL_HIT',
      position: { ...wire, volume: '0.2', currentPrice: '1.09489', unrealizedPnL: '0.00' },
    });
    // Booked: (1.10099 - 1.10003) * 10000 = 9.60 and (1.09489 - 1.10003) * 20000 = -102.80.
    const pnl = await t.database.db.prisma.ledgerEntry.findMany({ where: { accountId, type: 'REALIZED_PNL' }, orderBy: { id: 'asc' } });
    expect(pnl.map((l) => new Decimal(l.amount.toString()).toFixed(2))).toEqual(['9.60', '-102.80']);
  });

  it('streams ticks to a socket subscribed to the symbol', async () => {
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['EURUSD'] });
    const tick = nextEvent<{ symbol: string; bid: string }>((fn) => socket.on('tick', fn));
    t.lp.push('EURUSD', '1.08600', '1.08602');
    const e = await tick;
    expect(e.symbol).toBe('EURUSD');
    expect(e.bid).toBe('1.08599');
  });

  it('keeps tick history, newest first, from the buffer and the database', async () => {
    const { token } = await t.login('trader1@broker.local');
    const base = Date.now();
    t.lp.push('ETHUSD', '3500.00', '3501.00', base);
    t.lp.push('ETHUSD', '3501.00', '3502.00', base + 1);
    t.lp.push('ETHUSD', '3502.50', '3503.00', base + 2);
    const before = await t.client(token).market.ticks.query({ symbol: 'ETHUSD', limit: 2 });
    expect(before.map((x) => x.bid.toString())).toEqual(['3502.5', '3501']);
    await t.running.engine.tickWriter.flush();
    const after = await t.client(token).market.ticks.query({ symbol: 'ETHUSD', limit: 3 });
    expect(after.map((x) => x.bid.toString())).toEqual(['3502.5', '3501', '3500']);
    const stored = await t.database.db.prisma.tick.count({ where: { symbol: 'ETHUSD' } });
    expect(stored).toBe(3);
  });

  it('pages back through ticks that share a millisecond by cursor, stored and unwritten alike, none skipped', async () => {
    const { token } = await t.login('trader1@broker.local');
    const api = t.client(token);
    const base = Date.now() + 5;
    // Seven ETHUSD ticks in one millisecond (consecutive microseconds); the first four written, the rest not.
    const bids = ['3503.10', '3503.20', '3503.30', '3503.40', '3503.50', '3503.60', '3503.70'];
    for (const b of bids.slice(0, 4)) t.lp.push('ETHUSD', b, '3504.00', base);
    await t.running.engine.tickWriter.flush();
    for (const b of bids.slice(4)) t.lp.push('ETHUSD', b, '3504.00', base);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10 && seen.length < bids.length; page++) {
      const ticks = await api.market.ticks.query({ symbol: 'ETHUSD', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...ticks.filter((x) => x.timestamp === base).map((x) => x.bid.toFixed(2)));
      if (ticks.length < 3 || ticks.some((x) => x.timestamp !== base)) break;
      cursor = ticks.at(-1)!.cursor;
    }
    // Newest first, every one once (ETHUSD has no markup in the seed).
    expect(seen).toEqual([...bids].reverse());
    // `before` (ms) still pages by time: nothing of this millisecond is strictly before it.
    expect((await api.market.ticks.query({ symbol: 'ETHUSD', limit: 50, before: new Date(base) })).some((x) => x.timestamp === base)).toBe(false);
    expect(await errorCode(api.market.ticks.query({ symbol: 'ETHUSD', cursor: 'nope' }))).toBe('VALIDATION_ERROR');
  });

  it('batches a window of changed symbols into one ticks message for a batched subscriber', async () => {
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    const ack = await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['USDCHF', 'EURGBP'], batch: true });
    expect(ack.ok).toBe(true);
    const batches: { symbol: string; bid: string }[][] = [];
    socket.on('ticks', (e) => batches.push(e.map((x) => ({ symbol: x.symbol, bid: x.bid }))));
    let single = 0;
    socket.on('tick', () => single++);
    t.lp.push('USDCHF', '0.88000', '0.88010');
    t.lp.push('EURGBP', '0.85700', '0.85710');
    t.lp.push('USDCHF', '0.88002', '0.88012'); // conflated: only the newest USDCHF goes out
    await eventually(() => expect(batches.flat().map((x) => x.symbol).sort()).toEqual(['EURGBP', 'USDCHF']));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.find((x) => x.symbol === 'USDCHF')!.bid).toBe('0.88001');
    expect(single).toBe(0);
  });

  it('builds candles from ticks', async () => {
    const { token } = await t.login('trader1@broker.local');
    t.lp.push('AUDUSD', '0.65500', '0.65509');
    const bars = await t.client(token).market.candles.query({ symbol: 'AUDUSD', timeframe: '1m', limit: 10 });
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.at(-1)!.close.toString()).toBe('0.65499');
  });
});
