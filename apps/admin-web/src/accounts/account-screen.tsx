'use client';
// design.md §8.2: one account — live figures, positions, orders, trades, the staff ledger — and what staff
// do to it: money moves, status and leverage, reconciliation, closing a position for the client.
import type { AccountUpdateEvent, MarginCallEvent } from '@broker/api/socket';
import type { AdminAccountRow, PositionDto, StaffLedgerDto } from '@broker/api';
import {
  Button,
  Card,
  ErrorBanner,
  ErrorNotice,
  Modal,
  MoneyCell,
  PnlCell,
  RowAction,
  RowActions,
  Skeleton,
  StatusDot,
  TBody,
  THead,
  Table,
  TableRows,
  Td,
  Th,
  Tr,
  cx,
  formatPercent,
  formatVolume,
} from '@broker/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { FEED_LABEL, useEngineSocket } from '../live/use-engine-socket.ts';
import { AdjustForm } from '../money/adjust-form.tsx';
import { CreditForm } from '../money/credit-form.tsx';
import { DepositForm } from '../money/deposit-form.tsx';
import { ReverseModal } from '../money/reverse-modal.tsx';
import { WithdrawalRequestForm } from '../money/withdrawal-request-form.tsx';
import { WithdrawalsQueue } from '../money/withdrawals-queue.tsx';
import type { Permissions } from '../staff/permissions.ts';
import { appError } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { ClosePositionModal } from './close-position.tsx';
import { EditAccountModal } from './edit-account.tsx';
import { ReconcileResult } from './reconcile-result.tsx';
import { STATUS_LABEL, STATUS_TONE } from './status.ts';

type Tab = 'positions' | 'orders' | 'trades' | 'ledger' | 'withdrawals';
type Action = 'deposit' | 'withdrawal' | 'adjust' | 'credit' | 'edit' | null;
const LEDGER_PAGE = 50;

