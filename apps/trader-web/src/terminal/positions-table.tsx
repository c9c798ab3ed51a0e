'use client';
import type { AccountBrief, PositionDto } from '@broker/api';
import type { CloseAllResultDto } from '@broker/api';
import {
  Button,
  ErrorBanner,
  ErrorNotice,
  Modal,
  MoneyCell,
  PnlCell,
  PriceCell,
  RowAction,
  RowActions,
  Select,
  TBody,
  THead,
  Table,
  TableRows,
  Td,
  Th,
  Tr,
  cx,
  formatVolume,
} from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useState, type ReactNode } from 'react';
import { BreakdownDialog, ExplainButton } from './breakdown.tsx';
import { POSITION_FIGURES, type PositionFigure } from './breakdown-text.ts';
import { PositionModal } from './position-modal.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { useLayoutMode } from './prefs.ts';
import { useLiveAccount, type LivePosition } from './use-live-account.ts';

const COLS = 12;

export function PositionsTable({ account }: { account: AccountBrief }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { positions, rows } = useLiveAccount(account.id);
  const symbols = useSymbols();
  const [closeError, setCloseError] = useState<AppErrorInfo | null>(null);
  const [managing, setManaging] = useState<{ id: string; focus: 'modify' | 'close' } | null>(null);
  const [explaining, setExplaining] = useState<{ id: string; symbol: string; figure: PositionFigure } | null>(null);
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

  const managed = managing ? rows.find((r) => r.id === managing.id) : undefined;
  const phone = useLayoutMode() === 'phone';
  const rowProps = (p: LivePosition) => ({
    p,
    digits: symbols.byName.get(p.symbol)?.digits ?? 5,
    currency: account.currency,
    closing: close.isPending && close.variables?.positionId === p.id,
    onClose: () => onClose(p),
    onManage: (focus: 'modify' | 'close') => setManaging({ id: p.id, focus }),
    onExplain: (figure: PositionFigure) => setExplaining({ id: p.id, symbol: p.symbol, figure }),
  });

  return (
    <>
      {closeError && (
        <ErrorBanner
          className="m-2"
          title={`Close failed (${closeError.code})`}
          message={closeError.message}
          data-testid="position-close-error"
        />
      )}
      {phone ? (
        <div data-testid="positions-table" className="flex flex-col">
          {positions.isPending ? (
            <p className="p-4 text-center text-xs text-zinc-500">Loading…</p>
          ) : positions.isError ? (
            <p className="p-4 text-center text-xs text-rose-400">Positions unavailable: {positions.error.message}</p>
          ) : rows.length === 0 ? (
            <p className="p-4 text-center text-xs text-zinc-500">No open positions</p>
          ) : (
            rows.map((p) => <PositionCard key={p.id} {...rowProps(p)} />)
          )}
        </div>
      ) : (
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
              <Th numeric title="Commission">
                Comm.
              </Th>
              <Th numeric className="w-[6.5rem]">
                P&amp;L
              </Th>
              <Th className="sticky right-0 bg-zinc-900">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={COLS} query={positions} rows={rows} unavailable="Positions unavailable" emptyText="No open positions">
              {(rs) => rs.map((p) => <PositionRow key={p.id} {...rowProps(p)} />)}
            </TableRows>
          </TBody>
        </Table>
      )}
      {explaining && (
        <BreakdownDialog
          key={`${explaining.id}-${explaining.figure}`}
          target={{
            accountId: account.id,
            figure: explaining.figure,
            positionId: explaining.id,
            symbol: explaining.symbol,
            siblings: POSITION_FIGURES,
            title: `Position #${explaining.id} ${explaining.symbol}: how it is computed`,
          }}
          onClose={() => setExplaining(null)}
        />
      )}
      {managed && managing && (
        <PositionModal
          account={account}
          position={managed}
          spec={symbols.byName.get(managed.symbol)}
          focus={managing.focus}
          onClose={() => setManaging(null)}
        />
      )}
    </>
  );
}

interface RowProps {
  p: LivePosition;
  digits: number;
  currency: string;
  closing: boolean;
  onClose: () => void;
  onManage: (focus: 'modify' | 'close') => void;
  onExplain: (figure: PositionFigure) => void;
}

