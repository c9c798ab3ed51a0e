'use client';
// design.md §8 dealing: the house's exposure per symbol, live, and every client's positions and orders with
// filters; a dealer closes a position for the client with a reason.
import type { DealingPositionRow } from '@broker/api';
import { Card, ErrorBanner, Input, PnlCell, RowAction, RowActions, Select, StatusDot, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatMoney, formatPercent, formatVolume } from '@broker/ui';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Pager } from '../accounts/accounts-screen.tsx';
import { ClosePositionModal } from '../accounts/close-position.tsx';
import { FEED_LABEL, useEngineSocket } from '../live/use-engine-socket.ts';
import type { Permissions } from '../staff/permissions.ts';
import { useTRPC } from '../trpc/react.ts';

const PAGE = 50;
/** Columns a phone leaves out of the exposure table, so the house's figures stay within a swipe. */
const WIDE = 'hidden md:table-cell';

export function DealingScreen({ can, initialSymbol }: { can: Permissions; initialSymbol?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const exposure = useQuery(trpc.admin.dealing.exposure.queryOptions(undefined, { refetchInterval: 2_000 }));
  const [symbol, setSymbol] = useState(initialSymbol ?? '');
  const [account, setAccount] = useState('');
  const [side, setSide] = useState<'' | 'BUY' | 'SELL'>('');
  const [view, setView] = useState<'positions' | 'orders'>('positions');
  const [offset, setOffset] = useState(0);
  const [closing, setClosing] = useState<DealingPositionRow | null>(null);
  useEffect(() => setOffset(0), [symbol, account, side, view]);
  const filter = {
    symbol: /^[A-Za-z0-9._-]{2,20}$/.test(symbol.trim()) ? symbol.trim().toUpperCase() : undefined,
    accountId: /^\d{1,10}$/.test(account.trim()) ? Number(account.trim()) : undefined,
    side: side || undefined,
    limit: PAGE,
    offset,
  };
  const positions = useQuery(trpc.admin.dealing.positions.queryOptions(filter, { enabled: view === 'positions', refetchInterval: 3_000, placeholderData: keepPreviousData }));
  const orders = useQuery(trpc.admin.dealing.orders.queryOptions(filter, { enabled: view === 'orders', refetchInterval: 5_000, placeholderData: keepPreviousData }));
  // A position opened or closed anywhere moves the exposure: refetch now rather than at the next poll.
  const feed = useEngineSocket([{ type: 'dealer' }], {
    alert: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.dealing.exposure.queryKey() }),
  });

  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <Card title="Exposure by symbol (house side)" actions={<StatusDot tone={exposure.isError ? 'error' : FEED_LABEL[feed].tone} label={exposure.isError ? 'Offline' : 'Every 2 s'} />} data-testid="exposure">
        {exposure.isError && <ErrorBanner className="m-3" title="Exposure unavailable" message={exposure.error.message} onRetry={() => void exposure.refetch()} />}
        <div className="overflow-x-auto">
          <Table data-testid="exposure-table">
            <THead>
              <tr>
                <Th>Symbol</Th>
                <Th numeric className={WIDE} title="Clients' buy lots">Clients buy</Th>
                <Th numeric className={WIDE} title="Clients' sell lots">Clients sell</Th>
                <Th numeric title="Clients' buys minus sells">Clients net</Th>
                <Th numeric title="The house's net position with its LPs: A-Book fills, C-Book hedges and their offsets">Coverage</Th>
                <Th numeric title="The house's position: its coverage minus the clients' net">House net</Th>
                <Th numeric title="House net × one lot in USD (contract size × the base currency's rate)">House notional</Th>
                <Th numeric title="The clients' floating P&L at the platform quote">Clients P&L</Th>
                <Th numeric title="The coverage's floating P&L at the platform quote">Coverage P&L</Th>
                <Th numeric title="The house's floating result: the coverage's P&L minus the clients'">House P&L</Th>
                <Th numeric title="Share of the global max symbol exposure (Risk page) the house uses">Of limit</Th>
                <Th numeric className={WIDE}>Positions / accounts</Th>
              </tr>
            </THead>
            <TBody>
              <TableRows colSpan={12} query={exposure} rows={exposure.data?.rows} unavailable="Exposure unavailable" emptyText="Nobody holds a position">
                {(rows) =>
                  rows.map((r) => (
                    <Tr key={r.symbol} data-testid={`exposure-row-${r.symbol}`} className="cursor-pointer" onClick={() => setSymbol(r.symbol)}>
                      <Td className="font-semibold">{r.symbol}</Td>
                      <Td numeric className={WIDE}>{formatVolume(r.clientBuyLots)}</Td>
                      <Td numeric className={WIDE}>{formatVolume(r.clientSellLots)}</Td>
                      <Td numeric data-testid={`exposure-client-net-${r.symbol}`}>{formatVolume(r.clientNetLots)}</Td>
                      <Td numeric data-testid={`exposure-coverage-${r.symbol}`}>{formatVolume(r.coverageNetLots)}</Td>
                      <Td numeric className={cx(r.houseNetLots.isNegative() ? 'text-rose-300' : r.houseNetLots.isZero() ? '' : 'text-sky-300')} data-testid={`exposure-house-net-${r.symbol}`}>
                        {formatVolume(r.houseNetLots)}
                      </Td>
                      <Td numeric>{r.houseNetNotional ? formatMoney(r.houseNetNotional, { currency: 'USD' }) : '—'}</Td>
                      <Td numeric>
                        <PnlCell value={r.clientUnrealizedPnl} currency="USD" />
                      </Td>
                      <Td numeric>
                        <PnlCell value={r.coverageUnrealizedPnl} currency="USD" data-testid={`exposure-coverage-pnl-${r.symbol}`} />
                      </Td>
                      <Td numeric>
                        <PnlCell value={r.housePnl} currency="USD" data-testid={`exposure-house-pnl-${r.symbol}`} />
                      </Td>
                      <Td numeric>
                        {r.limitUsedPercent ? (
                          <span className={cx(r.limitUsedPercent.gte(80) && 'font-semibold text-rose-400')}>{formatPercent(r.limitUsedPercent, 0)}</span>
                        ) : (
                          <span className="text-zinc-500">no limit</span>
                        )}
                      </Td>
                      <Td numeric className={WIDE}>
                        {r.positions} / {r.accounts}
                      </Td>
                    </Tr>
                  ))
                }
              </TableRows>
              {exposure.data && exposure.data.rows.length > 1 && (
                <tr className="border-t border-zinc-700 font-semibold" data-testid="exposure-total">
                  <Td>Total</Td>
                  <Td className={WIDE} colSpan={2} />
                  <Td colSpan={4} />
                  <Td numeric>
                    <PnlCell value={exposure.data.total.clientUnrealizedPnl} currency="USD" />
                  </Td>
                  <Td numeric>
                    <PnlCell value={exposure.data.total.coverageUnrealizedPnl} currency="USD" />
                  </Td>
                  <Td numeric>
                    <PnlCell value={exposure.data.total.housePnl} currency="USD" data-testid="exposure-total-house-pnl" />
                  </Td>
                  <Td />
                  <Td className={WIDE} />
                </tr>
              )}
            </TBody>
          </Table>
        </div>
      </Card>

      <Card
        title={
          <span className="flex gap-3">
            {(['positions', 'orders'] as const).map((v) => (
              <button key={v} type="button" onClick={() => setView(v)} className={cx('uppercase', view === v ? 'text-zinc-100' : 'text-zinc-500 hover:text-zinc-300')} aria-pressed={view === v} data-testid={`dealing-view-${v}`}>
                {v === 'positions' ? 'Open positions' : 'Pending orders'}
              </button>
            ))}
          </span>
        }
      >
        <div className="flex flex-wrap items-end gap-2 border-b border-zinc-800 p-3">
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Symbol
            <Input value={symbol} onChange={(e) => setSymbol(e.target.value)} placeholder="All" className="w-28! uppercase" data-testid="dealing-symbol" />
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Account id
            <Input value={account} inputMode="numeric" onChange={(e) => setAccount(e.target.value)} placeholder="All" className="w-28!" data-testid="dealing-account" />
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Side
            <Select value={side} onChange={(e) => setSide(e.target.value as typeof side)} className="w-24!" data-testid="dealing-side">
              <option value="">Both</option>
              <option value="BUY">Buy</option>
              <option value="SELL">Sell</option>
            </Select>
          </label>
        </div>
        <div className="overflow-x-auto">
          {view === 'positions' ? (
            <Table data-testid="dealing-positions">
              <THead>
                <tr>
                  <Th>Account</Th>
                  <Th>#</Th>
                  <Th>Symbol</Th>
                  <Th>Side</Th>
                  <Th numeric>Lots</Th>
                  <Th numeric>Open</Th>
                  <Th numeric>Current</Th>
                  <Th numeric>Client P&L</Th>
                  <Th>Venue</Th>
                  <Th>Opened</Th>
                  <Th className="sticky right-0 bg-zinc-900" />
                </tr>
              </THead>
              <TBody>
                <TableRows colSpan={11} query={positions} rows={positions.data?.rows} unavailable="Positions unavailable" emptyText="No open positions match">
                  {(rows) =>
                    rows.map((p) => (
                      <Tr key={p.id} data-testid={`dealing-position-${p.id}`}>
                        <Td>
                          <Link href={`/accounts/${p.accountId}`} className="font-mono text-sky-300 hover:underline">
                            {p.accountNumber}
                          </Link>
                        </Td>
                        <Td className="font-mono">{p.id}</Td>
                        <Td className="font-semibold">{p.symbol}</Td>
                        <Td className={p.side === 'BUY' ? 'text-sky-300' : 'text-rose-300'}>{p.side}</Td>
                        <Td numeric>{formatVolume(p.volume)}</Td>
                        <Td numeric>{p.openPrice.toString()}</Td>
                        <Td numeric>{p.currentPrice?.toString() ?? '—'}</Td>
                        <Td numeric>
                          <PnlCell value={p.unrealizedPnl} currency={p.currency} />
                        </Td>
                        <Td>{p.venue}</Td>
                        <Td>{p.openTime.toLocaleString()}</Td>
                        <RowActions>
                          {can.deal && (
                            <RowAction tone="rose" onClick={() => setClosing(p)} data-testid={`dealing-close-${p.id}`}>
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
          ) : (
            <Table data-testid="dealing-orders">
              <THead>
                <tr>
                  <Th>Account</Th>
                  <Th>#</Th>
                  <Th>Symbol</Th>
                  <Th>Type</Th>
                  <Th>Side</Th>
                  <Th numeric>Lots</Th>
                  <Th numeric>Price</Th>
                  <Th>Expires</Th>
                  <Th>Placed</Th>
                </tr>
              </THead>
              <TBody>
                <TableRows colSpan={9} query={orders} rows={orders.data?.rows} unavailable="Orders unavailable" emptyText="No pending orders match">
                  {(rows) =>
                    rows.map((o) => (
                      <Tr key={o.id}>
                        <Td>
                          <Link href={`/accounts/${o.accountId}`} className="font-mono text-sky-300 hover:underline">
                            {o.accountNumber}
                          </Link>
                        </Td>
                        <Td className="font-mono">{o.id}</Td>
                        <Td className="font-semibold">{o.symbol}</Td>
                        <Td>{o.type}</Td>
                        <Td className={o.side === 'BUY' ? 'text-sky-300' : 'text-rose-300'}>{o.side}</Td>
                        <Td numeric>{formatVolume(o.volume)}</Td>
                        <Td numeric>{o.price?.toString() ?? '—'}</Td>
                        <Td>{o.expiresAt ? o.expiresAt.toLocaleString() : 'GTC'}</Td>
                        <Td>{o.createdAt.toLocaleString()}</Td>
                      </Tr>
                    ))
                  }
                </TableRows>
              </TBody>
            </Table>
          )}
        </div>
        <Pager offset={offset} page={PAGE} total={(view === 'positions' ? positions.data?.total : orders.data?.total) ?? 0} onOffset={setOffset} />
      </Card>
      {closing && <ClosePositionModal position={closing} currency={closing.currency} onClose={() => setClosing(null)} />}
    </main>
  );
}
