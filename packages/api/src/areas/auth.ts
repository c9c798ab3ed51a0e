// The engine's auth area: signing in and who is signed in.
import type { Role } from '../roles.ts';
import type { ChangePasswordInput, LoginInput, LoginTwoFactorInput } from '../schemas.ts';

export interface AuthUser {
  id: number;
  role: Role;
  email: string;
  name: string;
  /** A session that may only set up two-factor sign-in (the policy requires it and it is not on yet). */
  twoFactorSetupOnly?: boolean;
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
  /**
   * The user's role must sign in with two-factor (ENGINE_STAFF_2FA_ROLES) and has not set it up: the token
   * opens only the two-factor set-up (admin.security.*) until it is on and the user signs in again.
   */
  twoFactorSetupRequired?: boolean;
}

/**
 * What `auth.login` refuses an enrolled staff user's correct password with: error TWO_FACTOR_REQUIRED whose
 * details are this (no session token): `auth.loginTwoFactor` takes the challenge and a code.
 */
export interface TwoFactorChallenge {
  challenge: string;
  expiresAt: Date | string;
}

export interface AuthApi {
  login(input: LoginInput, meta: { ip?: string; userAgent?: string }): Promise<LoginResult>;
  /** The second step for a user with two-factor on: the challenge and a TOTP or recovery code. */
  loginTwoFactor(input: LoginTwoFactorInput, meta: { ip?: string; userAgent?: string }): Promise<LoginResult>;
  /** A new password (the policy applies); every token of the user is revoked, this one too: sign in again. */
  changePassword(user: AuthUser, input: ChangePasswordInput, meta: { ip?: string; userAgent?: string }): Promise<{ ok: true }>;
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
