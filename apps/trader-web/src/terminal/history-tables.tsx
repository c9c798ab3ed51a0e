'use client';
import type { AccountBrief } from '@broker/api';
import { MoneyCell, PnlCell, PriceCell, Select, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatDateTime, formatVolume } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { REASON_LABELS } from '../live/notices.ts';
import { useSymbols } from '../live/symbols.ts';
import { useTRPC, useTRPCClient } from '../trpc/react.ts';
import { PERIODS, periodStart, type Period } from './history-math.ts';
import { useLayoutMode, usePref } from './prefs.ts';

const PERIOD_IDS = PERIODS.map((p) => p.id);

/** account.history returns at most this many deals (the newest); its totals are over the deals it returns. */
export const HISTORY_MAX_DEALS = 1000;

/**
 * The deals of a period (newest first) with the engine's totals: account.history, filtered by period and symbol
 * in the engine. The period ends a minute from when it is asked, so a deal made meanwhile is in it.
 */
function useHistory(accountId: number, from: Date | null, symbol: string) {
  const client = useTRPCClient();
  const trpc = useTRPC();
  return useQuery({
    queryKey: [...trpc.account.history.pathKey(), 'tab', accountId, from?.getTime() ?? 'all', symbol],
    queryFn: () =>
      client.account.history.query({
        accountId,
        from: from ?? new Date(0),
        to: new Date(Date.now() + 60_000),
        symbol: symbol || undefined,
        limit: HISTORY_MAX_DEALS,
      }),
  });
}

