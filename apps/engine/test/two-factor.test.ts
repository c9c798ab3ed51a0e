// Issue 12: staff two-factor sign-in (TOTP, RFC 6238) with recovery codes, and the password policy. The
// engine had neither: a staff password alone opened a session, and any password could be stored.
import bcrypt from 'bcryptjs';
import { generate } from 'otplib';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@broker/db';
import { ConfigError, loadConfig } from '../src/config.ts';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

let seq = 0;
async function staffUser(role: 'ADMIN' | 'SUPER_ADMIN' | 'SUPPORT' = 'ADMIN', engine = () => t) {
  const n = `${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 7)}`;
  const user = await engine().database.db.prisma.user.create({
    data: { email: `tfa-${n}@test.local`, username: `tfa-${n}`, name: `Staff ${n}`, passwordHash: await bcrypt.hash(DEMO_PASSWORD, 4), role },
  });
  const res = await engine().client().auth.login.mutate({ email: user.email, password: DEMO_PASSWORD });
  return { id: user.id, email: user.email, token: res.token };
}

/** A code for `secret` `stepsAhead` time steps from now (one step ahead is still within the window). */
const codeAt = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

/** Sets up and confirms two-factor for a signed-in user: the secret and the recovery codes. */
async function enrol(token: string, engine = () => t) {
  const api = engine().client(token);
  const setup = await api.admin.security.beginTwoFactor.mutate();
  const { recoveryCodes } = await api.admin.security.confirmTwoFactor.mutate({ code: await codeAt(setup.secret) });
  return { ...setup, recoveryCodes };
}

/** The password step: the challenge when two-factor is required, or the app code of the refusal. */
async function passwordStep(email: string, password = DEMO_PASSWORD, engine = () => t): Promise<{ code: string; challenge?: string; token?: string }> {
  try {
    const res = await engine().client().auth.login.mutate({ email, password });
    return { code: 'OK', token: res.token };
  } catch (e) {
    if (!(e instanceof TRPCClientError)) throw e;
    const data = e.data as { appCode: string; details?: { challenge?: string } };
    return { code: data.appCode, challenge: data.details?.challenge };
  }
}

async function secondStep(challenge: string, code: string) {
  try {
    const res = await t.client().auth.loginTwoFactor.mutate({ challenge, code });
    return { code: 'OK', token: res.token };
  } catch (e) {
    if (!(e instanceof TRPCClientError)) throw e;
    return { code: (e.data as { appCode: string }).appCode, token: undefined };
  }
}

const auditRows = (userId: number, action: string) => t.database.db.prisma.auditLog.findMany({ where: { entityId: String(userId), action }, orderBy: { id: 'asc' } });

