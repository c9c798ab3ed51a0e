'use client';
// The routing report (admin.execution.report): orders and lots by venue, by the rule that decided, by symbol
// and by client over a period; lots by venue as a chart.
import type { RoutingReportRow } from '@broker/api';
import { Button, Card, ErrorBanner, Field, Input, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatVolume } from '@broker/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import Link from 'next/link';
import { useMemo, useState, type FormEvent } from 'react';
import { RoutingReportInput } from '../api/execution-schemas.ts';
import { VenueChart } from '../charts/venue-chart.tsx';
import { issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { RULE_LABEL, VENUE_COLOR, VENUE_LABEL } from './labels.ts';

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
function preset(days: number) {
  const to = Math.floor(Date.now() / DAY) * DAY + DAY;
  return { from: iso(new Date(to - days * DAY)), to: iso(new Date(to)) };
}
type By = 'rule' | 'symbol' | 'client';

export function ReportCard() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState(() => preset(7));
  const [period, setPeriod] = useState(() => ({ from: new Date(`${draft.from}T00:00:00Z`), to: new Date(`${draft.to}T00:00:00Z`) }));
  const [errors, setErrors] = useState<FieldErrors<'from' | 'to'>>({});
  const [by, setBy] = useState<By>('rule');
  const q = useQuery(trpc.admin.execution.report.queryOptions(period, { placeholderData: keepPreviousData, refetchInterval: 30_000 }));

  function apply(next: { from: string; to: string }) {
    setDraft(next);
    const parsed = RoutingReportInput.safeParse({ from: next.from ? `${next.from}T00:00:00Z` : undefined, to: next.to ? `${next.to}T00:00:00Z` : undefined });
    if (!parsed.success) return setErrors(issuesToFields<'from' | 'to'>(parsed.error.issues));
    setErrors({});
    setPeriod({ from: parsed.data.from, to: parsed.data.to });
  }

  const r = q.data;
  const bars = useMemo(
    () =>
      ['BBOOK', 'ABOOK', 'CBOOK'].map((v) => {
        const row = r?.byVenue.find((x) => x.key === v);
        return { key: v, label: VENUE_LABEL[v] ?? v, color: VENUE_COLOR[v] ?? '#0ea5e9', value: row?.lots ?? new Decimal(0), orders: row?.orders ?? 0 };
      }),
    [r],
  );

  return (
    <Card title="Routing report" className="lg:col-span-2" data-testid="exec-report">
      <form onSubmit={(e: FormEvent) => (e.preventDefault(), apply(draft))} noValidate className="flex flex-wrap items-end gap-2 border-b border-zinc-800 p-3">
        <Field label="From (UTC)" error={errors.from} errorTestId="exec-report-from-error">
          {(a) => <Input {...a} type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} className="w-40!" data-testid="exec-report-from" />}
        </Field>
        <Field label="To (UTC, exclusive)" error={errors.to} errorTestId="exec-report-to-error">
          {(a) => <Input {...a} type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} className="w-40!" data-testid="exec-report-to" />}
        </Field>
        <Button type="submit" variant="primary" data-testid="exec-report-apply">
          Show
        </Button>
        <span className="flex gap-1">
          {(
            [
              ['Today', 1],
              ['7 days', 7],
              ['30 days', 30],
            ] as const
          ).map(([label, days]) => (
            <Button key={label} size="sm" variant="ghost" onClick={() => apply(preset(days))}>
              {label}
            </Button>
          ))}
        </span>
      </form>
      {q.isError && <ErrorBanner className="m-3" title="Routing report unavailable" message={q.error.message} onRetry={() => void q.refetch()} />}
      <div className="grid grid-cols-1 gap-3 p-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div>
          <h3 className="mb-1 text-xs font-semibold text-zinc-300">Lots by venue</h3>
          <VenueChart bars={bars} testId="exec-venue-chart" />
        </div>
        <div className="min-w-0">
          <div className="mb-1 flex gap-1" role="tablist">
            {(['rule', 'symbol', 'client'] as const).map((b) => (
              <button
                key={b}
                type="button"
                role="tab"
                aria-selected={by === b}
                onClick={() => setBy(b)}
                className={cx('rounded px-2 py-0.5 text-xs', by === b ? 'bg-zinc-800 text-zinc-100' : 'text-zinc-400 hover:text-zinc-100')}
                data-testid={`exec-report-by-${b}`}
              >
                By {b}
              </button>
            ))}
          </div>
          <div className="overflow-x-auto">
            <Table data-testid="exec-report-table">
              <THead>
                <tr>
                  <Th>{by === 'rule' ? 'Rule that decided' : by === 'symbol' ? 'Symbol' : 'Client'}</Th>
                  {by !== 'rule' && <Th>Venue</Th>}
                  <Th numeric>Orders</Th>
                  <Th numeric>Lots</Th>
                </tr>
              </THead>
              <TBody>
                <TableRows
                  colSpan={by === 'rule' ? 3 : 4}
                  query={q}
                  rows={(r ? (by === 'rule' ? r.byRule : by === 'symbol' ? r.bySymbol : r.byClient) : undefined) as (RoutingReportRow & { venue?: string; accountId?: number; accountNumber?: string; clientName?: string })[] | undefined}
                  unavailable="Routing report unavailable"
                  emptyText="No routed orders in this period"
                >
                  {(rows) =>
                    rows.map((x) => (
                      <Tr key={`${x.key}-${x.venue ?? ''}`} data-testid={`exec-report-row-${x.key}`}>
                        <Td title={by === 'rule' ? x.key : undefined}>
                          {by === 'rule' ? (
                            RULE_LABEL[x.key] ?? x.key
                          ) : by === 'client' && x.accountId ? (
                            <span className="flex flex-col">
                              <Link href={`/accounts/${x.accountId}`} className="font-mono text-sky-300 hover:underline" title={`Account id ${x.accountId}`} data-testid="exec-report-account">
                                {x.accountNumber ?? `#${x.key}`}
                              </Link>
                              {x.clientName && (
                                <span className="text-xs text-zinc-400" data-testid="exec-report-client">
                                  {x.clientName}
                                </span>
                              )}
                            </span>
                          ) : (
                            x.key
                          )}
                        </Td>
                        {by !== 'rule' && <Td>{VENUE_LABEL[x.venue ?? ''] ?? x.venue}</Td>}
                        <Td numeric>{x.orders.toLocaleString('en-US')}</Td>
                        <Td numeric>{formatVolume(x.lots)}</Td>
                      </Tr>
                    ))
                  }
                </TableRows>
              </TBody>
            </Table>
          </div>
        </div>
      </div>
      <Scorecards period={period} />
    </Card>
  );
}

