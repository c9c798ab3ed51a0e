// Rate limits (issue 12; design.md §5.4) with rate-limiter-flexible. The sign-in counters live in Redis when
// the engine has one (they survive a restart, so a brute force cannot reset its lock-out by crashing or
// waiting for a deploy), in memory otherwise; when Redis is unreachable each falls back to an in-memory
// limiter (its insurance limiter), so a Redis outage neither stops sign-ins nor lifts the limits. The API and
// socket counters stay in memory: they are checked on every call of the order path, where a Redis round trip
// per call would cost latency, and the engine is one process (it holds the account books).
//
// - API: calls per client address and per signed-in user, per second (a batched request counts each call).
// - Sign-in: attempts per address per minute (before any password is hashed); consecutive failures per email
//   and address lock that pair out, each further lock-out of the day twice as long (back-off), up to an hour;
//   a success clears the failures.
// - Messages per connection, on /trpc-ws and on Socket.IO alike (design.md §5.4): a token bucket per
//   connection (MessageLimiter: a burst, refilled at a rate per second). A message over the budget is answered
//   RATE_LIMITED with the wait, not run; a connection refused more than `floodRefusals` messages within
//   FLOOD_WINDOW_MS is a flood and is closed.
// A refusal is EngineError RATE_LIMITED with `retryAfterSeconds` in its details (and a Retry-After header on
// HTTP).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { EngineError } from '@broker/api';

export interface RateLimitOptions {
  /** API calls per address per second (default 5,000: a firm behind one NAT, the benchmarks); 0 = off. */
  apiPerIp?: number;
  /** API calls per signed-in user per second (default 500); 0 = off. */
  apiPerUser?: number;
  /** Sign-in attempts per address per minute (default 300: hashing runs off the event loop). */
  loginPerIpPerMinute?: number;
  /** Consecutive failed sign-ins per email and address before a lock-out (default 5). */
  loginFailuresBeforeLockout?: number;
  /** The first lock-out, seconds (default 60); each further one that day doubles it, up to loginMaxLockoutS. */
  loginLockoutS?: number;
  loginMaxLockoutS?: number;
  /** Socket.IO messages per connection per second (default 50), and the burst above it (default the same). */
  socketPerSecond?: number;
  socketBurst?: number;
  /**
   * /trpc-ws messages (calls: a batched message counts each) per connection per second (default 500: a busy
   * trading client; the order benchmark's clients send ~200/s each), and the burst above it (default 1,000).
   */
  wsPerSecond?: number;
  wsBurst?: number;
  /** Refused messages within FLOOD_WINDOW_MS after which a connection is closed (default: its burst). */
  floodRefusals?: number;
}

/** The window in which refused messages count towards closing a flooding connection. */
export const FLOOD_WINDOW_MS = 10_000;

/**
 * A token bucket (design.md §5.4) for one connection: `burst` messages at once, refilled at `perSecond`.
 * Synchronous and allocation-free, since it runs on every message of the order path.
 */
export class MessageLimiter {
  private tokens: number;
  private last: number;
  private refusedSince = 0;
  private refused = 0;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    readonly floodRefusals: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` messages' tokens: 0 when they may go ahead, else the milliseconds until they could (none taken). */
  take(n = 1): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    if (t - this.refusedSince > FLOOD_WINDOW_MS) {
      this.refusedSince = t;
      this.refused = 0;
    }
    this.refused += n;
    return Math.max(1, Math.ceil(((Math.min(n, this.burst) - this.tokens) * 1000) / this.perSecond));
  }

  /** More refusals within the window than the bound: the connection is flooding and is to be closed. */
  get flooding(): boolean {
    return this.refused > this.floodRefusals;
  }
}

/** A message refused by a MessageLimiter, as the EngineError every transport answers with. */
export function messagesLimited(waitMs: number): EngineError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new EngineError('RATE_LIMITED', `Too many messages on this connection: try again in ${retryAfterSeconds} s`, { retryAfterSeconds, retryAfterMs: waitMs });
}

export interface RateLimitsDeps {
  redis?: Redis | null;
  options?: RateLimitOptions;
}

const retryAfterS = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function rateLimited(retryAfterSeconds: number, what: string): EngineError {
  return new EngineError('RATE_LIMITED', `Too many ${what}: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

/** The seconds a RATE_LIMITED error asks the caller to wait, when it carries them. */
export function retryAfterOf(err: unknown): number | undefined {
  const d = (err as { code?: string; details?: { retryAfterSeconds?: unknown } } | undefined) ?? undefined;
  return d?.code === 'RATE_LIMITED' && typeof d.details?.retryAfterSeconds === 'number' ? d.details.retryAfterSeconds : undefined;
}

export class RateLimits {
  readonly options: Required<RateLimitOptions>;
  readonly store: 'redis' | 'memory';
  private readonly apiIp: RateLimiterMemory | null;
  private readonly apiUser: RateLimiterMemory | null;
  private readonly loginIp: RateLimiterAbstract;
  private readonly loginFails: RateLimiterAbstract;
  private readonly lockouts: RateLimiterAbstract;

