'use client';
// The LP side of the execution model: the orders sent to LPs (client A-Book orders and the house's C-Book
// hedges), those whose outcome is not established (UNKNOWN) first and flagged for the dealer, and the house's
// coverage position per LP and symbol.
import type { LpOrderDto } from '@broker/api';
import { Card, Field, PnlCell, Select, StatusDot, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatVolume } from '@broker/ui';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useEngineSocket } from '../live/use-engine-socket.ts';
import { useTRPC } from '../trpc/react.ts';
import { lpOrdersForDealer } from './config-fields.ts';
import { LP_ORDER_STATUSES } from './labels.ts';

type Status = (typeof LP_ORDER_STATUSES)[number];
const STATUS_TONE: Record<string, 'ok' | 'warn' | 'error' | 'idle'> = { FILLED: 'ok', PARTIAL: 'warn', SENT: 'idle', REJECTED: 'error', EXPIRED: 'warn', UNKNOWN: 'error' };
const STATUS_HELP: Record<string, string> = {
  SENT: 'Sent, no answer yet',
  FILLED: 'Filled in full',
  PARTIAL: 'Part filled (IOC remainder cancelled)',
  REJECTED: 'Refused by the LP',
  EXPIRED: 'No fill within the timeout',
  UNKNOWN: 'Outcome not established: check with the LP before acting',
};