export function AccountScreen({ accountId, can }: { accountId: number; can: Permissions }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<Tab>('positions');
  const [action, setAction] = useState<Action>(null);
  const [editPreset, setEditPreset] = useState<AdminAccountRow['status'] | undefined>();
  const [live, setLive] = useState<AccountUpdateEvent | null>(null);
  const [marginEvent, setMarginEvent] = useState<(MarginCallEvent & { at: number }) | null>(null);
  const account = useQuery(trpc.admin.accounts.get.queryOptions({ accountId }, { refetchInterval: 10_000 }));
  const positions = useQuery(trpc.account.positions.queryOptions({ accountId }, { refetchInterval: 3_000 }));
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.pathKey() });

  const feed = useEngineSocket([{ type: 'account', accountId }], {
    account_update: (e) => {
      if (e.accountId === accountId) setLive(e);
    },
    position_update: (e) => {
      if (e.accountId !== accountId) return;
      void queryClient.invalidateQueries({ queryKey: trpc.account.positions.queryKey({ accountId }) });
      if (e.action !== 'modified') {
        void queryClient.invalidateQueries({ queryKey: trpc.account.trades.pathKey() });
        invalidate();
      }
    },
    order_update: (e) => {
      if (e.accountId === accountId) void queryClient.invalidateQueries({ queryKey: trpc.account.orders.queryKey({ accountId }) });
    },
    margin_call: (e) => {
      if (e.accountId === accountId) setMarginEvent({ ...e, at: Date.now() });
    },
  });

  if (account.isError) {
    const info = appError(account.error);
    return (
      <main className="p-3">
        <ErrorBanner title={info.code === 'ACCOUNT_NOT_FOUND' ? 'No such account' : 'Account unavailable'} message={info.message} onRetry={() => void account.refetch()} />
        <Link href="/accounts" className="mt-3 inline-block text-sm text-sky-300 hover:underline">
          ← All accounts
        </Link>
      </main>
    );
  }
  const a = account.data;
  const ccy = a?.currency;
  // The socket's figures when newer than the last fetch: they move with every tick.
  const fig = {
    balance: live ? new Decimal(live.balance) : a?.balance,
    credit: live ? new Decimal(live.credit) : a?.credit,
    equity: live ? new Decimal(live.equity) : a?.equity,
    margin: live ? new Decimal(live.margin) : a?.margin,
    freeMargin: live ? new Decimal(live.freeMargin) : a?.freeMargin,
    marginLevel: live ? (live.marginLevel === null ? null : new Decimal(live.marginLevel)) : a?.marginLevel,
    unrealized: live ? new Decimal(live.unrealizedPnL) : a ? a.equity.minus(a.balance).minus(a.credit) : undefined,
  };
  const openEdit = (preset?: AdminAccountRow['status']) => {
    setEditPreset(preset);
    setAction('edit');
  };

  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Link href="/accounts" className="text-sm text-sky-300 hover:underline">
          ← Accounts
        </Link>
        {a ? (
          <>
            <h1 className="font-mono text-lg font-semibold" data-testid="account-number">
              {a.accountNumber}
            </h1>
            <span className={cx('rounded px-1.5 text-[11px] font-semibold', a.type === 'LIVE' ? 'bg-amber-500/15 text-amber-300' : 'bg-zinc-700/60 text-zinc-300')}>{a.type}</span>
            <StatusDot tone={STATUS_TONE[a.status]} label={STATUS_LABEL[a.status]} data-testid="account-status" />
            <span className="text-sm text-zinc-300">
              {a.name} <span className="text-zinc-500">&lt;{a.email}&gt;</span>
            </span>
            <span className="text-sm text-zinc-400" data-testid="account-leverage">
              1:{a.leverage} · {a.marginMode.toLowerCase()} · {a.currency}
            </span>
          </>
        ) : (
          <Skeleton className="w-64" />
        )}
        <StatusDot className="ml-auto" tone={FEED_LABEL[feed].tone} label={FEED_LABEL[feed].label} data-testid="account-feed" />
      </div>

      {marginEvent && (
        <ErrorBanner
          title={marginEvent.type === 'stop_out' ? 'Stopped out' : 'Margin call'}
          message={`${new Date(marginEvent.at).toLocaleTimeString()}: margin level ${marginEvent.marginLevel === null ? '—' : formatPercent(marginEvent.marginLevel)}${
            marginEvent.closedPositions?.length ? `; closed ${marginEvent.closedPositions.map((p) => `#${p}`).join(', ')}` : ''
          }`}
          data-testid="account-margin-event"
        />
      )}

      <section className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-7" aria-label="Figures" data-testid="account-figures">
        <Figure label="Balance" help="Deposits, withdrawals, adjustments and closed P&L: the ledger's sum" testId="fig-balance">
          <MoneyCell value={fig.balance} currency={ccy} />
        </Figure>
        <Figure label="Credit" help="Lent by the broker: in equity, not balance, never withdrawable" testId="fig-credit">
          <MoneyCell value={fig.credit} currency={ccy} />
        </Figure>
        <Figure label="Equity" help="Balance plus credit plus the open positions' floating P&L and swaps" testId="fig-equity">
          <MoneyCell value={fig.equity} currency={ccy} />
        </Figure>
        <Figure label="Floating P&L" help="Open positions marked at the current bid (longs) or ask (shorts)" testId="fig-pnl">
          <PnlCell value={fig.unrealized} currency={ccy} />
        </Figure>
        <Figure label="Margin" help="Held for open positions at the account's leverage" testId="fig-margin">
          <MoneyCell value={fig.margin} currency={ccy} />
        </Figure>
        <Figure label="Free margin" help="Equity minus margin: what new positions may use (a withdrawal may take it less credit)" testId="fig-free-margin">
          <MoneyCell value={fig.freeMargin} currency={ccy} className={cx(fig.freeMargin?.isNegative() && 'text-rose-400')} />
        </Figure>
        <Figure label="Margin level" help="Equity ÷ margin; margin call and stop out are set on the Risk page" testId="fig-margin-level">
          <span className={cx('font-mono tabular-nums', live?.marginCall && 'text-rose-400')}>{fig.marginLevel === undefined ? '—' : fig.marginLevel === null ? 'no margin used' : formatPercent(fig.marginLevel)}</span>
          {live?.marginCall && <span className="ml-1 text-[10px] font-semibold text-rose-400">MARGIN CALL</span>}
        </Figure>
      </section>

      {a && (
        <section className="flex flex-wrap gap-2" aria-label="Staff actions" data-testid="account-actions">
          {can.moveMoney && (
            <>
              <Button variant="primary" size="sm" onClick={() => setAction('deposit')} data-testid="action-deposit">
                Deposit
              </Button>
              <Button size="sm" onClick={() => setAction('withdrawal')} data-testid="action-withdrawal">
                Withdrawal on behalf
              </Button>
              <Button size="sm" onClick={() => setAction('adjust')} data-testid="action-adjust">
                Adjustment / bonus
              </Button>
              <Button size="sm" onClick={() => setAction('credit')} data-testid="action-credit">
                Credit in / out
              </Button>
            </>
          )}
          {can.manageAccounts && (
            <>
              {a.status === 'ACTIVE' ? (
                <Button size="sm" variant="danger" onClick={() => openEdit('SUSPENDED')} data-testid="action-suspend">
                  Suspend
                </Button>
              ) : (
                a.status !== 'CLOSED' && (
                  <Button size="sm" onClick={() => openEdit('ACTIVE')} data-testid="action-activate">
                    Activate
                  </Button>
                )
              )}
              <Button size="sm" onClick={() => openEdit()} data-testid="action-edit">
                Leverage, mode, status…
              </Button>
            </>
          )}
          <ReconcileButton accountId={accountId} />
          {!can.moveMoney && !can.manageAccounts && <span className="self-center text-xs text-zinc-500">Your role ({can.role}) reads this account; it changes nothing here.</span>}
        </section>
      )}

      <Card className="min-h-80">
        <div role="tablist" className="flex overflow-x-auto border-b border-zinc-800">
          {(['positions', 'orders', 'trades', 'ledger', 'withdrawals'] as const).map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={cx('px-4 py-2 text-xs font-semibold whitespace-nowrap uppercase tracking-wide', tab === t ? 'border-b-2 border-sky-400 text-zinc-100' : 'text-zinc-500 hover:text-zinc-200')}
              data-testid={`tab-${t}`}
            >
              {t}
              {t === 'positions' && positions.data ? ` (${positions.data.length})` : ''}
            </button>
          ))}
        </div>
        <div className="overflow-x-auto">
          {tab === 'positions' && <PositionsTable accountId={accountId} currency={ccy} canClose={can.deal} />}
          {tab === 'orders' && <OrdersTable accountId={accountId} />}
          {tab === 'trades' && <TradesTable accountId={accountId} currency={ccy} />}
          {tab === 'ledger' && <LedgerTable accountId={accountId} currency={ccy ?? ''} canReverse={can.moveMoney} />}
        </div>
        {tab === 'withdrawals' && <WithdrawalsQueue canDecide={can.moveMoney} accountId={accountId} />}
      </Card>

      {a && action === 'deposit' && (
        <Modal title={`Deposit to ${a.accountNumber}`} onClose={() => setAction(null)} data-testid="deposit-modal">
          <DepositForm account={a} onDone={() => setTab('ledger')} />
        </Modal>
      )}
      {a && action === 'withdrawal' && (
        <Modal title={`Withdrawal from ${a.accountNumber}`} onClose={() => setAction(null)}>
          <WithdrawalRequestForm account={a} onDone={() => setTab('withdrawals')} />
        </Modal>
      )}
      {a && action === 'adjust' && (
        <Modal title={`Adjustment or bonus · ${a.accountNumber}`} onClose={() => setAction(null)}>
          <AdjustForm account={a} onDone={() => setTab('ledger')} />
        </Modal>
      )}
      {a && action === 'credit' && (
        <Modal title={`Credit · ${a.accountNumber}`} onClose={() => setAction(null)} data-testid="credit-modal">
          <CreditForm account={a} onDone={() => setTab('ledger')} />
        </Modal>
      )}
      {a && action === 'edit' && <EditAccountModal account={a} preset={editPreset} onClose={() => setAction(null)} />}
    </main>
  );
}