describe('staff two-factor sign-in', () => {
  it('enrols with the secret shown once: the otpauth URI carries it, the database only encrypted, and recovery codes only hashed', async () => {
    const u = await staffUser();
    const api = t.client(u.token);
    expect((await api.admin.security.twoFactorStatus.query()).enabled).toBe(false);
    const setup = await api.admin.security.beginTwoFactor.mutate();
    expect(setup.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.otpauthUri).toContain(`secret=${setup.secret}`);
    const first = await codeAt(setup.secret);
    expect(await errorCode(api.admin.security.confirmTwoFactor.mutate({ code: first === '000000' ? '111111' : '000000' }))).toBe('INVALID_TWO_FACTOR_CODE');
    const { recoveryCodes } = await api.admin.security.confirmTwoFactor.mutate({ code: first });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const row = await t.database.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, include: { recoveryCodes: true } });
    expect(row.totpSecret).not.toBeNull();
    expect(row.totpSecret).not.toContain(setup.secret);
    expect(row.recoveryCodes).toHaveLength(10);
    for (const rc of row.recoveryCodes) expect(recoveryCodes.map((c) => c.replace(/-/g, ''))).not.toContain(rc.codeHash);
    const status = await api.admin.security.twoFactorStatus.query();
    expect(status).toMatchObject({ enabled: true, pending: false, recoveryCodesLeft: 10 });
    expect(JSON.stringify(status)).not.toContain(setup.secret);
    // A second set-up is refused: the secret is never handed out again.
    expect(await errorCode(api.admin.security.beginTwoFactor.mutate())).toBe('TWO_FACTOR_ALREADY_ENABLED');
    expect(await auditRows(u.id, 'auth.2fa_enrolled')).toHaveLength(1);
  });

  it('a right password answers with a challenge, not a token; the code completes the sign-in', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const step1 = await passwordStep(u.email);
    expect(step1.code).toBe('TWO_FACTOR_REQUIRED');
    expect(step1.token).toBeUndefined();
    expect(step1.challenge).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // The challenge is no session token.
    expect(await errorCode(t.client(step1.challenge).auth.me.query())).toBe('UNAUTHENTICATED');
    const step2 = await secondStep(step1.challenge!, await codeAt(secret, 1));
    expect(step2.code).toBe('OK');
    expect((await t.client(step2.token).auth.me.query()).user.id).toBe(u.id);
    // A wrong password still says only that.
    expect((await passwordStep(u.email, 'not the password at all')).code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a wrong code and audits it', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const { challenge } = await passwordStep(u.email);
    const right = await codeAt(secret, 1);
    const wrong = right === '123456' ? '654321' : '123456';
    expect((await secondStep(challenge!, wrong)).code).toBe('INVALID_TWO_FACTOR_CODE');
    const failed = await auditRows(u.id, 'auth.2fa_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.details).toMatchObject({ reason: 'wrong code' });
    // The same challenge still takes the right code.
    expect((await secondStep(challenge!, right)).code).toBe('OK');
  });

  it('refuses a code used once already (replay), and an older one', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const code = await codeAt(secret, 1);
    expect((await secondStep((await passwordStep(u.email)).challenge!, code)).code).toBe('OK');
    expect((await secondStep((await passwordStep(u.email)).challenge!, code)).code).toBe('INVALID_TWO_FACTOR_CODE');
    // The set-up's code (the step before) is older than the last one accepted.
    expect((await secondStep((await passwordStep(u.email)).challenge!, await codeAt(secret, 0))).code).toBe('INVALID_TWO_FACTOR_CODE');
    expect((await auditRows(u.id, 'auth.2fa_failed')).map((r) => (r.details as { reason: string }).reason)).toEqual(['replayed code', 'replayed code']);
  });

  it('one code sent twice at once signs in once', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const code = await codeAt(secret, 1);
    const [a, b] = await Promise.all([passwordStep(u.email), passwordStep(u.email)]);
    const results = await Promise.all([secondStep(a.challenge!, code), secondStep(b.challenge!, code)]);
    expect(results.map((r) => r.code).sort()).toEqual(['INVALID_TWO_FACTOR_CODE', 'OK']);
  });

  it('a recovery code signs in once, is audited, and is spent', async () => {
    const u = await staffUser();
    const { recoveryCodes } = await enrol(u.token);
    const rc = recoveryCodes[3]!;
    // Typed in upper case with spaces: still the code.
    const ok = await secondStep((await passwordStep(u.email)).challenge!, rc.toUpperCase().replace(/-/g, ' '));
    expect(ok.code).toBe('OK');
    const rows = await auditRows(u.id, 'auth.login_recovery_code');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ secondFactor: 'recovery_code', recoveryCodesLeft: 9 });
    expect((await secondStep((await passwordStep(u.email)).challenge!, rc)).code).toBe('INVALID_TWO_FACTOR_CODE');
    expect((await t.client(ok.token).admin.security.twoFactorStatus.query()).recoveryCodesLeft).toBe(9);
  });

  it('wrong codes count towards the sign-in lock-out', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const right = await codeAt(secret, 1);
    const wrong = right === '123456' ? '654321' : '123456';
    const codes: string[] = [];
    for (let i = 0; i < 8 && !codes.includes('RATE_LIMITED'); i++) {
      const step1 = await passwordStep(u.email);
      if (step1.code !== 'TWO_FACTOR_REQUIRED') {
        codes.push(step1.code);
        break;
      }
      codes.push((await secondStep(step1.challenge!, wrong)).code);
    }
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.filter((c) => c === 'INVALID_TWO_FACTOR_CODE').length).toBeGreaterThanOrEqual(5);
    // Locked: not even the password step with the right password passes now.
    expect((await passwordStep(u.email)).code).toBe('RATE_LIMITED');
  });

  it('a challenge takes five wrong codes at most', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const right = await codeAt(secret, 1);
    const wrong = right === '123456' ? '654321' : '123456';
    const { challenge } = await passwordStep(u.email);
    for (let i = 0; i < 5; i++) expect((await secondStep(challenge!, wrong)).code).toBe('INVALID_TWO_FACTOR_CODE');
    expect((await secondStep(challenge!, right)).code).toBe('TWO_FACTOR_CHALLENGE_EXPIRED');
  });

  it('turning it off needs a code, revokes every token and lets the password alone sign in again', async () => {
    const u = await staffUser();
    const { secret, recoveryCodes } = await enrol(u.token);
    const used = await codeAt(secret, 1);
    const signedIn = await secondStep((await passwordStep(u.email)).challenge!, used);
    const api = t.client(signedIn.token);
    expect(await errorCode(api.admin.security.disableTwoFactor.mutate({ code: 'aaaa-bbbb-cccc' }))).toBe('INVALID_TWO_FACTOR_CODE');
    // The code that signed in is spent.
    expect(await errorCode(api.admin.security.disableTwoFactor.mutate({ code: used }))).toBe('INVALID_TWO_FACTOR_CODE');
    expect(await errorCode(api.admin.security.disableTwoFactor.mutate({ code: recoveryCodes[0]! }))).toBe('OK');
    expect(await errorCode(api.auth.me.query())).toBe('UNAUTHENTICATED');
    expect(await errorCode(t.client(u.token).auth.me.query())).toBe('UNAUTHENTICATED');
    const after = await t.database.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, include: { recoveryCodes: true } });
    expect(after.totpSecret).toBeNull();
    expect(after.recoveryCodes).toHaveLength(0);
    expect((await passwordStep(u.email)).code).toBe('OK');
    expect(await auditRows(u.id, 'auth.2fa_disabled')).toHaveLength(1);
  });

  it('a SUPER_ADMIN resets another user’s two-factor (audited, their tokens revoked); nobody else may', async () => {
    const u = await staffUser('ADMIN');
    const { secret } = await enrol(u.token);
    const session = await secondStep((await passwordStep(u.email)).challenge!, await codeAt(secret, 1));
    const other = await staffUser('ADMIN');
    expect(await errorCode(t.client(other.token).admin.security.resetTwoFactor.mutate({ userId: u.id, reason: 'lost phone' }))).toBe('FORBIDDEN');
    const sa = await staffUser('SUPER_ADMIN');
    const saApi = t.client(sa.token);
    expect((await saApi.admin.security.staffUsers.query()).find((r) => r.id === u.id)?.twoFactorEnabled).toBe(true);
    const reset = await saApi.admin.security.resetTwoFactor.mutate({ userId: u.id, reason: 'lost phone and codes' });
    expect(reset.twoFactorEnabled).toBe(false);
    expect(await errorCode(t.client(session.token).auth.me.query())).toBe('UNAUTHENTICATED');
    expect((await passwordStep(u.email)).code).toBe('OK');
    const rows = await auditRows(u.id, 'auth.2fa_reset');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: sa.id, actorRole: 'SUPER_ADMIN' });
    expect(rows[0]!.details).toMatchObject({ reason: 'lost phone and codes' });
    // One's own goes off with a code only.
    await enrol(sa.token);
    expect(await errorCode(saApi.admin.security.resetTwoFactor.mutate({ userId: sa.id, reason: 'my own' }))).toBe('FORBIDDEN');
  });

  it('the secret never reaches the audit log or any answer but the set-up', async () => {
    const u = await staffUser();
    const { secret } = await enrol(u.token);
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { entityId: String(u.id) } });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(rows.map((r) => [r.action, r.details]))).not.toContain(secret);
    const status = await t.client(u.token).admin.security.twoFactorStatus.query();
    const staff = await t.client((await t.login('superadmin@broker.local')).token).admin.security.staffUsers.query();
    expect(JSON.stringify([status, staff])).not.toContain(secret);
  });
});

