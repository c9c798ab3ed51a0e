// Issue 12: security headers on the engine's responses, the WebSocket Origin checks (/trpc-ws and Socket.IO
// against CORS_ORIGINS), a per-address connection cap and a cap on the calls one batched request carries.
import net from 'node:net';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@broker/db';
import { startTestEngine, type TestEngine } from './harness.ts';

const WEB_APP = 'http://localhost:3000';
let t: TestEngine;
let token: string;

beforeAll(async () => {
  t = await startTestEngine({ config: { corsOrigins: [WEB_APP], maxConnectionsPerIp: 40, maxBatchSize: 20 } });
  token = (await t.login('trader1@broker.local')).token;
});
afterAll(async () => {
  await t?.stop();
});

function expectSecurityHeaders(h: Headers) {
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options')).toBe('DENY');
  expect(h.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(h.get('content-security-policy')).toContain("default-src 'none'");
  expect(h.get('referrer-policy')).toBe('no-referrer');
  expect(h.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(h.get('x-powered-by')).toBeNull();
}

describe('engine HTTP hardening', () => {
  it('sends security headers on every response', async () => {
    expectSecurityHeaders((await fetch(`${t.url}/health`)).headers);
    expectSecurityHeaders((await fetch(`${t.url}/nowhere`)).headers);
    const q = await fetch(`${t.url}/trpc/market.quotes`, { headers: { authorization: `Bearer ${token}` } });
    expect(q.status).toBe(200);
    expectSecurityHeaders(q.headers);
    expect(q.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a batch of 200 logins in one request at once, and keeps answering', async () => {
    const n = 200;
    const names = Array.from({ length: n }, () => 'auth.login').join(',');
    const body = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { json: { email: 'trader1@broker.local', password: `wrong-${i}` } }]));
    const started = performance.now();
    const res = await fetch(`${t.url}/trpc/${names}?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ms = performance.now() - started;
    expect(res.status).toBe(429);
    const json = (await res.json()) as { error: { json: { data: { appCode: string } } } }[];
    expect(json[0]!.error.json.data.appCode).toBe('RATE_LIMITED');
    expect(ms).toBeLessThan(1000);
    // A batch within the cap still works.
    const ok = await fetch(`${t.url}/trpc/market.quotes,market.quotes?batch=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(2);
  });

  it('/trpc-ws refuses a foreign Origin and lets the web app and non-browser clients in', async () => {
    const open = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/trpc-ws`, { headers });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
        ws.once('error', (e) => resolve(`error ${e.message}`));
      });
    expect(await open({ origin: 'https://evil.example' })).toMatch(/403/);
    expect(await open({ origin: WEB_APP })).toBe('open');
    expect(await open({})).toBe('open');
  });

  it('Socket.IO refuses a foreign Origin on the WebSocket transport', async () => {
    const connect = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = io(t.url, { auth: { token }, transports: ['websocket'], reconnection: false, extraHeaders: { origin } });
        s.once('connect', () => {
          s.disconnect();
          resolve('connected');
        });
        s.once('connect_error', (e) => {
          s.disconnect();
          resolve(`refused ${e.message}`);
        });
      });
    expect(await connect('https://evil.example')).toMatch(/^refused/);
    expect(await connect(WEB_APP)).toBe('connected');
  });

  it('caps the connections one address holds open', async () => {
    const held: net.Socket[] = [];
    try {
      // Connections stay open up to the cap (this process's fetch pool holds a few of them); the next is closed at once.
      let refusedAt = -1;
      for (let i = 0; i < 60 && refusedAt < 0; i++) {
        const s = net.connect(t.running.port, '127.0.0.1');
        await new Promise<void>((r) => s.once('connect', () => r()));
        held.push(s);
        const closed = await new Promise<boolean>((resolve) => {
          s.once('close', () => resolve(true));
          setTimeout(() => resolve(false), 50);
        });
        if (closed) refusedAt = i;
      }
      expect(refusedAt).toBeGreaterThan(30);
      expect(refusedAt).toBeLessThanOrEqual(40);
    } finally {
      for (const s of held) s.destroy();
    }
    // Once they are gone the address may connect again.
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });

  it('still signs in after all of that', async () => {
    const res = await t.client().auth.login.mutate({ email: 'trader1@broker.local', password: DEMO_PASSWORD });
    expect(res.token).toBeTruthy();
  });
});
