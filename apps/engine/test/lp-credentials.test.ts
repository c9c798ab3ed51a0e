// Issue 12, high: an ADMIN pointed a REST LP's credentialEnv at DATABASE_URL and its streamUrl at their own
// host, and the engine sent `Authorization: Bearer postgresql://…` there. Credentials come only from LP_…
// variables, endpoints follow a policy (credentials.ts), and no secret reaches a log, an error or the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LpUpsertInput } from '@broker/api/schemas';
import { createLogger } from '../src/logger.ts';
import { createOandaLp } from '../src/lp/oanda/oanda-lp.ts';
import { createBinanceLp } from '../src/lp/binance/binance-lp.ts';
import { credentialEnvProblem, endpointProblem, hostProblem, readCredential } from '../src/lp/credentials.ts';
import { startFakeOanda, type FakeOanda } from './fakes/fake-oanda.ts';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

const SECRET_DB_URL = 'postgresql://broker:hunter2-db-password@db.internal:5432/broker';
const JWT = 'the-engine-jwt-secret-which-must-never-leave-0123456789';
const silent = createLogger('test', { silent: true });
const https = { secure: 'https:', plain: 'http:' };

describe('the credential and endpoint policy', () => {
  it('only names under LP_ are credentials', () => {
    expect(credentialEnvProblem({ token: 'LP_OANDA_TOKEN' })).toBeUndefined();
    for (const bad of ['DATABASE_URL', 'ENGINE_JWT_SECRET', 'REDIS_URL', 'lp_lower', 'LP_', 'LP_A-B', 'PATH', `LP_${'A'.repeat(100)}`]) {
      expect(credentialEnvProblem({ token: bad }), bad).toMatch(/LP_/);
    }
    expect(credentialEnvProblem({ token: 42 as unknown as string })).toMatch(/number is refused/);
    expect(() => readCredential({ DATABASE_URL: SECRET_DB_URL }, 'DATABASE_URL')).toThrow(/refused/);
    expect(readCredential({ LP_X: 'v' }, 'LP_X')).toBe('v');
  });

  it('endpoints: https, no credentials, no internal addresses, bounded, allow-list when set', () => {
    const env = {};
    expect(endpointProblem('u', 'https://stream-fxpractice.oanda.com', https, env)).toBeUndefined();
    expect(endpointProblem('u', 'http://127.0.0.1:9999', https, env)).toBeUndefined(); // fakes in tests
    expect(endpointProblem('u', 'http://stream.example.com', https, env)).toMatch(/https/);
    expect(endpointProblem('u', 'ftp://stream.example.com', https, env)).toMatch(/https/);
    expect(endpointProblem('u', 'https://user:pw@stream.example.com', https, env)).toMatch(/user or password/);
    expect(endpointProblem('u', 'https://user:pw@stream.example.com', https, env)).not.toContain('pw');
    expect(endpointProblem('u', 'https://169.254.169.254/latest', https, env)).toMatch(/link-local/);
    expect(endpointProblem('u', 'https://10.0.0.5', https, env)).toMatch(/private/);
    expect(endpointProblem('u', 'https://[fd00::1]', https, env)).toMatch(/private/);
    expect(endpointProblem('u', `https://x.example.com/${'a'.repeat(600)}`, https, env)).toMatch(/500/);
    expect(endpointProblem('u', 'https://x.example.com/?a=1', https, env)).toMatch(/query/);
    expect(endpointProblem('u', 'not a url', https, env)).toMatch(/not a URL/);
    // Production: no loopback unless listed.
    expect(endpointProblem('u', 'http://127.0.0.1:9999', https, { NODE_ENV: 'production' })).toMatch(/loopback/);
    const listed = { NODE_ENV: 'production', LP_ALLOWED_HOSTS: '*.oanda.com, fix.lp.example' };
    expect(endpointProblem('u', 'https://stream-fxtrade.oanda.com', https, listed)).toBeUndefined();
    expect(endpointProblem('u', 'https://evil.example.com', https, listed)).toMatch(/LP_ALLOWED_HOSTS/);
    expect(endpointProblem('u', 'https://oanda.com.evil.example', https, listed)).toMatch(/LP_ALLOWED_HOSTS/);
    expect(hostProblem('settings.host', 'fix.lp.example', listed)).toBeUndefined();
    expect(hostProblem('settings.host', '192.168.1.10', {})).toMatch(/private/);
  });

  it('the upsert schema refuses a variable outside LP_ and an endpoint outside the policy', () => {
    const base = { name: 'EVIL', type: 'REST' as const, settings: { streamUrl: 'https://stream.example.com', accountId: 'a' }, credentialEnv: { token: 'LP_TOKEN' } };
    expect(LpUpsertInput.safeParse(base).success).toBe(true);
    expect(LpUpsertInput.safeParse({ ...base, credentialEnv: { token: 'DATABASE_URL' } }).success).toBe(false);
    expect(LpUpsertInput.safeParse({ ...base, credentialEnv: { token: 'ENGINE_JWT_SECRET' } }).success).toBe(false);
    for (const streamUrl of ['http://attacker.example', 'https://u:p@attacker.example', 'gopher://x', `https://x.example/${'a'.repeat(600)}`]) {
      expect(LpUpsertInput.safeParse({ ...base, settings: { ...base.settings, streamUrl } }).success, streamUrl).toBe(false);
    }
    expect(LpUpsertInput.safeParse({ ...base, type: 'WEBSOCKET', settings: { wsUrl: 'ws://attacker.example' } }).success).toBe(false);
    expect(LpUpsertInput.safeParse({ ...base, id: 2_147_483_648 }).success).toBe(false);
  });
});

