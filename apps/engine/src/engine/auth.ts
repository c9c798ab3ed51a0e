// The auth area: signing in (a JWT from tokens.ts) and who is signed in.
// Passwords are checked with the native bcrypt's async API, which hashes on libuv's thread pool: bcryptjs
// hashed on the event loop, and a batch of 200 sign-ins stalled every client for ~33 s (issue 12); at most two
// run at once, so the pool stays free for token checks. Attempts
// are rate limited and failures lock out (auth/rate-limits.ts); every sign-in, refused or not, is audited
// with the address and user agent.
//
// Two-factor (staff, issue 12): for a user with it on, the right password answers TWO_FACTOR_REQUIRED with a
// short-lived challenge (no token), and loginTwoFactor takes the challenge with a TOTP or recovery code. The
// password step does not clear the failure count: only the second factor does, and a wrong code counts as a
// failed sign-in for the email and address (the lock-out), five per challenge at most.
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import pLimit from 'p-limit';
import {
  EngineError,
  isEngineError,
  passwordProblem,
  type AccountBrief,
  type AuthApi,
  type AuthUser,
  type ChangePasswordInput,
  type LoginInput,
  type LoginResult,
  type LoginTwoFactorInput,
  type Role,
} from '@broker/api';
import { normalizeRecoveryCode, totpCodeOf, totpStepOf } from '../auth/two-factor.ts';
import type { EngineCore } from './core.ts';

type RequestMeta = { ip?: string; userAgent?: string };

/** How long the second step may take after the password step. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge takes before it is spent (the lock-out counts them as well). */
const CHALLENGE_ATTEMPTS = 5;
/** Open challenges kept at most (each needs a right password); the oldest go first. */
const MAX_CHALLENGES = 10_000;

interface Challenge {
  userId: number;
  email: string;
  expiresAt: number;
  attempts: number;
}

/** Which second factor a code was: a TOTP code, a recovery code (with how many are left), or none (wrong, or replayed). */
export type SecondFactorCheck = { ok: true; method: 'totp' | 'recovery_code'; recoveryCodesLeft: number } | { ok: false; reason: 'wrong code' | 'replayed code' | 'secret unreadable' };

/**
 * Checks a code against a user's second factor and spends it: a TOTP code must be for a later time step than
 * the last one accepted (one UPDATE decides, so two requests with one code cannot both pass); a recovery code
 * must be unused (one UPDATE marks it used).
 */
export async function spendSecondFactor(c: EngineCore, user: { id: number; totpSecret: string | null }, code: string, secretOverride?: string): Promise<SecondFactorCheck> {
  const stored = secretOverride ?? user.totpSecret;
  if (!stored) return { ok: false, reason: 'wrong code' };
  const totp = totpCodeOf(code);
  if (totp) {
    const secret = c.twoFactor.decrypt(stored);
    if (!secret) return { ok: false, reason: 'secret unreadable' };
    const step = await totpStepOf(secret, totp, c.clock());
    if (step === null) return { ok: false, reason: 'wrong code' };
    const won = await c.prisma.user.updateMany({ where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step } });
    return won.count === 1 ? { ok: true, method: 'totp', recoveryCodesLeft: await recoveryCodesLeft(c, user.id) } : { ok: false, reason: 'replayed code' };
  }
  if (secretOverride) return { ok: false, reason: 'wrong code' };
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 12) return { ok: false, reason: 'wrong code' };
  const spent = await c.prisma.recoveryCode.updateMany({ where: { userId: user.id, codeHash: c.twoFactor.hashRecoveryCode(normalized), usedAt: null }, data: { usedAt: new Date(c.clock()) } });
  return spent.count === 1 ? { ok: true, method: 'recovery_code', recoveryCodesLeft: await recoveryCodesLeft(c, user.id) } : { ok: false, reason: 'wrong code' };
}

export const recoveryCodesLeft = (c: EngineCore, userId: number) => c.prisma.recoveryCode.count({ where: { userId, usedAt: null } });

/** An audit row of the auth area (design.md §9.3): who, from where, with what, and why it was refused. */
export async function auditAuth(c: EngineCore, action: string, user: { id: number; role: string } | null, email: string, meta: RequestMeta, details: Record<string, string | number | boolean | null>, actor?: { id: number; role: string }) {
  await c.prisma.auditLog.create({
    data: {
      actorId: actor?.id ?? user?.id ?? null,
      actorRole: actor?.role ?? user?.role ?? null,
      action,
      entityType: 'user',
      entityId: user ? String(user.id) : null,
      ip: meta.ip?.slice(0, 64) ?? null,
      details: { email, userAgent: (meta.userAgent ?? '').slice(0, 300), ...details },
    },
  });
}

/** bcrypt cost of a password set through the engine (the seed's and the dummy hash's). */
export const PASSWORD_COST = 10;

/**
 * At most two hashes at once: libuv's pool has four threads, and WebCrypto (jose's token checks on every
 * request) runs there too; a flood of sign-ins must queue behind itself, not in front of every token check.
 */