export function HistoryTable({ account }: { account: AccountBrief }) {
  const symbols = useSymbols();
  const [period, setPeriod] = usePref<Period>('rtx.history.period', '30d', PERIOD_IDS);
  const [symbol, setSymbol] = useState('');
  const [from] = useState(() => new Map<Period, Date | null>());
  if (!from.has(period)) from.set(period, periodStart(period, new Date()));
  const query = useHistory(account.id, from.get(period)!, symbol);
  const rows = query.data?.trades;
  const totals = query.data?.totals;
  const names = useMemo(() => (symbols.data ?? []).map((s) => s.name), [symbols.data]);
  const ccy = account.currency;
  const phone = useLayoutMode() === 'phone';
  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-800 px-2 py-1.5 text-xs">
        <div className="flex gap-0.5" role="group" aria-label="Period">
          {PERIODS.map((p) => (
            <button
              key={p.id}
              type="button"
              aria-pressed={period === p.id}
              onClick={() => setPeriod(p.id)}
              data-testid={`history-period-${p.id}`}
              className={cx('h-6 rounded px-2 font-medium', period === p.id ? 'bg-sky-600 text-white' : 'text-zinc-400 hover:bg-zinc-800')}
            >
              {p.label}
            </button>
          ))}
        </div>
        <div className="w-32">
          <Select value={symbol} onChange={(e) => setSymbol(e.target.value)} className="h-6 py-0 text-xs" aria-label="Symbol" data-testid="history-symbol">
            <option value="">All symbols</option>
            {names.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </div>
        {rows?.length === HISTORY_MAX_DEALS && <span className="text-amber-400">Showing the newest {HISTORY_MAX_DEALS} deals (totals over these)</span>}
      </div>
      {totals && (
        <dl className="grid grid-cols-3 gap-x-3 gap-y-0.5 border-b border-zinc-800 px-3 py-1.5 text-xs sm:flex sm:flex-wrap sm:gap-x-5" data-testid="history-totals">
          <Total label="Deals" testId="history-total-deals">
            <span className="font-mono tabular-nums">{totals.trades}</span>
          </Total>
          <Total label="Lots (in + out)" testId="history-total-volume">
            <span className="font-mono tabular-nums">{formatVolume(totals.volumeLots)}</span>
          </Total>
          <Total label="Profit" testId="history-total-profit">
            <PnlCell value={totals.realizedPnl} currency={ccy} />
          </Total>
          <Total label="Commission" testId="history-total-commission">
            <MoneyCell value={totals.commissions} currency={ccy} />
          </Total>
          <Total label="Swap" testId="history-total-swap">
            <MoneyCell value={totals.swaps} currency={ccy} />
          </Total>
          <Total label="Net" testId="history-total-net">
            <PnlCell value={totals.net} currency={ccy} className="font-semibold" />
          </Total>
        </dl>
      )}
      {phone ? (
        <div data-testid="trades-table" className="flex flex-col">
          {query.isPending ? (
            <p className="p-4 text-center text-xs text-zinc-500">Loading…</p>
          ) : query.isError ? (
            <p className="p-4 text-center text-xs text-rose-400">Trade history unavailable: {query.error.message}</p>
          ) : !rows?.length ? (
            <p className="p-4 text-center text-xs text-zinc-500">No deals in this period</p>
          ) : (
            rows.map((t) => (
              <div key={t.id} className="border-b border-zinc-800 px-3 py-1.5 text-xs" data-testid={`trade-row-${t.id}`}>
                <div className="flex items-baseline gap-2">
                  <span className="font-semibold">{t.symbol}</span>
                  <span className={cx('font-semibold', t.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')}>{t.side}</span>
                  <span className="text-zinc-400">{t.entry === 'OPEN' ? 'in' : 'out'}</span>
                  <span className="font-mono tabular-nums">{formatVolume(t.volume)}</span>
                  <span className="font-mono tabular-nums text-zinc-400">
                    @ <PriceCell value={t.price} digits={symbols.byName.get(t.symbol)?.digits ?? 5} flash={false} />
                  </span>
                  <span className="ml-auto">{t.realizedPnl ? <PnlCell value={t.realizedPnl} /> : <span className="text-zinc-600">—</span>}</span>
                </div>
                <div className="mt-0.5 flex items-center gap-2 text-[11px] text-zinc-500">
                  <span>{formatDateTime(t.executedAt)}</span>
                  <span className="font-mono">#{t.id}</span>
                  <span>
                    comm. <MoneyCell value={t.commission} /> · swap <MoneyCell value={t.swap} />
                  </span>
                  <span className="ml-auto" data-testid={`trade-reason-${t.id}`}>
                    <ReasonBadge reason={t.entry === 'CLOSE' ? (t.closeReason ?? undefined) : undefined} />
                  </span>
                </div>
              </div>
            ))
          )}
        </div>
      ) : (
      <Table data-testid="trades-table">
          <THead>
            <tr>
              <Th>Time</Th>
              <Th>Deal</Th>
              <Th>Symbol</Th>
              <Th>Side</Th>
              <Th>Entry</Th>
              <Th numeric>Volume</Th>
              <Th numeric>Price</Th>
              <Th numeric>Commission</Th>
              <Th numeric>Swap</Th>
              <Th numeric>Profit</Th>
              <Th>Reason</Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={11} query={query} rows={rows} unavailable="Trade history unavailable" emptyText="No deals in this period">
              {(rs) =>
                rs.map((t) => (
                  <Tr key={t.id} data-testid={`trade-row-${t.id}`}>
                    <Td className="text-zinc-400">{formatDateTime(t.executedAt)}</Td>
                    <Td className="font-mono text-zinc-500">{t.id}</Td>
                    <Td className="font-semibold">{t.symbol}</Td>
                    <Td className={cx('font-semibold', t.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')}>{t.side}</Td>
                    <Td className="text-zinc-400">{t.entry === 'OPEN' ? 'in' : 'out'}</Td>
                    <Td numeric>{formatVolume(t.volume)}</Td>
                    <Td numeric>
                      <PriceCell value={t.price} digits={symbols.byName.get(t.symbol)?.digits ?? 5} flash={false} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={t.commission} />
                    </Td>
                    <Td numeric>
                      <MoneyCell value={t.swap} />
                    </Td>
                    <Td numeric>{t.realizedPnl ? <PnlCell value={t.realizedPnl} /> : <span className="text-zinc-600">—</span>}</Td>
                    <Td data-testid={`trade-reason-${t.id}`}>
                      <ReasonBadge reason={t.entry === 'CLOSE' ? (t.closeReason ?? undefined) : undefined} />
                    </Td>
                  </Tr>
                ))
              }
            </TableRows>
          </TBody>
        </Table>
      )}
    </div>
  );
}

function Total({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="flex flex-col sm:flex-row sm:items-baseline sm:gap-1.5">
      <dt className="text-[10px] uppercase tracking-wider text-zinc-500">{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

const REASON_TONE: Record<string, string> = {
  SL_HIT: 'bg-rose-500/15 text-rose-300',
  TP_HIT: 'bg-emerald-500/15 text-emerald-300',
  STOP_OUT: 'bg-rose-600/30 text-rose-200',
};

function ReasonBadge({ reason }: { reason: string | undefined }) {
  if (!reason) return <span className="text-zinc-600">—</span>;
  return (
    <span
      className={cx('rounded px-1.5 py-px text-[10px] font-semibold', REASON_TONE[reason] ?? 'bg-zinc-700/60 text-zinc-300')}
      data-reason={reason}
    >
      {REASON_LABELS[reason] ?? reason}
    </span>
  );
}

export function LedgerTable({ account }: { account: AccountBrief }) {
  const trpc = useTRPC();
  const ledger = useQuery(trpc.account.ledger.queryOptions({ accountId: account.id, limit: 100 }));
  return (
    <Table data-testid="ledger-table">
      <THead>
        <tr>
          <Th>Time</Th>
          <Th>Type</Th>
          <Th numeric>Amount</Th>
          <Th numeric>Balance after</Th>
          <Th>Method</Th>
          <Th>Reference</Th>
          <Th>Note</Th>
        </tr>
      </THead>
      <TBody>
        <TableRows colSpan={7} query={ledger} rows={ledger.data} unavailable="Ledger unavailable" emptyText="No entries">
          {(rs) =>
            rs.map((l) => (
              <Tr key={l.id} data-testid={`ledger-row-${l.id}`}>
                <Td className="text-zinc-400">{formatDateTime(l.createdAt)}</Td>
                <Td>{l.type.replaceAll('_', ' ').toLowerCase()}</Td>
                <Td numeric>
                  <PnlCell value={l.amount} currency={account.currency} />
                </Td>
                <Td numeric>
                  <MoneyCell value={l.balanceAfter} currency={account.currency} />
                </Td>
                <Td className="text-zinc-400">{l.method ?? '—'}</Td>
                <Td className="font-mono text-zinc-500">{l.referenceId ?? '—'}</Td>
                <Td className="max-w-[16rem] truncate text-zinc-400" title={l.note ?? undefined}>
                  {l.note ?? ''}
                </Td>
              </Tr>
            ))
          }
        </TableRows>
      </TBody>
    </Table>
  );
}
