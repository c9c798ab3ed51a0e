// Starts the engine and both web apps as child processes (used by `npm start` and the end-to-end tests).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const NEXT = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');

export function isBuilt(app) {
  return existsSync(path.join(ROOT, 'apps', app, '.next', 'BUILD_ID'));
}

export function buildWebApps(env = process.env) {
  const turbo = path.join(ROOT, 'node_modules', '.bin', 'turbo');
  const res = spawnSync(turbo, ['run', 'build', '--filter=@broker/trader-web', '--filter=@broker/admin-web'], {
    cwd: ROOT,
    env: { ...env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  if (res.status !== 0) throw new Error('building the web apps failed');
}

function launch(name, args, cwd, env, onLine) {
  // Own process group, so stopping kills the real server and not only a wrapper.
  const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (stream) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(name, buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  return child;
}

async function waitFor(url, child, name, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Starts engine, trader-web and admin-web. `env` reaches all three (DATABASE_URL, REDIS_URL, PGLITE_DIR,
 * MARKET_HOURS…). Returns the URLs and stop().
 */
export async function startPlatform({
  enginePort = 4000,
  traderPort = 3000,
  adminPort = 3001,
  host = 'localhost',
  env = process.env,
  onLine = (name, line) => process.stdout.write(`[${name}] ${line}\n`),
  timeoutMs = 120_000,
} = {}) {
  const engineUrl = `http://${host}:${enginePort}`;
  const traderUrl = `http://${host}:${traderPort}`;
  const adminUrl = `http://${host}:${adminPort}`;
  // `next start` runs with NODE_ENV=production and refuses a missing or development secret: without one set, a
  // fresh random secret per run (sessions end when the platform stops).
  const secret = env.NEXTAUTH_SECRET || randomBytes(32).toString('base64url');
  const children = [];
  const stop = async () => {
    for (const c of children.reverse()) {
      if (c.exitCode === null) {
        try {
          process.kill(-c.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
    }
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null) return resolve();
            const t = setTimeout(() => {
              try {
                process.kill(-c.pid, 'SIGKILL');
              } catch {
                /* gone */
              }
              resolve();
            }, 5000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
  };
  try {
    const origins = [traderUrl, adminUrl, `http://localhost:${traderPort}`, `http://localhost:${adminPort}`, `http://127.0.0.1:${traderPort}`, `http://127.0.0.1:${adminPort}`];
    const engine = launch(
      'engine',
      [TSX, 'src/main.ts'],
      path.join(ROOT, 'apps', 'engine'),
      { ...env, ENGINE_PORT: String(enginePort), CORS_ORIGINS: env.CORS_ORIGINS || [...new Set(origins)].join(',') },
      onLine,
    );
    children.push(engine);
    await waitFor(`${engineUrl}/health`, engine, 'engine', timeoutMs);
    const web = (app, port, url) =>
      launch(
        app,
        [NEXT, 'start', '--port', String(port)],
        path.join(ROOT, 'apps', app),
        { ...env, ENGINE_URL: engineUrl, ENGINE_PUBLIC_URL: env.ENGINE_PUBLIC_URL || engineUrl, NEXTAUTH_URL: url, NEXTAUTH_SECRET: secret, NEXT_TELEMETRY_DISABLED: '1' },
        onLine,
      );
    const trader = web('trader-web', traderPort, traderUrl);
    children.push(trader);
    const admin = web('admin-web', adminPort, adminUrl);
    children.push(admin);
    await Promise.all([waitFor(`${traderUrl}/login`, trader, 'trader-web', timeoutMs), waitFor(`${adminUrl}/login`, admin, 'admin-web', timeoutMs)]);
    return { engineUrl, traderUrl, adminUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
