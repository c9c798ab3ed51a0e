#!/usr/bin/env node
// `npm start`: the whole platform on this machine. Builds the web apps the first time, then starts the
// engine (embedded database and simulated prices unless DATABASE_URL / REDIS_URL / LPs say otherwise),
// trader-web on :3000 and admin-web on :3001. Ctrl-C stops everything.
import { buildWebApps, isBuilt, startPlatform } from './platform.mjs';

if (!isBuilt('trader-web') || !isBuilt('admin-web') || process.argv.includes('--rebuild')) {
  console.log('Building the web apps (first start only; about 2–3 minutes)…');
  buildWebApps();
}
const platform = await startPlatform({
  enginePort: Number(process.env.ENGINE_PORT ?? 4000),
  traderPort: Number(process.env.TRADER_PORT ?? 3000),
  adminPort: Number(process.env.ADMIN_PORT ?? 3001),
});
console.log(`
  Platform is up.
    Trader terminal  ${platform.traderUrl}   trader1@broker.local / demo1234
    Back office      ${platform.adminUrl}   admin@broker.local / demo1234
    Engine           ${platform.engineUrl}   (/health, /metrics, /trpc)
  Database: ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${process.env.PGLITE_DIR ?? '.data/pglite'}`}; quotes: ${process.env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in memory'}.
  Ctrl-C stops everything.
`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
