// The security area: a staff user's own two-factor sign-in (set-up, confirm, turn off) and the staff users a
// SUPER_ADMIN manages (create, reset another's two-factor). Every change is audited with the address and user
// agent; the TOTP secret is returned once, by beginTwoFactor, and recovery codes once, by confirmTwoFactor.
import {
  EngineError,
  type AuthUser,
  type CreateStaffUserInput,
  type ResetTwoFactorInput,
  type Role,
  type SecurityApi,
  type StaffUserRow,
  type TwoFactorCodeInput,
  type TwoFactorSetup,
  type TwoFactorStatus,
} from '@broker/api';
import { newRecoveryCodes, newTotpSecret, totpCodeOf } from '../auth/two-factor.ts';
import type { AuthArea } from './auth.ts';
import { auditAuth, hashPassword, recoveryCodesLeft, spendSecondFactor } from './auth.ts';
import type { EngineCore } from './core.ts';

type RequestMeta = { ip?: string; userAgent?: string };

const staffRow = (u: { id: number; email: string; username: string; name: string; role: string; active: boolean; totpSecret: string | null; lastLoginAt: Date | null }): StaffUserRow => ({
  id: u.id,
  email: u.email,
  username: u.username,
  name: u.name,
  role: u.role as Role,
  active: u.active,
  twoFactorEnabled: u.totpSecret !== null,
  lastLoginAt: u.lastLoginAt,
});

export class SecurityArea implements SecurityApi {
  constructor(
    private readonly c: EngineCore,
    private readonly auth: AuthArea,
  ) {}

  private async row(userId: number) {
    const row = await this.c.prisma.user.findUnique({ where: { id: userId } });
    if (!row) throw new EngineError('UNAUTHENTICATED');
    return row;
  }

  async twoFactorStatus(user: AuthUser): Promise<TwoFactorStatus> {
    const row = await this.row(user.id);
    return {
      enabled: row.totpSecret !== null,
      enabledAt: row.totpEnabledAt,
      pending: row.totpSecret === null && row.totpPendingSecret !== null,
      recoveryCodesLeft: row.totpSecret ? await recoveryCodesLeft(this.c, row.id) : 0,
      required: this.auth.twoFactorRequired(row.role),
    };
  }

  async beginTwoFactor(user: AuthUser, meta: RequestMeta = {}): Promise<TwoFactorSetup> {
    const row = await this.row(user.id);
    if (row.totpSecret) throw new EngineError('TWO_FACTOR_ALREADY_ENABLED');
    const setup = newTotpSecret(row.email);
    await this.c.prisma.user.update({ where: { id: row.id }, data: { totpPendingSecret: this.c.twoFactor.encrypt(setup.secret) } });
    await auditAuth(this.c, 'auth.2fa_setup_started', row, row.email, meta, {});
    return setup;
  }

  async confirmTwoFactor(user: AuthUser, input: TwoFactorCodeInput, meta: RequestMeta = {}): Promise<{ recoveryCodes: string[] }> {
    const c = this.c;
    const row = await this.row(user.id);
    if (row.totpSecret) throw new EngineError('TWO_FACTOR_ALREADY_ENABLED');
    if (!row.totpPendingSecret) throw new EngineError('TWO_FACTOR_NOT_STARTED');
    const code = totpCodeOf(input.code);
    const check = code ? await spendSecondFactor(c, row, code, row.totpPendingSecret) : ({ ok: false, reason: 'wrong code' } as const);
    if (!check.ok) {
      await auditAuth(c, 'auth.2fa_failed', row, row.email, meta, { reason: `set-up: ${check.reason}` });
      throw new EngineError('INVALID_TWO_FACTOR_CODE', undefined, { field: 'code' });
    }
    const codes = newRecoveryCodes();
    const now = new Date(c.clock());
    await c.prisma.$transaction([
      c.prisma.user.update({ where: { id: row.id }, data: { totpSecret: row.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: now } }),
      c.prisma.recoveryCode.deleteMany({ where: { userId: row.id } }),
      c.prisma.recoveryCode.createMany({ data: codes.map((code) => ({ userId: row.id, codeHash: c.twoFactor.hashRecoveryCode(code) })) }),
    ]);
    await auditAuth(c, 'auth.2fa_enrolled', row, row.email, meta, { recoveryCodes: codes.length });
    c.log.info('two-factor enrolled', { userId: row.id });
    return { recoveryCodes: codes };
  }