export function LpOrdersCard({ initialStatus }: { initialStatus?: Status }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | ''>(initialStatus ?? '');
  const opts = { placeholderData: keepPreviousData, refetchInterval: 5_000 } as const;
  const recent = useQuery(trpc.admin.execution.lpOrders.queryOptions(status ? { status, limit: 200 } : { limit: 100 }, opts));
  // The unknown ones come from their own query, so an old one is never paged away under newer fills.
  const unknown = useQuery(trpc.admin.execution.lpOrders.queryOptions({ status: 'UNKNOWN', limit: 500 }, { ...opts, enabled: status === '' }));
  const rows = recent.data ? lpOrdersForDealer(status === '' ? (unknown.data ?? []) : [], recent.data) : undefined;
  const unknownCount = (unknown.data ?? []).length;
  // An LP fill outside the books (LP_FILL_UNBOOKED, LATE_LP_FILL) or coverage a close left (COVERAGE_NOT_OFFSET) shows here at once, not at the next poll.
  const queryClient = useQueryClient();
  useEngineSocket([{ type: 'dealer' }], {
    alert: (e) => {
      if (e.kind === 'LP_FILL_UNBOOKED' || e.kind === 'LATE_LP_FILL' || e.kind === 'COVERAGE_NOT_OFFSET') {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.execution.lpOrders.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.execution.coverage.queryKey() });
      }
    },
  });

  return (
    <Card
      title="Orders sent to LPs"
      className="lg:col-span-2"
      actions={
        unknownCount > 0 ? (
          <span className="rounded bg-rose-500/15 px-2 py-0.5 text-[11px] font-semibold text-rose-300" data-testid="lp-orders-unknown-count">
            {unknownCount} with unknown outcome
          </span>
        ) : (
          <StatusDot tone={recent.isError ? 'error' : 'ok'} label={recent.isError ? 'Unavailable' : 'Every 5 s'} />
        )
      }
      id="lp-orders"
      data-testid="exec-lp-orders"
    >
      <div className="flex flex-wrap items-end gap-3 border-b border-zinc-800 p-3">
        <Field label="Status">
          {(a) => (
            <Select {...a} value={status} onChange={(e) => setStatus(e.target.value as Status | '')} className="w-48!" data-testid="lp-orders-status">
              <option value="">All (unknown first)</option>
              {LP_ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s} · {STATUS_HELP[s]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <p className="max-w-xl text-xs text-zinc-400">
          A client order (ClOrdID A…) is the client’s A-Book order; a coverage order is the house’s C-Book hedge. An order the engine could not settle — no answer before a restart, or an answer it cannot read — stays UNKNOWN until the LP’s
          execution reports or a status request establish it; it is never guessed.
        </p>
      </div>
      <div className="overflow-x-auto">
        <Table data-testid="lp-orders-table">
          <THead>
            <tr>
              <Th>Status</Th>
              <Th>Sent</Th>
              <Th>LP</Th>
              <Th>ClOrdID</Th>
              <Th>Kind</Th>
              <Th>Symbol</Th>
              <Th>Side</Th>
              <Th numeric>Volume</Th>
              <Th numeric>Filled</Th>
              <Th numeric>Avg price</Th>
              <Th numeric title="The quote when the order was sent">Quote at send</Th>
              <Th numeric>Answer</Th>
              <Th>Reason</Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={13} query={recent} rows={rows} unavailable="LP orders unavailable" emptyText={status ? `No ${status} LP orders` : 'No orders sent to LPs yet'}>
              {(r) => r.map((o) => <LpOrderRow key={o.id} o={o} />)}
            </TableRows>
          </TBody>
        </Table>
      </div>
    </Card>
  );
}

function LpOrderRow({ o }: { o: LpOrderDto }) {
  const unknown = o.status === 'UNKNOWN';
  const answerMs = o.answeredAt ? o.answeredAt.getTime() - o.sentAt.getTime() : null;
  return (
    <Tr className={cx(unknown && 'bg-rose-500/10')} data-testid={`lp-order-row-${o.clOrdId}`} data-status={o.status}>
      <Td className="whitespace-nowrap" title={STATUS_HELP[o.status]}>
        <StatusDot tone={STATUS_TONE[o.status] ?? 'idle'} label={o.status} />
        {unknown && <div className="text-[10px] font-semibold text-rose-300">Check with the LP</div>}
      </Td>
      <Td className="whitespace-nowrap text-[11px]">{o.sentAt.toLocaleString()}</Td>
      <Td>{o.lp}</Td>
      <Td className="font-mono text-[11px]">{o.clOrdId}</Td>
      <Td className="text-[11px]">{o.kind === 'CLIENT' ? 'Client' : 'Coverage'}</Td>
      <Td className="font-semibold">{o.symbol}</Td>
      <Td className={o.side === 'BUY' ? 'text-emerald-400' : 'text-rose-400'}>{o.side}</Td>
      <Td numeric>{formatVolume(o.volume)}</Td>
      <Td numeric>{formatVolume(o.filledVolume)}</Td>
      <Td numeric>{o.avgPrice ? o.avgPrice.toString() : '—'}</Td>
      <Td numeric className="whitespace-nowrap text-[11px]">
        {o.quoteBid && o.quoteAsk ? `${o.quoteBid.toString()} / ${o.quoteAsk.toString()}` : '—'}
      </Td>
      <Td numeric className="text-[11px]">{answerMs === null ? '—' : `${answerMs} ms`}</Td>
      <Td className="max-w-56 truncate text-[11px]" title={o.rejectReason ?? undefined}>
        {o.rejectReason ?? ''}
        {o.orderId && o.kind === 'CLIENT' && (
          <span className="ml-1 font-mono text-zinc-500">order {o.orderId}</span>
        )}
      </Td>
    </Tr>
  );
}

export function CoverageCard() {
  const trpc = useTRPC();
  const q = useQuery(trpc.admin.execution.coverage.queryOptions(undefined, { refetchInterval: 5_000 }));
  return (
    <Card title="Coverage per LP" data-testid="exec-coverage">
      <p className="border-b border-zinc-800 px-3 py-2 text-xs text-zinc-400">
        The house’s own position at each LP: A-Book client fills and C-Book hedges, net by symbol (positive = long). The dealing page shows the net exposure, clients minus coverage.
      </p>
      <div className="overflow-x-auto">
        <Table data-testid="coverage-table">
          <THead>
            <tr>
              <Th>LP</Th>
              <Th>Symbol</Th>
              <Th numeric>Net lots</Th>
              <Th numeric>Avg price</Th>
              <Th numeric>Realized P&L</Th>
              <Th>Updated</Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={6} query={q} rows={q.data} unavailable="Coverage unavailable" emptyText="No coverage: nothing has been sent to an LP">
              {(rows) =>
                rows.map((c) => (
                  <Tr key={`${c.lp}-${c.symbol}`} data-testid={`coverage-row-${c.lp}-${c.symbol}`}>
                    <Td>{c.lp}</Td>
                    <Td className="font-semibold">{c.symbol}</Td>
                    <Td numeric className={c.netVolume.isNegative() ? 'text-rose-300' : c.netVolume.isZero() ? 'text-zinc-500' : 'text-emerald-300'}>
                      {formatVolume(c.netVolume)}
                    </Td>
                    <Td numeric>{c.netVolume.isZero() ? '—' : c.avgPrice.toString()}</Td>
                    <Td numeric>
                      <PnlCell value={c.realizedPnl} />
                    </Td>
                    <Td className="whitespace-nowrap text-[11px] text-zinc-400">{c.updatedAt.toLocaleString()}</Td>
                  </Tr>
                ))
              }
            </TableRows>
          </TBody>
        </Table>
      </div>
    </Card>
  );
}