const hashing = pLimit(2);

/** Compared against when there is no such user, so timing does not reveal which emails exist (cost 10, as seeded). */
const DUMMY_HASH = bcrypt.hashSync('no such user: a password nobody has', 10);

/**
 * The hash of a password someone chose, after the password policy (password-policy.ts): WEAK_PASSWORD with the
 * reason and the form field it belongs to otherwise. Hashed on the thread pool, as sign-ins are.
 */
export async function hashPassword(password: string, ctx: { email: string; username?: string | null }, field: string): Promise<string> {
  const problem = passwordProblem(password, ctx);
  if (problem) throw new EngineError('WEAK_PASSWORD', problem.message, { field, rule: problem.rule });
  return hashOnPool(password);
}

/** A password's hash on the thread pool (the native bcrypt, at most two at once), for one the engine made itself. */
export function hashOnPool(password: string): Promise<string> {
  return hashing(() => bcrypt.hash(password, PASSWORD_COST));
}

export class AuthArea implements AuthApi {
  private readonly challenges = new Map<string, Challenge>();

  constructor(private readonly c: EngineCore) {}

  /** Whether the policy requires two-factor of this role (ENGINE_STAFF_2FA_ROLES). */
  twoFactorRequired(role: string): boolean {
    return role !== 'CLIENT' && (this.c.opts.twoFactorRoles ?? []).includes(role as Role);
  }

  private newChallenge(userId: number, email: string): { challenge: string; expiresAt: Date } {
    const now = this.c.clock();
    for (const [k, ch] of this.challenges) {
      if (ch.expiresAt > now && this.challenges.size < MAX_CHALLENGES) break;
      this.challenges.delete(k);
    }
    const challenge = randomBytes(32).toString('base64url');
    const expiresAt = now + CHALLENGE_TTL_MS;
    this.challenges.set(challenge, { userId, email, expiresAt, attempts: 0 });
    return { challenge, expiresAt: new Date(expiresAt) };
  }

