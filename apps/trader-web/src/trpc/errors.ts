import { ERROR_CODES } from '@broker/api/errors';
import { appErrorOf, type AppErrorInfo } from '@broker/ui/errors';
import { TRPCClientError } from '@trpc/client';

export type { AppErrorInfo };

/** The engine's stable code and human message from any error a tRPC call throws. */
export function appError(e: unknown): AppErrorInfo {
  return appErrorOf(e, TRPCClientError, ERROR_CODES);
}