/** A position's P&L, margin or swap as a button that opens the engine's breakdown of it. */
function Explained({ p, figure, label, onExplain, children }: { p: LivePosition; figure: PositionFigure; label: string; onExplain: RowProps['onExplain']; children: ReactNode }) {
  return (
    <ExplainButton label={`${label} of position ${p.id}`} onExplain={() => onExplain(figure)} testId={`explain-${figure}-${p.id}`}>
      {children}
    </ExplainButton>
  );
}

/** Modify, partial close, close: the same buttons (and test ids) in the table row and the phone card. */
function PositionActions({ p, closing, onClose, onManage, large = false }: RowProps & { large?: boolean }) {
  const size = large ? 'flex-1 py-2 text-xs' : undefined;
  return (
    <>
      <RowAction
        tone="sky"
        className={size}
        onClick={() => onManage('modify')}
        aria-label={`Modify position ${p.id}`}
        title="Stop loss, take profit, trailing stop"
        data-testid={`position-modify-${p.id}`}
      >
        Modify
      </RowAction>
      <RowAction
        tone="amber"
        className={size}
        onClick={() => onManage('close')}
        aria-label={`Partially close position ${p.id}`}
        title="Close part of the volume"
        data-testid={`position-partial-${p.id}`}
      >
        Partial
      </RowAction>
      <RowAction tone="rose" className={size} onClick={onClose} disabled={closing} aria-label={`Close position ${p.id}`} data-testid={`position-close-${p.id}`}>
        {closing ? 'Closing…' : 'Close'}
      </RowAction>
    </>
  );
}