function Figure({ label, help, testId, children }: { label: string; help: string; testId: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-zinc-800 bg-zinc-900 px-3 py-2" title={help}>
      <div className="text-[11px] uppercase tracking-wide text-zinc-500">{label}</div>
      <div className="text-base" data-testid={testId}>
        {children}
      </div>
      <div className="hidden text-[10px] leading-tight text-zinc-600 sm:block">{help}</div>
    </div>
  );
}

/** Rebuilds balance and positions from the ledger and trades now; shows the match or the first row that breaks. */
function ReconcileButton({ accountId }: { accountId: number }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const q = useQuery(trpc.admin.audit.reconcile.queryOptions({ accountId }, { enabled: false, staleTime: 0 }));
  return (
    <>
      <Button
        size="sm"
        loading={q.isFetching}
        onClick={() => {
          setOpen(true);
          void q.refetch();
        }}
        data-testid="action-reconcile"
      >
        Reconcile now
      </Button>
      {open && (
        <Modal title="Reconciliation" onClose={() => setOpen(false)} size="lg" data-testid="reconcile-modal">
          {q.isFetching && !q.data ? <Skeleton className="w-full" /> : q.isError ? <ErrorNotice error={appError(q.error)} /> : q.data ? <ReconcileResult r={q.data} /> : null}
        </Modal>
      )}
    </>
  );
}

