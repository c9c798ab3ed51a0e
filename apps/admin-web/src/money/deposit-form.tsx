'use client';
import type { AdminAccountRow, LedgerDto } from '@broker/api';
import { DepositInput } from '@broker/api/schemas';
import { Button, DecimalField, ErrorNotice, Field, Input, Select, SuccessNotice, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { engineErrorsToFields, issuesToFields, MONEY_CODE_FIELDS, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { AccountPicker } from './account-picker.tsx';
import { ConfirmStep } from './confirm-step.tsx';

const METHODS = [
  { value: 'BANK_TRANSFER', label: 'Bank transfer' },
  { value: 'CARD', label: 'Card' },
  { value: 'CRYPTO', label: 'Crypto' },
  { value: 'INTERNAL', label: 'Internal' },
] as const;

type F = 'accountId' | 'amount' | 'method' | 'reference' | 'note';

/**
 * design.md §8.5 "Process Deposit", in two steps: the form, then a confirmation with the amount in words
 * (a typed 1e9 reads "One Billion"). The engine's limit for one operation (DEPOSIT_LIMIT) shows under the
 * amount. `account` fixes the account (the account page); without it the form has an account picker.
 */
export function DepositForm({ account: fixed, onDone }: { account?: AdminAccountRow; onDone?: (e: LedgerDto) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<AdminAccountRow | null>(null);
  const account = fixed ?? picked;
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]['value']>('BANK_TRANSFER');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [confirming, setConfirming] = useState<DepositInput | null>(null);
  const [done, setDone] = useState<{ entry: LedgerDto; account: AdminAccountRow } | null>(null);
  const deposit = useMutation(trpc.admin.finance.deposit.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    setDone(null);
    const parsed = DepositInput.safeParse({
      accountId: account?.id,
      amount: amount.trim(),
      method,
      reference: reference.trim() || undefined,
      note: note.trim() || undefined,
    });
    if (!parsed.success) {
      const errs = issuesToFields<F>(parsed.error.issues);
      if (errs.accountId) errs.accountId = 'Choose an account';
      if (errs.amount && !amount.trim()) errs.amount = 'Enter an amount';
      setErrors(errs);
      return;
    }
    setErrors({});
    setConfirming(parsed.data);
  }

  function onConfirm() {
    if (!confirming || !account) return;
    const target = account;
    deposit.mutate(confirming, {
      onSuccess: (entry) => {
        setConfirming(null);
        setDone({ entry, account: target });
        setAmount('');
        setReference('');
        setNote('');
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.pathKey() });
        onDone?.(entry);
      },
      onError: (err) => {
        const info = appError(err);
        setConfirming(null);
        const errs = engineErrorsToFields<F>(info, MONEY_CODE_FIELDS);
        setErrors(errs);
        setServerError(Object.keys(errs).length ? null : info);
      },
    });
  }

  if (confirming && account) {
    return (
      <ConfirmStep
        verb="Deposit"
        amount={confirming.amount}
        account={account}
        details={
          <p className="text-xs text-zinc-500">
            {METHODS.find((m) => m.value === confirming.method)?.label}
            {confirming.reference ? ` · reference ${confirming.reference}` : ''}
          </p>
        }
        pending={deposit.isPending}
        onBack={() => setConfirming(null)}
        onConfirm={onConfirm}
        testId="deposit"
      />
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" data-testid="deposit-form">
      {!fixed && <AccountPicker value={picked} onChange={setPicked} error={errors.accountId} testId="deposit-account" />}
      <DecimalField
        label={`Amount${account ? ` (${account.currency})` : ''}`}
        error={errors.amount}
        placeholder="0.00"
        value={amount}
        onValueChange={setAmount}
        data-testid="deposit-amount"
        errorTestId="deposit-amount-error"
      />
      <Field label="Method" error={errors.method}>
        {(a) => (
          <Select {...a} value={method} onChange={(e) => setMethod(e.target.value as typeof method)} data-testid="deposit-method">
            {METHODS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Reference (the client sees it)" error={errors.reference} hint="Transaction id from the payment processor">
        {(a) => <Input {...a} value={reference} onChange={(e) => setReference(e.target.value)} data-testid="deposit-reference" />}
      </Field>
      <Field label="Internal note (staff only)" error={errors.note} hint="Never shown to the client">
        {(a) => <Input {...a} value={note} onChange={(e) => setNote(e.target.value)} data-testid="deposit-note" />}
      </Field>
      <Button type="submit" variant="primary" data-testid="deposit-submit">
        Review deposit
      </Button>
      {serverError && <ErrorNotice error={serverError} testId="deposit-error" />}
      {done && (
        <SuccessNotice testId="deposit-result">
          Deposited <span className="font-mono tabular-nums">{formatMoney(done.entry.amount, { currency: done.account.currency })}</span> to{' '}
          {done.account.accountNumber}. New balance{' '}
          <span className="font-mono font-semibold tabular-nums" data-testid="deposit-new-balance">
            {formatMoney(done.entry.balanceAfter, { currency: done.account.currency })}
          </span>
        </SuccessNotice>
      )}
    </form>
  );
}
