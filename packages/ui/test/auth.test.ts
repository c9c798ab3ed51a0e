import { describe, expect, it, vi } from 'vitest';
import { appErrorOf, engineError } from '../src/app-error.ts';
import {
  engineCallbacks,
  authCookies,
  authorizeSignIn,
  baseAuthOptions,
  liveSession,
  runtimeConfig,
  assertNextAuthSecret,
  nextAuthSecretProblem,
  sessionFromToken,
  tokenWithUser,
  userFromSignIn,
} from '../src/auth.ts';

class FakeClientError extends Error {
  constructor(
    message: string,
    public data?: unknown,
  ) {
    super(message);
  }
}
const MESSAGES = { INSUFFICIENT_MARGIN: 'Not enough free margin' };

describe('appErrorOf / engineError', () => {
  it('reads the app code, falling back to the code table when the message is empty', () => {
    const issues = [{ path: 'volume', message: 'too small' }];
    expect(appErrorOf(new FakeClientError('', { appCode: 'INSUFFICIENT_MARGIN', issues }), FakeClientError, MESSAGES)).toEqual({
      code: 'INSUFFICIENT_MARGIN',
      message: 'Not enough free margin',
      issues,
    });
    expect(appErrorOf(new FakeClientError('', { appCode: 'OTHER' }), FakeClientError, MESSAGES).message).toBe('OTHER');
    expect(appErrorOf(new FakeClientError('Market closed', { appCode: 'OTHER' }), FakeClientError, MESSAGES).message).toBe('Market closed');
  });
  it('a client error without a code is the network; anything else is internal', () => {
    expect(appErrorOf(new FakeClientError('fetch failed'), FakeClientError, MESSAGES).code).toBe('NETWORK');
    expect(appErrorOf(new Error('boom'), FakeClientError, MESSAGES)).toEqual({ code: 'INTERNAL_ERROR', message: 'boom' });
    expect(appErrorOf('x', FakeClientError, MESSAGES)).toEqual({ code: 'INTERNAL_ERROR', message: 'x' });
    expect(engineError(new FakeClientError('fetch failed'), FakeClientError, MESSAGES)).toBeNull();
    expect(engineError(new Error('boom'), FakeClientError, MESSAGES)).toBeNull();
  });
});

describe('auth mapping', () => {
  it('names every cookie for the app, secure ones with the __Secure- prefix', () => {
    const plain = authCookies('trader', false);
    expect(plain.sessionToken).toEqual({
      name: 'rtx-trader.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false },
    });
    expect(plain.callbackUrl.options.httpOnly).toBe(false);
    expect(Object.keys(plain)).toEqual(['sessionToken', 'callbackUrl', 'csrfToken', 'pkceCodeVerifier', 'state', 'nonce']);
    expect(authCookies('admin', true).pkceCodeVerifier.name).toBe('__Secure-rtx-admin.pkce.code_verifier');
  });

  it('carries the engine sign-in through user, token and session', () => {
    const user = userFromSignIn({
      token: 't',
      expiresAt: new Date(1_000),
      user: { id: 7, email: 'a@b.c', name: 'A', role: 'CLIENT' },
      accounts: [{ id: 1 }],
    });
    expect(user).toMatchObject({ id: '7', email: 'a@b.c', name: 'A', engineToken: 't', engineTokenExpiresAt: 1_000 });
    const token = tokenWithUser({ sub: '7' } as Record<string, unknown>, user);
    const bare: Record<string, unknown> = { sub: '8' };
    expect(tokenWithUser(bare, undefined)).toEqual({ sub: '8' });
    const session = sessionFromToken({ expires: 'x' }, token);
    expect(session).toEqual({ expires: 'x', user: user.engineUser, accounts: [{ id: 1 }], engineToken: 't', engineTokenExpiresAt: 1_000 });
    expect(sessionFromToken({ expires: 'x' }, {})).toMatchObject({ accounts: [], engineToken: '', engineTokenExpiresAt: 0 });
  });

  it('keeps only live sessions with an allowed role', () => {
    const s = { engineToken: 't', engineTokenExpiresAt: 2_000, user: { role: 'CLIENT' } };
    const isClient = (r: string) => r === 'CLIENT';
    expect(liveSession(s, isClient, 1_000)).toBe(s);
    expect(liveSession(s, isClient, 3_000)).toBeNull();
    expect(liveSession({ ...s, engineToken: '' }, isClient, 1_000)).toBeNull();
    expect(liveSession({ ...s, user: { role: 'ADMIN' } }, isClient, 1_000)).toBeNull();
    expect(liveSession<typeof s>(null, isClient)).toBeNull();
  });

  it('reads the configuration at each call and warns once about a missing secret', () => {
    const env: Record<string, string | undefined> = {};
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const c = runtimeConfig('trader-web', env);
    expect(c.engineUrl()).toBe('http://localhost:4000');
    env.ENGINE_URL = 'http://engine:4000//';
    expect(c.engineUrl()).toBe('http://engine:4000');
    expect(c.enginePublicUrl()).toBe('http://engine:4000');
    env.ENGINE_PUBLIC_URL = 'https://x.example/';
    expect(c.enginePublicUrl()).toBe('https://x.example');
    c.nextAuthSecret();
    c.nextAuthSecret();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('[trader-web]');
    env.NEXTAUTH_SECRET = 's';
    expect(c.nextAuthSecret()).toBe('s');
    warn.mockRestore();
  });
});