/** LP scorecards over the same period (admin.execution.scorecards): how each LP treats the orders it gets. */
function Scorecards({ period }: { period: { from: Date; to: Date } }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.admin.execution.scorecards.queryOptions(period, { placeholderData: keepPreviousData, refetchInterval: 30_000 }));
  const pct = (d: Decimal | null) => (d === null ? '—' : `${d.toFixed(1)}%`);
  const pips = (d: Decimal | null) => (d === null ? '—' : d.toFixed(1));
  return (
    <div className="border-t border-zinc-800" data-testid="exec-scorecards">
      <h3 className="px-3 pt-3 text-xs font-semibold text-zinc-300">LP scorecards</h3>
      <p className="px-3 pb-2 text-xs text-zinc-400">
        Per LP and symbol over the period: the share of volume filled, the orders filled, slippage against the quote at send (in pips, positive = a worse price than quoted), the time to answer, and why orders were refused.
      </p>
      <div className="overflow-x-auto">
        <Table data-testid="scorecards-table">
          <THead>
            <tr>
              <Th>LP</Th>
              <Th>Symbol</Th>
              <Th numeric>Orders</Th>
              <Th numeric title="Sent, no answer yet">In flight</Th>
              <Th numeric title="Filled volume over sent volume">Fill ratio</Th>
              <Th numeric>Orders filled</Th>
              <Th numeric>Avg slippage</Th>
              <Th numeric>Worst slippage</Th>
              <Th numeric>Answer p50 · p99 · max</Th>
              <Th>Rejects</Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={10} query={q} rows={q.data} unavailable="Scorecards unavailable" emptyText="No orders sent to LPs in this period">
              {(rows) =>
                rows.map((c) => (
                  <Tr key={`${c.lp}-${c.symbol}`} data-testid={`scorecard-row-${c.lp}-${c.symbol}`}>
                    <Td>{c.lp}</Td>
                    <Td className="font-semibold">{c.symbol}</Td>
                    <Td numeric>{c.orders}</Td>
                    <Td numeric>{c.inFlight}</Td>
                    <Td numeric>{pct(c.fillRatioPercent)}</Td>
                    <Td numeric>{pct(c.ordersFilledPercent)}</Td>
                    <Td numeric>{pips(c.avgSlippagePips)}</Td>
                    <Td numeric>{pips(c.worstSlippagePips)}</Td>
                    <Td numeric className="whitespace-nowrap">{c.responseMs ? `${c.responseMs.p50} · ${c.responseMs.p99} · ${c.responseMs.max} ms` : '—'}</Td>
                    <Td className="max-w-64 truncate text-[11px]" title={Object.entries(c.rejectReasons).map(([r, n]) => `${r}: ${n}`).join('\n')}>
                      {Object.entries(c.rejectReasons).map(([r, n]) => `${r} ×${n}`).join(', ') || '—'}
                    </Td>
                  </Tr>
                ))
              }
            </TableRows>
          </TBody>
        </Table>
      </div>
    </div>
  );
}
