// Issue 12 (high): tokens could not be revoked (a deactivated user's or a changed password's old token still
// deposited, a deleted user's token still read, there was no logout), and /trpc-ws and Socket.IO kept a
// connection past its token's expiry. Now a token is checked against its user (sessions.ts) on all three
// transports, and live connections close when their token expires or is revoked.
import bcrypt from 'bcryptjs';
import { Decimal } from 'decimal.js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@broker/db';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';
import { appCode, wsClient } from './load/fixtures.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  t.lp.push('EURUSD', '1.08450', '1.08452');
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

async function staffUser(role: 'ADMIN' | 'SUPER_ADMIN') {
  const n = `${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
  const user = await t.database.db.prisma.user.create({
    data: { email: `staff-${n}@test.local`, username: `staff-${n}`, name: `Staff ${n}`, passwordHash: await bcrypt.hash(DEMO_PASSWORD, 4), role },
  });
  const res = await t.client().auth.login.mutate({ email: user.email, password: DEMO_PASSWORD });
  return { id: user.id, token: res.token };
}

/** Opens /trpc-ws with a token; resolves with the close code when the server ends the connection. */
function rawWs(token: string) {
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/trpc-ws`, { headers: { authorization: `Bearer ${token}` } });
  const opened = new Promise<void>((r) => ws.once('open', () => r()));
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  return { ws, opened, closed };
}

describe('token revocation', () => {
  it('logout revokes the token on HTTP, /trpc-ws and Socket.IO, and closes the live connections', async () => {
    const trader = await t.createTrader();
    const api = t.client(trader.token);
    expect(await errorCode(api.auth.me.query())).toBe('OK');
    const socket = await t.socket(trader.token);
    const socketGone = new Promise<void>((r) => socket.once('disconnect', () => r()));
    const live = rawWs(trader.token);
    await live.opened;
    const ws = wsClient(t.url, trader.token);
    expect(await appCode(ws.api.auth.me.query())).toBe('OK');

    expect(await errorCode(api.auth.logout.mutate())).toBe('OK');

    expect(await errorCode(api.auth.me.query())).toBe('UNAUTHENTICATED');
    expect(await errorCode(api.orders.market.mutate({ accountId: trader.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.01' }))).toBe('UNAUTHENTICATED');
    await socketGone;
    expect(await live.closed).toBe(4001);
    // The ws client reconnects with the same token: refused.
    await eventually(async () => expect(await appCode(ws.api.auth.me.query())).toBe('UNAUTHENTICATED'), 5000);
    await ws.close();
    await expect(t.socket(trader.token)).rejects.toThrow(/UNAUTHENTICATED/);
    // Signing in again works, with a new token.
    const again = await t.client().auth.login.mutate({ email: (await t.database.db.prisma.user.findUniqueOrThrow({ where: { id: trader.userId } })).email, password: DEMO_PASSWORD });
    expect(await errorCode(t.client(again.token).auth.me.query())).toBe('OK');
    const audit = await t.database.db.prisma.auditLog.findMany({ where: { action: 'auth.logout', actorId: trader.userId } });
    expect(audit).toHaveLength(1);
  });

  it("a deactivated admin's token can no longer deposit", async () => {
    const admin = await staffUser('ADMIN');
    const trader = await t.createTrader();
    const api = t.client(admin.token);
    expect(await errorCode(api.admin.finance.deposit.mutate({ accountId: trader.accountId, amount: new Decimal('10') }))).toBe('OK');
    await t.database.db.prisma.user.update({ where: { id: admin.id }, data: { active: false } });
    await eventually(async () => expect(await errorCode(api.admin.finance.deposit.mutate({ accountId: trader.accountId, amount: new Decimal('10') }))).toBe('UNAUTHENTICATED'), 8000);
  }, 15_000);

  it("a password change revokes the old token, and a socket opened with it is closed", async () => {
    const trader = await t.createTrader();
    const socket = await t.socket(trader.token);
    const socketGone = new Promise<void>((r) => socket.once('disconnect', () => r()));
    await t.database.db.prisma.user.update({ where: { id: trader.userId }, data: { passwordHash: await bcrypt.hash('a-new-password-123', 4) } });
    await eventually(async () => expect(await errorCode(t.client(trader.token).auth.me.query())).toBe('UNAUTHENTICATED'), 8000);
    await socketGone;
  }, 20_000);

  it("a deleted user's token is refused, never a 500", async () => {
    const n = `${Date.now()}`;
    const user = await t.database.db.prisma.user.create({ data: { email: `gone-${n}@test.local`, username: `gone-${n}`, name: 'Gone', passwordHash: await bcrypt.hash(DEMO_PASSWORD, 4), role: 'SUPER_ADMIN' } });
    const { token } = await t.client().auth.login.mutate({ email: user.email, password: DEMO_PASSWORD });
    await t.database.db.prisma.auditLog.deleteMany({ where: { actorId: user.id } });
    await t.database.db.prisma.user.delete({ where: { id: user.id } });
    const trader = await t.createTrader();
    await eventually(async () => expect(await errorCode(t.client(token).admin.finance.deposit.mutate({ accountId: trader.accountId, amount: new Decimal('5') }))).toBe('UNAUTHENTICATED'), 8000);
    expect(await errorCode(t.client(token).admin.accounts.list.query())).toBe('UNAUTHENTICATED');
  }, 15_000);

  it('closes a Socket.IO connection and a /trpc-ws connection when the token expires', async () => {
    const trader = await t.createTrader();
    const row = await t.database.db.prisma.user.findUniqueOrThrow({ where: { id: trader.userId } });
    const user = { id: row.id, role: 'CLIENT' as const, email: row.email, name: row.name };
    // A client token issued 24 h minus 2 s ago: it expires in about 2 s.
    const { passwordFingerprint } = await import('../src/auth/sessions.ts');
    const { token } = await t.running.engine.tokens.issue(user, Date.now() - (24 * 3600 - 2) * 1000, { ver: row.tokenVersion, pwf: passwordFingerprint(row.passwordHash) });
    const socket = await t.socket(token);
    const socketGone = new Promise<number>((r) => socket.once('disconnect', () => r(Date.now())));
    const live = rawWs(token);
    await live.opened;
    const started = Date.now();
    const [goneAt, code] = await Promise.all([socketGone, live.closed]);
    expect(code).toBe(4001);
    expect(goneAt - started).toBeLessThan(4000);
    expect(await errorCode(t.client(token).auth.me.query())).toBe('UNAUTHENTICATED');
  }, 15_000);
});
