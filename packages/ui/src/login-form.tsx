'use client';
import { useState, type FormEvent } from 'react';
import { Button } from './button.tsx';
import { Field, Input } from './field.tsx';
import { ErrorBanner } from './status.tsx';
import { TWO_FACTOR_REQUIRED } from './auth.ts';

export interface LoginCredentials {
  email: string;
  password: string;
  /** The second factor (a TOTP or recovery code), sent when the server asked for it. */
  code?: string;
}


/** What a schema's `safeParse` answers (zod's shape), so the form needs no schema library. */
export type LoginParse =
  { success: true; data: LoginCredentials } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }> } };

/** What next-auth's `signIn(..., { redirect: false })` answers; undefined when it could not tell. */
export type LoginSignInResult = { ok: boolean; error?: string | null } | undefined;

export interface LoginFormProps {
  /** Checks the two fields, e.g. `LoginInput` from `@broker/api/schemas`. */
  schema: { safeParse(input: unknown): LoginParse };
  /** Signs in without a redirect, e.g. `(c) => signIn('credentials', { ...c, redirect: false })`. */
  signIn: (credentials: LoginCredentials) => Promise<LoginSignInResult>;
  /** Where to go once signed in: a full load, so the server renders the next page with the new session. */
  home: string;
}

type FieldErrors = Partial<Record<keyof LoginCredentials, string>>;
const CODE = /^[0-9A-Za-z -]{6,40}$/;

/** The email-and-password form both web apps sign in with. */
export function LoginForm({ schema, signIn, home }: LoginFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [codeStep, setCodeStep] = useState(false);
  const [code, setCode] = useState('');

  async function onSubmitCode(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const typed = code.trim();
    if (!CODE.test(typed)) {
      setFieldErrors({ code: 'Enter the 6-digit code from the app, or a recovery code' });
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      const res = await signIn({ email, password, code: typed });
      if (!res || res.error || !res.ok) {
        setFieldErrors({ code: res?.error && res.error !== 'CredentialsSignin' && res.error !== TWO_FACTOR_REQUIRED ? res.error : 'That code is wrong or already used' });
        setPending(false);
        return;
      }
      window.location.assign(home);
    } catch {
      setError('Cannot reach the server. Try again.');
      setPending(false);
    }
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = schema.safeParse({ email, password });
    if (!parsed.success) {
      const errs: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const k = issue.path[0] as keyof FieldErrors;
        errs[k] ??= k === 'email' ? 'Enter a valid email address' : 'Enter your password';
      }
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      const res = await signIn(parsed.data);
      if (res?.error === TWO_FACTOR_REQUIRED) {
        setCodeStep(true);
        setPending(false);
        return;
      }
      if (!res || res.error || !res.ok) {
        setError(res?.error && res.error !== 'CredentialsSignin' ? res.error : 'Email or password is wrong');
        setPending(false);
        return;
      }
      window.location.assign(home);
    } catch {
      setError('Cannot reach the server. Try again.');
      setPending(false);
    }
  }

  if (codeStep) {
    return (
      <form onSubmit={onSubmitCode} noValidate className="flex flex-col gap-4 rounded-lg border border-zinc-800 bg-zinc-900 p-6 shadow-xl" data-testid="login-code-step">
        <p className="text-sm text-zinc-300">
          Two-factor sign-in for <span className="font-medium text-zinc-100">{email}</span>: enter the 6-digit code your authenticator app shows, or one of
          your recovery codes.
        </p>
        <Field label="Code" error={fieldErrors.code} errorTestId="login-code-error">
          {(a) => (
            <Input
              {...a}
              name="code"
              autoComplete="one-time-code"
              inputMode="text"
              autoFocus
              spellCheck={false}
              maxLength={40}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              className="font-mono tracking-widest"
              data-testid="login-code"
            />
          )}
        </Field>
        <Button type="submit" variant="primary" loading={pending} data-testid="login-code-submit" className="mt-1 w-full">
          {pending ? 'Checking…' : 'Verify and sign in'}
        </Button>
        <button
          type="button"
          className="text-sm text-zinc-400 underline-offset-2 hover:text-zinc-200 hover:underline"
          onClick={() => {
            setCodeStep(false);
            setCode('');
            setPassword('');
            setFieldErrors({});
          }}
          data-testid="login-code-back"
        >
          Use another account
        </button>
        {error && <ErrorBanner title="Sign-in failed" message={error} data-testid="login-error" />}
      </form>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4 rounded-lg border border-zinc-800 bg-zinc-900 p-6 shadow-xl">
      <Field label="Email" error={fieldErrors.email}>
        {(a) => (
          <Input
            {...a}
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        )}
      </Field>
      <Field label="Password" error={fieldErrors.password}>
        {(a) => (
          <Input
            {...a}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        )}
      </Field>
      <Button type="submit" variant="primary" loading={pending} data-testid="login-submit" className="mt-1 w-full">
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
      {error && <ErrorBanner title="Sign-in failed" message={error} data-testid="login-error" />}
    </form>
  );
}