function PositionsTable({ accountId, currency, canClose }: { accountId: number; currency?: string; canClose: boolean }) {
  const trpc = useTRPC();
  // Every 3 s: the floating P&L moves with each tick (the socket's position_update covers opens and closes).
  const q = useQuery(trpc.account.positions.queryOptions({ accountId }, { refetchInterval: 3_000 }));
  const [closing, setClosing] = useState<PositionDto | null>(null);
  return (
    <>
      <Table data-testid="account-positions">
        <THead>
          <tr>
            <Th>#</Th>
            <Th>Symbol</Th>
            <Th>Side</Th>
            <Th numeric>Lots</Th>
            <Th numeric>Open</Th>
            <Th numeric>Current</Th>
            <Th numeric>S/L · T/P</Th>
            <Th numeric>Swap</Th>
            <Th numeric>P&L</Th>
            <Th>Venue</Th>
            <Th>Opened</Th>
            <Th className="sticky right-0 bg-zinc-900" />
          </tr>
        </THead>
        <TBody>
          <TableRows colSpan={12} query={q} rows={q.data} unavailable="Positions unavailable" emptyText="No open positions">
            {(rows) =>
              rows.map((p) => (
                <Tr key={p.id} data-testid={`position-row-${p.id}`}>
                  <Td className="font-mono">{p.id}</Td>
                  <Td className="font-semibold">{p.symbol}</Td>
                  <Td className={p.side === 'BUY' ? 'text-sky-300' : 'text-rose-300'}>{p.side}</Td>
                  <Td numeric>{formatVolume(p.volume)}</Td>
                  <Td numeric>{p.openPrice.toString()}</Td>
                  <Td numeric>{p.currentPrice?.toString() ?? '—'}</Td>
                  <Td numeric>
                    {p.sl?.toString() ?? '—'} · {p.tp?.toString() ?? '—'}
                  </Td>
                  <Td numeric>
                    <PnlCell value={p.swap} currency={currency} />
                  </Td>
                  <Td numeric>
                    <PnlCell value={p.unrealizedPnl} currency={currency} />
                  </Td>
                  <Td>{p.venue}</Td>
                  <Td>{p.openTime.toLocaleString()}</Td>
                  <RowActions>
                    {canClose && (
                      <RowAction tone="rose" onClick={() => setClosing(p)} data-testid={`position-close-${p.id}`}>
                        Close for client
                      </RowAction>
                    )}
                  </RowActions>
                </Tr>
              ))
            }
          </TableRows>
        </TBody>
      </Table>
      {closing && <ClosePositionModal position={closing} currency={currency} onClose={() => setClosing(null)} />}
    </>
  );
}

