// Every procedure of the router, enumerated: who may call it is declared in its meta, and enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, type Meta } from '@broker/api';
import { startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let client1: { token: string; accountIds: number[] };
let client2: { token: string; accountIds: number[] };
let support: { token: string };

beforeAll(async () => {
  t = await startTestEngine();
  client1 = await t.login('trader1@broker.local');
  client2 = await t.login('trader2@broker.local');
  support = await t.login('support@broker.local');
  t.lp.push('EURUSD', '1.08450', '1.08452');
});
afterAll(async () => {
  await t?.stop();
});

interface ProcInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  meta: Meta;
}

const procedures: ProcInfo[] = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcInfo['type']; meta?: Meta } }> } })._def.procedures).map(
  ([path, p]) => ({ path, type: p._def.type, meta: p._def.meta! }),
);

/** Calls a procedure over real HTTP and returns the status and the stable code. */
async function call(path: string, type: ProcInfo['type'], input: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify({ json: input });
  const res =
    type === 'query'
      ? await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers })
      : await fetch(`${t.url}/trpc/${path}`, { method: 'POST', headers, body });
  const json = (await res.json()) as { error?: { json: { data: { appCode: string } } } };
  return { status: res.status, code: json.error?.json.data.appCode ?? 'OK' };
}

/** A plausible input for every procedure, aimed at `accountId`. */
function inputFor(path: string, accountId: number): unknown {
  const base = { accountId };
  switch (path) {
    case 'auth.login':
      return { email: 'nobody@broker.local', password: 'x' };
    case 'market.candles':
      return { symbol: 'EURUSD', timeframe: '1m', limit: 5 };
    case 'orders.market':
      return { ...base, symbol: 'EURUSD', side: 'BUY', volume: '0.01' };
    case 'positions.close':
    case 'positions.modify':
      return { ...base, positionId: '1' };
    case 'positions.closeAll':
      return base;
    case 'orders.limit':
    case 'orders.stop':
      return { ...base, symbol: 'EURUSD', side: 'BUY', volume: '0.01', price: '1.0' };
    case 'orders.stopLimit':
      return { ...base, symbol: 'EURUSD', side: 'BUY', volume: '0.01', price: '1.2', stopPrice: '1.2' };
    case 'orders.modify':
    case 'orders.cancel':
      return { ...base, orderId: '1' };
    case 'risk.marginPreview':
      return { ...base, symbol: 'EURUSD', side: 'BUY', volume: '0.01' };
    case 'risk.calculateLot':
      return { ...base, symbol: 'EURUSD', riskPercent: '1', slPips: '20' };
    case 'admin.risk.pushQuote':
      return { symbol: 'EURUSD', bid: '1.1', ask: '1.1001' };
    case 'admin.finance.deposit':
      return { ...base, amount: '10.00', method: 'BANK_TRANSFER' };
    case 'account.trades':
    case 'account.ledger':
      return { ...base, limit: 5 };
    case 'alerts.list':
      return base;
    case 'alerts.create':
      return { ...base, symbol: 'EURUSD', side: 'BID', direction: 'ABOVE', price: '1.2' };
    case 'alerts.delete':
      return { ...base, alertId: '1' };
    default:
      return path.startsWith('account.') ? base : undefined;
  }
}

describe('access control', () => {
  it('every procedure declares who may call it', () => {
    expect(procedures.length).toBeGreaterThan(10);
    for (const p of procedures) expect(p.meta?.access?.kind, p.path).toBeDefined();
  });

  it('refuses a CLIENT token on every staff procedure', async () => {
    const staff = procedures.filter((p) => p.meta.access.kind === 'staff');
    expect(staff.map((p) => p.path)).toEqual(
      expect.arrayContaining(['admin.accounts.list', 'admin.finance.deposit', 'admin.system.health', 'admin.risk.pushQuote', 'admin.risk.rollover', 'admin.risk.updateSettings']),
    );
    for (const p of staff) {
      const res = await call(p.path, p.type, inputFor(p.path, client1.accountIds[0]!), client1.token);
      expect([p.path, res.status, res.code]).toEqual([p.path, 403, 'FORBIDDEN']);
    }
  });

  it('refuses every non-public procedure without a token, and with a forged one', async () => {
    for (const p of procedures.filter((x) => x.meta.access.kind !== 'public')) {
      const res = await call(p.path, p.type, inputFor(p.path, client1.accountIds[0]!));
      expect([p.path, res.status, res.code]).toEqual([p.path, 401, 'UNAUTHENTICATED']);
      const forged = client1.token.slice(0, -4) + 'AAAA';
      const res2 = await call(p.path, p.type, inputFor(p.path, client1.accountIds[0]!), forged);
      expect([p.path, res2.code]).toEqual([p.path, 'UNAUTHENTICATED']);
    }
  });

  it("never lets a trader read or touch another trader's account", async () => {
    const other = client2.accountIds[0]!;
    const accountProcs = procedures.filter((p) => p.meta.access.kind === 'account-read' || p.meta.access.kind === 'account-trade');
    expect(accountProcs.length).toBeGreaterThanOrEqual(15);
    for (const p of accountProcs) {
      const res = await call(p.path, p.type, inputFor(p.path, other), client1.token);
      expect([p.path, res.status, res.code]).toEqual([p.path, 404, 'ACCOUNT_NOT_FOUND']);
    }
    // …while the owner gets through the access check.
    const own = await call('account.summary', 'query', { accountId: other }, client2.token);
    expect(own.code).toBe('OK');
  });

  it('lets support staff read any account but not trade on it', async () => {
    const accountId = client1.accountIds[0]!;
    expect((await call('account.summary', 'query', { accountId }, support.token)).code).toBe('OK');
    expect((await call('orders.market', 'mutation', inputFor('orders.market', accountId), support.token)).code).toBe('FORBIDDEN');
    expect((await call('admin.finance.deposit', 'mutation', inputFor('admin.finance.deposit', accountId), support.token)).code).toBe('FORBIDDEN');
  });

  it("refuses a socket subscription to another trader's account", async () => {
    const socket = await t.socket(client1.token);
    const res = await socket.emitWithAck('subscribe', { type: 'account', accountId: client2.accountIds[0]! });
    expect(res).toMatchObject({ ok: false, code: 'ACCOUNT_NOT_FOUND' });
    const dealer = await socket.emitWithAck('subscribe', { type: 'dealer' });
    expect(dealer).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('refuses a socket without a valid token', async () => {
    await expect(t.socket('not-a-token')).rejects.toThrow(/UNAUTHENTICATED/);
  });
});
