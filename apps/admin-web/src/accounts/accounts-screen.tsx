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
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { Permissions } from '../staff/permissions.ts';
import { useTRPC } from '../trpc/react.ts';
import { CreateAccountModal } from './create-account.tsx';
import { STATUS_LABEL, STATUS_TONE } from './status.ts';

const REFRESH_MS = 5_000;
const PAGE = 25;
const COLS = 10;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** design.md §8.2: every account, searched and filtered on the server, 25 a page; a row opens the account page. */
export function AccountsScreen({ can }: { can: Permissions }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [search, setSearch] = useState('');
  const [type, setType] = useState<'' | 'DEMO' | 'LIVE'>('');
  const [status, setStatus] = useState<'' | AdminAccountRow['status']>('');
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const q = useDebounced(search.trim(), 250);
  useEffect(() => setOffset(0), [q, type, status]);

  const list = useQuery(
    trpc.admin.accounts.list.queryOptions(
      { search: q || undefined, type: type || undefined, status: status || undefined, limit: PAGE, offset },
      { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData },
    ),
  );
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const open = (a: AdminAccountRow) => router.push(`/accounts/${a.id}`);

  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <Card
        title="Accounts"
        actions={
          <span className="flex items-center gap-3 text-xs text-zinc-500">
            <StatusDot tone={list.isError ? 'error' : list.isFetching ? 'warn' : 'ok'} label={list.isError ? 'Offline' : 'Auto-refresh'} />
            {can.manageAccounts && (
              <Button size="sm" variant="primary" onClick={() => setCreating(true)} data-testid="account-create">
                + Create account
              </Button>
            )}
          </span>
        }
      >
        <div className="flex flex-wrap items-end gap-2 border-b border-zinc-800 p-3">
          <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs text-zinc-400 sm:flex-none">
            Search
            <Input
              type="search"
              placeholder="Account number, name or email"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className="sm:w-72!"
              data-testid="accounts-search"
            />
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Type
            <Select value={type} onChange={(e) => setType(e.target.value as typeof type)} className="w-28!" data-testid="accounts-type">
              <option value="">All</option>
              <option value="DEMO">Demo</option>
              <option value="LIVE">Live</option>
            </Select>
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Status
            <Select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} className="w-32!" data-testid="accounts-status">
              <option value="">All</option>
              {Object.entries(STATUS_LABEL).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </Select>
          </label>
        </div>
        {list.isError && <ErrorBanner className="m-3" title="Accounts unavailable" message={list.error.message} onRetry={() => void list.refetch()} />}
        <div className="overflow-x-auto">
          <Table data-testid="accounts-table">
            <THead>
              <tr>
                <Th>Account</Th>
                <Th>Owner</Th>
                <Th>Leverage / mode</Th>
                <Th>Status</Th>
                <Th numeric>Balance</Th>
                <Th numeric>Equity</Th>
                <Th numeric>Margin</Th>
                <Th numeric>Free margin</Th>
                <Th numeric title="Equity ÷ margin used">Margin level</Th>
                <Th numeric>Positions</Th>
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
                  <Tr key={a.id} data-testid={`account-row-${a.accountNumber}`} className="cursor-pointer" onClick={() => open(a)}>
                    <Td>
                      <Link
                        href={`/accounts/${a.id}`}
                        className="font-mono font-semibold text-sky-300 hover:underline"
                        onClick={(e) => e.stopPropagation()}
                        data-testid={`account-link-${a.accountNumber}`}
                      >
                        {a.accountNumber}
                      </Link>
                      <span
                        className={cx('ml-1.5 rounded px-1 text-[10px] font-semibold', a.type === 'LIVE' ? 'bg-amber-500/15 text-amber-300' : 'bg-zinc-700/60 text-zinc-300')}
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
                      <StatusDot tone={STATUS_TONE[a.status]} label={STATUS_LABEL[a.status]} data-testid={`account-status-${a.accountNumber}`} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.balance} currency={a.currency} data-testid={`account-balance-${a.accountNumber}`} />
                      {!a.credit.isZero() && (
                        <div className="text-[10px] text-zinc-500" title="Lent by the broker: in equity, not balance">
                          + credit <MoneyCell value={a.credit} currency={a.currency} data-testid={`account-credit-${a.accountNumber}`} />
                        </div>
                      )}
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.equity} currency={a.currency} data-testid={`account-equity-${a.accountNumber}`} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.margin} currency={a.currency} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={a.freeMargin} currency={a.currency} className={cx(a.freeMargin.isNegative() && 'text-rose-400')} />
                    </Td>
                    <Td numeric>{formatPercent(a.marginLevel)}</Td>
                    <Td numeric>{a.openPositions}</Td>
                  </Tr>
                ))
              )}
            </TBody>
          </Table>
        </div>
        <Pager offset={offset} page={PAGE} total={total} onOffset={setOffset} testId="accounts-pager" />
      </Card>
      {creating && <CreateAccountModal onClose={() => setCreating(false)} />}
    </main>
  );
}

/** "Showing 26–50 of 1,247" with previous / next; the server does the paging. */
export function Pager({ offset, page, total, onOffset, testId }: { offset: number; page: number; total: number; onOffset: (o: number) => void; testId?: string }) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + page, total);
  return (
    <div className="flex items-center justify-between gap-2 border-t border-zinc-800 px-3 py-2 text-xs text-zinc-400" data-testid={testId}>
      <span>
        Showing {from}–{to} of {total.toLocaleString('en-US')}
      </span>
      <span className="flex gap-1">
        <Button size="sm" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - page))} aria-label="Previous page">
          ‹ Prev
        </Button>
        <Button size="sm" disabled={offset + page >= total} onClick={() => onOffset(offset + page)} aria-label="Next page">
          Next ›
        </Button>
      </span>
    </div>
  );
}
