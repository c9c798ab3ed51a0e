'use client';
import type { AdminAccountRow } from '@broker/api';
import {
  Button,
  Card,
  ErrorBanner,
  Input,
  MoneyCell,
  Select,
  Skeleton,
  StatusDot,
  TBody,
  THead,
  Table,
  TableMessage,
  Td,
  Th,
  Tr,
  cx,
  formatPercent,
} from '@broker/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../trpc/react.ts';
import { DepositForm } from './deposit-form.tsx';

const REFRESH_MS = 3_000;
const COLS = 11;

const STATUS_TONE = { ACTIVE: 'ok', SUSPENDED: 'error', READ_ONLY: 'warn', CLOSED: 'idle' } as const;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function AccountsScreen({ canMoveMoney }: { canMoveMoney: boolean }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [type, setType] = useState<'' | 'DEMO' | 'LIVE'>('');
  const [status, setStatus] = useState<'' | AdminAccountRow['status']>('');
  const [selected, setSelected] = useState<number | null>(null);
  const q = useDebounced(search.trim(), 250);

  const list = useQuery(
    trpc.admin.accounts.list.queryOptions(
      { search: q || undefined, type: type || undefined, status: status || undefined, limit: 200, offset: 0 },
      { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData },
    ),
  );
  // Every account for the deposit form, whatever the table filter shows.
  const all = useQuery(trpc.admin.accounts.list.queryOptions({ limit: 500, offset: 0 }, { refetchInterval: REFRESH_MS }));

  const rows = list.data?.rows ?? [];

  return (
    <main className="grid flex-1 grid-cols-[minmax(0,1fr)_20rem] gap-3 p-3 2xl:grid-cols-[minmax(0,1fr)_24rem]">
      <Card
        title="Accounts"
        actions={
          <span className="flex items-center gap-3 text-xs text-zinc-500">
            {list.data && <span>{list.data.total} total</span>}
            <StatusDot tone={list.isError ? 'error' : list.isFetching ? 'warn' : 'ok'} label={list.isError ? 'Offline' : 'Auto-refresh'} />
          </span>
        }
        className="min-h-0"
      >
        <div className="flex flex-wrap items-end gap-2 border-b border-zinc-800 p-3">
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Search
            <Input
              type="search"
              placeholder="Account number, name or email"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className="w-72"
              data-testid="accounts-search"
            />
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Type
            <Select value={type} onChange={(e) => setType(e.target.value as typeof type)} className="w-28" data-testid="accounts-type">
              <option value="">All</option>
              <option value="DEMO">Demo</option>
              <option value="LIVE">Live</option>
            </Select>
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Status
            <Select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} className="w-32" data-testid="accounts-status">
              <option value="">All</option>
              <option value="ACTIVE">Active</option>
              <option value="SUSPENDED">Suspended</option>
              <option value="READ_ONLY">Read-only</option>
              <option value="CLOSED">Closed</option>
            </Select>
          </label>
        </div>
        {list.isError && <ErrorBanner className="m-3" title="Accounts unavailable" message={list.error.message} onRetry={() => void list.refetch()} />}
        <div className="min-h-0 flex-1 overflow-auto">
          <Table data-testid="accounts-table">
            <THead>
              <tr>
                <Th>Account</Th>
                <Th>Owner</Th>
                <Th>Leverage / mode</Th>
                <Th>Status</Th>
                <Th numeric>Balance</Th>
                <Th numeric>Equity</Th>
                <Th numeric className="hidden 2xl:table-cell">Margin</Th>
                <Th numeric>Free margin</Th>
                <Th numeric>Margin level</Th>
                <Th numeric>Positions</Th>
                <Th className="sticky right-0 bg-zinc-900" />
              </tr>
            </THead>
            <TBody>
              {list.isPending ? (
                Array.from({ length: 6 }, (_, i) => (
                  <tr key={i} className="border-b border-zinc-800/70">
                    <td colSpan={COLS} className="px-2 py-2">
                      <Skeleton className="w-full" />
                    </td>
                  </tr>
                ))
              ) : rows.length === 0 ? (
                <TableMessage colSpan={COLS}>No accounts match</TableMessage>
              ) : (
                rows.map((a) => (
                  <Tr key={a.id} data-testid={`account-row-${a.accountNumber}`} className={cx(a.id === selected && 'bg-sky-500/10')}>
                    <Td>
                      <div className="font-mono font-semibold">{a.accountNumber}</div>
                      <span
                        className={cx('rounded px-1 text-[10px] font-semibold', a.type === 'LIVE' ? 'bg-amber-500/15 text-amber-300' : 'bg-zinc-700/60 text-zinc-300')}
                        data-testid={`account-type-${a.accountNumber}`}
                      >
                        {a.type}
                      </span>
                    </Td>
                    <Td>
                      <div>{a.name}</div>
                      <div className="text-[11px] text-zinc-500">{a.email}</div>
                    </Td>
                    <Td>
                      <div className="font-mono tabular-nums">1:{a.leverage}</div>
                      <div className="text-[11px] text-zinc-500">{a.marginMode}</div>
                    </Td>
                    <Td>
                      <StatusDot tone={STATUS_TONE[a.status]} label={a.status} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.balance} currency={a.currency} data-testid={`account-balance-${a.accountNumber}`} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.equity} currency={a.currency} data-testid={`account-equity-${a.accountNumber}`} />
                    </Td>
                    <Td numeric className="hidden 2xl:table-cell">
                      <MoneyCell value={a.margin} currency={a.currency} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.freeMargin} currency={a.currency} className={cx(a.freeMargin.isNegative() && 'text-rose-400')} />
                    </Td>
                    <Td numeric>{formatPercent(a.marginLevel)}</Td>
                    <Td numeric>{a.openPositions}</Td>
                    <Td className="sticky right-0 bg-zinc-900 text-right">
                      {canMoveMoney && (
                        <Button size="sm" variant="ghost" onClick={() => setSelected(a.id)} data-testid={`account-deposit-${a.accountNumber}`}>
                          Deposit
                        </Button>
                      )}
                    </Td>
                  </Tr>
                ))
              )}
            </TBody>
          </Table>
        </div>
      </Card>

      <DepositForm accounts={all.data?.rows ?? []} selected={selected} onSelect={setSelected} canMoveMoney={canMoveMoney} />
    </main>
  );
}
