// Server side of sign-in: the engine checks the password and issues the token the browser then uses for
// tRPC and Socket.IO.
import type { AppRouter, LoginResult } from '@broker/api';
import { ERROR_CODES } from '@broker/api/errors';
import { transformer } from '@broker/api/transformer';
import { engineError } from '@broker/ui/errors';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { engineUrl } from '../config.ts';

export type EngineLoginOutcome = { ok: true; result: LoginResult } | { ok: false; code: string; message: string };

export async function engineLogin(email: string, password: string): Promise<EngineLoginOutcome> {
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${engineUrl()}/trpc`, transformer })] });
  try {
    return { ok: true, result: await client.auth.login.mutate({ email, password }) };
  } catch (e) {
    const info = engineError(e, TRPCClientError, ERROR_CODES);
    if (info) return { ok: false, code: info.code, message: info.message };
    console.error('[admin-web] engine login failed', e);
    return { ok: false, code: 'ENGINE_UNREACHABLE', message: 'Cannot reach the trading server. Try again in a moment.' };
  }
}
