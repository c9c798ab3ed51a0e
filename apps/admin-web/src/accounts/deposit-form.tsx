'use client';
import type { AdminAccountRow, LedgerDto } from '@broker/api';
import { DepositInput } from '@broker/api/schemas';
import { Button, Card, DecimalField, ErrorNotice, Field, Input, Select, SuccessNotice, formatMoney } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

const METHODS = [
  { value: 'BANK_TRANSFER', label: 'Bank transfer' },
  { value: 'CARD', label: 'Card' },
  { value: 'CRYPTO', label: 'Crypto' },
] as const;

type FieldName = 'accountId' | 'amount' | 'method' | 'reference' | 'note';

export function DepositForm(props: {
  accounts: AdminAccountRow[];
  selected: number | null;
  onSelect: (id: number | null) => void;
  canMoveMoney: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]['value']>('BANK_TRANSFER');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const [done, setDone] = useState<{ entry: LedgerDto; account: AdminAccountRow | undefined } | null>(null);
  const deposit = useMutation(trpc.admin.finance.deposit.mutationOptions());

  const account = props.accounts.find((a) => a.id === props.selected);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    setDone(null);
    const parsed = DepositInput.safeParse({
      accountId: props.selected ?? undefined,
      amount: amount.trim(),
      method,
      reference: reference.trim() || undefined,
      note: note.trim() || undefined,
    });
    if (!parsed.success) {
      const errs: Partial<Record<FieldName, string>> = {};
      for (const i of parsed.error.issues) {
        const k = i.path[0] as FieldName;
        errs[k] ??= k === 'accountId' ? 'Choose an account' : k === 'amount' && !amount.trim() ? 'Enter an amount' : i.message;
      }
      setErrors(errs);
      const first = Object.entries(errs)[0];
      setServerError({ code: 'VALIDATION_ERROR', message: first ? `Check the ${first[0] === 'accountId' ? 'account' : first[0]}: ${first[1]}` : 'Check the form' });
      return;
    }
    setErrors({});
    const target = account;
    deposit.mutate(parsed.data, {
      onSuccess: (entry) => {
        setDone({ entry, account: target });
        setAmount('');
        setReference('');
        setNote('');
        void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.list.pathKey() });
      },
      onError: (err) => {
        const info = appError(err);
        if (info.issues?.length) {
          const errs: Partial<Record<FieldName, string>> = {};
          for (const i of info.issues) errs[(i.path.split('.')[0] || 'amount') as FieldName] ??= i.message;
          setErrors(errs);
        }
        setServerError(info);
      },
    });
  }

  const ccy = account?.currency;

  return (
    <Card title="Deposit" className="self-start">
      {!props.canMoveMoney ? (
        <p className="p-4 text-sm text-zinc-400">Your role may view accounts but not move money. Deposits need an ADMIN or SUPER_ADMIN.</p>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 p-4">
          <Field label="Account" error={errors.accountId}>
            {(a) => (
              <Select
                {...a}
                value={props.selected ?? ''}
                onChange={(e) => props.onSelect(e.target.value ? Number(e.target.value) : null)}
                data-testid="deposit-account"
              >
                <option value="">Choose an account…</option>
                {props.accounts.map((acc) => (
                  <option key={acc.id} value={acc.id}>
                    {acc.accountNumber} · {acc.name} ({acc.type})
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {account && (
            <p className="-mt-1 text-xs text-zinc-500">
              Current balance <span className="font-mono tabular-nums text-zinc-300">{formatMoney(account.balance, { currency: ccy })}</span>
            </p>
          )}
          <DecimalField
            label={`Amount${ccy ? ` (${ccy})` : ''}`}
            error={errors.amount}
            placeholder="0.00"
            value={amount}
            onValueChange={setAmount}
            data-testid="deposit-amount"
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
          <Field label="Reference" error={errors.reference} hint="Transaction id from the payment processor">
            {(a) => <Input {...a} value={reference} onChange={(e) => setReference(e.target.value)} data-testid="deposit-reference" />}
          </Field>
          <Field label="Note" error={errors.note} hint="Internal; shown in the ledger">
            {(a) => <Input {...a} value={note} onChange={(e) => setNote(e.target.value)} data-testid="deposit-note" />}
          </Field>
          <Button type="submit" variant="primary" loading={deposit.isPending} data-testid="deposit-submit">
            {deposit.isPending ? 'Processing…' : 'Process deposit'}
          </Button>
          {serverError && <ErrorNotice error={serverError} testId="deposit-error" />}
          {done && (
            <SuccessNotice testId="deposit-result">
              Deposited <span className="font-mono tabular-nums">{formatMoney(done.entry.amount, { currency: done.account?.currency })}</span>
              {done.account ? ` to ${done.account.accountNumber}` : ''}. New balance{' '}
              <span className="font-mono font-semibold tabular-nums" data-testid="deposit-new-balance">
                {formatMoney(done.entry.balanceAfter, { currency: done.account?.currency })}
              </span>
            </SuccessNotice>
          )}
        </form>
      )}
    </Card>
  );
}
