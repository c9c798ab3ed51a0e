'use client';
// The live quote feed: seeded from market.quotes, then kept current by batched `ticks` events: one message per
// conflation window with every symbol that changed (the engine encodes it once for every client watching the same set).
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTRPC } from '../trpc/react.ts';
import { QuoteStore, type LiveQuote } from './quote-store.ts';
import { useSocket } from './socket.tsx';

const QuoteStoreContext = createContext<QuoteStore | null>(null);

export function QuotesProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new QuoteStore());
  const trpc = useTRPC();
  const { socket, subscribe } = useSocket();
  const symbols = useQuery(trpc.market.symbols.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const snapshot = useQuery(trpc.market.quotes.queryOptions(undefined, { staleTime: Infinity, refetchOnWindowFocus: false }));

  useEffect(() => {
    snapshot.data?.forEach((q) => store.applySnapshot(q));
  }, [snapshot.data, store]);

  const names = symbols.data?.map((s) => s.name).join(',') ?? '';
  useEffect(() => {
    if (!names) return;
    return subscribe({ type: 'quotes', symbols: names.split(','), batch: true });
  }, [names, subscribe]);

  useEffect(() => {
    if (!socket) return;
    const onTicks = store.applyTicks.bind(store);
    socket.on('ticks', onTicks);
    return () => {
      socket.off('ticks', onTicks);
    };
  }, [socket, store]);

  return <QuoteStoreContext.Provider value={store}>{children}</QuoteStoreContext.Provider>;
}

export function useQuoteStore(): QuoteStore {
  const store = useContext(QuoteStoreContext);
  if (!store) throw new Error('useQuoteStore outside QuotesProvider');
  return store;
}

/** The latest quote of one symbol; re-renders only when that symbol ticks. */
export function useQuote(symbol: string | undefined): LiveQuote | undefined {
  const store = useQuoteStore();
  return useSyncExternalStore(
    (cb) => (symbol ? store.subscribeSymbol(symbol, cb) : () => {}),
    () => (symbol ? store.get(symbol) : undefined),
    () => undefined,
  );
}

/** Every latest quote; re-renders at most once per frame when any symbol ticks. */
export function useQuotes(): ReadonlyMap<string, LiveQuote> {
  const store = useQuoteStore();
  useSyncExternalStore(
    (cb) => store.subscribeAll(cb),
    () => store.version,
    () => 0,
  );
  return store.all();
}
