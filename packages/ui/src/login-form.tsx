'use client';
import { useState, type FormEvent } from 'react';
import { Button } from './button.tsx';
import { Field, Input } from './field.tsx';
import { ErrorBanner } from './status.tsx';

export interface LoginCredentials {
  email: string;
  password: string;
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

/** The email-and-password form both web apps sign in with. */
export function LoginForm({ schema, signIn, home }: LoginFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

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