  async disableTwoFactor(user: AuthUser, input: TwoFactorCodeInput, meta: RequestMeta = {}): Promise<{ ok: true }> {
    const c = this.c;
    const row = await this.row(user.id);
    if (!row.totpSecret) throw new EngineError('TWO_FACTOR_NOT_ENABLED');
    if (this.auth.twoFactorRequired(row.role)) throw new EngineError('TWO_FACTOR_REQUIRED_BY_POLICY');
    await c.limits.beforeLogin(row.email, meta.ip);
    const check = await spendSecondFactor(c, row, input.code);
    if (!check.ok) {
      await c.limits.loginFailed(row.email, meta.ip);
      await auditAuth(c, 'auth.2fa_failed', row, row.email, meta, { reason: `turning off: ${check.reason}` });
      throw new EngineError('INVALID_TWO_FACTOR_CODE', undefined, { field: 'code' });
    }
    await this.clear(row.id);
    await auditAuth(c, 'auth.2fa_disabled', row, row.email, meta, { with: check.method });
    await c.sessions.revoke(row.id);
    return { ok: true };
  }

  private async clear(userId: number) {
    await this.c.prisma.$transaction([
      this.c.prisma.user.update({ where: { id: userId }, data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null } }),
      this.c.prisma.recoveryCode.deleteMany({ where: { userId } }),
    ]);
  }

  async staffUsers(_actor: AuthUser): Promise<StaffUserRow[]> {
    const rows = await this.c.prisma.user.findMany({ where: { role: { not: 'CLIENT' } }, orderBy: { id: 'asc' }, take: 1000 });
    return rows.map(staffRow);
  }

  async createStaffUser(actor: AuthUser, input: CreateStaffUserInput, meta: RequestMeta = {}): Promise<StaffUserRow> {
    const c = this.c;
    const taken = await c.prisma.user.findFirst({ where: { OR: [{ email: input.email }, { username: input.username }] }, select: { email: true } });
    if (taken) throw new EngineError('USER_EXISTS', undefined, { field: taken.email === input.email ? 'email' : 'username' });
    const passwordHash = await hashPassword(input.password, { email: input.email, username: input.username }, 'password');
    let created;
    try {
      created = await c.prisma.user.create({ data: { email: input.email, username: input.username, name: input.name, role: input.role, passwordHash } });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new EngineError('USER_EXISTS');
      throw err;
    }
    await auditAuth(c, 'user.create', created, created.email, meta, { role: created.role, username: created.username, name: created.name }, actor);
    return staffRow(created);
  }

  async resetTwoFactor(actor: AuthUser, input: ResetTwoFactorInput, meta: RequestMeta = {}): Promise<StaffUserRow> {
    const c = this.c;
    // One's own second factor goes off with a code (disableTwoFactor): a stolen session must not remove it.
    if (input.userId === actor.id) throw new EngineError('FORBIDDEN', 'Turn your own two-factor off with a code, on the Security page');
    const target = await c.prisma.user.findUnique({ where: { id: input.userId } });
    if (!target) throw new EngineError('NOT_FOUND', 'No such user');
    if (!target.totpSecret && !target.totpPendingSecret) throw new EngineError('TWO_FACTOR_NOT_ENABLED');
    await this.clear(target.id);
    await auditAuth(c, 'auth.2fa_reset', target, target.email, meta, { reason: input.reason, wasEnabled: target.totpSecret !== null }, actor);
    await c.sessions.revoke(target.id);
    return staffRow({ ...target, totpSecret: null });
  }
}
