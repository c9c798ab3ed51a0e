'use client';
import type { WithdrawalDto } from '@broker/api';
import { Button, Card, ErrorNotice, Field, Input, MoneyCell, Modal, Select, StatusDot, TBody, THead, Table, TableRows, Td, Th, Tr, RowActions, RowAction, cx } from '@broker/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { WithdrawalRejectInput } from '../api/backoffice-schemas.ts';
import { Pager } from '../accounts/accounts-screen.tsx';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

const PAGE = 25;
const STATUS_TONE = { PENDING: 'warn', APPROVED: 'ok', REJECTED: 'error', CANCELLED: 'idle' } as const;
type Status = WithdrawalDto['status'];

/**
 * design.md §8.5 "Pending Withdrawals": pending first (the default filter), with the balance and free margin
 * the engine checks at approval; approve or reject with a reason.
 */
export function WithdrawalsQueue({ canDecide, accountId }: { canDecide: boolean; accountId?: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status | ''>('PENDING');
  const [offset, setOffset] = useState(0);
  const [rejecting, setRejecting] = useState<WithdrawalDto | null>(null);
  const [actionError, setActionError] = useState<AppErrorInfo | null>(null);
  const list = useQuery(
    trpc.admin.finance.withdrawals.queryOptions({ status: status || undefined, accountId, limit: PAGE, offset }, { refetchInterval: 5_000, placeholderData: keepPreviousData }),
  );
  const approve = useMutation(trpc.admin.finance.approveWithdrawal.mutationOptions());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.finance.withdrawals.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.pathKey() });
  };

  return (
    <Card
      title="Withdrawals"
      actions={
        <Select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as Status | '');
            setOffset(0);
          }}
          className="h-7! w-32! text-xs"
          aria-label="Status"
          data-testid="withdrawals-status"
        >
          <option value="PENDING">Pending</option>
          <option value="APPROVED">Approved</option>
          <option value="REJECTED">Rejected</option>
          <option value="">All</option>
        </Select>
      }
      data-testid="withdrawals-queue"
    >
      {actionError && <ErrorNotice className="m-3" error={actionError} testId="withdrawal-action-error" />}
      <div className="overflow-x-auto">
        <Table>
          <THead>
            <tr>
              <Th>#</Th>
              <Th>Account</Th>
              <Th numeric>Amount</Th>
              <Th>Method / destination</Th>
              <Th>Requested</Th>
              <Th>Status</Th>
              <Th numeric title="Now: what approval is checked against">Balance now</Th>
              <Th numeric title="Now: what approval is checked against">Free margin now</Th>
              <Th className="sticky right-0 bg-zinc-900" />
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={9} query={list} rows={list.data?.rows} unavailable="Withdrawals unavailable" emptyText={status === 'PENDING' ? 'Nothing waiting for approval' : 'No withdrawals'}>
              {(rows) =>
                rows.map((w) => {
                  // Credit is in the free margin but never withdrawable (docs/trading-rules-notes.md, Credit).
                  const short = w.amount.gt(w.freeMargin.minus(w.credit)) || w.amount.gt(w.balance);
                  return (
                    <Tr key={w.id} data-testid={`withdrawal-row-${w.id}`}>
                      <Td className="font-mono">{w.id}</Td>
                      <Td>
                        <Link href={`/accounts/${w.accountId}`} className="font-mono text-sky-300 hover:underline">
                          {w.accountNumber}
                        </Link>
                      </Td>
                      <Td numeric>
                        <MoneyCell value={w.amount} currency={w.currency} />
                      </Td>
                      <Td>
                        <div>{w.method}</div>
                        {w.destination && <div className="max-w-48 truncate text-[11px] text-zinc-500">{w.destination}</div>}
                      </Td>
                      <Td>{w.createdAt.toLocaleString()}</Td>
                      <Td>
                        <StatusDot tone={STATUS_TONE[w.status]} label={w.status} data-testid={`withdrawal-status-${w.id}`} />
                        {w.reviewNote && <div className="max-w-48 truncate text-[11px] text-zinc-500">{w.reviewNote}</div>}
                      </Td>
                      <Td numeric>
                        <MoneyCell value={w.balance} currency={w.currency} />
                      </Td>
                      <Td numeric>
                        <MoneyCell value={w.freeMargin} currency={w.currency} className={cx(short && w.status === 'PENDING' && 'text-rose-400')} />
                        {!w.credit.isZero() && (
                          <div className="text-[10px] text-zinc-500">
                            of which credit <MoneyCell value={w.credit} currency={w.currency} />
                          </div>
                        )}
                        {short && w.status === 'PENDING' && <div className="text-[10px] text-rose-400">not enough to approve</div>}
                      </Td>
                      <RowActions>
                        {canDecide && w.status === 'PENDING' && (
                          <>
                            <RowAction
                              tone="sky"
                              disabled={approve.isPending}
                              onClick={() => {
                                setActionError(null);
                                approve.mutate({ id: w.id }, { onSuccess: refresh, onError: (e) => setActionError(appError(e)) });
                              }}
                              data-testid={`withdrawal-approve-${w.id}`}
                            >
                              Approve
                            </RowAction>
                            <RowAction tone="rose" onClick={() => setRejecting(w)} data-testid={`withdrawal-reject-${w.id}`}>
                              Reject
                            </RowAction>
                          </>
                        )}
                      </RowActions>
                    </Tr>
                  );
                })
              }
            </TableRows>
          </TBody>
        </Table>
      </div>
      <Pager offset={offset} page={PAGE} total={list.data?.total ?? 0} onOffset={setOffset} />
      {rejecting && (
        <RejectModal
          w={rejecting}
          onClose={() => setRejecting(null)}
          onDone={() => {
            setRejecting(null);
            refresh();
          }}
        />
      )}
    </Card>
  );
}

function RejectModal({ w, onClose, onDone }: { w: WithdrawalDto; onClose: () => void; onDone: () => void }) {
  const trpc = useTRPC();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'reason'>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const reject = useMutation(trpc.admin.finance.rejectWithdrawal.mutationOptions());
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = WithdrawalRejectInput.safeParse({ id: w.id, reason });
    if (!parsed.success) return setErrors(issuesToFields(parsed.error.issues));
    setErrors({});
    reject.mutate(parsed.data, {
      onSuccess: onDone,
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields(info));
        setServerError(info);
      },
    });
  }
  return (
    <Modal title={`Reject withdrawal #${w.id}`} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
        <Field label="Reason (required; recorded in the audit log)" error={errors.reason}>
          {(a) => <Input {...a} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reject-reason" />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" loading={reject.isPending} data-testid="reject-submit">
            Reject
          </Button>
        </div>
        {serverError && <ErrorNotice error={serverError} />}
      </form>
    </Modal>
  );
}
