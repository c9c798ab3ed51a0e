// The plain parts of each web app's next-auth set-up: cookie names, the engine sign-in → user → JWT →
// session mapping, the session check, and the runtime configuration. Nothing here imports next-auth (or
// anything else): the apps wire these into their own NextAuthOptions, so it runs on the server as well.

/** One next-auth cookie, named per app: cookies ignore ports, so apps on :3000 and :3001 must not share names. */
export function authCookie(app: string, secure: boolean, name: string, httpOnly = true) {
  return {
    name: `${secure ? '__Secure-' : ''}rtx-${app}.${name}`,
    options: { httpOnly, sameSite: 'lax' as const, path: '/', secure },
  };
}

/** next-auth's `cookies` option with every cookie named for this app (`rtx-trader.session-token`, …). */
export function authCookies(app: string, secure: boolean) {
  return {
    sessionToken: authCookie(app, secure, 'session-token'),
    callbackUrl: authCookie(app, secure, 'callback-url', false),
    csrfToken: authCookie(app, secure, 'csrf-token'),
    pkceCodeVerifier: authCookie(app, secure, 'pkce.code_verifier'),
    state: authCookie(app, secure, 'state'),
    nonce: authCookie(app, secure, 'nonce'),
  };
}

/**
 * The parts of next-auth's options both apps share: the secret, 12-hour JWT sessions, the sign-in page as the
 * error page, and this app's cookie names. The app adds its provider and callbacks.
 */
export function baseAuthOptions(app: string, secure: boolean, secret: string) {
  return {
    secret,
    session: { strategy: 'jwt' as const, maxAge: 12 * 60 * 60 },
    pages: { signIn: '/login', error: '/login' },
    cookies: authCookies(app, secure),
  };
}

/**
 * The sign-in error message that means "the password was right, now the second factor": the form then asks
 * for the code and signs in again with the same email and password plus the code.
 */
export const TWO_FACTOR_REQUIRED = 'TWO_FACTOR_REQUIRED';

/** The credentials form next-auth's Credentials provider describes. */
export const LOGIN_CREDENTIALS = {
  email: { label: 'Email', type: 'email' },
  password: { label: 'Password', type: 'password' },
};

type LoginOutcome<R> = { ok: true; result: R } | { ok: false; message: string };

/**
 * The Credentials provider's `authorize`: checks the fields, signs in at the engine, refuses roles this app
 * does not serve (with `refusal`), and returns the next-auth user. Every failure throws with the message the
 * sign-in form shows.
 */
export async function authorizeSignIn<
  R extends EngineSignIn<{ id: number | string; email: string; name: string; role: Role }, unknown>,
  Role,
>(
  credentials: unknown,
  opts: {
    schema: { safeParse(input: unknown): { success: true; data: { email: string; password: string; code?: string } } | { success: false } };
    /** `code`: the second factor, when the form sent one (the back office's two-factor step). */
    login: (email: string, password: string, code?: string) => Promise<LoginOutcome<R>>;
    allowRole: (role: Role) => boolean;
    refusal: string;
  },
) {
  const parsed = opts.schema.safeParse(credentials ?? {});
  if (!parsed.success) throw new Error('Enter a valid email and password.');
  const outcome = await opts.login(parsed.data.email, parsed.data.password, parsed.data.code);
  if (!outcome.ok) throw new Error(outcome.message);
  if (!opts.allowRole(outcome.result.user.role)) throw new Error(opts.refusal);
  return userFromSignIn(outcome.result as EngineSignIn<R['user'], R['accounts'][number]>);
}

/** What the engine answers a sign-in with (`LoginResult`), in the shape the mapping needs. */
export interface EngineSignIn<U extends { id: number | string; email: string; name: string }, A> {
  token: string;
  expiresAt: Date | string | number;
  user: U;
  accounts: A[];
}

/** The fields the engine sign-in carries from the user into the JWT and the session. */
export interface EngineAuthFields<U, A> {
  engineUser: U;
  accounts: A[];
  engineToken: string;
  /** Unix ms when the engine token expires. */
  engineTokenExpiresAt: number;
}

/** The next-auth user that `authorize` returns for an engine sign-in. */
export function userFromSignIn<U extends { id: number | string; email: string; name: string }, A>({
  token,
  expiresAt,
  user,
  accounts,
}: EngineSignIn<U, A>) {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    engineUser: user,
    accounts,
    engineToken: token,
    engineTokenExpiresAt: new Date(expiresAt).getTime(),
  };
}

/** The `jwt` callback: on sign-in, copy the engine fields from the user into the token. */
export function tokenWithUser<T extends Partial<EngineAuthFields<U, A>>, U, A>(token: T, user?: EngineAuthFields<U, A> | null): T {
  if (user) {
    token.engineUser = user.engineUser;
    token.accounts = user.accounts;
    token.engineToken = user.engineToken;
    token.engineTokenExpiresAt = user.engineTokenExpiresAt;
  }
  return token;
}

