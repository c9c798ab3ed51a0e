// Engine configuration from the environment, with defaults that run on a bare machine.
export interface EngineConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  pgliteDir: string | undefined;
  redisUrl: string | undefined;
  jwtSecret: string;
  corsOrigins: string[];
  lp: 'simulated' | 'manual';
  marketHours: 'enforce' | 'always-open';
  aggregation: 'BEST' | 'FAILOVER';
  seed: boolean;
  /** Group-commit transactions that may be in flight at once (PostgreSQL; the embedded database takes 1). */
  commitParallel: number | undefined;
  /** The daily swap rollover at 22:00 UTC, with missed days caught up at start (off only for tests and drills). */
  autoRollover: boolean;
}

const DEV_SECRET = 'dev-only-insecure-engine-secret-change-me';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const origins = env.CORS_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean) ?? [
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://localhost:3001',
    'http://127.0.0.1:3001',
  ];
  return {
    port: Number(env.ENGINE_PORT ?? env.PORT ?? 4000),
    host: env.ENGINE_HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || undefined,
    redisUrl: env.REDIS_URL || undefined,
    jwtSecret: env.ENGINE_JWT_SECRET || DEV_SECRET,
    corsOrigins: origins,
    lp: env.ENGINE_LP === 'manual' ? 'manual' : 'simulated',
    marketHours: env.MARKET_HOURS === 'always-open' ? 'always-open' : 'enforce',
    aggregation: env.QUOTE_AGGREGATION?.toUpperCase() === 'BEST' ? 'BEST' : 'FAILOVER',
    seed: env.ENGINE_SEED !== 'false',
    commitParallel: Number(env.ENGINE_COMMIT_PARALLEL) > 0 ? Math.min(16, Math.floor(Number(env.ENGINE_COMMIT_PARALLEL))) : undefined,
    autoRollover: env.ENGINE_AUTO_ROLLOVER !== 'false',
  };
}

export const isDevSecret = (c: EngineConfig) => c.jwtSecret === DEV_SECRET;
