// The auth area: signing in (a JWT from tokens.ts) and who is signed in.
import bcrypt from 'bcryptjs';
import { EngineError, type AccountBrief, type AuthApi, type AuthUser, type LoginInput, type LoginResult, type Role } from '@broker/api';
import type { EngineCore } from './core.ts';

const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.qF7w9s3fX6o8E0v2oC8sX9Tq2oG2';

export class AuthArea implements AuthApi {
  constructor(private readonly c: EngineCore) {}

  async login(input: LoginInput): Promise<LoginResult> {
    const c = this.c;
    const user = await c.prisma.user.findUnique({ where: { email: input.email } });
    // Compare against a dummy hash when there is no user, so timing does not reveal which emails exist.
    const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) throw new EngineError('INVALID_CREDENTIALS');
    const authUser: AuthUser = { id: user.id, role: user.role as Role, email: user.email, name: user.name };
    const { token, expiresAt } = await c.tokens.issue(authUser, c.clock());
    await c.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(c.clock()) } });
    c.log.info('login', { userId: user.id, role: user.role });
    return { token, expiresAt, user: authUser, accounts: await this.accountsOf(authUser) };
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

  async accountOwner(accountId: number): Promise<number | null> {
    const a = this.c.book.peek(accountId) ?? (await this.c.book.get(accountId));
    return a ? a.userId : null;
  }
}