describe('two-factor policy configuration', () => {
  it('is off by default, on for SUPER_ADMIN and ADMIN in production, and refuses a role name it does not know', () => {
    expect(loadConfig({}).twoFactorRoles).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production' }).twoFactorRoles).toEqual(['SUPER_ADMIN', 'ADMIN']);
    expect(loadConfig({ NODE_ENV: 'production', ENGINE_STAFF_2FA_ROLES: 'none' }).twoFactorRoles).toEqual([]);
    expect(loadConfig({ ENGINE_STAFF_2FA_ROLES: 'admin, risk_manager' }).twoFactorRoles).toEqual(['ADMIN', 'RISK_MANAGER']);
    expect(() => loadConfig({ ENGINE_STAFF_2FA_ROLES: 'ADMIN,CLIENT' })).toThrow(ConfigError);
  });
});

describe('two-factor required by policy', () => {
  let p: TestEngine;
  beforeAll(async () => {
    p = await startTestEngine({ engine: { twoFactorRoles: ['ADMIN'] } });
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('a required role without it gets a set-up-only session; once on, it signs in with a code and cannot turn it off', async () => {
    const n = `${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
    const user = await p.database.db.prisma.user.create({
      data: { email: `req-${n}@test.local`, username: `req-${n}`, name: 'Required', passwordHash: await bcrypt.hash(DEMO_PASSWORD, 4), role: 'ADMIN' },
    });
    const res = await p.client().auth.login.mutate({ email: user.email, password: DEMO_PASSWORD });
    expect(res.twoFactorSetupRequired).toBe(true);
    const api = p.client(res.token);
    expect(await errorCode(api.admin.accounts.list.query({}))).toBe('TWO_FACTOR_SETUP_REQUIRED');
    expect((await api.admin.security.twoFactorStatus.query()).required).toBe(true);
    await expect(p.socket(res.token)).rejects.toThrow(/TWO_FACTOR_SETUP_REQUIRED/);
    const { secret } = await enrol(res.token, () => p);
    const step1 = await passwordStep(user.email, DEMO_PASSWORD, () => p);
    expect(step1.code).toBe('TWO_FACTOR_REQUIRED');
    const full = await p.client().auth.loginTwoFactor.mutate({ challenge: step1.challenge!, code: await codeAt(secret, 1) });
    expect(full.twoFactorSetupRequired).toBeUndefined();
    expect(await errorCode(p.client(full.token).admin.accounts.list.query({}))).toBe('OK');
    expect(await errorCode(p.client(full.token).admin.security.disableTwoFactor.mutate({ code: await codeAt(secret, 1) }))).toBe('TWO_FACTOR_REQUIRED_BY_POLICY');
    // Roles outside the policy sign in with the password alone.
    expect((await p.client().auth.login.mutate({ email: 'support@broker.local', password: DEMO_PASSWORD })).twoFactorSetupRequired).toBeUndefined();
  });
});

describe('password policy', () => {
  it('a password change checks the current one and the policy, then revokes every token', async () => {
    const u = await staffUser('SUPPORT');
    const api = t.client(u.token);
    expect(await errorCode(api.auth.changePassword.mutate({ currentPassword: 'wrong-password-here', newPassword: 'a long enough passphrase 42' }))).toBe('CURRENT_PASSWORD_WRONG');
    for (const weak of ['short1', 'x'.repeat(129), 'password1234', 'Password123!', `${u.email}-suffix`, 'abcdefghijklmnop', 'aaaaaaaaaaaaaaaa']) {
      expect(await errorCode(api.auth.changePassword.mutate({ currentPassword: DEMO_PASSWORD, newPassword: weak })), weak).toBe('WEAK_PASSWORD');
    }
    expect(await errorCode(api.auth.changePassword.mutate({ currentPassword: DEMO_PASSWORD, newPassword: 'violet kettle under a brave moon' }))).toBe('OK');
    expect(await errorCode(api.auth.me.query())).toBe('UNAUTHENTICATED');
    expect((await passwordStep(u.email)).code).toBe('INVALID_CREDENTIALS');
    expect((await passwordStep(u.email, 'violet kettle under a brave moon')).code).toBe('OK');
    expect(await auditRows(u.id, 'auth.password_changed')).toHaveLength(1);
  });

  it('a staff user is created only with a password that meets the policy, and only by a SUPER_ADMIN', async () => {
    const sa = await staffUser('SUPER_ADMIN');
    const api = t.client(sa.token);
    const n = Math.random().toString(36).slice(2, 8);
    const input = { email: `new-${n}@test.local`, username: `new-${n}`, name: 'New Staff', role: 'SUPPORT' as const };
    expect(await errorCode(api.admin.security.createStaffUser.mutate({ ...input, password: 'tooshort' }))).toBe('WEAK_PASSWORD');
    expect(await errorCode(api.admin.security.createStaffUser.mutate({ ...input, password: `my name is new-${n} ok` }))).toBe('WEAK_PASSWORD');
    const admin = await staffUser('ADMIN');
    expect(await errorCode(t.client(admin.token).admin.security.createStaffUser.mutate({ ...input, password: 'a fine long passphrase' }))).toBe('FORBIDDEN');
    const created = await api.admin.security.createStaffUser.mutate({ ...input, password: 'a fine long passphrase' });
    expect(created).toMatchObject({ email: input.email, role: 'SUPPORT', twoFactorEnabled: false });
    expect((await passwordStep(input.email, 'a fine long passphrase')).code).toBe('OK');
    expect(await errorCode(api.admin.security.createStaffUser.mutate({ ...input, password: 'a fine long passphrase' }))).toBe('USER_EXISTS');
  });

  it('an account created with a chosen password follows the policy; without one the engine generates one', async () => {
    const admin = await staffUser('ADMIN');
    const api = t.client(admin.token);
    const n = Math.random().toString(36).slice(2, 8);
    expect(await errorCode(api.admin.accounts.create.mutate({ email: `c-${n}@test.local`, name: 'Client', password: 'demo1234' }))).toBe('WEAK_PASSWORD');
    const made = await api.admin.accounts.create.mutate({ email: `c-${n}@test.local`, name: 'Client', password: 'a client passphrase 2026' });
    expect(made.password).toBeNull();
    expect((await passwordStep(`c-${n}@test.local`, 'a client passphrase 2026')).code).toBe('OK');
    const generated = await api.admin.accounts.create.mutate({ email: `g-${n}@test.local`, name: 'Client' });
    expect(generated.password).toHaveLength(16);
  });
});
