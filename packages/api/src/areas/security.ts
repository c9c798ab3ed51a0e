// The engine's security area: a staff user's own two-factor sign-in (TOTP with recovery codes), and the
// staff users a SUPER_ADMIN manages (create, reset another's two-factor).
import type { CreateStaffUserInput, ResetTwoFactorInput } from '../backoffice-schemas.ts';
import type { Role } from '../roles.ts';
import type { TwoFactorCodeInput } from '../schemas.ts';
import type { AuthUser } from './auth.ts';

type RequestMeta = { ip?: string; userAgent?: string };

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  /** A set-up was started and waits for its first code. */
  pending: boolean;
  recoveryCodesLeft: number;
  /** The policy (ENGINE_STAFF_2FA_ROLES) requires it for this user's role. */
  required: boolean;
}

/** A started set-up: shown once, for the authenticator app. The secret is never returned again. */
export interface TwoFactorSetup {
  secret: string;
  /** otpauth://totp/… for a QR code. */
  otpauthUri: string;
}

export interface StaffUserRow {
  id: number;
  email: string;
  username: string;
  name: string;
  role: Role;
  active: boolean;
  twoFactorEnabled: boolean;
  lastLoginAt: Date | null;
}

export interface SecurityApi {
  twoFactorStatus(user: AuthUser): Promise<TwoFactorStatus>;
  beginTwoFactor(user: AuthUser, meta: RequestMeta): Promise<TwoFactorSetup>;
  /** The first code from the app turns it on; answers the 10 one-time recovery codes, shown this once. */
  confirmTwoFactor(user: AuthUser, input: TwoFactorCodeInput, meta: RequestMeta): Promise<{ recoveryCodes: string[] }>;
  /** Turns it off (a current code or a recovery code); every token of the user is revoked. */
  disableTwoFactor(user: AuthUser, input: TwoFactorCodeInput, meta: RequestMeta): Promise<{ ok: true }>;
  staffUsers(actor: AuthUser): Promise<StaffUserRow[]>;
  createStaffUser(actor: AuthUser, input: CreateStaffUserInput, meta: RequestMeta): Promise<StaffUserRow>;
  /** Another user's two-factor off (lost phone and codes): their tokens are revoked; audited with the reason. */
  resetTwoFactor(actor: AuthUser, input: ResetTwoFactorInput, meta: RequestMeta): Promise<StaffUserRow>;
}
