'use client';
import type { AdminAccountRow, WithdrawalDto } from '@broker/api';
import { Button, DecimalField, ErrorNotice, Field, Input, Select, SuccessNotice, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { WITHDRAWAL_METHODS, WithdrawalRequestInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, MONEY_CODE_FIELDS, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

type F = 'amount' | 'method' | 'destination';
const LABEL: Record<(typeof WITHDRAWAL_METHODS)[number], string> = { BANK_TRANSFER: 'Bank transfer', CARD: 'Card', CRYPTO: 'Crypto', INTERNAL: 'Internal' };

/** A withdrawal filed on the client's behalf: it joins the approval queue like the client's own request. */
export function WithdrawalRequestForm({ account, onDone }: { account: AdminAccountRow; onDone?: (w: WithdrawalDto) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<(typeof WITHDRAWAL_METHODS)[number]>('BANK_TRANSFER');
  const [destination, setDestination] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [done, setDone] = useState<WithdrawalDto | null>(null);
  const request = useMutation(trpc.admin.finance.requestWithdrawal.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const parsed = WithdrawalRequestInput.safeParse({ accountId: account.id, amount: amount.trim(), method, destination: destination.trim() || undefined });
    if (!parsed.success) {
      setErrors(issuesToFields<F>(parsed.error.issues));
      return;
    }
    setErrors({});
    request.mutate(parsed.data, {
      onSuccess: (w) => {
        setDone(w);
        setAmount('');
        void queryClient.invalidateQueries({ queryKey: trpc.admin.finance.withdrawals.pathKey() });
        onDone?.(w);
      },
      onError: (err) => {
        const info = appError(err);
        const errs = engineErrorsToFields<F>(info, MONEY_CODE_FIELDS);
        setErrors(errs);
        setServerError(Object.keys(errs).length ? null : info);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" data-testid="withdrawal-form">
      <p className="text-xs text-zinc-500">
        Free margin now {formatMoney(account.freeMargin, { currency: account.currency })}. The request waits in the queue; balance and free margin are checked
        again when it is approved.
      </p>
      <DecimalField label={`Amount (${account.currency})`} error={errors.amount} errorTestId="withdrawal-amount-error" placeholder="0.00" value={amount} onValueChange={setAmount} data-testid="withdrawal-amount" />
      <Field label="Method" error={errors.method}>
        {(a) => (
          <Select {...a} value={method} onChange={(e) => setMethod(e.target.value as typeof method)} data-testid="withdrawal-method">
            {WITHDRAWAL_METHODS.map((m) => (
              <option key={m} value={m}>
                {LABEL[m]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Destination" error={errors.destination} hint="IBAN, card reference or wallet address">
        {(a) => <Input {...a} value={destination} onChange={(e) => setDestination(e.target.value)} data-testid="withdrawal-destination" />}
      </Field>
      <Button type="submit" variant="primary" loading={request.isPending} data-testid="withdrawal-submit">
        File withdrawal request
      </Button>
      {serverError && <ErrorNotice error={serverError} testId="withdrawal-error" />}
      {done && (
        <SuccessNotice testId="withdrawal-result">
          Request #{done.id} for {formatMoney(done.amount, { currency: done.currency })} is pending approval.
        </SuccessNotice>
      )}
    </form>
  );
}
