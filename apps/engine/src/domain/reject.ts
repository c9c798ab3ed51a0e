import type { ErrorCode } from '@broker/api/errors';

/** A rejection is a value with a stable code and a human message (style.md), not a thrown string. */
export interface Reject {
  ok: false;
  code: ErrorCode;
  message: string;
}

export function reject(code: ErrorCode, message: string): Reject {
  return { ok: false, code, message };
}

export function isReject(v: unknown): v is Reject {
  return typeof v === 'object' && v !== null && (v as Reject).ok === false && typeof (v as Reject).code === 'string';
}
