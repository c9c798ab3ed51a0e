'use client';
import type { AccountBrief, AuthUser } from '@broker/api';
import { useEffect, useState } from 'react';
import { useAccountStream } from '../live/account-stream.ts';
import { NoticeContext, NoticeStore } from '../live/notices.ts';
import { useSymbols } from '../live/symbols.ts';
import { AccountBar } from './account-bar.tsx';
import { MarginCallBanner, Notices } from './alerts.tsx';
import { BottomPanel } from './bottom-panel.tsx';
import { ChartPanel } from './chart-panel.tsx';
import { OrderTicket } from './order-ticket.tsx';
import { Watchlist } from './watchlist.tsx';

const ACCOUNT_KEY = 'rtx.accountId';

export function Terminal({ user, accounts }: { user: AuthUser; accounts: AccountBrief[] }) {
  const [accountId, setAccountId] = useState<number | undefined>(accounts[0]?.id);
  const [symbol, setSymbol] = useState<string>('EURUSD');
  const symbols = useSymbols();
  const [notices] = useState(() => new NoticeStore());
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

  return (
    <NoticeContext.Provider value={notices}>
      <div className="flex h-screen min-h-[640px] flex-col">
        <AccountBar
          user={user}
          accounts={accounts}
          accountId={accountId}
          onAccountChange={(id) => {
            setAccountId(id);
            localStorage.setItem(ACCOUNT_KEY, String(id));
          }}
        />
        {accountId !== undefined && <MarginCallBanner accountId={accountId} />}
        {!account ? (
          <p className="p-6 text-sm text-zinc-400">This login has no trading account yet. Contact support to open one.</p>
        ) : (
          <div className="grid min-h-0 flex-1 grid-cols-[16rem_minmax(0,1fr)_17rem] 2xl:grid-cols-[19.5rem_minmax(0,1fr)_18rem] gap-1 p-1">
            <Watchlist selected={symbol} onSelect={setSymbol} />
            <div className="flex min-h-0 flex-col gap-1">
              <ChartPanel symbol={symbol} />
              <BottomPanel account={account} />
            </div>
            <OrderTicket account={account} symbol={symbol} onSymbolChange={setSymbol} />
          </div>
        )}
        <Notices />
      </div>
    </NoticeContext.Provider>
  );
}
