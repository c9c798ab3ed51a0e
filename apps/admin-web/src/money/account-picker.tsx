'use client';
import type { AdminAccountRow } from '@broker/api';
import { Field, Input, Select, formatMoney } from '@broker/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../trpc/react.ts';

/** design.md §8.5 "Account: search by ID or username": the server searches; the first 20 matches are offered. */
export function AccountPicker({
  value,
  onChange,
  error,
  testId,
}: {
  value: AdminAccountRow | null;
  onChange: (a: AdminAccountRow | null) => void;
  error?: string;
  testId: string;
}) {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const list = useQuery(trpc.admin.accounts.list.queryOptions({ search: q || undefined, limit: 20, offset: 0 }, { placeholderData: keepPreviousData }));
  const rows = list.data?.rows ?? [];
  const options = value && !rows.some((r) => r.id === value.id) ? [value, ...rows] : rows;

  return (
    <div className="flex flex-col gap-2">
      <Field label="Find account" hint="Account number, name or email">
        {(a) => <Input {...a} type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid={`${testId}-search`} />}
      </Field>
      <Field label="Account" error={error}>
        {(a) => (
          <Select
            {...a}
            value={value?.id ?? ''}
            onChange={(e) => onChange(options.find((r) => r.id === Number(e.target.value)) ?? null)}
            data-testid={testId}
          >
            <option value="">{list.isPending ? 'Loading…' : `Choose an account (${list.data?.total ?? 0} match)`}</option>
            {options.map((acc) => (
              <option key={acc.id} value={acc.id}>
                {acc.accountNumber} · {acc.name} ({acc.type})
              </option>
            ))}
          </Select>
        )}
      </Field>
      {value && (
        <p className="-mt-1 text-xs text-zinc-500" data-testid={`${testId}-balance`}>
          Balance <span className="font-mono tabular-nums text-zinc-300">{formatMoney(value.balance, { currency: value.currency })}</span> · free margin{' '}
          <span className="font-mono tabular-nums text-zinc-300">{formatMoney(value.freeMargin, { currency: value.currency })}</span>
        </p>
      )}
    </div>
  );
}
