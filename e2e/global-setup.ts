// Starts the real platform for the end-to-end tests: engine + both built web apps, on their own ports and
// their own database (a fresh PostgreSQL database when DATABASE_URL is set, a fresh embedded one otherwise).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createTestDatabase } from '@broker/db/testing';
// @ts-expect-error plain ESM helper shared with `npm start`
import { startPlatform } from '../scripts/platform.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    platform: { engineUrl: string; traderUrl: string; adminUrl: string };
  }
}

export default async function setup(project: TestProject) {
  const env: NodeJS.ProcessEnv = { ...process.env, MARKET_HOURS: 'always-open', ENGINE_AUTO_ROLLOVER: 'false', ENGINE_JWT_SECRET: 'e2e-secret-0123456789abcdef', NEXTAUTH_SECRET: 'e2e-nextauth-secret-0123456789abcdefghij' };
  let cleanup: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    await database.db.close();
    env.DATABASE_URL = database.url!;
    cleanup = () => database.drop();
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'broker-e2e-'));
    env.DATABASE_URL = '';
    env.PGLITE_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const logs: string[] = [];
  let platform;
  try {
    // E2E_PORT_OFFSET moves all three ports, for two worktrees running their suites on one machine.
    const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
    platform = await startPlatform({
      enginePort: 4100 + offset,
      traderPort: 3100 + offset,
      adminPort: 3101 + offset,
      host: '127.0.0.1',
      env,
      onLine: (name: string, line: string) => {
        logs.push(`[${name}] ${line}`);
        if (logs.length > 400) logs.shift();
        if (process.env.E2E_VERBOSE) console.log(`[${name}] ${line}`);
      },
    });
  } catch (err) {
    console.error(logs.slice(-80).join('\n'));
    await cleanup();
    throw err;
  }
  project.provide('platform', { engineUrl: platform.engineUrl, traderUrl: platform.traderUrl, adminUrl: platform.adminUrl });
  return async () => {
    await platform.stop();
    await cleanup();
  };
}
