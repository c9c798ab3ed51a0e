'use client';
import type { AccountBrief } from '@broker/api';
import { Card, cx } from '@broker/ui';
import { HistoryTable, LedgerTable } from './history-tables.tsx';
import { OrdersTable, usePendingOrders } from './orders-table.tsx';
import { CloseAllButton, PositionsTable } from './positions-table.tsx';
import { PREF_KEYS, useLayoutMode, usePref } from './prefs.ts';
import { PriceAlerts, usePriceAlerts } from './price-alerts.tsx';
import { StatementView } from './statement.tsx';
import { useLiveAccount } from './use-live-account.ts';

const TABS = ['positions', 'orders', 'alerts', 'history', 'ledger', 'statement'] as const;
type Tab = (typeof TABS)[number];

export function BottomPanel({ account, symbol }: { account: AccountBrief; symbol?: string }) {
  const [tab, setTab] = usePref<Tab>(PREF_KEYS.bottomTab, 'positions', TABS);
  const { positions } = useLiveAccount(account.id);
  const orders = usePendingOrders(account.id);
  const count = positions.data?.length;
  const orderCount = orders.data?.length;
  const alerts = usePriceAlerts(account.id);
  const alertCount = alerts.data?.filter((a) => !a.triggeredAt).length;
  const phone = useLayoutMode() === 'phone';
  const tabs: { id: Tab; label: string }[] = [
    { id: 'positions', label: count === undefined ? 'Positions' : `Positions (${count})` },
    { id: 'orders', label: orderCount === undefined ? 'Orders' : `Orders (${orderCount})` },
    { id: 'alerts', label: alertCount ? `Alerts (${alertCount})` : 'Alerts' },
    { id: 'history', label: 'History' },
    { id: 'ledger', label: 'Ledger' },
    { id: 'statement', label: 'Statement' },
  ];
  return (
    <Card className="min-h-0 flex-1 overflow-hidden">
      <div className="flex h-9 shrink-0 items-end gap-1 border-b border-zinc-800 px-2">
        <div role="tablist" className="flex min-w-0 items-end gap-1 overflow-x-auto">
          {tabs.map((t) => (
            <button
              key={t.id}
              role="tab"
              type="button"
              aria-selected={tab === t.id}
              onClick={() => setTab(t.id)}
              data-testid={`tab-${t.id}`}
              className={cx(
                '-mb-px h-8 shrink-0 whitespace-nowrap border-b-2 text-xs font-medium',
                phone ? 'px-2' : 'px-3',
                tab === t.id ? 'border-sky-400 text-zinc-100' : 'border-transparent text-zinc-500 hover:text-zinc-200',
              )}
            >
              {t.label}
            </button>
          ))}
        </div>
        {tab === 'positions' && (
          <div className="ml-auto shrink-0 self-center">
            <CloseAllButton account={account} />
          </div>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        {tab === 'positions' && <PositionsTable account={account} />}
        {tab === 'orders' && <OrdersTable account={account} />}
        {tab === 'alerts' && <PriceAlerts key={symbol} account={account} symbol={symbol} />}
        {tab === 'history' && <HistoryTable account={account} />}
        {tab === 'ledger' && <LedgerTable account={account} />}
        {tab === 'statement' && <StatementView account={account} />}
      </div>
    </Card>
  );
}
