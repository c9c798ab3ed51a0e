import { jwtVerify, SignJWT } from 'jose';
import type { AuthUser, Role } from '@broker/api';
import { ROLES } from '@broker/api/roles';

// design.md §9.1: 24 hours for clients, 8 hours for staff.
const CLIENT_TTL_S = 24 * 3600;
const STAFF_TTL_S = 8 * 3600;
const ISSUER = 'broker-engine';

/** What a token carries besides the user, for revocation (sessions.ts): the user's token version and a fingerprint of the password hash. */
export interface SessionClaims {
  ver: number;
  pwf: string;
  /** The session may only set up two-factor sign-in (the policy requires it, it is not on yet). */
  setupOnly?: boolean;
}

export interface VerifiedToken {
  user: AuthUser;
  ver: number;
  pwf: string;
  /** Unix ms when it expires. */
  expiresAt: number;
}

export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('ENGINE_JWT_SECRET must be at least 16 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(user: AuthUser, nowMs: number, session: SessionClaims): Promise<{ token: string; expiresAt: Date }> {
    const ttl = user.role === 'CLIENT' ? CLIENT_TTL_S : STAFF_TTL_S;
    const iat = Math.floor(nowMs / 1000);
    const claims = { role: user.role, email: user.email, name: user.name, ver: session.ver, pwf: session.pwf, ...(session.setupOnly ? { tfs: true } : {}) };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(user.id))
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(this.key);
    return { token, expiresAt: new Date((iat + ttl) * 1000) };
  }

  /** The user a token speaks for, or null when it is missing, forged or expired (not whether it was revoked: sessions.ts). */
  async verify(token: string | undefined | null): Promise<AuthUser | null> {
    return (await this.verifyClaims(token))?.user ?? null;
  }

  /** verify, with the session claims and the expiry. */
  async verifyClaims(token: string | undefined | null): Promise<VerifiedToken | null> {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const role = payload.role as Role;
      const id = Number(payload.sub);
      if (!ROLES.includes(role) || !Number.isInteger(id) || typeof payload.exp !== 'number') return null;
      const ver = typeof payload.ver === 'number' ? payload.ver : -1;
      const pwf = typeof payload.pwf === 'string' ? payload.pwf : '';
      const user: AuthUser = { id, role, email: String(payload.email ?? ''), name: String(payload.name ?? '') };
      if (payload.tfs === true) user.twoFactorSetupOnly = true;
      return { user, ver, pwf, expiresAt: payload.exp * 1000 };
    } catch {
      return null;
    }
  }
}

export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m?.[1] ?? null;
}