function OrdersTable({ accountId }: { accountId: number }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.account.orders.queryOptions({ accountId }, { refetchInterval: 10_000 }));
  return (
    <Table data-testid="account-orders">
      <THead>
        <tr>
          <Th>#</Th>
          <Th>Symbol</Th>
          <Th>Type</Th>
          <Th>Side</Th>
          <Th numeric>Lots</Th>
          <Th numeric>Price</Th>
          <Th numeric>S/L · T/P</Th>
          <Th>Expires</Th>
          <Th>Placed</Th>
        </tr>
      </THead>
      <TBody>
        <TableRows colSpan={9} query={q} rows={q.data} unavailable="Orders unavailable" emptyText="No pending orders">
          {(rows) =>
            rows.map((o) => (
              <Tr key={o.id}>
                <Td className="font-mono">{o.id}</Td>
                <Td className="font-semibold">{o.symbol}</Td>
                <Td>{o.type}</Td>
                <Td className={o.side === 'BUY' ? 'text-sky-300' : 'text-rose-300'}>{o.side}</Td>
                <Td numeric>{formatVolume(o.volume)}</Td>
                <Td numeric>
                  {o.price?.toString() ?? '—'}
                  {o.stopPrice && ` (stop ${o.stopPrice.toString()})`}
                </Td>
                <Td numeric>
                  {o.sl?.toString() ?? '—'} · {o.tp?.toString() ?? '—'}
                </Td>
                <Td>{o.expiresAt ? o.expiresAt.toLocaleString() : 'GTC'}</Td>
                <Td>{o.createdAt.toLocaleString()}</Td>
              </Tr>
            ))
          }
        </TableRows>
      </TBody>
    </Table>
  );
}

function TradesTable({ accountId, currency }: { accountId: number; currency?: string }) {
  const trpc = useTRPC();
  const [before, setBefore] = useState<string[]>([]);
  const q = useQuery(trpc.account.trades.queryOptions({ accountId, limit: LEDGER_PAGE, before: before.at(-1) }));
  const rows = q.data ?? [];
  return (
    <>
      <Table data-testid="account-trades">
        <THead>
          <tr>
            <Th>#</Th>
            <Th>Time</Th>
            <Th>Symbol</Th>
            <Th>Side</Th>
            <Th>Entry</Th>
            <Th numeric>Lots</Th>
            <Th numeric>Price</Th>
            <Th numeric>Commission</Th>
            <Th numeric>Swap</Th>
            <Th numeric>Realized</Th>
            <Th>Reason</Th>
          </tr>
        </THead>
        <TBody>
          <TableRows colSpan={11} query={q} rows={q.data} unavailable="Trades unavailable" emptyText="No trades">
            {(r) =>
              r.map((t) => (
                <Tr key={t.id}>
                  <Td className="font-mono">{t.id}</Td>
                  <Td>{t.executedAt.toLocaleString()}</Td>
                  <Td className="font-semibold">{t.symbol}</Td>
                  <Td>{t.side}</Td>
                  <Td>{t.entry}</Td>
                  <Td numeric>{formatVolume(t.volume)}</Td>
                  <Td numeric>{t.price.toString()}</Td>
                  <Td numeric>
                    <MoneyCell value={t.commission} currency={currency} />
                  </Td>
                  <Td numeric>
                    <PnlCell value={t.swap} currency={currency} />
                  </Td>
                  <Td numeric>{t.realizedPnl ? <PnlCell value={t.realizedPnl} currency={currency} /> : '—'}</Td>
                  <Td>{t.closeReason ?? ''}</Td>
                </Tr>
              ))
            }
          </TableRows>
        </TBody>
      </Table>
      <OlderNewer count={rows.length} page={LEDGER_PAGE} stack={before} onOlder={() => rows.length && setBefore((b) => [...b, rows.at(-1)!.id])} onNewer={() => setBefore((b) => b.slice(0, -1))} />
    </>
  );
}

function OlderNewer({ count, page, stack, onOlder, onNewer }: { count: number; page: number; stack: string[]; onOlder: () => void; onNewer: () => void }) {
  return (
    <div className="flex justify-end gap-1 border-t border-zinc-800 px-3 py-2">
      <Button size="sm" disabled={stack.length === 0} onClick={onNewer}>
        ‹ Newer
      </Button>
      <Button size="sm" disabled={count < page} onClick={onOlder}>
        Older ›
      </Button>
    </div>
  );
}

