'use client';
// design.md §8 reports: a period, totals, by day / client / symbol / venue, CSV export, and a chart of the
// daily volume or the clients' P&L (a trend reads better there than in a table).
import type { ReportDto, ReportTotals } from '@broker/api';
import { Button, Card, ErrorBanner, Field, Input, MoneyCell, PnlCell, Skeleton, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatVolume } from '@broker/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ReportInput } from '../api/backoffice-schemas.ts';
import { DailyChart, fillDays } from '../charts/daily-chart.tsx';
import { issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { reportCsv, reportFileName, type ReportBy } from './report-csv.ts';

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const startOfUtcDay = (t: number) => Math.floor(t / DAY) * DAY;

function preset(days: number): { from: string; to: string } {
  const to = startOfUtcDay(Date.now()) + DAY;
  return { from: iso(new Date(to - days * DAY)), to: iso(new Date(to)) };
}

export function ReportsScreen() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState(() => preset(30));
  const [period, setPeriod] = useState(() => ({ from: new Date(`${draft.from}T00:00:00Z`), to: new Date(`${draft.to}T00:00:00Z`) }));
  const [errors, setErrors] = useState<FieldErrors<'from' | 'to'>>({});
  const [by, setBy] = useState<ReportBy>('day');
  const [chart, setChart] = useState<'volume' | 'pnl'>('volume');
  const q = useQuery(trpc.admin.reports.report.queryOptions(period, { placeholderData: keepPreviousData }));

  function apply(next: { from: string; to: string }) {
    setDraft(next);
    const parsed = ReportInput.safeParse({ from: next.from ? new Date(`${next.from}T00:00:00Z`) : undefined, to: next.to ? new Date(`${next.to}T00:00:00Z`) : undefined });
    if (!parsed.success) {
      const errs = issuesToFields<'from' | 'to'>(parsed.error.issues);
      // The period's own checks have no path: show them under "To".
      const general = parsed.error.issues.find((i) => i.path.length === 0);
      if (general) errs.to ??= general.message;
      return setErrors(errs);
    }
    setErrors({});
    setPeriod({ from: parsed.data.from, to: parsed.data.to });
  }
  const onSubmit = (e: FormEvent) => (e.preventDefault(), apply(draft));

  function download(r: ReportDto) {
    const blob = new Blob([reportCsv(r, by)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = reportFileName(r, by);
    a.click();
    URL.revokeObjectURL(url);
  }

  const r = q.data;
  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <Card title="Reports" actions={<span className="text-[11px] text-zinc-500">Money summed in the accounts’ own currencies</span>}>
        <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-2 border-b border-zinc-800 p-3">
          <Field label="From (UTC)" error={errors.from}>
            {(a) => <Input {...a} type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} className="w-40!" data-testid="report-from" />}
          </Field>
          <Field label="To (UTC, exclusive)" error={errors.to} errorTestId="report-to-error">
            {(a) => <Input {...a} type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} className="w-40!" data-testid="report-to" />}
          </Field>
          <Button type="submit" variant="primary" data-testid="report-apply">
            Show
          </Button>
          <span className="flex gap-1">
            {[
              ['Today', 1],
              ['7 days', 7],
              ['30 days', 30],
              ['90 days', 90],
            ].map(([label, days]) => (
              <Button key={label} size="sm" variant="ghost" onClick={() => apply(preset(days as number))}>
                {label}
              </Button>
            ))}
          </span>
        </form>
        {q.isError && <ErrorBanner className="m-3" title="Report unavailable" message={q.error.message} onRetry={() => void q.refetch()} />}
        <dl className="grid grid-cols-2 gap-3 p-3 text-sm sm:grid-cols-5" data-testid="report-totals">
          <Total label="Trades" value={r?.totals.trades.toLocaleString('en-US')} />
          <Total label="Volume (lots)" value={r && formatVolume(r.totals.volumeLots)} testId="report-total-volume" />
          <Total label="Clients’ realized P&L" value={r && <PnlCell value={r.totals.realizedPnl} />} help="The house's B-Book result is its opposite" />
          <Total label="Commissions" value={r && <MoneyCell value={r.totals.commissions} />} />
          <Total label="Swaps" value={r && <PnlCell value={r.totals.swaps} />} />
        </dl>
      </Card>

      <Card
        title={chart === 'volume' ? 'Daily volume (lots)' : 'Daily clients’ realized P&L (USD)'}
        actions={
          <span className="flex gap-1">
            <Button size="sm" variant={chart === 'volume' ? 'secondary' : 'ghost'} onClick={() => setChart('volume')}>
              Volume
            </Button>
            <Button size="sm" variant={chart === 'pnl' ? 'secondary' : 'ghost'} onClick={() => setChart('pnl')}>
              P&L
            </Button>
          </span>
        }
      >
        <div className="p-2">
          <DailyChart
            points={r ? fillDays(r.from, r.to, r.byDay.map((d) => ({ day: d.day, value: chart === 'volume' ? d.volumeLots : d.realizedPnl })), new Decimal(0)) : []}
            signed={chart === 'pnl'}
            testId="report-chart"
          />
        </div>
      </Card>

      <Card
        title={
          <span className="flex gap-3" role="tablist">
            {(['day', 'client', 'symbol', 'venue'] as const).map((b) => (
              <button key={b} type="button" role="tab" aria-selected={by === b} onClick={() => setBy(b)} className={cx('uppercase', by === b ? 'text-zinc-100' : 'text-zinc-500 hover:text-zinc-300')} data-testid={`report-by-${b}`}>
                By {b}
              </button>
            ))}
          </span>
        }
        actions={
          <Button size="sm" disabled={!r} onClick={() => r && download(r)} data-testid="report-csv">
            Export CSV
          </Button>
        }
      >
        <div className="overflow-x-auto">
          <ReportTable r={r} by={by} q={q} />
        </div>
      </Card>
    </main>
  );
}

