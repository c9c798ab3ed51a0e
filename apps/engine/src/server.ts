// Builds a whole engine (database, Redis, LP, HTTP, sockets) from a config. main.ts and tests both use it.
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createDb, seed, type Db } from '@broker/db';
import { createHttpServer } from './api/http-server.ts';
import { attachSockets } from './api/sockets.ts';
import { attachTrpcWs } from './api/trpc-ws.ts';
import { ConfigError, isDevSecret, secretProblem, type EngineConfig } from './config.ts';
import { Engine, type EngineOptions } from './engine.ts';
import { createLogger, type Logger } from './logger.ts';
import type { LpAdapter } from './lp/adapter.ts';
import { ManualLp } from './lp/manual.ts';

export interface RunningEngine {
  engine: Engine;
  db: Db;
  /** The one LP given to the engine (manual mode and tests), or null when the LP manager reads the table. */
  lp: LpAdapter | null;
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEngine(
  config: EngineConfig,
  deps: { db?: Db; lp?: LpAdapter; logger?: Logger; clock?: () => number; env?: Record<string, string | undefined>; engine?: Partial<EngineOptions> } = {},
): Promise<RunningEngine> {
  const log = deps.logger ?? createLogger('engine');
  const problem = secretProblem(config);
  if (problem) throw new ConfigError(problem);
  if (isDevSecret(config)) log.warn('ENGINE_JWT_SECRET is not set: using the development secret (refused with NODE_ENV=production)');
  const db = deps.db ?? (await createDb({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, migrate: true }));
  if (config.seed) await seed(db.prisma);
  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true });
    redis.on('error', (err) => log.warn('redis error', { error: err.message }));
    await redis.connect().catch((err: Error) => log.warn('redis unavailable; quotes stay in memory', { error: err.message }));
  }
  // ENGINE_LP=manual (tests, drills): quotes only from the API. Otherwise the LP manager builds the LPs of the
  // liquidity_providers table, and streams the simulated LP when none is enabled.
  const lp = deps.lp ?? (config.lp === 'manual' ? new ManualLp(deps.clock) : null);
  const engine = new Engine({ db, redis, lp: lp ?? undefined, jwtSecret: config.jwtSecret, logger: log, clock: deps.clock, marketHours: config.marketHours, aggregation: config.aggregation, env: deps.env, commitParallel: config.commitParallel, autoRollover: config.autoRollover, rateLimits: config.rateLimits, twoFactorRoles: config.twoFactorRoles, totpKey: config.totpKey, ...deps.engine });
  await engine.start();
  const server = createHttpServer({ engine, log, corsOrigins: config.corsOrigins, maxBatchSize: config.maxBatchSize, maxConnectionsPerIp: config.maxConnectionsPerIp });
  const io = attachSockets(server, engine, log, config.corsOrigins);
  const trpcWs = attachTrpcWs(server, { engine, log, corsOrigins: config.corsOrigins }); // tRPC over WebSocket at /trpc-ws
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  log.info('engine listening', { url, database: db.kind, redis: redis ? 'on' : 'memory', lps: engine.lpManager.status().map((l) => `${l.name}:${l.state}`) });
  let stopped = false;
  return {
    engine,
    db,
    lp,
    url,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await trpcWs.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await engine.stop();
      server.closeAllConnections?.();
      if (redis) redis.disconnect();
      if (!deps.db) await db.close();
    },
  };
}
