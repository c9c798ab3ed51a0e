// Price alerts (issue 15) through the real API and sockets: an alert fires once when the quote crosses its
// level, only the owner sets, lists and deletes them, and the inputs and the count per account are bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_ALERTS, type PriceAlertEvent } from '@broker/api';
import { errorCode, eventually, nextEvent, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

/** A trader with a socket subscribed to their account, collecting price_alert events. */
async function traderWithSocket() {
  const trader = await t.createTrader();
  const client = t.client(trader.token);
  const socket = await t.socket(trader.token);
  await socket.emitWithAck('subscribe', { type: 'account', accountId: trader.accountId });
  const events: PriceAlertEvent[] = [];
  socket.on('price_alert', (e) => events.push(e));
  return { ...trader, client, socket, events };
}

const platformQuote = () => t.running.engine.quoteStore.get('EURUSD')!;

describe('price alerts', () => {
  it('fires once when the bid crosses above the level, and the list shows it triggered', async () => {
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const tr = await traderWithSocket();
    const alert = await tr.client.alerts.create.mutate({ accountId: tr.accountId, symbol: 'EURUSD', side: 'BID', direction: 'ABOVE', price: '1.10100', note: 'breakout' });
    expect(alert.triggeredAt).toBeNull();
    expect((await tr.client.alerts.list.query({ accountId: tr.accountId })).map((a) => a.id)).toEqual([alert.id]);

    t.lp.push('EURUSD', '1.10050', '1.10052'); // below the level: nothing
    t.lp.push('EURUSD', '1.10120', '1.10122'); // crosses
    const bidThen = platformQuote().bid.toFixed(5);
    const e = await nextEvent<PriceAlertEvent>((fn) => tr.socket.on('price_alert', fn));
    expect(e).toMatchObject({ accountId: tr.accountId, alertId: alert.id.toString(), symbol: 'EURUSD', side: 'BID', direction: 'ABOVE', price: '1.10100', triggeredPrice: bidThen, note: 'breakout' });

    // Back below and across again: the alert is spent. A second alert fired afterwards proves the socket is live.
    t.lp.push('EURUSD', '1.10000', '1.10002');
    t.lp.push('EURUSD', '1.10150', '1.10152');
    t.lp.push('EURUSD', '1.10000', '1.10002');
    const sentinel = await tr.client.alerts.create.mutate({ accountId: tr.accountId, symbol: 'EURUSD', side: 'ASK', direction: 'BELOW', price: '1.09900' });
    t.lp.push('EURUSD', '1.09800', '1.09802');
    await eventually(() => expect(tr.events.map((x) => x.alertId)).toContain(sentinel.id.toString()));
    expect(tr.events.map((x) => x.alertId)).toEqual([alert.id.toString(), sentinel.id.toString()]);

    const list = await tr.client.alerts.list.query({ accountId: tr.accountId });
    expect(list.map((a) => [a.id, a.triggeredAt !== null])).toEqual([
      [sentinel.id, true],
      [alert.id, true],
    ]);
    expect(list[1]!.triggeredPrice!.toFixed(5)).toBe(bidThen);
    expect((await tr.client.alerts.list.query({ accountId: tr.accountId, includeTriggered: false })).length).toBe(0);
    expect(t.running.engine.alerts.size).toBe(0);
  });

  it('a deleted alert never fires, and an active alert survives a restart and fires after it', async () => {
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const trader = await t.createTrader();
    const client = t.client(trader.token);
    const gone = await client.alerts.create.mutate({ accountId: trader.accountId, symbol: 'EURUSD', side: 'ASK', direction: 'ABOVE', price: '1.10300' });
    const kept = await client.alerts.create.mutate({ accountId: trader.accountId, symbol: 'EURUSD', side: 'ASK', direction: 'ABOVE', price: '1.10400' });
    expect(await client.alerts.delete.mutate({ accountId: trader.accountId, alertId: gone.id })).toEqual({ deleted: true });
    expect(await errorCode(client.alerts.delete.mutate({ accountId: trader.accountId, alertId: gone.id }))).toBe('ALERT_NOT_FOUND');

    await t.restart();
    const token = (await t.client().auth.login.mutate({ email: (await t.database.db.prisma.user.findUniqueOrThrow({ where: { id: trader.userId } })).email, password: 'demo1234' })).token;
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'account', accountId: trader.accountId });
    const events: PriceAlertEvent[] = [];
    socket.on('price_alert', (e) => events.push(e));
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    t.lp.push('EURUSD', '1.10500', '1.10502');
    await eventually(() => expect(events.map((e) => e.alertId)).toEqual([kept.id.toString()]));
    const rows = await t.database.db.prisma.priceAlert.findMany({ where: { accountId: trader.accountId } });
    expect(rows.map((r) => [r.id, r.triggeredAt !== null])).toEqual([[kept.id, true]]);
  });

  it('only the owner sets, lists and deletes an account’s alerts; staff read them but cannot set them', async () => {
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const owner = await t.createTrader();
    const other = await t.createTrader();
    const mine = t.client(owner.token);
    const theirs = t.client(other.token);
    const alert = await mine.alerts.create.mutate({ accountId: owner.accountId, symbol: 'EURUSD', side: 'BID', direction: 'BELOW', price: '1.09000' });

    expect(await errorCode(theirs.alerts.list.query({ accountId: owner.accountId }))).toBe('ACCOUNT_NOT_FOUND');
    expect(await errorCode(theirs.alerts.create.mutate({ accountId: owner.accountId, symbol: 'EURUSD', side: 'BID', direction: 'BELOW', price: '1.09000' }))).toBe('ACCOUNT_NOT_FOUND');
    expect(await errorCode(theirs.alerts.delete.mutate({ accountId: owner.accountId, alertId: alert.id }))).toBe('ACCOUNT_NOT_FOUND');
    // Through their own account the id names nothing of theirs.
    expect(await errorCode(theirs.alerts.delete.mutate({ accountId: other.accountId, alertId: alert.id }))).toBe('ALERT_NOT_FOUND');
    expect(await theirs.alerts.list.query({ accountId: other.accountId })).toEqual([]);

    const staff = t.client((await t.login('admin@broker.local')).token);
    expect((await staff.alerts.list.query({ accountId: owner.accountId })).map((a) => a.id)).toEqual([alert.id]);
    expect(await errorCode(staff.alerts.create.mutate({ accountId: owner.accountId, symbol: 'EURUSD', side: 'BID', direction: 'BELOW', price: '1.09000' }))).toBe('FORBIDDEN');
    expect(await errorCode(staff.alerts.delete.mutate({ accountId: owner.accountId, alertId: alert.id }))).toBe('FORBIDDEN');
    expect(await errorCode(t.client().alerts.list.query({ accountId: owner.accountId }))).toBe('UNAUTHENTICATED');
    expect((await mine.alerts.list.query({ accountId: owner.accountId })).length).toBe(1);
  });

  it('bounds the inputs and the active alerts per account', async () => {
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const tr = await t.createTrader();
    const c = t.client(tr.token);
    const base = { accountId: tr.accountId, symbol: 'EURUSD', side: 'BID' as const, direction: 'ABOVE' as const };
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1.2', note: 'x'.repeat(201) }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1.2', note: 'bell\u0007' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '-1' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1e13' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1.123456' }))).toBe('VALIDATION_ERROR'); // EURUSD has 5 digits
    expect(await errorCode(c.alerts.create.mutate({ ...base, symbol: 'N', price: '1.2' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.alerts.create.mutate({ ...base, symbol: 'XXXYYY', price: '1.2' }))).toBe('UNKNOWN_SYMBOL');
    // Already above: it would fire at once.
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1.09000' }))).toBe('ALERT_ALREADY_REACHED');
    expect(await errorCode(c.alerts.list.query({ accountId: tr.accountId, limit: 201 }))).toBe('VALIDATION_ERROR');

    // At most MAX_ACTIVE_ALERTS at once, even asked for all together.
    const results = await Promise.all(
      Array.from({ length: MAX_ACTIVE_ALERTS + 5 }, (_, i) => errorCode(c.alerts.create.mutate({ ...base, price: (1.2 + i / 1000).toFixed(5) }))),
    );
    expect(results.filter((r) => r === 'OK').length).toBe(MAX_ACTIVE_ALERTS);
    expect(results.filter((r) => r === 'MAX_ALERTS').length).toBe(5);
    const list = await c.alerts.list.query({ accountId: tr.accountId });
    expect(list.length).toBe(MAX_ACTIVE_ALERTS);
    await c.alerts.delete.mutate({ accountId: tr.accountId, alertId: list[0]!.id });
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1.30000' }))).toBe('OK');
    expect(await errorCode(c.alerts.create.mutate({ ...base, price: '1.30001' }))).toBe('MAX_ALERTS');
  });
});
