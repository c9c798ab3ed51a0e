'use client';
// design.md §8.6: one card per liquidity provider with its live health, the actions the role allows, and the
// add / edit form. Live: polled every 5 s and patched by `lp_status` socket events the moment they happen.
import type { LpWire } from '@broker/api/socket';
import type { Role } from '@broker/api/roles';
import { Button, Card, ErrorBanner, Skeleton, StatusDot, cx, formatAgo, formatDuration, useNow } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { LpFormModal, TYPE_LABELS } from './lp-form.tsx';
import { mergeLp, sortLps, useLps, type FeedState } from './use-lps.ts';

export const STATE_TONE: Record<LpWire['state'], 'ok' | 'warn' | 'error' | 'idle'> = {
  CONNECTED: 'ok',
  CONNECTING: 'warn',
  DEGRADED: 'warn',
  DISCONNECTED: 'idle',
  UNAVAILABLE: 'error',
};
const STATE_TEXT: Record<LpWire['state'], string> = {
  CONNECTED: 'text-emerald-300',
  CONNECTING: 'text-amber-300',
  DEGRADED: 'text-amber-300',
  DISCONNECTED: 'text-zinc-400',
  UNAVAILABLE: 'text-rose-300',
};

export function FeedDot({ feed }: { feed: FeedState }) {
  const [tone, label] =
    feed === 'live'
      ? (['ok', 'Live'] as const)
      : feed === 'refused'
        ? (['error', 'Live updates refused'] as const)
        : feed === 'connecting'
          ? (['warn', 'Connecting…'] as const)
          : (['warn', 'Reconnecting… (polling every 5 s)'] as const);
  return <StatusDot tone={tone} label={label} data-testid="lps-feed" />;
}