/** The staff ledger: the client's reference and the staff-only note apart; reversal links both ways. */
function LedgerTable({ accountId, currency, canReverse }: { accountId: number; currency: string; canReverse: boolean }) {
  const trpc = useTRPC();
  const [before, setBefore] = useState<string[]>([]);
  const [reversing, setReversing] = useState<StaffLedgerDto | null>(null);
  const q = useQuery(trpc.admin.accounts.ledger.queryOptions({ accountId, limit: LEDGER_PAGE, before: before.at(-1) }, { refetchInterval: 10_000 }));
  const rows = q.data ?? [];
  const reversible = (e: StaffLedgerDto) => ['DEPOSIT', 'WITHDRAWAL', 'ADJUSTMENT', 'BONUS', 'CREDIT'].includes(e.type) && !e.reversedById && !e.reversalOfId;
  return (
    <>
      <Table data-testid="account-ledger">
        <THead>
          <tr>
            <Th>#</Th>
            <Th>Time</Th>
            <Th>Type</Th>
            <Th numeric>Amount</Th>
            <Th numeric>Balance after</Th>
            <Th title="What the entry belongs to: an order, a withdrawal request, a rollover…">Ref</Th>
            <Th title="The note on the client's own statement">Client sees</Th>
            <Th title="Staff only: never shown to the client">Internal note</Th>
            <Th>Links</Th>
            <Th className="sticky right-0 bg-zinc-900" />
          </tr>
        </THead>
        <TBody>
          <TableRows colSpan={10} query={q} rows={q.data} unavailable="Ledger unavailable" emptyText="No ledger entries">
            {(r) =>
              r.map((e) => (
                <Tr key={e.id} id={`ledger-${e.id}`} data-testid={`ledger-row-${e.id}`} data-type={e.type} className={cx(e.reversedById && 'text-zinc-500 line-through decoration-zinc-600')}>
                  <Td className="font-mono">{e.id}</Td>
                  <Td>{e.createdAt.toLocaleString()}</Td>
                  <Td>
                    {e.type === 'CREDIT' ? (e.amount.isNegative() ? 'CREDIT OUT' : 'CREDIT IN') : e.type}
                    {e.method && <span className="ml-1 text-[10px] text-zinc-500">{e.method}</span>}
                    {e.type === 'CREDIT' && <span className="ml-1 text-[10px] text-zinc-500" title="Moves the credit, not the balance">not balance</span>}
                  </Td>
                  <Td numeric>
                    <PnlCell value={e.amount} currency={currency} data-testid={`ledger-amount-${e.id}`} />
                  </Td>
                  <Td numeric>
                    <MoneyCell value={e.balanceAfter} currency={currency} />
                  </Td>
                  <Td className="text-zinc-400">{e.referenceId ? `${e.referenceType?.toLowerCase().replace(/_/g, ' ') ?? ''} #${e.referenceId}` : ''}</Td>
                  <Td className="max-w-48 truncate" title={e.note ?? ''} data-testid={`ledger-note-${e.id}`}>
                    {e.note ?? ''}
                  </Td>
                  <Td className="max-w-56 truncate text-amber-200/80" title={e.internalNote ?? ''}>
                    {e.internalNote ?? ''}
                  </Td>
                  <Td>
                    {e.reversalOfId && (
                      <a href={`#ledger-${e.reversalOfId}`} className="text-sky-300 hover:underline" data-testid={`ledger-reverses-${e.id}`}>
                        reverses #{e.reversalOfId}
                      </a>
                    )}
                    {e.reversedById && (
                      <a href={`#ledger-${e.reversedById}`} className="text-sky-300 no-underline hover:underline" data-testid={`ledger-reversed-by-${e.id}`}>
                        reversed by #{e.reversedById}
                      </a>
                    )}
                  </Td>
                  <RowActions>
                    {canReverse && reversible(e) && (
                      <RowAction tone="rose" onClick={() => setReversing(e)} data-testid={`ledger-reverse-${e.id}`}>
                        Reverse
                      </RowAction>
                    )}
                  </RowActions>
                </Tr>
              ))
            }
          </TableRows>
        </TBody>
      </Table>
      <OlderNewer count={rows.length} page={LEDGER_PAGE} stack={before} onOlder={() => rows.length && setBefore((b) => [...b, rows.at(-1)!.id])} onNewer={() => setBefore((b) => b.slice(0, -1))} />
      {reversing && <ReverseModal entry={reversing} currency={currency} onClose={() => setReversing(null)} />}
    </>
  );
}

