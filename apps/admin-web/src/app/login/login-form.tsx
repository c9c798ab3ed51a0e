'use client';
import { LoginInput } from '@broker/api/schemas';
import { Button, ErrorBanner, Field, Input } from '@broker/ui';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';

type FieldErrors = Partial<Record<'email' | 'password', string>>;

export function LoginForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = LoginInput.safeParse({ email, password });
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
      const res = await signIn('credentials', { ...parsed.data, redirect: false });
      if (!res || res.error || !res.ok) {
        setError(res?.error && res.error !== 'CredentialsSignin' ? res.error : 'Email or password is wrong');
        setPending(false);
        return;
      }
      // A full load so the server renders the terminal with the new session.
      window.location.assign('/accounts');
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