export function LpsScreen({
  engineUrl,
  role,
  canManage,
  canReconnect,
}: {
  engineUrl: string;
  role: Role;
  canManage: boolean;
  canReconnect: boolean;
}) {
  const { list, feed } = useLps(engineUrl);
  const [editing, setEditing] = useState<LpWire | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lps = list.data ? sortLps(list.data) : null;
  const counts = lps?.reduce<Record<string, number>>((acc, l) => ((acc[l.state] = (acc[l.state] ?? 0) + 1), acc), {});

  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-lg font-semibold tracking-tight">Liquidity providers</h1>
        <FeedDot feed={feed} />
        {counts && (
          <span className="text-xs text-zinc-500" data-testid="lps-summary">
            {lps!.length} LP{lps!.length === 1 ? '' : 's'} · {counts.CONNECTED ?? 0} connected
            {counts.UNAVAILABLE ? ` · ${counts.UNAVAILABLE} unavailable` : ''}
            {counts.DISCONNECTED ? ` · ${counts.DISCONNECTED} disconnected` : ''}
          </span>
        )}
        <div className="ml-auto">
          {canManage && (
            <Button variant="primary" onClick={() => setEditing('new')} data-testid="lp-add">
              + Add LP
            </Button>
          )}
        </div>
      </div>

      {!canManage && (
        <p className="rounded border border-amber-500/30 bg-amber-500/10 px-3 py-2 text-xs text-amber-200" data-testid="lps-read-only">
          {canReconnect
            ? `Your role (${role}) may reconnect an LP; adding, editing, enabling and disabling LPs needs an admin.`
            : `Read-only: your role (${role}) may watch LPs but not change them. Ask an admin.`}
        </p>
      )}
      {notice && (
        <p role="status" className="rounded border border-emerald-500/30 bg-emerald-500/10 px-3 py-2 text-sm text-emerald-200" data-testid="lps-notice">
          {notice}
        </p>
      )}
      {list.isError && !lps && (
        <ErrorBanner title="Could not load the LPs" message={appError(list.error).message} onRetry={() => void list.refetch()} data-testid="lps-error" />
      )}

      <div className="grid grid-cols-1 items-start gap-3 xl:grid-cols-2" data-testid="lps-list" aria-busy={list.isPending}>
        {list.isPending &&
          [0, 1].map((i) => (
            <Card key={i} className="gap-2 p-4">
              <Skeleton className="w-40" />
              <Skeleton className="w-72" />
              <Skeleton className="w-56" />
            </Card>
          ))}
        {lps?.length === 0 && <p className="text-sm text-zinc-500">No liquidity providers configured.</p>}
        {lps?.map((lp) => (
          <LpCard
            key={lp.name}
            lp={lp}
            canManage={canManage}
            canReconnect={canReconnect}
            onEdit={() => setEditing(lp)}
          />
        ))}
      </div>

      {editing && (
        <LpFormModal
          lp={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Saved ${saved.name}: ${saved.state.toLowerCase()}${saved.reason ? ` (${saved.reason})` : ''}.`);
          }}
        />
      )}
    </main>
  );
}

function Metric({ label, value, testId, className }: { label: string; value: ReactNode; testId?: string; className?: string }) {
  return (
    <div className="flex flex-col">
      <span className="text-[10px] uppercase tracking-wide text-zinc-500">{label}</span>
      <span className={cx('font-mono text-sm tabular-nums text-zinc-200', className)} data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

export function LpCard({
  lp,
  canManage,
  canReconnect,
  onEdit,
}: {
  lp: LpWire;
  canManage: boolean;
  canReconnect: boolean;
  onEdit: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(1000);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [showSymbols, setShowSymbols] = useState(false);
  const [showEvents, setShowEvents] = useState(false);
  const opts = {
    onSuccess: (saved: LpWire) => {
      setError(null);
      queryClient.setQueryData(trpc.admin.lps.list.queryKey(), (old: LpWire[] | undefined) => mergeLp(old, saved));
      void queryClient.invalidateQueries({ queryKey: trpc.admin.lps.list.queryKey() });
    },
    onError: (e: unknown) => setError(appError(e)),
  };
  const enable = useMutation(trpc.admin.lps.enable.mutationOptions(opts));
  const disable = useMutation(trpc.admin.lps.disable.mutationOptions(opts));
  const reconnect = useMutation(trpc.admin.lps.reconnect.mutationOptions(opts));
  const resetSeq = useMutation(trpc.admin.lps.resetSeqNums.mutationOptions(opts));
  const logout = useMutation(trpc.admin.lps.logout.mutationOptions(opts));
  const busy = enable.isPending || disable.isPending || reconnect.isPending || resetSeq.isPending || logout.isPending;
  const rejected = Object.entries(lp.rejects).filter(([, n]) => n > 0);
  const noRow = lp.id === null;
  const noRowTitle = noRow ? 'Configured in the engine’s environment, not in the database: cannot be changed here' : undefined;
  const connected = lp.state === 'CONNECTED';
  const stale = connected && lp.lastQuoteAt !== null && now - lp.lastQuoteAt > 30_000;
  const SYMBOLS_SHOWN = 12;

  return (
    <Card
      className={cx('gap-3 p-4', !lp.enabled && 'opacity-75')}
      data-testid={`lp-card-${lp.name}`}
      data-state={lp.state}
      data-enabled={lp.enabled}
    >
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-base font-semibold text-zinc-100">
            {lp.name}{' '}
            <span className="ml-1 rounded bg-zinc-800 px-1.5 py-0.5 align-middle text-[11px] font-medium text-zinc-400" data-testid={`lp-type-${lp.name}`}>
              {TYPE_LABELS[lp.type]}
            </span>
          </h2>
          <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
            <StatusDot
              tone={STATE_TONE[lp.state]}
              label={lp.state}
              className={cx('font-mono font-semibold', STATE_TEXT[lp.state])}
              data-testid={`lp-state-${lp.name}`}
            />
            {!lp.enabled && <span className="rounded bg-zinc-800 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-zinc-400">Disabled</span>}
            <span className="text-zinc-500">
              Priority <span className="font-mono text-zinc-300">{lp.priority}</span>
            </span>
            {connected && lp.connectedSince !== null && (
              <span className="text-zinc-500">Connected for {formatDuration(now - lp.connectedSince)}</span>
            )}
          </div>
        </div>
      </div>

      {lp.warning && (
        <p className="rounded border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-xs text-amber-200" role="status" data-testid={`lp-warning-${lp.name}`}>
          {lp.warning}
        </p>
      )}

      {lp.state !== 'CONNECTED' && lp.reason && (
        <p
          className={cx(
            'rounded border px-3 py-2 text-xs',
            lp.state === 'UNAVAILABLE' ? 'border-rose-500/40 bg-rose-500/10 text-rose-200' : 'border-zinc-700 bg-zinc-950 text-zinc-300',
          )}
          data-testid={`lp-reason-${lp.name}`}
        >
          {lp.reason}
        </p>
      )}

      <div className="grid grid-cols-3 gap-x-4 gap-y-2 sm:grid-cols-7">
        <Metric label="Latency" value={lp.latencyMs === null ? '—' : `${Math.round(lp.latencyMs)} ms`} testId={`lp-latency-${lp.name}`} />
        <Metric label="Accepted/min" value={lp.quotesPerMinute.toLocaleString('en-US')} testId={`lp-qpm-${lp.name}`} />
        <Metric
          label="Refused (10 s)"
          value={lp.rejectedPercent === null ? '—' : `${lp.rejectedPercent}%`}
          className={lp.rejectedPercent !== null && lp.rejectedPercent >= 50 ? 'text-amber-300' : undefined}
          testId={`lp-rejected-${lp.name}`}
        />
        <Metric label="Uptime" value={lp.uptimePercent === null ? '—' : `${lp.uptimePercent.toFixed(2)}%`} testId={`lp-uptime-${lp.name}`} />
        <Metric
          label="Last quote"
          value={formatAgo(lp.lastQuoteAt, now)}
          className={stale ? 'text-amber-300' : undefined}
          testId={`lp-last-quote-${lp.name}`}
        />
        <Metric label="Reconnects" value={lp.reconnects} testId={`lp-reconnects-${lp.name}`} />
        <Metric label="Pricing" value={lp.pricing.length} testId={`lp-pricing-count-${lp.name}`} />
      </div>

      {rejected.length > 0 && (
        <p className="text-xs text-zinc-400" data-testid={`lp-rejects-${lp.name}`}>
          Refused since start:{' '}
          {rejected.map(([reason, n]) => (
            <span key={reason} className="mr-2 font-mono text-zinc-300">
              {reason} {n.toLocaleString('en-US')}
            </span>
          ))}
        </p>
      )}

      {lp.session && (
        <p className="text-xs text-zinc-400" data-testid={`lp-session-${lp.name}`}>
          FIX session <span className="font-mono text-zinc-200">{lp.session.state}</span>
          {lp.session.seqNums && (
            <>
              {' '}
              · next seq out <span className="font-mono text-zinc-200">{lp.session.seqNums.nextSender}</span> / in{' '}
              <span className="font-mono text-zinc-200">{lp.session.seqNums.nextTarget}</span>
            </>
          )}
          {lp.session.nextRetryAt !== null && lp.session.nextRetryAt > now && <> · retry in {formatDuration(lp.session.nextRetryAt - now)}</>}
        </p>
      )}

      {lp.symbols.length > 0 && (
        <div className="flex flex-wrap items-center gap-1" data-testid={`lp-symbols-${lp.name}`}>
          {(showSymbols ? lp.symbols : lp.symbols.slice(0, SYMBOLS_SHOWN)).map((s) => (
            <span
              key={s}
              className={cx('rounded px-1.5 py-0.5 font-mono text-[11px]', lp.pricing.includes(s) ? 'bg-emerald-900/60 text-emerald-200' : 'bg-zinc-800 text-zinc-400')}
              title={lp.pricing.includes(s) ? 'Priced by this LP now' : 'Quoted, but another LP (or none) prices it now'}
            >
              {s}
            </span>
          ))}
          {lp.symbols.length > SYMBOLS_SHOWN && (
            <button type="button" className="text-[11px] text-sky-400 hover:underline" onClick={() => setShowSymbols((v) => !v)}>
              {showSymbols ? 'fewer' : `+${lp.symbols.length - SYMBOLS_SHOWN} more`}
            </button>
          )}
        </div>
      )}

      <div>
        <button
          type="button"
          className="text-xs text-zinc-400 hover:text-zinc-100 disabled:cursor-default disabled:hover:text-zinc-400"
          aria-expanded={showErrors}
          disabled={lp.recentErrors.length === 0}
          onClick={() => setShowErrors((v) => !v)}
          data-testid={`lp-errors-toggle-${lp.name}`}
        >
          {lp.recentErrors.length === 0 ? 'No recent errors' : `${showErrors ? '▾' : '▸'} Recent errors (${lp.recentErrors.length})`}
        </button>
        {showErrors && lp.recentErrors.length > 0 && (
          <ol className="mt-1 max-h-40 overflow-y-auto rounded border border-zinc-800 bg-zinc-950 p-2 font-mono text-[11px]" data-testid={`lp-errors-${lp.name}`}>
            {lp.recentErrors
              .slice()
              .reverse()
              .map((e, i) => (
                <li key={`${e.at}-${i}`} className="flex gap-2">
                  <span className="shrink-0 text-zinc-500" title={new Date(e.at).toISOString()}>
                    {new Date(e.at).toLocaleTimeString('en-GB')}
                  </span>
                  <span className="text-rose-300">{e.message}</span>
                </li>
              ))}
          </ol>
        )}
      </div>

      {lp.recentEvents.length > 0 && (
        <div>
          <button type="button" className="text-xs text-zinc-400 hover:text-zinc-100" aria-expanded={showEvents} onClick={() => setShowEvents((v) => !v)} data-testid={`lp-events-toggle-${lp.name}`}>
            {`${showEvents ? '▾' : '▸'} Quote events (${lp.recentEvents.length})`}
          </button>
          {showEvents && (
            <ol className="mt-1 max-h-40 overflow-y-auto rounded border border-zinc-800 bg-zinc-950 p-2 font-mono text-[11px]" data-testid={`lp-events-${lp.name}`}>
              {lp.recentEvents
                .slice()
                .reverse()
                .map((e, i) => (
                  <li key={`${e.at}-${i}`} className="flex gap-2">
                    <span className="shrink-0 text-zinc-500">{new Date(e.at).toLocaleTimeString('en-GB')}</span>
                    <span className={e.kind === 'reanchored' ? 'text-sky-300' : 'text-amber-300'}>{e.kind}</span>
                    <span className="text-zinc-300">
                      {e.symbol} {e.bid}/{e.ask}
                    </span>
                    <span className="text-zinc-500">{e.message}</span>
                  </li>
                ))}
            </ol>
          )}
        </div>
      )}

      {error && (
        <p role="alert" className="rounded border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-xs text-rose-200" data-testid={`lp-action-error-${lp.name}`}>
          <span className="mr-1.5 font-mono text-[10px] text-rose-400">{error.code}</span>
          {error.message}
        </p>
      )}

      {(canManage || canReconnect) && noRow && (
        <p className="border-t border-zinc-800 pt-3 text-xs text-zinc-500" data-testid={`lp-builtin-${lp.name}`}>
          Built in: started from the engine’s own configuration, not a database row, so it cannot be changed here.
        </p>
      )}
      {(canManage || canReconnect) && !noRow && (
        <div className="flex flex-wrap gap-2 border-t border-zinc-800 pt-3">
          {canManage &&
            (lp.enabled ? (
              <Button
                size="sm"
                variant="danger"
                disabled={busy || noRow}
                loading={disable.isPending}
                title={noRowTitle}
                onClick={() => lp.id !== null && disable.mutate({ id: lp.id })}
                data-testid={`lp-disable-${lp.name}`}
              >
                Disable
              </Button>
            ) : (
              <Button
                size="sm"
                variant="primary"
                disabled={busy || noRow}
                loading={enable.isPending}
                title={noRowTitle}
                onClick={() => lp.id !== null && enable.mutate({ id: lp.id })}
                data-testid={`lp-enable-${lp.name}`}
              >
                Enable
              </Button>
            ))}
          {canReconnect && (
            <Button
              size="sm"
              disabled={busy || noRow || !lp.enabled}
              loading={reconnect.isPending}
              title={noRowTitle ?? (!lp.enabled ? 'Enable the LP first' : undefined)}
              onClick={() => lp.id !== null && reconnect.mutate({ id: lp.id })}
              data-testid={`lp-reconnect-${lp.name}`}
            >
              Reconnect
            </Button>
          )}
          {canReconnect && lp.session && (
            <Button
              size="sm"
              disabled={busy || noRow}
              loading={resetSeq.isPending}
              title="For an LP that restarted its sequence numbers: both sides back to 1, and a Logon with ResetSeqNumFlag"
              onClick={() => lp.id !== null && resetSeq.mutate({ id: lp.id })}
              data-testid={`lp-reset-seq-${lp.name}`}
            >
              Reset sequence numbers
            </Button>
          )}
          {canReconnect && lp.session && lp.enabled && (
            <Button
              size="sm"
              variant="ghost"
              disabled={busy || noRow}
              loading={logout.isPending}
              title="Log the FIX session out; it stays down until reconnected"
              onClick={() => lp.id !== null && logout.mutate({ id: lp.id })}
              data-testid={`lp-logout-${lp.name}`}
            >
              Log out
            </Button>
          )}
          {canManage && (
            <Button size="sm" variant="ghost" disabled={busy || noRow} title={noRowTitle} onClick={onEdit} data-testid={`lp-edit-${lp.name}`}>
              Edit config
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