/** The `session` callback: the session the browser sees, built from the token. */
export function sessionFromToken<S extends object, U, A>(session: S, token: Partial<EngineAuthFields<U, A>>) {
  return {
    ...session,
    user: token.engineUser!,
    accounts: token.accounts ?? [],
    engineToken: token.engineToken ?? '',
    engineTokenExpiresAt: token.engineTokenExpiresAt ?? 0,
  };
}

/** next-auth's `callbacks`: the engine fields go from the signed-in user into the JWT, and from it into the session. */
export function engineCallbacks<U, A>() {
  return {
    jwt<T extends Partial<EngineAuthFields<U, A>>>({ token, user }: { token: T; user?: EngineAuthFields<U, A> | null }) {
      return tokenWithUser(token, user);
    },
    session<S extends object>({ session, token }: { session: S; token: Partial<EngineAuthFields<U, A>> }) {
      return sessionFromToken(session, token);
    },
  };
}

/**
 * The session when it is signed in with an engine token that has not expired and a role this app allows;
 * null otherwise.
 */
export function liveSession<S extends { engineToken?: string; engineTokenExpiresAt: number; user?: { role: unknown } | null }>(
  session: S | null | undefined,
  allowRole: (role: NoInfer<NonNullable<S['user']>['role']>) => boolean,
  now = Date.now(),
): S | null {
  if (!session?.engineToken || !session.user || session.engineTokenExpiresAt < now) return null;
  if (!allowRole(session.user.role)) return null;
  return session;
}

const DEV_SECRET = 'dev-only-insecure-secret-change-me';
/** Development secrets that ship in this repository (the one above, scripts/platform.mjs's old default). */
const KNOWN_DEV_SECRETS = new Set([DEV_SECRET, 'dev-only-insecure-nextauth-secret-change-me']);
/** The shortest NEXTAUTH_SECRET production accepts (it signs and encrypts the session cookie). */
export const MIN_NEXTAUTH_SECRET_LENGTH = 32;
const trimSlash = (u: string) => u.replace(/\/+$/, '');

/**
 * Why this environment must not serve: in production (NODE_ENV=production, not while `next build` runs) the
 * NEXTAUTH_SECRET must be set, must not be a development secret of the source (anyone could forge a session
 * cookie with it) and must be at least MIN_NEXTAUTH_SECRET_LENGTH characters. Null when it may. The message
 * names the variable, never its value.
 */
export function nextAuthSecretProblem(env: Readonly<Record<string, string | undefined>>): string | null {
  if (env.NODE_ENV !== 'production' || env.NEXT_PHASE === 'phase-production-build') return null;
  const s = env.NEXTAUTH_SECRET;
  if (!s || KNOWN_DEV_SECRETS.has(s)) return 'NEXTAUTH_SECRET is not set (or is a development secret): NODE_ENV=production needs a real secret, e.g. `openssl rand -base64 48`';
  if (s.length < MIN_NEXTAUTH_SECRET_LENGTH) return `NEXTAUTH_SECRET is too short: NODE_ENV=production needs at least ${MIN_NEXTAUTH_SECRET_LENGTH} characters`;
  return null;
}

/** Throws (with the app's name and the reason) when nextAuthSecretProblem finds one: next.config calls it at start. */
export function assertNextAuthSecret(app: string, env: Readonly<Record<string, string | undefined>>): void {
  const problem = nextAuthSecretProblem(env);
  if (problem) throw new Error(`[${app}] refusing to start: ${problem}`);
}

/**
 * Runtime configuration, read from `env` at each call (never inlined at build), so one build runs against
 * any engine and on any port. `app` names the app in the warning.
 */
export function runtimeConfig(app: string, env: Readonly<Record<string, string | undefined>>) {
  let warnedSecret = false;
  /** Where this server reaches the engine (next-auth authorize). */
  const engineUrl = (): string => trimSlash(env.ENGINE_URL || 'http://localhost:4000');
  return {
    engineUrl,
    /** Where the browser reaches the engine: tRPC and Socket.IO. */
    enginePublicUrl: (): string => trimSlash(env.ENGINE_PUBLIC_URL || engineUrl()),
    /** The secret; in production a missing, development or short one throws (assertNextAuthSecret). */
    nextAuthSecret(): string {
      assertNextAuthSecret(app, env);
      const s = env.NEXTAUTH_SECRET;
      if (s) return s;
      if (!warnedSecret) {
        warnedSecret = true;
        console.warn(`[${app}] NEXTAUTH_SECRET is not set: using a fixed development secret (refused with NODE_ENV=production).`);
      }
      return DEV_SECRET;
    },
  };
}
