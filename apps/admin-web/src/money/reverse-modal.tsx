'use client';
import type { StaffLedgerDto } from '@broker/api';
import { Button, ErrorNotice, Field, Input, Modal, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ReverseEntryInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

/** A mistaken entry is undone by a linked entry of the opposite amount, never deleted. */
export function ReverseModal({ entry, currency, onClose }: { entry: StaffLedgerDto; currency: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'reason'>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const reverse = useMutation(trpc.admin.finance.reverse.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = ReverseEntryInput.safeParse({ ledgerId: entry.id, reason });
    if (!parsed.success) {
      setErrors(issuesToFields(parsed.error.issues));
      return;
    }
    setErrors({});
    reverse.mutate(parsed.data, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.pathKey() });
        onClose();
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields(info));
        setServerError(info);
      },
    });
  }

  return (
    <Modal title={`Reverse entry #${entry.id}`} onClose={onClose} data-testid="reverse-modal">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
        <p className="text-sm text-zinc-300">
          {entry.type} of {formatMoney(entry.amount, { currency, signed: true })} on {entry.createdAt.toLocaleString()}. A new entry of{' '}
          <span className="font-mono">{formatMoney(entry.amount.neg(), { currency, signed: true })}</span> will be booked and linked to it.
        </p>
        <Field label="Reason (required)" error={errors.reason} errorTestId="reverse-reason-error">
          {(a) => <Input {...a} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reverse-reason" />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" loading={reverse.isPending} data-testid="reverse-submit">
            Reverse entry
          </Button>
        </div>
        {serverError && <ErrorNotice error={serverError} testId="reverse-error" />}
      </form>
    </Modal>
  );
}
