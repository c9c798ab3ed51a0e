// Bad input gets a clear error code, never a 500 or a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let token: string;
let accountId: number;
let adminToken: string;

beforeAll(async () => {
  t = await startTestEngine();
  const login = await t.login('trader1@broker.local');
  token = login.token;
  adminToken = (await t.login('superadmin@broker.local')).token;
  accountId = login.accountIds[0]!;
  t.lp.push('EURUSD', '1.08450', '1.08452');
});
afterAll(async () => {
  await t?.stop();
});

// Queries go as GET ?input=…, mutations as POST.
const QUERIES = new Set(['market.ticks', 'admin.accounts.list']);
async function post(path: string, body: string | Buffer, contentType = 'application/json', as = token) {
  const res = QUERIES.has(path)
    ? await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(String(body))}`, { headers: { authorization: `Bearer ${as}` } })
    : await fetch(`${t.url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${as}` },
        body,
      });
  const text = await res.text();
  let appCode: string | undefined;
  try {
    appCode = JSON.parse(text).error?.json?.data?.appCode;
  } catch {
    appCode = undefined;
  }
  return { status: res.status, appCode, text };
}

const order = (volume: unknown, symbol: unknown = 'EURUSD') => JSON.stringify({ json: { accountId, symbol, side: 'BUY', volume } });

describe('bad input', () => {
  // Built when each test runs: at collection accountId is not known yet (and a body without it fails anyway).
  it.each([
    ['a negative volume', () => order('-1')],
    ['a zero volume', () => order('0')],
    ['a NaN volume', () => order('NaN')],
    ['an Infinity volume', () => order('Infinity')],
    ['a volume that is not a number', () => order('lots')],
    ['a volume with 9 decimals', () => order('0.000000001')],
    ['a missing side', () => JSON.stringify({ json: { accountId, symbol: 'EURUSD', volume: '1' } })],
    ['an account id that is not an integer', () => JSON.stringify({ json: { accountId: 1.5, symbol: 'EURUSD', side: 'BUY', volume: '1' } })],
  ])('refuses %s with VALIDATION_ERROR', async (_name, body) => {
    const res = await post('orders.market', body());
    expect(res.status).toBe(400);
    expect(res.appCode).toBe('VALIDATION_ERROR');
  });

  it('refuses a volume off the symbol step with INVALID_VOLUME', async () => {
    const res = await post('orders.market', order('0.015'));
    expect([res.status, res.appCode]).toEqual([400, 'INVALID_VOLUME']);
  });

  it('refuses an unknown symbol with UNKNOWN_SYMBOL', async () => {
    const res = await post('orders.market', order('0.1', 'NOPEUSD'));
    expect([res.status, res.appCode]).toEqual([400, 'UNKNOWN_SYMBOL']);
  });

  it('refuses malformed JSON with PARSE_ERROR', async () => {
    const res = await post('orders.market', '{"json": {"accountId": 1, "symbol": ');
    expect(res.status).toBe(400);
    expect(res.appCode).toBe('PARSE_ERROR');
  });

  it('refuses a 10 MB body with PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ json: { accountId, symbol: 'EURUSD', side: 'BUY', volume: '1', comment: 'x'.repeat(10 * 1024 * 1024) } });
    const res = await post('orders.market', huge);
    expect(res.status).toBe(413);
    expect(res.appCode).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown procedure with NOT_FOUND and an unknown path with 404', async () => {
    const res = await post('orders.teleport', order('1'));
    expect([res.status, res.appCode]).toEqual([404, 'NOT_FOUND']);
    expect((await fetch(`${t.url}/nowhere`)).status).toBe(404);
  });

  // Issue 12: figures Decimal(20,8) cannot hold, and text PostgreSQL refuses, were 500s.
  // Bodies are built when each test runs: accountId is only known after beforeAll.
  const limit = (fields: Record<string, unknown>) => () => JSON.stringify({ json: { accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.01', price: '1.0', ...fields } });
  it.each([
    ['a price of 1e12', 'orders.limit', limit({ price: '1000000000000' })],
    ['a price of 1e12 in exponent form', 'orders.limit', limit({ price: '1e12' })],
    ['a price of 1e12 as a JSON number', 'orders.limit', limit({ price: 1e12 })],
    ['a stop loss of 9999999999999', 'orders.limit', limit({ sl: '9999999999999' })],
    ['a take profit of 1e15', 'orders.market', limit({ tp: '1e15', price: undefined })],
    ['a stop-limit stop price of 1e13', 'orders.stopLimit', limit({ stopPrice: '10000000000000' })],
    ['a trailing distance of 1e12 pips', 'orders.market', limit({ trailing: { distancePips: '1e12' }, price: undefined })],
    ['a price with a huge exponent', 'orders.limit', limit({ price: '1e1000000000' })],
    ['a price with a tiny exponent', 'orders.limit', limit({ price: '1e-1000000000' })],
    ['a NUL byte in a comment', 'orders.market', limit({ comment: 'hi\u0000there', price: undefined })],
    ['a lone surrogate in a comment', 'orders.market', limit({ comment: 'bad \ud800 text', price: undefined })],
    ['a NUL byte in an idempotency key', 'orders.market', limit({ idempotencyKey: 'k\u0000', price: undefined })],
    ['an order id beyond 64 bits', 'orders.cancel', () => JSON.stringify({ json: { accountId, orderId: '9999999999999999999' } })],
    ['an account id beyond Int32', 'orders.market', () => JSON.stringify({ json: { accountId: 2147483648, symbol: 'EURUSD', side: 'BUY', volume: '0.01' } })],
    ['a Decimal tag on an object', 'orders.market', () => JSON.stringify({ json: { accountId, symbol: 'EURUSD', side: 'BUY', volume: {} }, meta: { volume: 'D' } })],
    ['a Decimal tag on a huge exponent', 'orders.market', () => JSON.stringify({ json: { accountId, symbol: 'EURUSD', side: 'BUY', volume: '1e1000000000' }, meta: { volume: 'D' } })],
    ['a bigint tag on junk', 'orders.cancel', () => JSON.stringify({ json: { accountId, orderId: 'x' }, meta: { orderId: 'B' } })],
    ['a tick cursor with a NUL byte', 'market.ticks', () => JSON.stringify({ json: { symbol: 'EURUSD', cursor: '1:LP\u0000' } })],
  ])('refuses %s with a 400, never a 500', async (_name, path, body) => {
    const res = await post(path, body());
    expect(res.status, res.text).toBe(400);
    expect(['VALIDATION_ERROR', 'PARSE_ERROR']).toContain(res.appCode);
  });

  it.each([
    ['an LP id beyond Int32', 'admin.lps.enable', () => JSON.stringify({ json: { id: 2147483648 } })],
    ['a NUL byte in a deposit note', 'admin.finance.deposit', () => JSON.stringify({ json: { accountId, amount: '10', note: 'n\u0000' } })],
    ['a lone surrogate in an account search', 'admin.accounts.list', () => JSON.stringify({ json: { search: '\udc00x' } })],
    ['a trading day that is not a date', 'admin.risk.rollover', () => JSON.stringify({ json: { tradingDay: '2026-02-31' } })],
    ['a risk setting of 1e12', 'admin.risk.updateSettings', () => JSON.stringify({ json: { accountId: null, maxPositionSize: '1000000000000' } })],
  ])('refuses %s (staff) with VALIDATION_ERROR', async (_name, path, body) => {
    const res = await post(path, body(), 'application/json', adminToken);
    expect([res.status, res.appCode], res.text).toEqual([400, 'VALIDATION_ERROR']);
  });

  it("refuses risk.updateSettings with '1e1000000000' at once, without holding memory", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      const res = await post('admin.risk.updateSettings', JSON.stringify({ json: { accountId: null, maxDailyVolume: '1e1000000000' } }), 'application/json', adminToken);
      expect([res.status, res.appCode]).toEqual([400, 'VALIDATION_ERROR']);
    }
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a socket subscription to an account id beyond Int32 without an internal error', async () => {
    const s = await t.socket(token);
    const ack = await s.emitWithAck('subscribe', { type: 'account', accountId: 2147483648 });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    s.disconnect();
  });

  it('is still healthy and trading after all of that', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    // No REDIS_URL given to this engine: quotes and rate limits stay in memory.
    expect(((await health.json()) as { redis: string }).redis).toBe('memory');
    const res = await post('orders.market', order('0.01'));
    expect(res.status).toBe(200);
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toContain('engine_order_latency_seconds_bucket');
    expect(text).toContain('engine_quotes_in_total');
    expect(text).toContain('engine_sockets_connected');
  });
});
