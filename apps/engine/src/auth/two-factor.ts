// Two-factor sign-in for staff (issue 12): TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, as every
// authenticator app reads an otpauth URI) through otplib, and one-time recovery codes.
// - The secret is stored encrypted with AES-256-GCM under a key derived (HKDF) from ENGINE_TOTP_KEY, or from
//   ENGINE_JWT_SECRET when that is unset; it is returned once, at set-up, and never logged.
// - A code is accepted one step either side of now (clock drift), and only for a time step after the last
//   one accepted for the user (totp_last_step): the same code, or an older one, is refused as a replay.
// - Recovery codes are 12 characters from an alphabet without look-alikes (~59 bits each), shown once; the
//   table keeps an HMAC of each (random codes need no slow hash), and a code is spent by the one UPDATE that
//   finds it unused.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD_S = 30;
/** One step either side: an app whose clock is up to 30 s off still signs in. */
const TOLERANCE_S = TOTP_PERIOD_S;
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const ISSUER = 'RTX Back Office';

/** A TOTP code as typed (spaces allowed), or null when the text is not one: it is then read as a recovery code. */
export function totpCodeOf(text: string): string | null {
  const digits = text.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A recovery code as stored and compared: lower case, without spaces or dashes. */
export const normalizeRecoveryCode = (text: string) => text.toLowerCase().replace(/[\s-]+/g, '');

export class TwoFactorCrypto {
  private readonly aesKey: Buffer;
  private readonly hmacKey: Buffer;

  constructor(keyMaterial: string) {
    if (keyMaterial.length < 16) throw new Error('The two-factor key must be at least 16 characters');
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', keyMaterial, 'broker-engine-2fa', info, 32));
    this.aesKey = derive('totp-secret-v1');
    this.hmacKey = derive('recovery-code-v1');
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv);
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** The secret, or null when the stored text does not decrypt under this key (a rotated key: reset it). */
  decrypt(stored: string): string | null {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || !ct) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', this.aesKey, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  hashRecoveryCode(code: string): string {
    return createHmac('sha256', this.hmacKey).update(normalizeRecoveryCode(code)).digest('hex');
  }
}

/** A new secret (160 bits, base32) and its otpauth URI for the user's app. */
export function newTotpSecret(label: string): { secret: string; otpauthUri: string } {
  const secret = generateSecret();
  return { secret, otpauthUri: generateURI({ issuer: ISSUER, label, secret }) };
}

/** The time step a code was made for, when it is right for `secret` at `nowMs` (± one step); null otherwise. */
export async function totpStepOf(secret: string, code: string, nowMs: number): Promise<number | null> {
  const epoch = Math.floor(nowMs / 1000);
  const res = await verify({ secret, token: code, epoch, epochTolerance: TOLERANCE_S }).catch(() => null);
  if (!res?.valid) return null;
  return Math.floor(epoch / TOTP_PERIOD_S) + res.delta;
}

/** Ten new recovery codes, formatted xxxx-xxxx-xxxx. */
export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    let raw = '';
    for (let i = 0; i < 12; i++) raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    codes.add(`${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`);
  }
  return [...codes];
}