  async login(input: LoginInput, meta: { ip?: string; userAgent?: string } = {}): Promise<LoginResult> {
    const c = this.c;
    try {
      await c.limits.beforeLogin(input.email, meta.ip);
    } catch (err) {
      if (isEngineError(err)) c.log.warn('login rate limited', { email: input.email, ip: meta.ip, retryAfterSeconds: err.details?.retryAfterSeconds });
      throw err;
    }
    const user = await c.prisma.user.findUnique({ where: { email: input.email } });
    // Compare against a dummy hash when there is no user, so timing does not reveal which emails exist.
    const ok = await hashing(() => bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH)).catch(() => false);
    if (!user || !ok || !user.active) {
      await c.limits.loginFailed(input.email, meta.ip);
      const reason = !user ? 'no such user' : !ok ? 'wrong password' : 'user inactive';
      await this.auditLogin('auth.login_failed', user ? { id: user.id, role: user.role } : null, input.email, meta, { reason });
      throw new EngineError('INVALID_CREDENTIALS');
    }
    if (user.totpSecret) {
      // The password was right; the session waits for the second factor (the failures are not cleared yet).
      throw new EngineError('TWO_FACTOR_REQUIRED', undefined, this.newChallenge(user.id, user.email));
    }
    const setupOnly = this.twoFactorRequired(user.role);
    return this.signedIn(user, input.email, meta, setupOnly ? { twoFactor: 'set-up required' } : {}, 'auth.login', setupOnly);
  }

  private async signedIn(
    user: { id: number; role: string; email: string; name: string; tokenVersion: number; passwordHash: string },
    email: string,
    meta: RequestMeta,
    details: Record<string, string | number>,
    action: string,
    setupOnly = false,
  ): Promise<LoginResult> {
    const c = this.c;
    await c.limits.loginSucceeded(email, meta.ip);
    const authUser: AuthUser = { id: user.id, role: user.role as Role, email: user.email, name: user.name };
    if (setupOnly) authUser.twoFactorSetupOnly = true;
    const { token, expiresAt } = await c.sessions.issue(authUser, user, { setupOnly });
    await c.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(c.clock()) } });
    await this.auditLogin(action, { id: user.id, role: user.role }, email, meta, details);
    c.log.info('login', { userId: user.id, role: user.role, ...details });
    const result: LoginResult = { token, expiresAt, user: authUser, accounts: await this.accountsOf(authUser) };
    if (setupOnly) result.twoFactorSetupRequired = true;
    return result;
  }

  async loginTwoFactor(input: LoginTwoFactorInput, meta: RequestMeta = {}): Promise<LoginResult> {
    const c = this.c;
    const ch = this.challenges.get(input.challenge);
    if (!ch || ch.expiresAt <= c.clock()) {
      if (ch) this.challenges.delete(input.challenge);
      throw new EngineError('TWO_FACTOR_CHALLENGE_EXPIRED');
    }
    try {
      await c.limits.beforeLogin(ch.email, meta.ip);
    } catch (err) {
      this.challenges.delete(input.challenge);
      throw err;
    }
    const user = await c.prisma.user.findUnique({ where: { id: ch.userId } });
    if (!user || !user.active || !user.totpSecret) {
      this.challenges.delete(input.challenge);
      throw new EngineError('TWO_FACTOR_CHALLENGE_EXPIRED');
    }
    const check = await spendSecondFactor(c, user, input.code);
    if (!check.ok) {
      ch.attempts++;
      if (ch.attempts >= CHALLENGE_ATTEMPTS) this.challenges.delete(input.challenge);
      await c.limits.loginFailed(ch.email, meta.ip);
      await this.auditLogin('auth.2fa_failed', { id: user.id, role: user.role }, ch.email, meta, { reason: check.reason });
      if (check.reason === 'secret unreadable') c.log.error('two-factor secret does not decrypt: was ENGINE_TOTP_KEY changed?', { userId: user.id });
      throw new EngineError('INVALID_TWO_FACTOR_CODE');
    }
    this.challenges.delete(input.challenge);
    return this.signedIn(
      user,
      ch.email,
      meta,
      { secondFactor: check.method, ...(check.method === 'recovery_code' ? { recoveryCodesLeft: check.recoveryCodesLeft } : {}) },
      check.method === 'recovery_code' ? 'auth.login_recovery_code' : 'auth.login',
    );
  }

  /** A new password (the policy applies); every token of the user is revoked, live connections close. */
  async changePassword(user: AuthUser, input: ChangePasswordInput, meta: RequestMeta = {}): Promise<{ ok: true }> {
    const c = this.c;
    const row = await c.prisma.user.findUnique({ where: { id: user.id } });
    if (!row) throw new EngineError('UNAUTHENTICATED');
    await c.limits.beforeLogin(row.email, meta.ip);
    const ok = await hashing(() => bcrypt.compare(input.currentPassword, row.passwordHash)).catch(() => false);
    if (!ok) {
      await c.limits.loginFailed(row.email, meta.ip);
      await this.auditLogin('auth.password_change_failed', { id: row.id, role: row.role }, row.email, meta, { reason: 'wrong current password' });
      throw new EngineError('CURRENT_PASSWORD_WRONG', undefined, { field: 'currentPassword' });
    }
    if (input.newPassword === input.currentPassword) throw new EngineError('WEAK_PASSWORD', 'Choose a password other than the current one', { field: 'newPassword', rule: 'reuse' });
    const passwordHash = await hashPassword(input.newPassword, { email: row.email, username: row.username }, 'newPassword');
    await c.prisma.user.update({ where: { id: row.id }, data: { passwordHash } });
    await c.sessions.revoke(row.id);
    await this.auditLogin('auth.password_changed', { id: row.id, role: row.role }, row.email, meta, {});
    return { ok: true };
  }

  /** A LOGIN row of the audit log (design.md §9.3): who, from where, with what, and why it was refused. */
  private auditLogin(action: string, user: { id: number; role: string } | null, email: string, meta: RequestMeta, details: Record<string, string | number>) {
    return auditAuth(this.c, action, user, email, meta, details);
  }

  /** Signs out everywhere: every token of the user issued so far stops working, live connections close. */
  async logout(user: AuthUser, meta: { ip?: string; userAgent?: string } = {}): Promise<{ ok: true }> {
    const exists = await this.c.prisma.user.findUnique({ where: { id: user.id }, select: { id: true } });
    if (!exists) throw new EngineError('UNAUTHENTICATED');
    await this.c.sessions.revoke(user.id);
    await this.auditLogin('auth.logout', { id: user.id, role: user.role }, user.email, meta, {});
    return { ok: true };
  }

  async me(user: AuthUser) {
    return { user, accounts: await this.accountsOf(user) };
  }

  private async accountsOf(user: AuthUser): Promise<AccountBrief[]> {
    if (user.role !== 'CLIENT') return [];
    const rows = await this.c.prisma.account.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({
      id: r.id,
      accountNumber: r.accountNumber,
      type: r.type,
      currency: r.currency,
      leverage: r.leverage,
      marginMode: r.marginMode,
      status: r.status,
    }));
  }

  /** A trader's account ids as last read (by the trader's id); a miss re-reads them, whatever the id asked. */
  private readonly owned = new Map<number, ReadonlySet<number>>();

  async ownsAccount(userId: number, accountId: number): Promise<boolean> {
    if (this.owned.get(userId)?.has(accountId)) return true;
    // Another's account or none at all: the same query, keyed by the trader, not by the id asked about (issue
    // 12: the id's existence showed in the time the old per-id lookup took, 1.15 ms against 1.76 ms).
    const rows = await this.c.prisma.account.findMany({ where: { userId }, select: { id: true } });
    if (this.owned.size >= 100_000) this.owned.clear();
    const ids = new Set(rows.map((r) => r.id));
    this.owned.set(userId, ids);
    return ids.has(accountId);
  }

  async accountOwner(accountId: number): Promise<number | null> {
    const a = this.c.book.peek(accountId) ?? (await this.c.book.get(accountId));
    return a ? a.userId : null;
  }
}
