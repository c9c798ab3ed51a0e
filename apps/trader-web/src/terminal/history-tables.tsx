'use client';
import type { AccountBrief } from '@broker/api';
import { MoneyCell, PnlCell, PriceCell, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatDateTime, formatVolume } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { REASON_LABELS, useNotices } from '../live/notices.ts';
import { useSymbols } from '../live/symbols.ts';
import { useTRPC } from '../trpc/react.ts';

export function HistoryTable({ account }: { account: AccountBrief }) {
  const trpc = useTRPC();
  const symbols = useSymbols();
  const trades = useQuery(trpc.account.trades.queryOptions({ accountId: account.id, limit: 100 }));
  // The close reason comes from position_update events seen in this browser session (TradeDto carries none).
  const { reasons } = useNotices();
  return (
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
        <TableRows colSpan={11} query={trades} rows={trades.data} unavailable="Trade history unavailable" emptyText="No trades yet">
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
                  <ReasonBadge reason={t.entry === 'CLOSE' && t.positionId ? reasons.get(t.positionId) : undefined} />
                </Td>
              </Tr>
            ))
          }
        </TableRows>
      </TBody>
    </Table>
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
