// Sessions: a token is good while it verifies (tokens.ts) AND its user still exists, is active, has the token
// version the token was issued with (bumped by logout: every older token is revoked) and the password the
// token was issued under (a password change, made anywhere, revokes the tokens issued before it). Checked on
// every HTTP call, every /trpc-ws connection and every Socket.IO handshake; the long-lived connections are
// closed when their token expires or is revoked (issue 12: a revoked token kept depositing; a socket kept
// streaming after its token expired).
//
// The user's row is cached for CACHE_MS, so the order path does not read the users table per call: a change
// made in the database by hand (deactivation, a new password) takes effect within that; logout at once.
// Time here is the wall clock, as jose checks a token's expiry on it (the engine's clock may be a test's).
import { createHash } from 'node:crypto';
import type { PrismaClient } from '@broker/db';
import type { AuthUser } from '@broker/api';
import type { TokenService } from './tokens.ts';

const CACHE_MS = 5_000;

interface UserState {
  exists: boolean;
  active: boolean;
  tokenVersion: number;
  pwf: string;
  at: number;
}

/** A short fingerprint of the password hash: the token never carries the hash itself. */
export const passwordFingerprint = (passwordHash: string) => createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);

export interface Session {
  user: AuthUser;
  /** Unix ms when the token expires. */
  expiresAt: number;
}

export class Sessions {
  private readonly cache = new Map<number, UserState>();
  private readonly listeners = new Set<(userId: number) => void>();

  constructor(
    private readonly d: { prisma: PrismaClient; tokens: TokenService; clock: () => number },
  ) {}

  private readonly now = () => Date.now();

  private async state(userId: number): Promise<UserState> {
    const now = this.now();
    const hit = this.cache.get(userId);
    if (hit && now - hit.at < CACHE_MS) return hit;
    const row = await this.d.prisma.user.findUnique({ where: { id: userId }, select: { active: true, tokenVersion: true, passwordHash: true } });
    const s: UserState = row
      ? { exists: true, active: row.active, tokenVersion: row.tokenVersion, pwf: passwordFingerprint(row.passwordHash), at: now }
      : { exists: false, active: false, tokenVersion: -1, pwf: '', at: now };
    this.cache.set(userId, s);
    return s;
  }

  /** A token for a user row (sign-in): it carries the row's token version and password fingerprint. */
  async issue(user: AuthUser, row: { tokenVersion: number; passwordHash: string }, opts: { setupOnly?: boolean } = {}): Promise<{ token: string; expiresAt: Date }> {
    return this.d.tokens.issue(user, this.d.clock(), { ver: row.tokenVersion, pwf: passwordFingerprint(row.passwordHash), setupOnly: opts.setupOnly });
  }

  /** The session a token opens, or null: missing, forged, expired, or revoked. */
  async authenticate(token: string | null | undefined): Promise<Session | null> {
    const v = await this.d.tokens.verifyClaims(token);
    if (!v) return null;
    const s = await this.state(v.user.id);
    if (!s.exists || !s.active || s.tokenVersion !== v.ver || s.pwf !== v.pwf) return null;
    return { user: v.user, expiresAt: v.expiresAt };
  }

  /** Revokes every token of a user issued so far (logout), and closes their live connections. */
  async revoke(userId: number): Promise<void> {
    const row = await this.d.prisma.user.update({ where: { id: userId }, data: { tokenVersion: { increment: 1 } }, select: { active: true, tokenVersion: true, passwordHash: true } });
    this.cache.set(userId, { exists: true, active: row.active, tokenVersion: row.tokenVersion, pwf: passwordFingerprint(row.passwordHash), at: this.now() });
    for (const fn of this.listeners) fn(userId);
  }

  /** Forgets the cached row (after a change made through the engine), so the next check reads it. */
  forget(userId: number): void {
    this.cache.delete(userId);
  }

  /** Called with the user id whenever a user's sessions are revoked (the socket layers close connections). */
  onRevoke(fn: (userId: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Guards a live connection (a /trpc-ws or Socket.IO client) opened with `token`: `close` is called when the
   * token expires, when the user's sessions are revoked, or when a re-check (every `recheckMs`: deactivation
   * or a password change made in the database) finds it no longer valid. Returns the cleanup for disconnect.
   */
  watch(session: Session, token: string, close: (why: 'expired' | 'revoked') => void, recheckMs = CACHE_MS): () => void {
    let done = false;
    const finish = (why: 'expired' | 'revoked') => {
      if (done) return;
      cleanup();
      close(why);
    };
    const expiry = setTimeout(() => finish('expired'), Math.max(0, session.expiresAt - this.now()));
    const recheck = setInterval(() => {
      void this.authenticate(token).then(
        (s) => {
          if (!s) finish(session.expiresAt <= this.now() ? 'expired' : 'revoked');
        },
        () => undefined,
      );
    }, recheckMs);
    expiry.unref?.();
    recheck.unref?.();
    const off = this.onRevoke((userId) => {
      if (userId === session.user.id) finish('revoked');
    });
    const cleanup = () => {
      done = true;
      clearTimeout(expiry);
      clearInterval(recheck);
      off();
    };
    return cleanup;
  }
}