  constructor(deps: RateLimitsDeps = {}) {
    const o = deps.options ?? {};
    this.options = {
      apiPerIp: o.apiPerIp ?? 5000,
      apiPerUser: o.apiPerUser ?? 500,
      loginPerIpPerMinute: o.loginPerIpPerMinute ?? 300,
      loginFailuresBeforeLockout: o.loginFailuresBeforeLockout ?? 5,
      loginLockoutS: o.loginLockoutS ?? 60,
      loginMaxLockoutS: o.loginMaxLockoutS ?? 3600,
      socketPerSecond: o.socketPerSecond ?? 50,
      socketBurst: o.socketBurst ?? o.socketPerSecond ?? 50,
      wsPerSecond: o.wsPerSecond ?? 500,
      wsBurst: o.wsBurst ?? 1000,
      floodRefusals: o.floodRefusals ?? 0,
    };
    const redis = deps.redis ?? null;
    this.store = redis ? 'redis' : 'memory';
    const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `rl:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory;
    };
    const p = this.options;
    this.apiIp = p.apiPerIp > 0 ? new RateLimiterMemory({ keyPrefix: 'api-ip', points: p.apiPerIp, duration: 1 }) : null;
    this.apiUser = p.apiPerUser > 0 ? new RateLimiterMemory({ keyPrefix: 'api-user', points: p.apiPerUser, duration: 1 }) : null;
    this.loginIp = make('login-ip', p.loginPerIpPerMinute, 60);
    this.loginFails = make('login-fail', p.loginFailuresBeforeLockout, 24 * 3600);
    this.lockouts = make('login-lockouts', 1000, 24 * 3600);
  }

  /** The message budget of a new Socket.IO connection. */
  socketLimiter(): MessageLimiter {
    const p = this.options;
    return new MessageLimiter(p.socketPerSecond, p.socketBurst, p.floodRefusals || p.socketBurst);
  }

  /** The message budget of a new /trpc-ws connection. */
  wsLimiter(): MessageLimiter {
    const p = this.options;
    return new MessageLimiter(p.wsPerSecond, p.wsBurst, p.floodRefusals || p.wsBurst);
  }

  private static async take(limiter: RateLimiterAbstract, key: string, points: number, what: string): Promise<void> {
    try {
      await limiter.consume(key, points);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw rateLimited(retryAfterS(res), what);
      throw res;
    }
  }

  /** `calls` API calls from `ip` (a batch counts each). */
  async api(ip: string | undefined, calls = 1): Promise<void> {
    if (this.apiIp) await RateLimits.take(this.apiIp, ip ?? '?', calls, 'requests from this address');
  }

  /** `calls` API calls by a signed-in user. */
  async user(userId: number, calls = 1): Promise<void> {
    if (this.apiUser) await RateLimits.take(this.apiUser, String(userId), calls, 'requests');
  }

  private static failKey(email: string, ip: string | undefined) {
    return `${email}|${ip ?? '?'}`;
  }

  /** Where the sign-in counters are kept. */
  get loginStore(): 'redis' | 'memory' {
    return this.store;
  }

  /** Before a sign-in is checked: the address's attempt budget, and the email+address lock-out. */
  async beforeLogin(email: string, ip: string | undefined): Promise<void> {
    const locked = await this.loginFails.get(RateLimits.failKey(email, ip));
    if (locked && locked.consumedPoints > this.options.loginFailuresBeforeLockout && locked.msBeforeNext > 0) {
      throw rateLimited(retryAfterS(locked), 'failed sign-ins: this sign-in is locked');
    }
    await RateLimits.take(this.loginIp, ip ?? '?', 1, 'sign-in attempts from this address');
  }

  /** A failed sign-in: past the threshold the pair is locked out, each lock-out of the day twice as long. */
  async loginFailed(email: string, ip: string | undefined): Promise<void> {
    const key = RateLimits.failKey(email, ip);
    try {
      await this.loginFails.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const n = (await this.lockouts.consume(key)).consumedPoints;
      const secs = Math.min(this.options.loginMaxLockoutS, this.options.loginLockoutS * 2 ** (n - 1));
      await this.loginFails.block(key, secs);
    }
  }

  async loginSucceeded(email: string, ip: string | undefined): Promise<void> {
    await this.loginFails.delete(RateLimits.failKey(email, ip));
  }
}