function ReportTable({ r, by, q }: { r: ReportDto | undefined; by: ReportBy; q: { isPending: boolean; isError: boolean; error: { message: string } | null } }) {
  if (by === 'venue') {
    return (
      <Table data-testid="report-table">
        <THead>
          <tr>
            <Th>Venue</Th>
            <Th numeric>Trades</Th>
            <Th numeric>Lots</Th>
          </tr>
        </THead>
        <TBody>
          <TableRows colSpan={3} query={q} rows={r?.byVenue} unavailable="Report unavailable" emptyText="No trades in this period">
            {(rows) =>
              rows.map((v) => (
                <Tr key={v.venue}>
                  <Td>{v.venue}</Td>
                  <Td numeric>{v.trades}</Td>
                  <Td numeric>{formatVolume(v.volumeLots)}</Td>
                </Tr>
              ))
            }
          </TableRows>
        </TBody>
      </Table>
    );
  }
  const rows: (ReportTotals & { key: string; label: React.ReactNode })[] =
    by === 'day'
      ? (r?.byDay ?? []).map((d) => ({ ...d, key: d.day, label: d.day }))
      : by === 'client'
        ? (r?.byClient ?? []).map((c) => ({
            ...c,
            key: String(c.accountId),
            label: (
              <span className="flex flex-col">
                <Link href={`/accounts/${c.accountId}`} className="font-mono text-sky-300 hover:underline">
                  {c.accountNumber}
                </Link>
                <span className="text-xs text-zinc-400">{c.clientName}</span>
              </span>
            ),
          }))
        : (r?.bySymbol ?? []).map((s) => ({ ...s, key: s.symbol, label: s.symbol }));
  return (
    <Table data-testid="report-table">
      <THead>
        <tr>
          <Th>{by === 'day' ? 'Day' : by === 'client' ? 'Account' : 'Symbol'}</Th>
          <Th numeric>Trades</Th>
          <Th numeric>Lots</Th>
          <Th numeric title="The house's B-Book result is its opposite">Clients’ P&L</Th>
          <Th numeric>Commissions</Th>
          <Th numeric>Swaps</Th>
        </tr>
      </THead>
      <TBody>
        <TableRows colSpan={6} query={q} rows={rows} unavailable="Report unavailable" emptyText="No trades in this period">
          {(rs) =>
            rs.map((x) => (
              <Tr key={x.key} data-testid={`report-row-${x.key}`}>
                <Td>{x.label}</Td>
                <Td numeric>{x.trades}</Td>
                <Td numeric>{formatVolume(x.volumeLots)}</Td>
                <Td numeric>
                  <PnlCell value={x.realizedPnl} />
                </Td>
                <Td numeric>
                  <MoneyCell value={x.commissions} />
                </Td>
                <Td numeric>
                  <PnlCell value={x.swaps} />
                </Td>
              </Tr>
            ))
          }
        </TableRows>
      </TBody>
    </Table>
  );
}

function Total({ label, value, help, testId }: { label: string; value: React.ReactNode; help?: string; testId?: string }) {
  return (
    <div title={help}>
      <dt className="text-[11px] uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className="font-mono text-base tabular-nums" data-testid={testId}>
        {value ?? <Skeleton />}
      </dd>
    </div>
  );
}
