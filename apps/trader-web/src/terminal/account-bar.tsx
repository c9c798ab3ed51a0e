'use client';
import type { AccountBrief, AuthUser } from '@broker/api';
import { Button, formatPercent, MoneyCell, PnlCell, Select, Skeleton, StatusDot, cx } from '@broker/ui';
import { signOut } from 'next-auth/react';
import type { ReactNode } from 'react';
import { useConnectionState } from '../live/socket.tsx';
import { useLiveAccount } from './use-live-account.ts';

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="flex min-w-[7rem] flex-col items-end px-2.5">
      <span className="text-[10px] font-medium uppercase tracking-wider text-zinc-500">{label}</span>
      <span className="text-sm font-medium" data-testid={testId}>
        {children}
      </span>
    </div>
  );
}

export function AccountBar(props: {
  user: AuthUser;
  accounts: AccountBrief[];
  accountId: number | undefined;
  onAccountChange: (id: number) => void;
}) {
  const { figures, summary } = useLiveAccount(props.accountId);
  const conn = useConnectionState();
  const f = figures;
  const ccy = f?.currency;
  const loading = !f;
  const sk = <Skeleton className="h-4 w-20" />;

  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-zinc-800 bg-zinc-900 px-3">
      <span className="mr-2 whitespace-nowrap text-base font-semibold tracking-tight">
        <span className="text-sky-400">RTX</span> Trader
      </span>
      <label className="sr-only" htmlFor="account-select">
        Account
      </label>
      <div className="w-60 shrink-0">
      <Select
        id="account-select"
        className="h-8 text-xs"
        value={props.accountId ?? ''}
        onChange={(e) => props.onAccountChange(Number(e.target.value))}
        data-testid="account-select"
      >
        {props.accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.accountNumber} · {a.type} · {a.currency} 1:{a.leverage}
          </option>
        ))}
      </Select>
      </div>

      <div className="ml-auto flex items-center divide-x divide-zinc-800">
        {summary.isError && <span className="px-3 text-xs text-rose-400">Account data unavailable</span>}
        <Figure label="Balance" testId="account-balance">
          {loading ? sk : <MoneyCell value={f.balance} currency={ccy} />}
        </Figure>
        <Figure label="Equity" testId="account-equity">
          {loading ? sk : <MoneyCell value={f.equity} currency={ccy} />}
        </Figure>
        <Figure label="Margin" testId="account-margin">
          {loading ? sk : <MoneyCell value={f.margin} currency={ccy} />}
        </Figure>
        <Figure label="Free margin" testId="account-free-margin">
          {loading ? sk : <MoneyCell value={f.freeMargin} currency={ccy} className={cx(f.freeMargin.isNegative() && 'text-rose-400')} />}
        </Figure>
        <Figure label="Margin level" testId="account-margin-level">
          {loading ? sk : (
            <span className={cx('font-mono tabular-nums', f.marginCall && 'text-amber-400')}>{formatPercent(f.marginLevel)}</span>
          )}
        </Figure>
        <Figure label="Floating P&L" testId="account-pnl">
          {loading ? sk : <PnlCell value={f.unrealizedPnl} currency={ccy} />}
        </Figure>
      </div>

      <div className="flex items-center gap-3 border-l border-zinc-800 pl-3">
        <StatusDot
          tone={conn === 'live' ? 'ok' : 'warn'}
          label={conn === 'live' ? 'Live' : conn === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          data-testid="connection-status"
        />
        <span className="hidden whitespace-nowrap text-xs text-zinc-500 2xl:inline" title={props.user.email}>
          {props.user.name}
        </span>
        <Button size="sm" variant="ghost" onClick={() => void signOut({ callbackUrl: '/login' })} data-testid="logout" className="whitespace-nowrap">
          Log out
        </Button>
      </div>
    </header>
  );
}
