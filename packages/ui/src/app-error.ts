// Reading the engine's errors out of whatever a tRPC call threw. Only the error's shape is used: the app
// passes its tRPC client error class and the engine's code → message table (`@broker/api/errors`).

export interface AppErrorInfo {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** The class a tRPC client throws (`TRPCClientError` from `@trpc/client`): a message and the server's data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ClientErrorClass = abstract new (...args: any[]) => Error & { data?: unknown };

/** The engine's stable code and human message when `e` is a tRPC error carrying an app code; null otherwise. */
export function engineError(e: unknown, errorClass: ClientErrorClass, messages: Readonly<Record<string, string>>): AppErrorInfo | null {
  if (!(e instanceof errorClass)) return null;
  const data = e.data as { appCode?: string; issues?: { path: string; message: string }[] } | undefined;
  if (!data?.appCode) return null;
  return { code: data.appCode, message: e.message || messages[data.appCode] || data.appCode, issues: data.issues };
}

/**
 * The engine's stable code and human message from any error a tRPC call throws: its app code when it
 * carries one, `NETWORK` for a tRPC error without one, `INTERNAL_ERROR` for anything else.
 */
export function appErrorOf(e: unknown, errorClass: ClientErrorClass, messages: Readonly<Record<string, string>>): AppErrorInfo {
  const info = engineError(e, errorClass, messages);
  if (info) return info;
  if (e instanceof errorClass) return { code: 'NETWORK', message: 'Cannot reach the trading server.' };
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) };
}
