'use client';
import type { AdminAccountRow, StaffLedgerDto } from '@broker/api';
import { Button, DecimalField, ErrorNotice, Field, Input, Select, SuccessNotice, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AdjustmentInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, MONEY_CODE_FIELDS, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { ConfirmStep } from './confirm-step.tsx';

type F = 'type' | 'amount' | 'reason' | 'clientNote';

/** design.md §8.5 "Manual Adjustment": a signed amount (− takes money away), a bonus, a required reason. */
export function AdjustForm({ account, onDone }: { account: AdminAccountRow; onDone?: (e: StaffLedgerDto) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<'ADJUSTMENT' | 'BONUS'>('ADJUSTMENT');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [clientNote, setClientNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [confirming, setConfirming] = useState<AdjustmentInput | null>(null);
  const [done, setDone] = useState<StaffLedgerDto | null>(null);
  const adjust = useMutation(trpc.admin.finance.adjust.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    setDone(null);
    const parsed = AdjustmentInput.safeParse({ accountId: account.id, type, amount: amount.trim(), reason, clientNote: clientNote.trim() || undefined });
    if (!parsed.success) {
      setErrors(issuesToFields<F>(parsed.error.issues));
      return;
    }
    setErrors({});
    setConfirming(parsed.data);
  }

  function onConfirm() {
    if (!confirming) return;
    adjust.mutate(confirming, {
      onSuccess: (entry) => {
        setConfirming(null);
        setDone(entry);
        setAmount('');
        setReason('');
        setClientNote('');
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.pathKey() });
        onDone?.(entry);
      },
      onError: (err) => {
        setConfirming(null);
        const info = appError(err);
        const errs = engineErrorsToFields<F>(info, MONEY_CODE_FIELDS);
        setErrors(errs);
        setServerError(Object.keys(errs).length ? null : info);
      },
    });
  }

  if (confirming) {
    return (
      <ConfirmStep
        verb={confirming.type === 'BONUS' ? 'Bonus' : 'Adjustment'}
        amount={confirming.amount}
        account={account}
        details={<p className="text-xs text-zinc-500">Reason: {confirming.reason}</p>}
        pending={adjust.isPending}
        onBack={() => setConfirming(null)}
        onConfirm={onConfirm}
        testId="adjust"
      />
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" data-testid="adjust-form">
      <Field label="Type" error={errors.type}>
        {(a) => (
          <Select {...a} value={type} onChange={(e) => setType(e.target.value as typeof type)} data-testid="adjust-type">
            <option value="ADJUSTMENT">Adjustment (error correction, goodwill)</option>
            <option value="BONUS">Bonus (promotional credit)</option>
          </Select>
        )}
      </Field>
      <DecimalField
        label={`Amount (${account.currency})`}
        hint="Use − to take money away"
        error={errors.amount}
        errorTestId="adjust-amount-error"
        placeholder="0.00"
        value={amount}
        onValueChange={setAmount}
        data-testid="adjust-amount"
      />
      <Field label="Reason (required, staff only)" error={errors.reason} errorTestId="adjust-reason-error">
        {(a) => <Input {...a} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="adjust-reason" />}
      </Field>
      <Field label="Note for the client (optional)" error={errors.clientNote} hint="Shown next to the entry in the client’s statement">
        {(a) => <Input {...a} value={clientNote} onChange={(e) => setClientNote(e.target.value)} data-testid="adjust-client-note" />}
      </Field>
      <Button type="submit" variant="primary" data-testid="adjust-submit">
        Review
      </Button>
      {serverError && <ErrorNotice error={serverError} testId="adjust-error" />}
      {done && (
        <SuccessNotice testId="adjust-result">
          Booked {formatMoney(done.amount, { currency: account.currency, signed: true })}; balance {formatMoney(done.balanceAfter, { currency: account.currency })}.
        </SuccessNotice>
      )}
    </form>
  );
}
