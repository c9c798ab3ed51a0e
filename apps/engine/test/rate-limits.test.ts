// Issue 12 (high): 200 wrong passwords at ~14/s, then the right one worked; a batched login flood stalled the
// event loop (bcrypt on it); no LOGIN rows in the audit log. Now: sign-in attempts are limited and failures
// lock out with back-off (Redis when present), passwords are hashed off the event loop, API calls are limited
// per user and per address, socket messages per connection, and every refusal is RATE_LIMITED with a
// Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_PASSWORD } from '@broker/db';
import { transformer } from '@broker/api/transformer';
import { RateLimits } from '../src/auth/rate-limits.ts';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;

async function login(email: string, password: string, userAgent = 'rate-limit-test/1.0') {
  const res = await fetch(`${t.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ json: { email, password } }),
  });
  const text = await res.text();
  return { status: res.status, appCode: /"appCode":"([A-Z_]+)"/.exec(text)?.[1] ?? 'OK', retryAfter: res.headers.get('retry-after') };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('sign-in limits and lock-out', () => {
  beforeAll(async () => {
    // With REDIS_URL the sign-in counters live in Redis: the lock-out survives a restart (checked below).
    t = await startTestEngine({ redisUrl: process.env.REDIS_URL, config: { rateLimits: { loginPerIpPerMinute: 1000 } } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('locks an email out after repeated wrong passwords: the right one is refused too, with Retry-After', async () => {
    const trader = await t.createTrader();
    const { email } = (await t.database.db.prisma.user.findUniqueOrThrow({ where: { id: trader.userId } }));
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) codes.push((await login(email, `wrong-${i}`)).appCode);
    expect(codes.slice(0, 6)).toEqual(Array(6).fill('INVALID_CREDENTIALS'));
    expect(codes.slice(6)).toEqual(Array(14).fill('RATE_LIMITED'));
    const right = await login(email, DEMO_PASSWORD);
    expect([right.status, right.appCode]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(right.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(right.retryAfter)).toBeLessThanOrEqual(60);
    // Another user from the same address is not locked out.
    expect((await login('trader2@broker.local', DEMO_PASSWORD)).appCode).toBe('OK');
    if (process.env.REDIS_URL) {
      await t.restart();
      expect((await login(email, DEMO_PASSWORD)).appCode).toBe('RATE_LIMITED');
    }
  });

  it('audits every sign-in, refused or not, with the address and user agent', async () => {
    expect((await login('trader1@broker.local', 'not-the-password', 'Mozilla/5.0 (audit test)')).appCode).toBe('INVALID_CREDENTIALS');
    expect((await login('trader1@broker.local', DEMO_PASSWORD, 'Mozilla/5.0 (audit test)')).appCode).toBe('OK');
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { action: { in: ['auth.login', 'auth.login_failed'] }, details: { path: ['userAgent'], equals: 'Mozilla/5.0 (audit test)' } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual(['auth.login_failed', 'auth.login']);
    for (const r of rows) {
      expect(r.ip).toMatch(/127\.0\.0\.1/);
      expect(r.details).toMatchObject({ email: 'trader1@broker.local', userAgent: 'Mozilla/5.0 (audit test)' });
      expect(JSON.stringify(r.details)).not.toContain('not-the-password');
    }
    expect(rows[0]!.details).toMatchObject({ reason: 'wrong password' });
  });
});

describe('a sign-in flood', () => {
  beforeAll(async () => {
    t = await startTestEngine({ config: { rateLimits: { loginPerIpPerMinute: 100 } } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('is limited per address while market.quotes keeps answering (p99 printed)', async () => {
    const { token } = await t.login('trader1@broker.local');
    t.lp.push('EURUSD', '1.08450', '1.08452');
    let flooding = true;
    const latencies: number[] = [];
    const prober = (async () => {
      while (flooding) {
        const started = performance.now();
        const res = await fetch(`${t.url}/trpc/market.quotes`, { headers: { authorization: `Bearer ${token}` } });
        await res.text();
        expect(res.status).toBe(200);
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    // 200 sign-ins at once, each to its own email (no lock-out): the address's budget (100/min) refuses the rest.
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login(`flood-${i}@nowhere.test`, `pw-${i}`)));
    const floodMs = performance.now() - started;
    flooding = false;
    await prober;
    const codes = answers.reduce<Record<string, number>>((m, a) => ((m[a.appCode] = (m[a.appCode] ?? 0) + 1), m), {});
    expect(codes.INVALID_CREDENTIALS).toBe(99); // 100 minus the trader's own sign-in above
    expect(codes.RATE_LIMITED).toBe(101);
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`sign-in flood: 200 attempts in ${floodMs.toFixed(0)} ms; market.quotes under it: n=${latencies.length} p50=${p50.toFixed(1)} ms p99=${p99.toFixed(1)} ms max=${latencies.at(-1)!.toFixed(1)} ms`);
    // bcryptjs on the event loop held every call for the whole flood (each probe waited for the hashes queued
    // before it); the native pool does not. Measured against the flood itself, not a wall-clock figure, so a
    // loaded machine slows both sides alike (the p99 is printed for the note; speed lives in bench/).
    expect(latencies.length).toBeGreaterThan(3);
    expect(p99).toBeLessThan(floodMs / 2);
  }, 60_000);
});

describe('API and socket limits', () => {
  beforeAll(async () => {
    t = await startTestEngine({ config: { rateLimits: { apiPerUser: 20, apiPerIp: 100, socketPerSecond: 5, wsPerSecond: 5, wsBurst: 10, floodRefusals: 40 } } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses calls past a user budget with RATE_LIMITED and Retry-After; another user is unaffected', async () => {
    const a = await t.login('trader1@broker.local');
    const b = await t.login('trader2@broker.local');
    const burst = await Promise.all(Array.from({ length: 40 }, () => fetch(`${t.url}/trpc/market.quotes`, { headers: { authorization: `Bearer ${a.token}` } })));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(await limited[0]!.text()).toContain('"appCode":"RATE_LIMITED"');
    expect(await errorCode(t.client(b.token).market.quotes.query())).toBe('OK');
    // A second later the budget is back.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await errorCode(t.client(a.token).market.quotes.query())).toBe('OK');
  });

  it('refuses calls past the address budget, signed in or not', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const burst = await Promise.all(Array.from({ length: 200 }, () => fetch(`${t.url}/trpc/market.quotes`)));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(50);
    expect(await limited[0]!.text()).toContain('"appCode":"RATE_LIMITED"');
    // The rest were answered (UNAUTHENTICATED: no token), none failed.
    expect(burst.every((r) => r.status === 429 || r.status === 401)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
  });

  it('answers Socket.IO messages past the per-connection budget RATE_LIMITED with the wait, and closes a flood', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const { token } = await t.login('trader1@broker.local');
    const s = await t.socket(token);
    const errors: { code: string; retryAfterSeconds?: number }[] = [];
    s.on('error_event', (e) => errors.push(e));
    const acks = await Promise.all(Array.from({ length: 12 }, () => s.timeout(5000).emitWithAck('subscribe', { type: 'quotes', symbols: ['EURUSD'] })));
    // A burst of 5 (and what refilled at 5/s while the 12 arrived: at most one more on a busy machine).
    const handled = acks.filter((a) => a.ok).length;
    expect(handled).toBeGreaterThanOrEqual(5);
    expect(handled).toBeLessThanOrEqual(6);
    for (const a of acks.filter((x) => !x.ok)) expect(a).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    // A message without an ack is told through error_event.
    s.emit('unsubscribe', { type: 'quotes', symbols: ['EURUSD'] });
    await eventually(() => expect(errors[0]).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 }));
    // A flood: past 40 refusals within the window the server closes the socket.
    const closed = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    for (let i = 0; i < 60; i++) s.emit('unsubscribe', { type: 'quotes', symbols: ['EURUSD'] });
    expect(await closed).toBe('io server disconnect');
  });

  it('answers /trpc-ws calls past the per-connection budget RATE_LIMITED with the wait, and closes a flood', async () => {
    const { token } = await t.login('trader2@broker.local');
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/trpc-ws`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers = new Map<number, { ok: boolean; appCode?: string; retryAfterSeconds?: number; httpStatus?: number }>();
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { json?: { data?: { appCode?: string; httpStatus?: number; details?: { retryAfterSeconds?: number } } } } };
      if (typeof msg.id !== 'number') return;
      const e = msg.error?.json?.data;
      answers.set(msg.id, msg.error ? { ok: false, appCode: e?.appCode, httpStatus: e?.httpStatus, retryAfterSeconds: e?.details?.retryAfterSeconds } : { ok: true });
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    let id = 0;
    const call = () => ws.send(JSON.stringify({ id: ++id, method: 'query', params: { path: 'market.quotes', input: transformer.serialize(undefined) } }));
    // 30 calls at once against a burst of 10 at 5/s: ten answered, the rest refused, each with its wait.
    for (let i = 0; i < 30; i++) call();
    await eventually(() => expect(answers.size).toBe(30));
    const ok = [...answers.values()].filter((a) => a.ok).length;
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(11);
    for (const a of [...answers.values()].filter((x) => !x.ok)) expect(a).toEqual({ ok: false, appCode: 'RATE_LIMITED', httpStatus: 429, retryAfterSeconds: 1 });
    // A client that waits as told is served again.
    await new Promise((r) => setTimeout(r, 1100));
    call();
    await eventually(() => expect(answers.get(id)).toEqual({ ok: true }));
    // A flood: past 40 refusals within the window the connection is closed (policy violation).
    for (let i = 0; i < 100; i++) call();
    expect(await closed).toBe(1008);
    // Another connection is not affected.
    const other = new WebSocket(`${t.url.replace(/^http/, 'ws')}/trpc-ws`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => other.once('open', resolve).once('error', reject));
    const answered = new Promise<string>((resolve) => other.once('message', (d: Buffer) => resolve(d.toString())));
    other.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'market.quotes', input: transformer.serialize(undefined) } }));
    expect(await answered).toContain('"result"');
    other.close();
  });

  it('counts every call of a batched /trpc-ws message', async () => {
    const { token } = await t.createTrader();
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/trpc-ws`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const codes: string[] = [];
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number; error?: { json?: { data?: { appCode?: string } } } };
      if (typeof msg.id === 'number') codes.push(msg.error?.json?.data?.appCode ?? 'OK');
    });
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, method: 'query', params: { path: 'market.quotes', input: transformer.serialize(undefined) } }));
    ws.send(JSON.stringify(batch(10, 1))); // the whole burst of 10 in one message
    await eventually(() => expect(codes).toHaveLength(10));
    ws.send(JSON.stringify(batch(10, 11))); // 10 more before 2 s have refilled them: every call refused
    await eventually(() => expect(codes).toHaveLength(20));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('OK'));
    expect(codes.slice(10)).toEqual(Array(10).fill('RATE_LIMITED'));
    ws.close();
  });
});

describe('RateLimits', () => {
  it('doubles each further lock-out of the day (back-off), up to the cap', async () => {
    const r = new RateLimits({ options: { loginFailuresBeforeLockout: 1, loginLockoutS: 10, loginMaxLockoutS: 25 } });
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      // Past the threshold (1): locked out.
      await r.loginFailed('a@b.c', '1.2.3.4');
      await r.loginFailed('a@b.c', '1.2.3.4');
      const err = await r.beforeLogin('a@b.c', '1.2.3.4').catch((e: { details: { retryAfterSeconds: number } }) => e);
      waits.push((err as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds);
      // A success clears the failures (and the lock) but not the day's lock-out count.
      await r.loginSucceeded('a@b.c', '1.2.3.4');
    }
    expect(waits).toEqual([10, 20, 25]);
    await r.loginSucceeded('a@b.c', '1.2.3.4');
    await expect(r.beforeLogin('a@b.c', '1.2.3.4')).resolves.toBeUndefined();
  });
});
