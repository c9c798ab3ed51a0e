// The audit rows of the desk's commands (design.md §9.3): every order placed, modified, cancelled or expired and
// every close (trader, dealer, SL/TP, close all, stop out), with who did it, from where and before/after. A row
// goes into the command's own write set, so it is written in the same statement as the order (one more row in
// the group commit's audit_log insert, no round trip of its own), and exists exactly when the order does.
import type { Decimal } from 'decimal.js';
import type { Prisma } from '@broker/db';
import type { WriteSet } from './write-set.ts';

/** Who did it: a signed-in user with the request's address and user agent, or the engine itself. */
export interface AuditActor {
  actorId: number | null;
  actorRole: string;
  ip?: string | null;
  userAgent?: string | null;
}

/** The engine's own acts: SL/TP, stop out, expiry, a triggered order rejected. */
export const SYSTEM: AuditActor = { actorId: null, actorRole: 'SYSTEM' };

export type AuditRow = WriteSet['audit'][number];

export function auditRow(by: AuditActor | undefined, action: string, entityType: string, entityId: bigint | number | string, details: Record<string, unknown>, at: Date): AuditRow {
  const who = by ?? SYSTEM;
  return {
    actorId: who.actorId,
    actorRole: who.actorRole,
    action,
    entityType,
    entityId: String(entityId),
    // Plain JSON (strings, numbers, null, nested objects): the writer serializes it as it is.
    details: (who.userAgent ? { ...details, userAgent: who.userAgent } : details) as Prisma.InputJsonObject,
    ip: who.ip ?? null,
    createdAt: at,
  };
}

/** A Decimal (or nothing) as the audit row's JSON keeps it: exact text. */
export const txt = (d: Decimal | null | undefined): string | null => (d === null || d === undefined ? null : d.toString());
