'use client';
import type { AdminAccountRow } from '@broker/api';
import { Button, ErrorNotice, Field, Input, Modal, Select } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LEVERAGES, UpdateAccountInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { STATUS_LABEL } from './status.ts';

type F = 'leverage' | 'status' | 'marginMode' | 'reason';

const STATUS_HELP: Record<AdminAccountRow['status'], string> = {
  ACTIVE: 'Trades and moves money as usual',
  SUSPENDED: 'Opens nothing new; the client may still close what is open (trading-rules.md: only ACTIVE accounts open)',
  READ_ONLY: 'Sees the account but can neither open nor close anything',
  CLOSED: 'Final: only with no open positions or pending orders',
};

/** Leverage, margin mode and status (suspend, read-only, close, activate) in one audited change with a reason. */
export function EditAccountModal({ account: a, preset, onClose }: { account: AdminAccountRow; preset?: AdminAccountRow['status']; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [leverage, setLeverage] = useState(String(a.leverage));
  const [status, setStatus] = useState<AdminAccountRow['status']>(preset ?? a.status);
  const [marginMode, setMarginMode] = useState(a.marginMode);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const update = useMutation(trpc.admin.accounts.update.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const parsed = UpdateAccountInput.safeParse({
      accountId: a.id,
      leverage: Number(leverage) !== a.leverage ? Number(leverage) : undefined,
      status: status !== a.status ? status : undefined,
      marginMode: marginMode !== a.marginMode ? marginMode : undefined,
      reason,
    });
    if (!parsed.success) return setErrors(issuesToFields<F>(parsed.error.issues));
    if (parsed.data.leverage === undefined && !parsed.data.status && !parsed.data.marginMode) return setErrors({ status: 'Nothing changed' });
    setErrors({});
    update.mutate(parsed.data, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.pathKey() });
        onClose();
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields<F>(info, { ACCOUNT_HAS_EXPOSURE: parsed.data.marginMode ? 'marginMode' : 'status' }));
        setServerError(info);
      },
    });
  }

  return (
    <Modal title={`Change ${a.accountNumber}`} onClose={onClose} data-testid="edit-account">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
        <Field label="Status" error={errors.status} hint={STATUS_HELP[status]} errorTestId="edit-status-error">
          {(f) => (
            <Select {...f} value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="edit-status">
              {Object.entries(STATUS_LABEL).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Leverage" error={errors.leverage} hint="New positions use it; open ones keep their margin until the next recalculation">
          {(f) => (
            <Select {...f} value={leverage} onChange={(e) => setLeverage(e.target.value)} data-testid="edit-leverage">
              {LEVERAGES.map((l) => (
                <option key={l} value={l}>
                  1:{l}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Margin mode" error={errors.marginMode} hint="Only with nothing open">
          {(f) => (
            <Select {...f} value={marginMode} onChange={(e) => setMarginMode(e.target.value as typeof marginMode)} data-testid="edit-margin-mode">
              <option value="HEDGING">Hedging</option>
              <option value="NETTING">Netting</option>
            </Select>
          )}
        </Field>
        <Field label="Reason (required; audited)" error={errors.reason} errorTestId="edit-reason-error">
          {(f) => <Input {...f} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="edit-reason" />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={update.isPending} data-testid="edit-submit">
            Save
          </Button>
        </div>
        {serverError && <ErrorNotice error={serverError} testId="edit-error" />}
      </form>
    </Modal>
  );
}
