'use client';
// design.md §8.1: health, today's figures, the A/B/C split, LPs and alerts, live (refetched every few
// seconds and at once on the dealers' `alert` and `lp_status` events).
import type { AlertEvent } from '@broker/api/socket';
import type { DashboardAlert } from '@broker/api';
import { Card, ErrorBanner, Skeleton, StatusDot, cx, formatMoney, formatVolume } from '@broker/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import Link from 'next/link';
import { useMemo, useState, type ReactNode } from 'react';
import { DailyChart, fillDays } from '../charts/daily-chart.tsx';
import { FEED_LABEL, useEngineSocket } from '../live/use-engine-socket.ts';
import { useTRPC } from '../trpc/react.ts';
import { pushedLink } from './alert-links.ts';
import { ReconciliationCard } from './reconciliation-card.tsx';

const SEVERITY_TONE = { info: 'idle', warning: 'warn', critical: 'error' } as const;
const VENUE = { BBOOK: 'B-Book (internal)', ABOOK: 'A-Book (to LP)', CBOOK: 'C-Book (hybrid)' } as const;
const DAY = 86_400_000;

export function DashboardScreen({ canReconcileAll }: { canReconcileAll: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pushed, setPushed] = useState<AlertEvent[]>([]);
  const dash = useQuery(trpc.admin.dealing.dashboard.queryOptions(undefined, { refetchInterval: 5_000 }));
  const lps = useQuery(trpc.admin.lps.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const period = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / DAY) * DAY);
    return { from: new Date(to.getTime() - 30 * DAY), to };
  }, []);
  const report = useQuery(trpc.admin.reports.report.queryOptions(period, { refetchInterval: 60_000 }));
  const feed = useEngineSocket([{ type: 'dealer' }], {
    alert: (e) => {
      setPushed((p) => [e, ...p].slice(0, 20));
      void queryClient.invalidateQueries({ queryKey: trpc.admin.dealing.dashboard.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.admin.audit.lastReconciliation.queryKey() });
    },
    lp_status: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.lps.list.queryKey() }),
  });

  const d = dash.data;
  const totalLots = d?.split.reduce((s, v) => s.plus(v.lots), new Decimal(0)) ?? new Decimal(0);

  return (
    <main className="grid flex-1 grid-cols-1 content-start gap-3 p-2 md:grid-cols-2 md:p-3 xl:grid-cols-3">
      {dash.isError && <ErrorBanner className="md:col-span-2 xl:col-span-3" title="Dashboard unavailable" message={dash.error.message} onRetry={() => void dash.refetch()} />}
      <Card title="System health" actions={<StatusDot tone={FEED_LABEL[feed].tone} label={FEED_LABEL[feed].label} data-testid="dashboard-feed" />} data-testid="dash-health">
        <div className="grid grid-cols-2 gap-2 p-3 text-sm">
          {d ? (
            <>
              <Health label="Engine" ok={d.health.status === 'ok'} text={d.health.status === 'ok' ? 'Operational' : 'Degraded'} testId="health-engine" />
              <Health label="Database" ok text={d.health.database === 'postgres' ? 'PostgreSQL' : 'Embedded (PGlite)'} />
              <Health label="Redis" ok={d.health.redis !== 'down'} text={d.health.redis === 'memory' ? 'In memory (no Redis)' : d.health.redis} />
              <Health label="Uptime" ok text={`${Math.floor(d.health.uptimeSeconds / 3600)} h ${Math.floor((d.health.uptimeSeconds % 3600) / 60)} min`} />
              <Health label="Sockets" ok text={String(d.health.socketsConnected)} />
              <Health label="Quotes in" ok text={d.health.quotesIn.toLocaleString('en-US')} />
            </>
          ) : (
            <Skeleton className="col-span-2 w-full" />
          )}
        </div>
        <ul className="border-t border-zinc-800 px-3 py-2 text-sm" data-testid="dash-lps">
          {(lps.data ?? []).map((lp) => (
            <li key={lp.name} className="flex items-center justify-between gap-2 py-0.5">
              <StatusDot tone={!lp.enabled ? 'idle' : lp.state === 'CONNECTED' ? 'ok' : lp.state === 'CONNECTING' ? 'warn' : 'error'} label={lp.name} />
              <span className="text-xs text-zinc-500">
                {lp.enabled ? lp.state.toLowerCase() : 'disabled'}
                {lp.latencyMs !== null && ` · ${lp.latencyMs} ms`} · {lp.quotesPerMinute}/min
              </span>
            </li>
          ))}
          <li className="pt-1 text-right text-xs">
            <Link href="/lps" className="text-sky-300 hover:underline">
              LP page →
            </Link>
          </li>
        </ul>
      </Card>

      <Card title="Today (since 00:00 UTC)" data-testid="dash-today">
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 p-3 text-sm">
          <Stat label="Volume" value={d && `${formatVolume(d.today.volumeLots)} lots`} testId="today-volume" />
          <Stat label="Trades" value={d?.today.trades.toLocaleString('en-US')} testId="today-trades" />
          <Stat label="Active clients" value={d?.today.activeClients} help="Accounts with a trade today" />
          <Stat label="New accounts" value={d?.today.newAccounts} />
          <Stat label="Open positions" value={d?.openPositions} testId="open-positions" />
          <Stat label="Pending orders" value={d?.pendingOrders} />
          <Stat label="Deposits" value={d && formatMoney(d.today.deposits, { currency: 'USD' })} />
          <Stat label="Withdrawals" value={d && formatMoney(d.today.withdrawals, { currency: 'USD' })} />
          <Stat
            label="Waiting withdrawals"
            value={
              d && (
                <Link href="/money" className={cx('hover:underline', d.pendingWithdrawals > 0 ? 'text-amber-300' : 'text-zinc-300')}>
                  {d.pendingWithdrawals}
                </Link>
              )
            }
          />
        </dl>
      </Card>

      <Card title="Execution split (open positions)" data-testid="dash-split">
        <div className="flex flex-col gap-2 p-3 text-sm">
          {d?.split.map((s) => {
            const pct = totalLots.isZero() ? new Decimal(0) : s.lots.div(totalLots).times(100);
            return (
              <div key={s.venue} data-testid={`split-${s.venue}`}>
                <div className="flex justify-between">
                  <span>{VENUE[s.venue]}</span>
                  <span className="font-mono tabular-nums text-zinc-300">
                    {pct.toFixed(0)}% · {formatVolume(s.lots)} lots · {s.positions}
                  </span>
                </div>
                <div className="mt-1 h-1.5 rounded bg-zinc-800">
                  <div className={cx('h-1.5 rounded', s.venue === 'ABOOK' ? 'bg-sky-500' : s.venue === 'BBOOK' ? 'bg-amber-500' : 'bg-violet-500')} style={{ width: `${pct.toFixed(2)}%` }} />
                </div>
              </div>
            );
          }) ?? <Skeleton className="w-full" />}
          <Link href="/dealing" className="text-right text-xs text-sky-300 hover:underline">
            Exposure and positions →
          </Link>
        </div>
      </Card>

      <Card title="Alerts" className="md:col-span-2 xl:col-span-1" data-testid="dash-alerts">
        <ul className="flex flex-col gap-1 p-3 text-sm">
          {pushed.map((a, i) => (
            <AlertLine key={`p${i}`} severity={a.severity} message={a.message} at={a.at} link={pushedLink(a)} testId={`alert-pushed-${a.kind}`} />
          ))}
          {d?.alerts.map((a, i) => <AlertLine key={i} severity={a.severity} message={a.message} link={alertLink(a)} testId={`alert-${a.kind}`} />)}
          {d && d.alerts.length === 0 && pushed.length === 0 && <li className="text-zinc-500">No alerts</li>}
        </ul>
      </Card>

      <ReconciliationCard canRun={canReconcileAll} />

      <Card title="Daily volume, last 30 days (lots)" className="md:col-span-2 xl:col-span-3" data-testid="dash-chart">
        <div className="p-2">
          <DailyChart
            points={fillDays(period.from, period.to, (report.data?.byDay ?? []).map((r) => ({ day: r.day, value: r.volumeLots })), new Decimal(0))}
            testId="dash-volume-chart"
          />
        </div>
      </Card>
    </main>
  );
}

