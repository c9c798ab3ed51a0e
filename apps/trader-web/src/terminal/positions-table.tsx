'use client';
import type { AccountBrief, PositionDto } from '@broker/api';
import { ErrorBanner, MoneyCell, PnlCell, PriceCell, Skeleton, TBody, THead, Table, TableMessage, Td, Th, Tr, formatVolume, cx } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { useLiveAccount, type LivePosition } from './use-live-account.ts';

const COLS = 12;

export function PositionsTable({ account }: { account: AccountBrief }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { positions, rows } = useLiveAccount(account.id);
  const symbols = useSymbols();
  const [closeError, setCloseError] = useState<AppErrorInfo | null>(null);
  const close = useMutation(trpc.positions.close.mutationOptions());
  const positionsKey = trpc.account.positions.queryKey({ accountId: account.id });

  function onClose(p: PositionDto) {
    setCloseError(null);
    close.mutate(
      { accountId: account.id, positionId: p.id },
      {
        onSuccess: (res) => {
          queryClient.setQueryData<PositionDto[]>(positionsKey, (old) =>
            old?.flatMap((x) => (x.id !== res.positionId ? [x] : res.remaining ? [res.remaining] : [])),
          );
          void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
        },
        onError: (e) => setCloseError(appError(e)),
      },
    );
  }

  return (
    <>
      {closeError && (
        <ErrorBanner className="m-2" title={`Close failed (${closeError.code})`} message={closeError.message} data-testid="position-close-error" />
      )}
      <Table data-testid="positions-table">
        <THead>
          <tr>
            <Th>Ticket</Th>
            <Th>Symbol</Th>
            <Th>Side</Th>
            <Th numeric>Volume</Th>
            <Th numeric>Open price</Th>
            <Th numeric>Current</Th>
            <Th numeric>S/L</Th>
            <Th numeric>T/P</Th>
            <Th numeric>Swap</Th>
            <Th numeric>Commission</Th>
            <Th numeric>P&amp;L</Th>
            <Th className="sticky right-0 w-16 bg-zinc-900" />
          </tr>
        </THead>
        <TBody>
          {positions.isPending ? (
            <TableMessage colSpan={COLS}>
              <Skeleton className="w-48" />
            </TableMessage>
          ) : positions.isError ? (
            <TableMessage colSpan={COLS}>
              <span className="text-rose-400">Positions unavailable: {positions.error.message}</span>
            </TableMessage>
          ) : rows.length === 0 ? (
            <TableMessage colSpan={COLS}>No open positions</TableMessage>
          ) : (
            rows.map((p) => (
              <PositionRow
                key={p.id}
                p={p}
                digits={symbols.byName.get(p.symbol)?.digits ?? 5}
                currency={account.currency}
                closing={close.isPending && close.variables?.positionId === p.id}
                onClose={() => onClose(p)}
              />
            ))
          )}
        </TBody>
      </Table>
    </>
  );
}

function PositionRow({ p, digits, currency, closing, onClose }: { p: LivePosition; digits: number; currency: string; closing: boolean; onClose: () => void }) {
  return (
    <Tr data-testid={`position-row-${p.id}`}>
      <Td className="font-mono text-zinc-500">{p.id}</Td>
      <Td className="font-semibold">{p.symbol}</Td>
      <Td className={cx('font-semibold', p.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')}>{p.side}</Td>
      <Td numeric>{formatVolume(p.volume)}</Td>
      <Td numeric>
        <PriceCell value={p.openPrice} digits={digits} flash={false} />
      </Td>
      <Td numeric>
        <PriceCell value={p.livePrice} digits={digits} />
      </Td>
      <Td numeric className="text-zinc-400">
        {p.sl ? <PriceCell value={p.sl} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td numeric className="text-zinc-400">
        {p.tp ? <PriceCell value={p.tp} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td numeric>
        <MoneyCell value={p.swap} />
      </Td>
      <Td numeric>
        <MoneyCell value={p.commission} />
      </Td>
      <Td numeric>
        <PnlCell value={p.livePnl} currency={currency} data-testid={`position-pnl-${p.id}`} />
      </Td>
      <Td className="sticky right-0 bg-zinc-900 text-right">
        <button
          type="button"
          onClick={onClose}
          disabled={closing}
          aria-label={`Close position ${p.id}`}
          data-testid={`position-close-${p.id}`}
          className="rounded border border-zinc-700 px-2 py-0.5 text-[11px] text-zinc-300 hover:border-rose-500/60 hover:bg-rose-500/15 hover:text-rose-200 disabled:opacity-50"
        >
          {closing ? 'Closing…' : 'Close'}
        </button>
      </Td>
    </Tr>
  );
}
