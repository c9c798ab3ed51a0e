'use client';
import type { CreatedAccountDto } from '@broker/api';
import { CURRENCIES, CreateAccountInput, LEVERAGES } from '../api/backoffice-schemas.ts';
import { Button, DecimalField, ErrorNotice, Field, Input, Modal, Select, SuccessNotice, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { passwordProblem } from '@broker/api/password-policy';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

type F = 'email' | 'name' | 'type' | 'currency' | 'leverage' | 'marginMode' | 'initialDeposit' | 'password';

/**
 * design.md §8.2 "Create New Account": the engine generates the password and it is shown here once, unless
 * the admin sets one (the password policy applies, next to the field).
 */
export function CreateAccountModal({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', type: 'DEMO', currency: 'USD', leverage: '100', marginMode: 'HEDGING', initialDeposit: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [created, setCreated] = useState<CreatedAccountDto | null>(null);
  const create = useMutation(trpc.admin.accounts.create.mutationOptions());
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const parsed = CreateAccountInput.safeParse({
      ...form,
      leverage: Number(form.leverage),
      initialDeposit: form.initialDeposit.trim() || undefined,
      password: form.password || undefined,
    });
    if (!parsed.success) {
      setErrors(issuesToFields<F>(parsed.error.issues));
      return;
    }
    const weak = parsed.data.password !== undefined ? passwordProblem(parsed.data.password, { email: parsed.data.email }) : null;
    if (weak) {
      setErrors({ password: weak.message });
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: (res) => {
        setCreated(res);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.list.pathKey() });
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields<F>(info, { DEPOSIT_LIMIT: 'initialDeposit', INVALID_AMOUNT: 'initialDeposit', WEAK_PASSWORD: 'password' }));
        setServerError(info);
      },
    });
  }

  if (created) return <CreatedPanel created={created} onClose={onClose} />;

  return (
    <Modal title="Create account" onClose={onClose} size="lg" data-testid="create-account">
      <form onSubmit={onSubmit} noValidate className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field label="Client email" error={errors.email} errorTestId="create-email-error">
          {(a) => <Input {...a} type="email" autoComplete="off" value={form.email} onChange={(e) => set('email')(e.target.value)} data-testid="create-email" />}
        </Field>
        <Field label="Client name" error={errors.name}>
          {(a) => <Input {...a} value={form.name} onChange={(e) => set('name')(e.target.value)} data-testid="create-name" />}
        </Field>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-xs font-medium text-zinc-400">Account type</legend>
          <div className="flex gap-4 text-sm">
            {(['DEMO', 'LIVE'] as const).map((t) => (
              <label key={t} className="flex items-center gap-1.5">
                <input type="radio" name="type" value={t} checked={form.type === t} onChange={() => set('type')(t)} data-testid={`create-type-${t}`} />
                {t === 'DEMO' ? 'Demo' : 'Live'}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Currency" error={errors.currency}>
          {(a) => (
            <Select {...a} value={form.currency} onChange={(e) => set('currency')(e.target.value)} data-testid="create-currency">
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Leverage" error={errors.leverage}>
          {(a) => (
            <Select {...a} value={form.leverage} onChange={(e) => set('leverage')(e.target.value)} data-testid="create-leverage">
              {LEVERAGES.map((l) => (
                <option key={l} value={l}>
                  1:{l}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Margin mode" error={errors.marginMode} hint="Hedging keeps opposite positions apart; netting merges them">
          {(a) => (
            <Select {...a} value={form.marginMode} onChange={(e) => set('marginMode')(e.target.value)} data-testid="create-margin-mode">
              <option value="HEDGING">Hedging</option>
              <option value="NETTING">Netting</option>
            </Select>
          )}
        </Field>
        <DecimalField
          label={`Initial deposit (${form.currency}, optional)`}
          error={errors.initialDeposit}
          hint={form.type === 'LIVE' ? 'Live accounts usually wait for the client’s first transfer' : 'Demo money; booked as an internal deposit'}
          placeholder="0.00"
          value={form.initialDeposit}
          onValueChange={set('initialDeposit')}
          data-testid="create-deposit"
        />
        <Field
          label="Password (optional)"
          error={errors.password}
          errorTestId="create-password-error"
          hint="Leave empty and one is generated and shown once; set one and hand it over safely (at least 12 characters)"
          className="sm:col-span-2"
        >
          {(a) => <Input {...a} type="password" autoComplete="new-password" maxLength={200} value={form.password} onChange={(e) => set('password')(e.target.value)} data-testid="create-password" />}
        </Field>
        <div className="flex items-end justify-end gap-2 sm:col-span-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={create.isPending} data-testid="create-submit">
            Create account
          </Button>
        </div>
        {serverError && <ErrorNotice className="sm:col-span-2" error={serverError} testId="create-error" />}
      </form>
    </Modal>
  );
}

function CreatedPanel({ created, onClose }: { created: CreatedAccountDto; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const a = created.account;
  return (
    <Modal title={`Account ${a.accountNumber} created`} onClose={onClose} size="lg" data-testid="create-result">
      <div className="flex flex-col gap-3 text-sm">
        <SuccessNotice>
          <span data-testid="created-account-number" className="font-mono font-semibold">
            {a.accountNumber}
          </span>{' '}
          ({a.type}, {a.currency}, 1:{a.leverage}, {a.marginMode.toLowerCase()}) for {a.name} &lt;{a.email}&gt;
          {created.deposit && <> · initial deposit {formatMoney(created.deposit.amount, { currency: a.currency })}</>}
        </SuccessNotice>
        {created.password ? (
          <div className="rounded border border-amber-500/40 bg-amber-500/10 p-3">
            <p className="mb-2 font-medium text-amber-200" role="alert">
              The client’s password is shown now and never again. Copy it and hand it over safely.
            </p>
            <div className="flex items-center gap-2">
              <code className="flex-1 rounded bg-zinc-950 px-2 py-1.5 font-mono text-base text-zinc-100 select-all" data-testid="created-password">
                {created.password}
              </code>
              <Button
                data-autofocus
                onClick={() => {
                  void navigator.clipboard?.writeText(created.password ?? '').then(
                    () => setCopied(true),
                    () => setCopied(false),
                  );
                }}
                data-testid="created-password-copy"
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            </div>
          </div>
        ) : (
          <p className="text-zinc-400">The client signs in with their password: the one set here, or their existing login’s when the email already had one.</p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Close</Button>
          <Link href={`/accounts/${a.id}`} className="inline-flex h-9 items-center rounded bg-sky-600 px-3 text-sm text-white hover:bg-sky-500" data-testid="created-open">
            Open account page
          </Link>
        </div>
      </div>
    </Modal>
  );
}
