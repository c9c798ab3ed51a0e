// What an LP row may make the engine read and where it may make it connect (issue 12: an ADMIN pointed a
// REST LP's credentialEnv at DATABASE_URL and its streamUrl at their own host, and the engine sent
// `Authorization: Bearer postgresql://…` there).
//
// Credentials: a row names environment variables, never secrets, and only names under LP_ (upper case,
// digits, underscore): `LP_OANDA_TOKEN`. The engine's own secrets (DATABASE_URL, ENGINE_JWT_SECRET, REDIS_URL…)
// cannot be named. Checked by the upsert schema and again here, where adapters read the environment, so a
// row already in the table that names another variable is never read: the LP reports UNAVAILABLE and why.
//
// Endpoints (OANDA streamUrl, Binance wsUrl, FIX host): at most 500 characters; https/wss, or http/ws to a
// loopback host outside production (fakes in tests); no user or password in the URL; no query or fragment;
// IP literals in private, link-local (cloud metadata 169.254.169.254) or unspecified ranges refused; loopback
// refused in production. With LP_ALLOWED_HOSTS (comma-separated host names, `*.oanda.com` matches any
// subdomain) only those hosts, which then may also be private. Names are not resolved: a public name that
// resolves to a private address is what LP_ALLOWED_HOSTS is for (set it in production).
//
// Messages name the setting and the variable, never a value read from the environment, nor a URL's
// user or password.
import { isIP } from 'node:net';
import { missingCredential } from './health.ts';

export const CREDENTIAL_ENV_PREFIX = 'LP_';
/** An allowed credential variable name: LP_ then upper case, digits and underscores, at most 100 characters. */
export const CREDENTIAL_ENV_NAME = /^LP_[A-Z0-9_]{1,97}$/;
export const MAX_ENDPOINT_LENGTH = 500;

type Env = Readonly<Record<string, string | undefined>>;

export const isAllowedCredentialName = (name: unknown): name is string => typeof name === 'string' && CREDENTIAL_ENV_NAME.test(name);

/** Why a row's credentialEnv must not be used (a name outside LP_…), or undefined. */
export function credentialEnvProblem(credentialEnv: Readonly<Record<string, unknown>> | null | undefined): string | undefined {
  for (const [what, name] of Object.entries(credentialEnv ?? {})) {
    if (name === undefined) continue;
    if (!isAllowedCredentialName(name)) {
      // The name is shown (it is a name, never a secret), cut short so a row cannot smuggle a value in.
      const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 40)) : typeof name;
      return `credentialEnv.${what.slice(0, 40)} may only name an environment variable ${CREDENTIAL_ENV_PREFIX}… (upper case, digits, _): ${shown} is refused`;
    }
  }
  return undefined;
}

/** The value of an allowed credential variable; undefined when unset. Throws for a name outside LP_…. */
export function readCredential(env: Env, name: string): string | undefined {
  if (!isAllowedCredentialName(name)) throw new Error(`credential variable refused: only ${CREDENTIAL_ENV_PREFIX}… names are read`);
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

function allowedHosts(env: Env): string[] | null {
  const raw = env.LP_ALLOWED_HOSTS?.trim();
  if (!raw) return null;
  return raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

const hostMatches = (host: string, pattern: string) =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern;

function ipv4Parts(ip: string): number[] | null {
  const p = ip.split('.').map(Number);
  return p.length === 4 && p.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? p : null;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  const v4 = ipv4Parts(h.startsWith('::ffff:') ? h.slice(7) : h);
  return v4 !== null && v4[0] === 127;
}

/** IP literals no LP lives at unless allow-listed: private, link-local (metadata services), unspecified, CGNAT. */
function isInternalIp(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  const kind = isIP(h);
  if (kind === 4 || h.startsWith('::ffff:')) {
    const p = ipv4Parts(h.startsWith('::ffff:') ? h.slice(7) : h);
    if (!p) return true; // ::ffff: in hex form: refuse rather than guess
    const [a, b] = p as [number, number];
    return a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (kind === 6) return h === '::' || h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80');
  return false;
}

/** Why an LP may not connect to `host` (a URL's hostname or a FIX host), or undefined. */
export function hostProblem(what: string, rawHost: string, env: Env): string | undefined {
  const host = rawHost.toLowerCase().replace(/^\[|\]$/g, '');
  if (!host || host.length > 253) return `${what}: the host is missing or too long`;
  if (!/^[a-z0-9.:_-]+$/.test(host)) return `${what}: the host has characters a host name cannot have`;
  const allowed = allowedHosts(env);
  if (allowed) {
    if (!allowed.some((p) => hostMatches(host, p))) return `${what}: host ${host} is not in LP_ALLOWED_HOSTS`;
    return undefined;
  }
  const production = env.NODE_ENV === 'production';
  if (isLoopbackHost(host)) return production ? `${what}: a loopback host is refused in production (list it in LP_ALLOWED_HOSTS)` : undefined;
  if (isInternalIp(host)) return `${what}: host ${host} is a private or link-local address (list it in LP_ALLOWED_HOSTS)`;
  return undefined;
}

/**
 * Why an LP may not use `raw` as its endpoint, or undefined. `secure` is the scheme required off loopback
 * (`https:` / `wss:`), `plain` its loopback-only form for tests (`http:` / `ws:`).
 */
export function endpointProblem(what: string, raw: unknown, schemes: { secure: string; plain: string }, env: Env): string | undefined {
  if (typeof raw !== 'string' || !raw) return `${what} is not configured`;
  if (raw.length > MAX_ENDPOINT_LENGTH) return `${what} is longer than ${MAX_ENDPOINT_LENGTH} characters`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `${what} is not a URL`;
  }
  if (u.username || u.password) return `${what} must not carry a user or password (credentials come from credentialEnv)`;
  if (u.protocol !== schemes.secure && u.protocol !== schemes.plain) return `${what} must be ${schemes.secure.slice(0, -1)}://`;
  if (u.search || u.hash) return `${what} must not have a query or fragment`;
  const hp = hostProblem(what, u.hostname, env);
  if (hp) return hp;
  if (u.protocol === schemes.plain && !isLoopbackHost(u.hostname)) return `${what} must be ${schemes.secure.slice(0, -1)}:// (${schemes.plain.slice(0, -1)}:// only to a loopback host, for tests)`;
  return undefined;
}

/** The endpoint settings each LP type connects to, checked before an adapter is built (LpManager). */
export function lpRowProblem(type: string, settings: Readonly<Record<string, unknown>>, credentialEnv: Readonly<Record<string, unknown>>, env: Env): string | undefined {
  const cred = credentialEnvProblem(credentialEnv);
  if (cred) return cred;
  if (type === 'REST') return endpointProblem('settings.streamUrl', settings.streamUrl, { secure: 'https:', plain: 'http:' }, env);
  if (type === 'WEBSOCKET') return endpointProblem('settings.wsUrl', settings.wsUrl, { secure: 'wss:', plain: 'ws:' }, env);
  if (type === 'FIX') return typeof settings.host === 'string' && settings.host ? hostProblem('settings.host', settings.host, env) : 'settings.host is not configured';
  return undefined;
}

/** credentialEnvProblem, then the first credential whose (allowed) variable is not set (health.ts). */
export function credentialProblem(credentialEnv: Readonly<Record<string, string | undefined>>, env: Env, labels: Record<string, string> = {}): string | undefined {
  return credentialEnvProblem(credentialEnv) ?? missingCredential(credentialEnv, env, labels);
}
