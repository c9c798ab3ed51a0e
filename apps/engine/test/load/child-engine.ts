// The engine as a real child process (apps/engine/src/main.ts through tsx), in its own process group so
// a test can kill -9 the whole group (tsx runs the script in a grandchild) and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ChildEngine {
  url: string;
  port: number;
  pid: number;
  /** SIGKILL to the whole process group; resolves when the child is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (clean stop); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export async function startChildEngine(opts: {
  databaseUrl: string;
  port?: number;
  jwtSecret: string;
  env?: Record<string, string>;
  /** Engine stdout/stderr go here (file path); default: discarded. */
  logFile?: string;
  nodeArgs?: string[];
  startTimeoutMs?: number;
}): Promise<ChildEngine> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    // With nodeArgs (e.g. --cpu-prof) node runs main.ts itself through tsx's loader, so the flags reach the
    // engine rather than the tsx CLI wrapper.
    opts.nodeArgs?.length
      ? [...opts.nodeArgs, '--import', 'tsx', path.join(REPO_ROOT, 'apps/engine/src/main.ts')]
      : [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'apps/engine/src/main.ts')],
    {
      cwd: REPO_ROOT,
      detached: true, // its own process group
      stdio: ['ignore', opts.logFile ? 'pipe' : 'ignore', opts.logFile ? 'pipe' : 'ignore'],
      env: {
        ...process.env,
        ENGINE_PORT: String(port),
        ENGINE_HOST: '127.0.0.1',
        DATABASE_URL: opts.databaseUrl,
        ENGINE_LP: 'manual',
        MARKET_HOURS: 'always-open',
        ENGINE_JWT_SECRET: opts.jwtSecret,
        REDIS_URL: '',
        // A 22:00 UTC rollover in the middle of a drill or a benchmark would change what it measures.
        ENGINE_AUTO_ROLLOVER: 'false',
        ...opts.env,
      },
    },
  );
  if (opts.logFile) {
    const out = createWriteStream(opts.logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid!;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };
  let dead = false;
  void exited.then(() => (dead = true));

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (dead) throw new Error(`engine exited before it was healthy${opts.logFile ? ` (see ${opts.logFile})` : ''}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      throw new Error('engine did not become healthy in time');
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port,
    pid,
    exited,
    async kill9() {
      killGroup('SIGKILL');
      await exited;
      // The grandchild (the engine itself) is in the same group: wait until the group is empty.
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(-pid, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`process group ${pid} survived SIGKILL`);
    },
    async stop(graceMs = 10_000) {
      if (dead) return;
      killGroup('SIGTERM');
      const t = setTimeout(() => killGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}