describe('adapters read only LP_ variables', () => {
  let fake: FakeOanda;
  beforeAll(async () => {
    fake = await startFakeOanda({ token: SECRET_DB_URL, accountId: 'acc' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('an OANDA row naming DATABASE_URL is UNAVAILABLE and sends nothing', async () => {
    const lp = createOandaLp({ name: 'EVIL', settings: { streamUrl: fake.url, accountId: 'acc', instruments: ['EUR_USD'] }, credentialEnv: { token: 'DATABASE_URL' }, env: { DATABASE_URL: SECRET_DB_URL }, logger: silent });
    await lp.start(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect(lp.status().state).toBe('UNAVAILABLE');
    expect(lp.status().reason).toMatch(/credentialEnv\.token.*LP_/);
    expect(lp.status().reason).not.toContain('hunter2');
    expect(fake.requests).toHaveLength(0);
    await lp.stop();
  });

  it('a Binance row naming ENGINE_JWT_SECRET is UNAVAILABLE', async () => {
    const lp = createBinanceLp({ name: 'EVILWS', settings: { wsUrl: 'ws://127.0.0.1:9' }, credentialEnv: { apiKey: 'ENGINE_JWT_SECRET' }, env: { ENGINE_JWT_SECRET: JWT }, logger: silent });
    await lp.start(() => undefined);
    expect(lp.status()).toMatchObject({ state: 'UNAVAILABLE' });
    expect(lp.status().reason).toMatch(/LP_/);
    await lp.stop();
  });
});

describe('an exfiltration row already in the database', () => {
  let t: TestEngine;
  let fake: FakeOanda;
  const logs: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  beforeAll(async () => {
    fake = await startFakeOanda({ token: SECRET_DB_URL, accountId: 'acc' });
    // Capture (and swallow) every log line the engine writes while it runs: the harness logs when ENGINE_TEST_LOGS is set.
    process.stdout.write = ((chunk: string | Uint8Array) => (logs.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => (logs.push(String(chunk)), true)) as typeof process.stderr.write;
    const hadLogs = process.env.ENGINE_TEST_LOGS;
    process.env.ENGINE_TEST_LOGS = '1';
    try {
      t = await startTestEngine({
        lpsFromDb: true,
        env: { DATABASE_URL: SECRET_DB_URL, ENGINE_JWT_SECRET: JWT },
        beforeStart: async (db) => {
          await db.prisma.liquidityProvider.createMany({
            data: [
              { name: 'EXFIL', type: 'REST', priority: 5, settings: { streamUrl: fake.url, accountId: 'acc', instruments: ['EUR_USD'] }, credentialEnv: { token: 'DATABASE_URL' }, symbolMap: { EUR_USD: 'EURUSD' } },
              { name: 'METADATA', type: 'REST', priority: 6, settings: { streamUrl: 'https://169.254.169.254', accountId: 'acc', instruments: ['EUR_USD'] }, credentialEnv: { token: 'LP_T' }, symbolMap: { EUR_USD: 'EURUSD' } },
            ],
          });
        },
      });
    } finally {
      if (hadLogs === undefined) delete process.env.ENGINE_TEST_LOGS;
      else process.env.ENGINE_TEST_LOGS = hadLogs;
    }
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
    process.stdout.write = write;
    process.stderr.write = writeErr;
  });

  it('is never read: the LP is UNAVAILABLE with the reason, and the host got no request', async () => {
    const admin = await t.login('superadmin@broker.local');
    const lps = await t.client(admin.token).admin.lps.list.query();
    const exfil = lps.find((l) => l.name === 'EXFIL')!;
    expect(exfil.state).toBe('UNAVAILABLE');
    expect(exfil.reason).toMatch(/credentialEnv\.token/);
    const metadata = lps.find((l) => l.name === 'METADATA')!;
    expect(metadata).toMatchObject({ state: 'UNAVAILABLE' });
    expect(metadata.reason).toMatch(/link-local/);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests).toHaveLength(0);
    const wire = JSON.stringify(lps);
    expect(wire).not.toContain('hunter2');
    expect(wire).not.toContain(JWT);
    expect(logs.join('')).toContain('lp refused'); // the capture saw the engine's lines
    expect(logs.join('')).not.toContain('hunter2');
  });

  it('an admin cannot write such a row through the API', async () => {
    const admin = await t.login('superadmin@broker.local');
    const c = t.client(admin.token);
    const code = await errorCode(
      c.admin.lps.upsert.mutate({ name: 'EXFIL2', type: 'REST', settings: { streamUrl: 'https://attacker.example', accountId: 'a' }, credentialEnv: { token: 'DATABASE_URL' } }),
    );
    expect(code).toBe('VALIDATION_ERROR');
    expect(await errorCode(c.admin.lps.upsert.mutate({ name: 'SSRF', type: 'REST', settings: { streamUrl: 'http://attacker.example', accountId: 'a' }, credentialEnv: { token: 'LP_T' } }))).toBe('VALIDATION_ERROR');
    const audit = await t.database.db.prisma.auditLog.findMany();
    expect(JSON.stringify(audit, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('hunter2');
    await eventually(async () => expect(fake.requests).toHaveLength(0));
  });
});