/** A position on a phone: what a row shows, stacked, with full-width buttons. */
function PositionCard(props: RowProps) {
  const { p, digits, currency, onExplain } = props;
  return (
    <div className="border-b border-zinc-800 px-3 py-2 text-xs" data-testid={`position-row-${p.id}`}>
      <div className="flex items-baseline gap-2">
        <span className="text-sm font-semibold">{p.symbol}</span>
        <span className={cx('font-semibold', p.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')}>{p.side}</span>
        <span className="font-mono tabular-nums">{formatVolume(p.volume)}</span>
        <span className="font-mono text-zinc-500">#{p.id}</span>
        <span className="ml-auto text-sm">
          <Explained p={p} figure="positionPnl" label="the P&L" onExplain={onExplain}>
            <PnlCell value={p.livePnl} currency={currency} data-testid={`position-pnl-${p.id}`} />
          </Explained>
        </span>
      </div>
      <dl className="mt-1 grid grid-cols-[auto_1fr_auto_1fr] gap-x-2 gap-y-0.5 text-zinc-400">
        <dt>Open</dt>
        <dd className="font-mono tabular-nums text-zinc-200">
          <PriceCell value={p.openPrice} digits={digits} flash={false} />
        </dd>
        <dt>Now</dt>
        <dd className="font-mono tabular-nums text-zinc-200">
          <PriceCell value={p.livePrice} digits={digits} />
        </dd>
        <dt>S/L</dt>
        <dd className="font-mono tabular-nums" data-testid={`position-sl-${p.id}`}>
          {p.sl ? <PriceCell value={p.sl} digits={digits} flash={false} /> : '—'}
        </dd>
        <dt>T/P</dt>
        <dd className="font-mono tabular-nums" data-testid={`position-tp-${p.id}`}>
          {p.tp ? <PriceCell value={p.tp} digits={digits} flash={false} /> : '—'}
        </dd>
        <dt>Swap</dt>
        <dd className="font-mono tabular-nums">
          <Explained p={p} figure="positionSwap" label="the swap" onExplain={onExplain}>
            <MoneyCell value={p.swap} />
          </Explained>
        </dd>
        <dt>Comm.</dt>
        <dd className="font-mono tabular-nums">
          <MoneyCell value={p.commission} />
        </dd>
        <dt>Margin</dt>
        <dd className="font-mono tabular-nums">
          <Explained p={p} figure="positionMargin" label="the margin" onExplain={onExplain}>
            <MoneyCell value={p.margin} />
          </Explained>
        </dd>
      </dl>
      <div className="mt-2 flex gap-1.5">
        <PositionActions {...props} large />
      </div>
    </div>
  );
}

function PositionRow(props: RowProps) {
  const { p, digits, currency, onExplain } = props;
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
      <Td numeric className="text-zinc-400" data-testid={`position-sl-${p.id}`}>
        {p.sl ? <PriceCell value={p.sl} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td numeric className="text-zinc-400" data-testid={`position-tp-${p.id}`}>
        {p.tp ? <PriceCell value={p.tp} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td numeric>
        <Explained p={p} figure="positionSwap" label="the swap" onExplain={onExplain}>
          <MoneyCell value={p.swap} />
        </Explained>
      </Td>
      <Td numeric>
        <MoneyCell value={p.commission} />
      </Td>
      <Td numeric>
        <Explained p={p} figure="positionPnl" label="the P&L" onExplain={onExplain}>
          <PnlCell value={p.livePnl} currency={currency} data-testid={`position-pnl-${p.id}`} />
        </Explained>
      </Td>
      <RowActions>
        <PositionActions {...props} />
      </RowActions>
    </Tr>
  );
}

/** Close every open position (or those of one symbol) after a confirmation; shows what closed and what failed. */
export function CloseAllButton({ account }: { account: AccountBrief }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { rows } = useLiveAccount(account.id);
  const [open, setOpen] = useState(false);
  const [symbol, setSymbol] = useState('');
  const [result, setResult] = useState<CloseAllResultDto | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const closeAll = useMutation(trpc.positions.closeAll.mutationOptions());
  const symbols = [...new Set(rows.map((r) => r.symbol))].sort();
  const affected = rows.filter((r) => !symbol || r.symbol === symbol);
  const floating = affected.reduce((acc, r) => acc.plus(r.livePnl), new Decimal(0));

  function reset() {
    setOpen(false);
    setResult(null);
    setError(null);
    setSymbol('');
  }

  function run() {
    setError(null);
    closeAll.mutate(
      { accountId: account.id, symbol: symbol || undefined },
      {
        onSuccess: (res) => {
          setResult(res);
          const closed = new Set(res.closed.map((c) => c.positionId));
          queryClient.setQueryData<PositionDto[]>(trpc.account.positions.queryKey({ accountId: account.id }), (old) =>
            old?.filter((p) => !closed.has(p.id)),
          );
          void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
        },
        onError: (e) => setError(appError(e)),
      },
    );
  }

  return (
    <>
      <Button
        size="sm"
        variant="danger"
        className="h-6 px-2 text-[11px]"
        disabled={rows.length === 0}
        onClick={() => setOpen(true)}
        data-testid="positions-close-all"
      >
        Close all
      </Button>
      {open && (
        <Modal
          title="Close all positions"
          onClose={reset}
          data-testid="close-all-modal"
          footer={
            result ? (
              <Button variant="primary" onClick={reset} data-testid="positions-close-all-done">
                Done
              </Button>
            ) : (
              <>
                <Button variant="ghost" onClick={reset} data-testid="positions-close-all-cancel">
                  Cancel
                </Button>
                <Button
                  variant="sell"
                  onClick={run}
                  loading={closeAll.isPending}
                  disabled={affected.length === 0}
                  data-testid="positions-close-all-confirm"
                >
                  Close {affected.length} position{affected.length === 1 ? '' : 's'}
                </Button>
              </>
            )
          }
        >
          {result ? (
            <div className="flex flex-col gap-2 text-sm" data-testid="positions-close-all-result">
              <p className="text-zinc-200">
                Closed {result.closed.length} position{result.closed.length === 1 ? '' : 's'}, realized{' '}
                <PnlCell value={result.closed.reduce((a, c) => a.plus(c.realizedPnl), new Decimal(0))} currency={account.currency} />.
              </p>
              {result.failed.length > 0 && (
                <ul className="rounded border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-xs text-rose-200">
                  {result.failed.map((f) => (
                    <li key={f.positionId}>
                      #{f.positionId}: <span className="font-mono text-rose-400">{f.code}</span> {f.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            <div className="flex flex-col gap-3 text-sm">
              <label className="flex flex-col gap-1 text-xs text-zinc-400">
                Which positions
                <Select value={symbol} onChange={(e) => setSymbol(e.target.value)} data-testid="positions-close-all-symbol">
                  <option value="">All symbols ({rows.length})</option>
                  {symbols.map((s) => (
                    <option key={s} value={s}>
                      {s} ({rows.filter((r) => r.symbol === s).length})
                    </option>
                  ))}
                </Select>
              </label>
              <p className="text-zinc-300">
                {affected.length} position{affected.length === 1 ? '' : 's'} will close at market. Floating P&amp;L now{' '}
                <PnlCell value={floating} currency={account.currency} />; it is realized at the closing prices.
              </p>
              {error && <ErrorNotice compact error={error} testId="positions-close-all-error" />}
            </div>
          )}
        </Modal>
      )}
    </>
  );
}
