'use client';
import { useState, type FormEvent } from 'react';
import { Button } from './button.tsx';
import { Field, Input } from './field.tsx';
import { ErrorNotice } from './notice.tsx';

type F = 'currentPassword' | 'newPassword' | 'repeat';

export interface ChangePasswordFormProps {
  /** Who is signed in: the browser's password manager files the new password under it. */
  email: string;
  /** Why a new password may not be used, or null: the password policy (`passwordProblem` of @broker/api). */
  check: (password: string) => string | null;
  /** Sends the change; a refusal names the field it is about, when it is about one. */
  submit: (input: { currentPassword: string; newPassword: string }) => Promise<{ ok: true } | { ok: false; code: string; message: string; field?: string }>;
  /** After the change (every session has ended: sign out). */
  onChanged: () => void;
  /** What the rules are, for the hint under the title. */
  hint: string;
}

/** A new password for oneself, the policy's message next to the field (both web apps). */
export function ChangePasswordForm({ email, check, submit, onChanged, hint }: ChangePasswordFormProps) {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', repeat: '' });
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [pending, setPending] = useState(false);
  const set = (k: F) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const errs: Partial<Record<F, string>> = {};
    if (!form.currentPassword) errs.currentPassword = 'Enter your current password';
    const problem = check(form.newPassword);
    if (problem) errs.newPassword = problem;
    else if (form.repeat !== form.newPassword) errs.repeat = 'The two new passwords differ';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setPending(true);
    type Outcome = Awaited<ReturnType<ChangePasswordFormProps['submit']>>;
    const res: Outcome = await submit({ currentPassword: form.currentPassword, newPassword: form.newPassword }).catch(
      (): Outcome => ({ ok: false, code: 'NETWORK', message: 'Cannot reach the server. Try again.' }),
    );
    setPending(false);
    if (res.ok) return onChanged();
    if (res.field === 'currentPassword' || res.field === 'newPassword') setErrors({ [res.field]: res.message });
    else setError(res);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 text-sm" data-testid="password-form">
      <p className="text-zinc-400">{hint}</p>
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <Field label="Current password" error={errors.currentPassword} errorTestId="pw-current-error">
        {(a) => <Input {...a} type="password" autoComplete="current-password" value={form.currentPassword} onChange={set('currentPassword')} data-testid="pw-current" />}
      </Field>
      <Field label="New password" error={errors.newPassword} errorTestId="pw-new-error">
        {(a) => <Input {...a} type="password" autoComplete="new-password" maxLength={200} value={form.newPassword} onChange={set('newPassword')} data-testid="pw-new" />}
      </Field>
      <Field label="New password again" error={errors.repeat} errorTestId="pw-repeat-error">
        {(a) => <Input {...a} type="password" autoComplete="new-password" maxLength={200} value={form.repeat} onChange={set('repeat')} data-testid="pw-repeat" />}
      </Field>
      <div>
        <Button type="submit" variant="primary" loading={pending} data-testid="pw-submit">
          Change password
        </Button>
      </div>
      {error && <ErrorNotice error={error} testId="pw-error" />}
    </form>
  );
}
