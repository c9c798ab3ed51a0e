'use client';
import type { SymbolDto } from '@broker/api';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../trpc/react.ts';

/** The symbol list (digits, contract size, volume limits), fetched once and shared by every panel. */
export function useSymbols() {
  const trpc = useTRPC();
  const query = useQuery(trpc.market.symbols.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const byName = useMemo(() => new Map<string, SymbolDto>((query.data ?? []).map((s) => [s.name, s])), [query.data]);
  return { ...query, byName };
}
