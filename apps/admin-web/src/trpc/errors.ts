import { ERROR_CODES, type ErrorCode } from '@broker/api/errors';
import { TRPCClientError } from '@trpc/client';

export interface AppErrorInfo {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** The engine's stable code and human message from any error a tRPC call throws. */
export function appError(e: unknown): AppErrorInfo {
  if (e instanceof TRPCClientError) {
    const data = e.data as { appCode?: string; issues?: { path: string; message: string }[] } | undefined;
    if (data?.appCode) {
      return { code: data.appCode, message: e.message || ERROR_CODES[data.appCode as ErrorCode] || data.appCode, issues: data.issues };
    }
    return { code: 'NETWORK', message: 'Cannot reach the trading server.' };
  }
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) };
}
