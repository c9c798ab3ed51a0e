'use client';
import type { AdminAccountRow, StaffLedgerDto } from '@broker/api';
import { Button, DecimalField, ErrorNotice, Field, Input, Select, SuccessNotice, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CreditInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, MONEY_CODE_FIELDS, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { ConfirmStep } from './confirm-step.tsx';

type F = 'amount' | 'reason' | 'clientNote';
type Direction = 'IN' | 'OUT';

/**
 * The broker's credit (MT5's): lent to the client, counted in equity and free margin, never balance and never
 * withdrawable. In or out with a required reason, confirmed with the amount in words like every money move.
 */
export function CreditForm({ account, onDone }: { account: AdminAccountRow; onDone?: (e: StaffLedgerDto) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [direction, setDirection] = useState<Direction>('IN');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [clientNote, setClientNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [confirming, setConfirming] = useState<{ direction: Direction; input: CreditInput } | null>(null);
  const [done, setDone] = useState<StaffLedgerDto | null>(null);
  const creditIn = useMutation(trpc.admin.finance.creditIn.mutationOptions());
  const creditOut = useMutation(trpc.admin.finance.creditOut.mutationOptions());
  const pending = creditIn.isPending || creditOut.isPending;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    setDone(null);
    const parsed = CreditInput.safeParse({ accountId: account.id, amount: amount.trim(), reason, clientNote: clientNote.trim() || undefined });
    if (!parsed.success) {
      setErrors(issuesToFields<F>(parsed.error.issues));
      return;
    }
    setErrors({});
    setConfirming({ direction, input: parsed.data });
  }

  function onConfirm() {
    if (!confirming) return;
    const mutation = confirming.direction === 'IN' ? creditIn : creditOut;
    mutation.mutate(confirming.input, {
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
        const errs = engineErrorsToFields<F>(info, { ...MONEY_CODE_FIELDS, INSUFFICIENT_CREDIT: 'amount' });
        setErrors(errs);
        setServerError(Object.keys(errs).length ? null : info);
      },
    });
  }

  if (confirming) {
    const signed = confirming.direction === 'IN' ? confirming.input.amount : confirming.input.amount.neg();
    return (
      <ConfirmStep
        verb={confirming.direction === 'IN' ? 'Credit in' : 'Credit out'}
        amount={signed}
        account={account}
        moves="credit"
        details={<p className="text-xs text-zinc-500">Reason: {confirming.input.reason}</p>}
        pending={pending}
        onBack={() => setConfirming(null)}
        onConfirm={onConfirm}
        testId="credit"
      />
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" data-testid="credit-form">
      <p className="text-xs text-zinc-400">
        Credit now {formatMoney(account.credit, { currency: account.currency })}. It counts in equity and free margin, is not balance and cannot be withdrawn; a stop out that leaves the balance below 0 takes the loss from it first.
      </p>
      <Field label="Direction">
        {(a) => (
          <Select {...a} value={direction} onChange={(e) => setDirection(e.target.value as Direction)} data-testid="credit-direction">
            <option value="IN">Credit in (lend to the client)</option>
            <option value="OUT">Credit out (take credit back)</option>
          </Select>
        )}
      </Field>
      <DecimalField
        label={`Amount (${account.currency})`}
        hint={direction === 'OUT' ? `At most the credit, ${formatMoney(account.credit, { currency: account.currency })}, and no more than the free margin` : 'A positive amount'}
        error={errors.amount}
        errorTestId="credit-amount-error"
        placeholder="0.00"
        value={amount}
        onValueChange={setAmount}
        data-testid="credit-amount"
      />
      <Field label="Reason (required, staff only)" error={errors.reason} errorTestId="credit-reason-error">
        {(a) => <Input {...a} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="credit-reason" />}
      </Field>
      <Field label="Note for the client (optional)" error={errors.clientNote} hint="Shown next to the entry in the client’s statement">
        {(a) => <Input {...a} value={clientNote} onChange={(e) => setClientNote(e.target.value)} data-testid="credit-client-note" />}
      </Field>
      <Button type="submit" variant="primary" data-testid="credit-submit">
        Review
      </Button>
      {serverError && <ErrorNotice error={serverError} testId="credit-error" />}
      {done && (
        <SuccessNotice testId="credit-result">
          Booked credit {formatMoney(done.amount, { currency: account.currency, signed: true })}; the balance stays {formatMoney(done.balanceAfter, { currency: account.currency })}.
        </SuccessNotice>
      )}
    </form>
  );
}