describe('NEXTAUTH_SECRET in production (issue 12)', () => {
  const real = 'a-real-nextauth-secret-0123456789abcdef';
  it.each([
    ['unset', {}],
    ['the development secret', { NEXTAUTH_SECRET: 'dev-only-insecure-secret-change-me' }],
    ["npm start's development secret", { NEXTAUTH_SECRET: 'dev-only-insecure-nextauth-secret-change-me' }],
    ['too short', { NEXTAUTH_SECRET: 'short-but-set' }],
  ])('refuses a secret that is %s', (_name, env: Record<string, string>) => {
    const prod = { NODE_ENV: 'production', ...env };
    expect(nextAuthSecretProblem(prod)).toMatch(/NEXTAUTH_SECRET/);
    expect(() => assertNextAuthSecret('admin-web', prod)).toThrow(/\[admin-web\] refusing to start: NEXTAUTH_SECRET/);
    expect(() => runtimeConfig('trader-web', prod).nextAuthSecret()).toThrow(/refusing to start/);
    if (env.NEXTAUTH_SECRET) expect(nextAuthSecretProblem(prod)).not.toContain(env.NEXTAUTH_SECRET);
  });

  it('accepts a real secret, and development or a build without one', () => {
    expect(runtimeConfig('trader-web', { NODE_ENV: 'production', NEXTAUTH_SECRET: real }).nextAuthSecret()).toBe(real);
    expect(nextAuthSecretProblem({ NODE_ENV: 'development' })).toBeNull();
    // `next build` runs with NODE_ENV=production and no runtime secrets; the server start checks.
    expect(nextAuthSecretProblem({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).toBeNull();
  });
});

describe('authorizeSignIn / baseAuthOptions', () => {
  const schema = {
    safeParse: (v: unknown) => {
      const c = v as { email?: string; password?: string };
      return c.email && c.password
        ? { success: true as const, data: { email: c.email, password: c.password } }
        : { success: false as const };
    },
  };
  const result = { token: 't', expiresAt: new Date(5_000), user: { id: 3, email: 'c@x.io', name: 'C', role: 'CLIENT' }, accounts: [] };
  const opts = {
    schema,
    login: async (email: string) =>
      email === 'c@x.io' ? { ok: true as const, result } : { ok: false as const, message: 'Wrong password' },
    allowRole: (r: string) => r === 'CLIENT',
    refusal: 'Clients only',
  };

  it('signs in, or throws the message the form shows', async () => {
    await expect(authorizeSignIn({ email: 'c@x.io', password: 'p' }, opts)).resolves.toMatchObject({
      id: '3',
      engineToken: 't',
      engineTokenExpiresAt: 5_000,
    });
    await expect(authorizeSignIn(undefined, opts)).rejects.toThrow('Enter a valid email and password.');
    await expect(authorizeSignIn({ email: 'x@x.io', password: 'p' }, opts)).rejects.toThrow('Wrong password');
    await expect(authorizeSignIn({ email: 'c@x.io', password: 'p' }, { ...opts, allowRole: () => false })).rejects.toThrow('Clients only');
  });

  it('engineCallbacks copy the engine fields user → token → session', () => {
    const cb = engineCallbacks<{ id: number }, number>();
    const user = { engineUser: { id: 1 }, accounts: [7], engineToken: 't', engineTokenExpiresAt: 9 };
    const token = cb.jwt({ token: {} as Record<string, unknown>, user });
    expect(cb.session({ session: { expires: 'e' }, token })).toEqual({
      expires: 'e',
      user: { id: 1 },
      accounts: [7],
      engineToken: 't',
      engineTokenExpiresAt: 9,
    });
  });

  it('shares secret, JWT sessions, pages and the app cookies', () => {
    const o = baseAuthOptions('admin', false, 's');
    expect(o).toMatchObject({ secret: 's', session: { strategy: 'jwt', maxAge: 43_200 }, pages: { signIn: '/login', error: '/login' } });
    expect(o.cookies.sessionToken.name).toBe('rtx-admin.session-token');
  });
});
