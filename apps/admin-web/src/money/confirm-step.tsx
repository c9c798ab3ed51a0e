'use client';
import type { AdminAccountRow } from '@broker/api';
import { Button, formatMoney } from '@broker/ui';
import type { Decimal } from 'decimal.js';
import type { ReactNode } from 'react';
import { amountInWords } from './amount-in-words.ts';

/** The second step of every money move: what will happen, the amount in figures and in words, the account. */
export function ConfirmStep({
  verb,
  amount,
  account,
  details,
  pending,
  onBack,
  onConfirm,
  testId,
  moves = 'balance',
}: {
  verb: string;
  amount: Decimal;
  account: Pick<AdminAccountRow, 'accountNumber' | 'name' | 'currency' | 'balance' | 'credit'>;
  /** What the amount moves: the balance, or the broker's credit (the balance then stays as it is). */
  moves?: 'balance' | 'credit';
  details?: ReactNode;
  pending: boolean;
  onBack: () => void;
  onConfirm: () => void;
  testId: string;
}) {
  const from = moves === 'credit' ? account.credit : account.balance;
  const after = from.plus(amount);
  return (
    <div className="flex flex-col gap-3" data-testid={`${testId}-confirm`}>
      <p className="text-sm text-zinc-300">
        {verb} to <span className="font-mono font-semibold">{account.accountNumber}</span> · {account.name}
      </p>
      <p className="font-mono text-2xl font-semibold tabular-nums text-zinc-100" data-testid={`${testId}-confirm-amount`}>
        {formatMoney(amount, { currency: account.currency, signed: amount.isNegative() })}
      </p>
      <p className="rounded border border-sky-500/30 bg-sky-500/10 px-3 py-2 text-sm text-sky-100" data-testid={`${testId}-confirm-words`}>
        {amountInWords(amount, account.currency)}
      </p>
      <p className="text-xs text-zinc-500" data-testid={`${testId}-confirm-after`}>
        {moves === 'credit' ? 'Credit' : 'Balance'} {formatMoney(from, { currency: account.currency })} → <span className="text-zinc-300">{formatMoney(after, { currency: account.currency })}</span>
        {moves === 'credit' && <> · balance stays {formatMoney(account.balance, { currency: account.currency })}</>}
      </p>
      {details}
      <div className="flex justify-end gap-2">
        <Button onClick={onBack} data-testid={`${testId}-back`}>
          Back
        </Button>
        <Button variant="primary" data-autofocus loading={pending} onClick={onConfirm} data-testid={`${testId}-confirm-submit`}>
          Confirm
        </Button>
      </div>
    </div>
  );
}
