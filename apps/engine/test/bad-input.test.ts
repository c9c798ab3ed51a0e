// Bad input gets a clear error code, never a 500 or a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let token: string;
let accountId: number;

beforeAll(async () => {
  t = await startTestEngine();
  const login = await t.login('trader1@broker.local');
  token = login.token;
  accountId = login.accountIds[0]!;
  t.lp.push('EURUSD', '1.08450', '1.08452');
});
afterAll(async () => {
  await t?.stop();
});

async function post(path: string, body: string | Buffer, contentType = 'application/json') {
  const res = await fetch(`${t.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
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
  it.each([
    ['a negative volume', order('-1')],
    ['a zero volume', order('0')],
    ['a NaN volume', order('NaN')],
    ['an Infinity volume', order('Infinity')],
    ['a volume that is not a number', order('lots')],
    ['a volume with 9 decimals', order('0.000000001')],
    ['a missing side', JSON.stringify({ json: { accountId, symbol: 'EURUSD', volume: '1' } })],
    ['an account id that is not an integer', JSON.stringify({ json: { accountId: 1.5, symbol: 'EURUSD', side: 'BUY', volume: '1' } })],
  ])('refuses %s with VALIDATION_ERROR', async (_name, body) => {
    const res = await post('orders.market', body);
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