function alertLink(a: DashboardAlert): string | undefined {
  if (a.kind === 'LP_ORDER_UNKNOWN') return '/execution#lp-orders';
  if (a.accountId) return `/accounts/${a.accountId}`;
  if (a.symbol) return `/dealing?symbol=${a.symbol}`;
  if (a.lp) return '/lps';
  return undefined;
}

function AlertLine({ severity, message, link, at, testId }: { severity: 'info' | 'warning' | 'critical'; message: string; link?: string; at?: number; testId?: string }) {
  return (
    <li className="flex items-start gap-2" data-testid={testId} data-severity={severity}>
      <StatusDot tone={SEVERITY_TONE[severity]} label="" className="mt-1" />
      <span className="flex-1">
        {link ? (
          <Link href={link} className="hover:underline">
            {message}
          </Link>
        ) : (
          message
        )}
        {at && <span className="ml-1 text-[10px] text-zinc-500">{new Date(at).toLocaleTimeString()}</span>}
      </span>
    </li>
  );
}

function Health({ label, ok, text, testId }: { label: string; ok: boolean; text: string; testId?: string }) {
  return (
    <div className="flex flex-col">
      <span className="text-[11px] uppercase tracking-wide text-zinc-500">{label}</span>
      <StatusDot tone={ok ? 'ok' : 'error'} label={text} data-testid={testId} />
    </div>
  );
}

function Stat({ label, value, help, testId }: { label: string; value: ReactNode; help?: string; testId?: string }) {
  return (
    <div title={help}>
      <dt className="text-[11px] uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className="font-mono text-base tabular-nums" data-testid={testId}>
        {value ?? <Skeleton />}
      </dd>
    </div>
  );
}
