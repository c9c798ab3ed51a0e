'use client';
import type { AccountBrief, AuthUser } from '@broker/api';
import { Spinner, cx } from '@broker/ui';
import { useEffect, useState } from 'react';
import { useAccountStream } from '../live/account-stream.ts';
import { NoticeContext, NoticeStore } from '../live/notices.ts';
import { useSymbols } from '../live/symbols.ts';
import { AccountBar } from './account-bar.tsx';
import { MarginCallBanner, Notices } from './alerts.tsx';
import { BottomPanel } from './bottom-panel.tsx';
import { ChartPanel } from './chart-panel.tsx';
import { OrderTicket } from './order-ticket.tsx';
import { LayoutContext, PHONE_TABS, PREF_KEYS, useLayout, usePref, type PhoneTab } from './prefs.ts';
import { Shortcuts } from './shortcuts.tsx';
import { Watchlist } from './watchlist.tsx';

const ACCOUNT_KEY = 'rtx.accountId';

const TAB_LABELS: Record<PhoneTab, string> = { watch: 'Quotes', chart: 'Chart', trade: 'Trade', positions: 'Positions' };

export function Terminal({ user, accounts }: { user: AuthUser; accounts: AccountBrief[] }) {
  const [accountId, setAccountId] = useState<number | undefined>(accounts[0]?.id);
  const [symbol, setSymbol] = useState<string>('EURUSD');
  const symbols = useSymbols();
  const [notices] = useState(() => new NoticeStore());
  const layout = useLayout();
  const [tab, setTab] = usePref<PhoneTab>(PREF_KEYS.phoneTab, 'trade', PHONE_TABS);
  useAccountStream(accountId, notices);

  // Remember the chosen account across reloads (only among the accounts this session may use).
  useEffect(() => {
    const saved = Number(localStorage.getItem(ACCOUNT_KEY));
    if (accounts.some((a) => a.id === saved)) setAccountId(saved);
  }, [accounts]);

  useEffect(() => {
    const names = symbols.data?.map((s) => s.name);
    if (names?.length && !names.includes(symbol)) setSymbol(names[0]!);
  }, [symbols.data, symbol]);

  const account = accounts.find((a) => a.id === accountId);
  const mode = layout.mode;
  const phone = mode === 'phone';

  const bar = (
    <AccountBar
      user={user}
      accounts={accounts}
      accountId={accountId}
      layout={layout}
      onAccountChange={(id) => {
        setAccountId(id);
        localStorage.setItem(ACCOUNT_KEY, String(id));
      }}
    />
  );

  let body;
  if (!account) {
    body = <p className="p-6 text-sm text-zinc-400">This login has no trading account yet. Contact support to open one.</p>;
  } else if (mode === null) {
    // The width is known only in the browser: one frame of this, then the right layout (never both).
    body = (
      <div className="flex flex-1 items-center justify-center text-zinc-500">
        <Spinner />
      </div>
    );
  } else if (phone) {
    const pick = (s: string) => {
      setSymbol(s);
      setTab('trade');
    };
    body = (
      <>
        <main className="flex min-h-0 flex-1 flex-col p-1" data-testid="phone-panel" data-tab={tab}>
          {tab === 'watch' && <Watchlist selected={symbol} onSelect={pick} account={account} />}
          {tab === 'chart' && <ChartPanel symbol={symbol} account={account} />}
          {tab === 'trade' && <OrderTicket account={account} symbol={symbol} onSymbolChange={setSymbol} />}
          {tab === 'positions' && <BottomPanel account={account} symbol={symbol} />}
        </main>
        <nav role="tablist" aria-label="Panels" className="grid shrink-0 grid-cols-4 border-t border-zinc-800 bg-zinc-900 pb-[env(safe-area-inset-bottom)]">
          {PHONE_TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              data-testid={`phone-tab-${t}`}
              className={cx(
                'h-12 border-t-2 text-xs font-semibold',
                tab === t ? 'border-sky-400 text-zinc-100' : 'border-transparent text-zinc-500 hover:text-zinc-200',
              )}
            >
              {TAB_LABELS[t]}
            </button>
          ))}
        </nav>
      </>
    );
  } else {
    // Watchlist and chart on top, the ticket the full height on the right, and positions/orders/history
    // under watchlist and chart, so their tables get the width of two columns.
    body = (
      <div
        className="grid min-h-0 flex-1 grid-cols-[16rem_minmax(0,1fr)_17rem] grid-rows-[minmax(0,3fr)_minmax(12rem,2fr)] gap-1 p-1 2xl:grid-cols-[19.5rem_minmax(0,1fr)_18rem]"
        data-testid="desktop-grid"
      >
        <Watchlist selected={symbol} onSelect={setSymbol} account={account} />
        <ChartPanel symbol={symbol} account={account} />
        <div className="row-span-2 flex min-h-0 flex-col">
          <OrderTicket account={account} symbol={symbol} onSymbolChange={setSymbol} />
        </div>
        <div className="col-span-2 flex min-h-0 flex-col">
          <BottomPanel account={account} symbol={symbol} />
        </div>
      </div>
    );
  }

  return (
    <NoticeContext.Provider value={notices}>
      <LayoutContext.Provider value={phone ? 'phone' : 'desktop'}>
        <div className={cx('flex h-dvh flex-col', !phone && 'min-h-[640px]')} data-layout={mode ?? 'pending'}>
          {bar}
          {accountId !== undefined && <MarginCallBanner accountId={accountId} />}
          {body}
          <Notices />
          {account && mode !== null && <Shortcuts />}
        </div>
      </LayoutContext.Provider>
    </NoticeContext.Provider>
  );
}
