// Engine configuration from the environment, with defaults that run on a bare machine.
import { STAFF_ROLES, type Role } from '@broker/api/roles';
import type { RateLimitOptions } from './auth/rate-limits.ts';
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
  /** NODE_ENV=production: the engine refuses to start without real secrets. */
  production: boolean;
  /** Open connections per client address (ENGINE_MAX_CONNECTIONS_PER_IP, default 256; 0 = no cap). */
  maxConnectionsPerIp: number;
  /** Calls per batched HTTP request (ENGINE_MAX_BATCH, default 20). */
  maxBatchSize: number;
  /** ENGINE_RATE_API_PER_IP, ENGINE_RATE_API_PER_USER (calls/s, 0 = off), ENGINE_RATE_LOGIN_PER_IP (attempts/min); defaults in auth/rate-limits.ts. */
  rateLimits: RateLimitOptions;
  /**
   * Staff roles that must sign in with two-factor (ENGINE_STAFF_2FA_ROLES, comma-separated, or `none`):
   * default none, and SUPER_ADMIN,ADMIN with NODE_ENV=production. Such a user without it gets a set-up-only session.
   */
  twoFactorRoles: Role[];
  /** ENGINE_TOTP_KEY: the key the TOTP secrets are encrypted under; unset, one derived from ENGINE_JWT_SECRET. */
  totpKey: string | undefined;
}

/** ENGINE_STAFF_2FA_ROLES: `none`, or staff roles separated by commas; unknown names are a configuration error. */
export function twoFactorRolesOf(raw: string | undefined, production: boolean): Role[] {
  if (raw === undefined || raw.trim() === '') return production ? ['SUPER_ADMIN', 'ADMIN'] : [];
  if (raw.trim().toLowerCase() === 'none') return [];
  const roles = raw.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const r of roles) {
    if (!(STAFF_ROLES as readonly string[]).includes(r)) throw new ConfigError(`ENGINE_STAFF_2FA_ROLES: ${r} is not a staff role (${STAFF_ROLES.join(', ')} or none)`);
  }
  return roles as Role[];
}

const DEV_SECRET = 'dev-only-insecure-engine-secret-change-me';
/** The shortest ENGINE_JWT_SECRET production accepts: 32 characters (HS256 wants a key of 256 bits). */
export const MIN_SECRET_LENGTH = 32;

/** A configuration the engine must not run with; main.ts prints the message and exits with status 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const origins = env.CORS_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean) ?? [
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://localhost:3001',
    'http://127.0.0.1:3001',
  ];
  return {
    port: Number(env.ENGINE_PORT ?? env.PORT ?? 4000),
    // Loopback unless told otherwise: in a deployment a reverse proxy (TLS) sits in front (README, Deployment).
    host: env.ENGINE_HOST || '127.0.0.1',
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
    production: env.NODE_ENV === 'production',
    maxConnectionsPerIp: intOr(env.ENGINE_MAX_CONNECTIONS_PER_IP, 256),
    maxBatchSize: Math.max(1, intOr(env.ENGINE_MAX_BATCH, 20)),
    rateLimits: {
      ...(env.ENGINE_RATE_API_PER_IP ? { apiPerIp: intOr(env.ENGINE_RATE_API_PER_IP, 5000) } : {}),
      ...(env.ENGINE_RATE_API_PER_USER ? { apiPerUser: intOr(env.ENGINE_RATE_API_PER_USER, 500) } : {}),
      ...(env.ENGINE_RATE_WS_PER_SECOND ? { wsPerSecond: Math.max(1, intOr(env.ENGINE_RATE_WS_PER_SECOND, 500)) } : {}),
      ...(env.ENGINE_RATE_WS_BURST ? { wsBurst: Math.max(1, intOr(env.ENGINE_RATE_WS_BURST, 1000)) } : {}),
      ...(env.ENGINE_RATE_LOGIN_PER_IP ? { loginPerIpPerMinute: Math.max(1, intOr(env.ENGINE_RATE_LOGIN_PER_IP, 300)) } : {}),
    },
    twoFactorRoles: twoFactorRolesOf(env.ENGINE_STAFF_2FA_ROLES, env.NODE_ENV === 'production'),
    totpKey: env.ENGINE_TOTP_KEY || undefined,
  };
}

function intOr(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export const isDevSecret = (c: EngineConfig) => c.jwtSecret === DEV_SECRET;

/**
 * Why this configuration must not run, or null. In production the JWT secret must be set, must not be the
 * development secret of the source (anyone could forge a SUPER_ADMIN token with it) and must be at least
 * MIN_SECRET_LENGTH characters. The message names the variable, never its value.
 */
export function secretProblem(c: EngineConfig): string | null {
  if (!c.production) return null;
  if (isDevSecret(c)) return 'ENGINE_JWT_SECRET is not set (or is the development secret): NODE_ENV=production needs a real secret, e.g. `openssl rand -base64 48`';
  if (c.jwtSecret.length < MIN_SECRET_LENGTH) return `ENGINE_JWT_SECRET is too short: NODE_ENV=production needs at least ${MIN_SECRET_LENGTH} characters`;
  return null;
}
