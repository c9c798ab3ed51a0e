// The engine's auth area: signing in and who is signed in.
import type { Role } from '../roles.ts';
import type { LoginInput } from '../schemas.ts';

export interface AuthUser {
  id: number;
  role: Role;
  email: string;
  name: string;
}

export interface AccountBrief {
  id: number;
  accountNumber: string;
  type: 'DEMO' | 'LIVE';
  currency: string;
  leverage: number;
  marginMode: 'HEDGING' | 'NETTING';
  status: 'ACTIVE' | 'SUSPENDED' | 'READ_ONLY' | 'CLOSED';
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: AuthUser;
  accounts: AccountBrief[];
}

export interface AuthApi {
  login(input: LoginInput, meta: { ip?: string; userAgent?: string }): Promise<LoginResult>;
  me(user: AuthUser): Promise<{ user: AuthUser; accounts: AccountBrief[] }>;
  /** Revokes every token of the user (all devices) and closes their live connections. */
  logout(user: AuthUser, meta: { ip?: string; userAgent?: string }): Promise<{ ok: true }>;
  /** The user id that owns an account, or null when there is no such account. */
  accountOwner(accountId: number): Promise<number | null>;
  /**
   * Whether a trader owns an account. Another's account and a missing one take the same path (the same query,
   * by the trader's id, never by the account's), so neither answer nor timing tells whether the id exists.
   */
  ownsAccount(userId: number, accountId: number): Promise<boolean>;
}
