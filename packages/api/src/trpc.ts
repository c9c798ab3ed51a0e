// The context and the procedure builders, defined once (style.md). No procedure checks roles by hand:
// each is built from one of these, and its access rule is recorded in its meta so tests can enumerate it.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { AuthUser, EngineApi } from './engine.ts';
import { ERROR_CODES, type ErrorCode, EngineError, isEngineError, trpcCodeFor } from './errors.ts';
import { AccountRef } from './schemas.ts';
import { rolesFor } from './permissions.ts';
import { transformer } from './transformer.ts';

export interface Context {
  user: AuthUser | null;
  engine: EngineApi;
  ip?: string;
  /** The caller's User-Agent, for the audit log. */
  userAgent?: string;
}

export type Access =
  | { kind: 'public' }
  | { kind: 'authed' }
  /** Reads one account: its owner, or any staff role. */
  | { kind: 'account-read' }
  /** Trades or changes one account: its owner only. */
  | { kind: 'account-trade' }
  /** Staff: the roles are the permission table's (permissions.ts). */
  | { kind: 'staff' };

export interface Meta {
  access: Access;
}

const TRPC_TO_APP: Partial<Record<TRPCError['code'], ErrorCode>> = {
  PARSE_ERROR: 'PARSE_ERROR',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  BAD_REQUEST: 'VALIDATION_ERROR',
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      let appCode: ErrorCode;
      let message = shape.message;
      let issues: { path: string; message: string }[] | undefined;
      let details: Record<string, unknown> | undefined;
      if (isEngineError(cause)) {
        appCode = cause.code;
        details = cause.details;
      } else if (cause instanceof SyntaxError) {
        appCode = 'PARSE_ERROR';
        message = `Request body is not valid JSON: ${cause.message}`;
      } else if (cause instanceof ZodError) {
        appCode = 'VALIDATION_ERROR';
        issues = cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      } else if (error.code === 'INTERNAL_SERVER_ERROR') {
        appCode = 'INTERNAL_ERROR';
        message = ERROR_CODES.INTERNAL_ERROR;
      } else {
        appCode = TRPC_TO_APP[error.code] ?? 'INTERNAL_ERROR';
      }
      return {
        ...shape,
        message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, appCode, issues, details },
      };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/** Engine rejections become tRPC errors that keep their stable code. */
function rethrowEngineError<R extends { ok: boolean; error?: unknown }>(result: R): R {
  if (!result.ok) {
    const cause = (result.error as { cause?: unknown } | undefined)?.cause;
    if (isEngineError(cause)) throw new TRPCError({ code: trpcCodeFor(cause.code), message: cause.message, cause });
  }
  return result;
}

function reject(code: ErrorCode, message?: string): never {
  const e = new EngineError(code, message);
  throw new TRPCError({ code: trpcCodeFor(code), message: e.message, cause: e });
}

/**
 * What a set-up-only session (the policy requires two-factor and the user has not set it up) may call: who
 * it is, signing out, and the set-up itself. Everything else is TWO_FACTOR_SETUP_REQUIRED.
 */
export const SETUP_ONLY_PATHS: ReadonlySet<string> = new Set([
  'auth.me',
  'auth.logout',
  'admin.security.twoFactorStatus',
  'admin.security.beginTwoFactor',
  'admin.security.confirmTwoFactor',
]);

function assertFullSession(user: AuthUser, path: string) {
  if (user.twoFactorSetupOnly && !SETUP_ONLY_PATHS.has(path)) reject('TWO_FACTOR_SETUP_REQUIRED');
}

// Each procedure runs ONE middleware before its input parser and resolver: the access rule and the error
// mapping together. (tRPC copies its options object several times per middleware level; with a middleware
// per concern, the order path spent ~7% of the engine's CPU there.)

const engineErrors = t.middleware(async ({ next }) => rethrowEngineError(await next()));

export const publicProcedure = t.procedure.use(engineErrors).meta({ access: { kind: 'public' } });

export const authedProcedure = t.procedure.meta({ access: { kind: 'authed' } }).use(async ({ ctx, next, path }) => {
  if (!ctx.user) reject('UNAUTHENTICATED');
  assertFullSession(ctx.user, path);
  return rethrowEngineError(await next({ ctx: { user: ctx.user } }));
});

/**
 * A staff procedure: who may call it is the permission table's row for its path (permissions.ts), checked
 * here and nowhere else; a path missing from the table is refused to everyone.
 */
export const staffProcedure = t.procedure.meta({ access: { kind: 'staff' } }).use(async ({ ctx, next, path }) => {
  if (!ctx.user) reject('UNAUTHENTICATED');
  if (!rolesFor(path).includes(ctx.user.role)) reject('FORBIDDEN');
  assertFullSession(ctx.user, path);
  return rethrowEngineError(await next({ ctx: { user: ctx.user } }));
});

async function assertAccountAccess(ctx: Context & { user: AuthUser }, accountId: number, write: boolean) {
  if (ctx.user.role === 'CLIENT') {
    // A trader learns nothing about accounts that are not theirs: the same answer as for a missing one, by
    // the same path (ownsAccount never looks the id up on its own).
    if (!(await ctx.engine.auth.ownsAccount(ctx.user.id, accountId))) reject('ACCOUNT_NOT_FOUND');
    return;
  }
  if (write) reject('FORBIDDEN', 'Staff change accounts through the back office');
  if ((await ctx.engine.auth.accountOwner(accountId)) === null) reject('ACCOUNT_NOT_FOUND');
}

/**
 * Account procedures: the caller must be signed in and may reach the account named by `accountId` (checked
 * before the procedure's own input is parsed; every such input extends AccountRef).
 */
function accountProcedure(write: boolean) {
  return t.procedure.meta({ access: { kind: write ? 'account-trade' : 'account-read' } }).use(async ({ ctx, next, getRawInput, path }) => {
    if (!ctx.user) reject('UNAUTHENTICATED');
    assertFullSession(ctx.user, path);
    const ref = AccountRef.safeParse(await getRawInput());
    if (!ref.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: ref.error });
    await assertAccountAccess(ctx as Context & { user: AuthUser }, ref.data.accountId, write);
    return rethrowEngineError(await next({ ctx: { user: ctx.user } }));
  });
}

export const accountReadProcedure = accountProcedure(false);
export const accountTradeProcedure = accountProcedure(true);
