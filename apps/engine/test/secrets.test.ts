// Issue 12, critical: in production the engine refuses to start without a real ENGINE_JWT_SECRET (a token
// signed with the development secret of the source booked a deposit), and it listens on loopback by default.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { startEngine } from '../src/server.ts';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

const DEV_SECRET = 'dev-only-insecure-engine-secret-change-me';
const REAL_SECRET = 'prod-secret-for-the-test-0123456789abcdefXYZ';
const engineDir = fileURLToPath(new URL('..', import.meta.url));

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: engineDir,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('configuration', () => {
  it('binds to loopback unless ENGINE_HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ ENGINE_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it.each([
    ['unset', {}],
    ['the development secret', { ENGINE_JWT_SECRET: DEV_SECRET }],
    ['too short', { ENGINE_JWT_SECRET: 'short-secret-1234' }],
  ])('refuses to start in production with ENGINE_JWT_SECRET %s', async (_name, env) => {
    const config = loadConfig({ NODE_ENV: 'production', ...env });
    const err = await startEngine(config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/ENGINE_JWT_SECRET/);
    if ('ENGINE_JWT_SECRET' in env) expect((err as Error).message).not.toContain(env.ENGINE_JWT_SECRET);
  });

  it('main.ts exits with status 1 and says why', async () => {
    const res = await runMain({ NODE_ENV: 'production', ENGINE_PORT: '0' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('refusing to start');
    expect(res.stderr).toContain('ENGINE_JWT_SECRET');
  }, 40_000);
});

describe('a production engine with a real secret', () => {
  let t: TestEngine;
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a SUPER_ADMIN token forged with the source secret', async () => {
    t = await startTestEngine({ config: { production: true, jwtSecret: REAL_SECRET } });
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ role: 'SUPER_ADMIN', email: 'admin@broker.local', name: 'Forged' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('broker-engine')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(DEV_SECRET));
    expect(await errorCode(t.client(forged).admin.accounts.list.query())).toBe('UNAUTHENTICATED');
    // The genuine sign-in still works.
    const admin = await t.login('admin@broker.local');
    expect(await errorCode(t.client(admin.token).admin.accounts.list.query())).toBe('OK');
  });
});
