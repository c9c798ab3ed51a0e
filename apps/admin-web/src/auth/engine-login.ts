// Server side of sign-in: the engine checks the password and issues the token the browser then uses for
// tRPC and Socket.IO. A staff user with two-factor on gets TWO_FACTOR_REQUIRED and a challenge for the right
// password: without a code the form is told to ask for one (the challenge stays here, on the server); with a
// code both steps run here, the challenge straight into auth.loginTwoFactor.
import type { AppRouter, LoginResult, TwoFactorChallenge } from '@broker/api';
import { ERROR_CODES } from '@broker/api/errors';
import { transformer } from '@broker/api/transformer';
import { engineError } from '@broker/ui/errors';
import { TWO_FACTOR_REQUIRED } from '@broker/ui/auth';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { engineUrl } from '../config.ts';

export type EngineLoginOutcome = { ok: true; result: LoginResult } | { ok: false; code: string; message: string };

const refusal = (e: unknown): EngineLoginOutcome & { ok: false; details?: Record<string, unknown> } => {
  const info = engineError(e, TRPCClientError, ERROR_CODES);
  if (info) return { ok: false, code: info.code, message: info.message, details: info.details };
  console.error('[admin-web] engine login failed', e);
  return { ok: false, code: 'ENGINE_UNREACHABLE', message: 'Cannot reach the trading server. Try again in a moment.' };
};

export async function engineLogin(email: string, password: string, code?: string): Promise<EngineLoginOutcome> {
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${engineUrl()}/trpc`, transformer })] });
  let challenge: TwoFactorChallenge;
  try {
    return { ok: true, result: await client.auth.login.mutate({ email, password }) };
  } catch (e) {
    const r = refusal(e);
    if (r.code !== 'TWO_FACTOR_REQUIRED' || typeof r.details?.challenge !== 'string') return r;
    // The form shows the code step when the message is this marker (next-auth passes only a message).
    if (!code) return { ok: false, code: r.code, message: TWO_FACTOR_REQUIRED };
    challenge = r.details as unknown as TwoFactorChallenge;
  }
  try {
    return { ok: true, result: await client.auth.loginTwoFactor.mutate({ challenge: challenge.challenge, code }) };
  } catch (e) {
    return refusal(e);
  }
}
