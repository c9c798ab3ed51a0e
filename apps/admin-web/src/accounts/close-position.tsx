'use client';
import type { CloseResultDto, PositionDto } from '@broker/api';
import { Button, DecimalField, ErrorNotice, Field, Input, Modal, SuccessNotice, formatMoney, formatVolume } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { DealerCloseInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

type F = 'volume' | 'reason';

/** The dealer closes (part of) a client's position: the reason goes to the audit log; the close reason is ADMIN. */
export function ClosePositionModal({ position: p, currency, onClose }: { position: PositionDto & { accountNumber?: string }; currency?: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [volume, setVolume] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [done, setDone] = useState<CloseResultDto | null>(null);
  const close = useMutation(trpc.admin.dealing.closePosition.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const parsed = DealerCloseInput.safeParse({ accountId: p.accountId, positionId: p.id, volume: volume.trim() || undefined, reason });
    if (!parsed.success) return setErrors(issuesToFields<F>(parsed.error.issues));
    setErrors({});
    close.mutate(parsed.data, {
      onSuccess: (r) => {
        setDone(r);
        void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields<F>(info, { INVALID_VOLUME: 'volume' }));
        setServerError(info);
      },
    });
  }

  return (
    <Modal title={`Close #${p.id} for the client`} onClose={onClose} data-testid="close-position-modal">
      {done ? (
        <div className="flex flex-col gap-3">
          <SuccessNotice testId="close-position-result">
            Closed {formatVolume(done.closedVolume)} lots at {done.closePrice.toString()}; realized {formatMoney(done.realizedPnl, { currency, signed: true })}.
            {done.remaining && ` ${formatVolume(done.remaining.volume)} lots stay open.`}
          </SuccessNotice>
          <Button onClick={onClose}>Done</Button>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
          <p className="text-sm text-zinc-300">
            {p.accountNumber ? `${p.accountNumber} · ` : ''}
            {p.side} {formatVolume(p.volume)} {p.symbol} from {p.openPrice.toString()}, now {formatMoney(p.unrealizedPnl, { currency, signed: true })}
          </p>
          <DecimalField label="Lots to close" hint={`Empty closes all ${formatVolume(p.volume)} lots`} error={errors.volume} value={volume} onValueChange={setVolume} data-testid="close-volume" />
          <Field label="Reason (required; audited, the client is told it was closed by the dealer)" error={errors.reason} errorTestId="close-reason-error">
            {(a) => <Input {...a} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="close-reason" />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="danger" loading={close.isPending} data-testid="close-submit">
              Close position
            </Button>
          </div>
          {serverError && <ErrorNotice error={serverError} testId="close-error" />}
        </form>
      )}
    </Modal>
  );
}
