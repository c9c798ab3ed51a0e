'use client';
// The LP list, live: polled every 5 s and patched at once by the engine's `lp_status` Socket.IO events
// (the dealers room; staff only).
import type { ClientToServerEvents, LpWire, ServerToClientEvents } from '@broker/api/socket';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from 'next-auth/react';
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useTRPC } from '../trpc/react.ts';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'refused';

/** Replaces the LP with the same name (names are unique; ids are null for LPs configured outside the database). */
export function mergeLp(list: LpWire[] | undefined, lp: LpWire): LpWire[] {
  if (!list) return [lp];
  const i = list.findIndex((l) => (lp.id !== null && l.id === lp.id) || l.name === lp.name);
  if (i < 0) return [...list, lp];
  const next = list.slice();
  next[i] = lp;
  return next;
}

/** Order shown: by priority (lower first, as the LP manager prefers), then name. */
export const sortLps = (lps: LpWire[]) => lps.slice().sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));

export function useLps(engineUrl: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const token = session?.engineToken ?? '';
  const list = useQuery(trpc.admin.lps.list.queryOptions(undefined, { refetchInterval: 5_000, refetchIntervalInBackground: false }));
  const [feed, setFeed] = useState<FeedState>('connecting');
  const [lastEventAt, setLastEventAt] = useState<number | null>(null);

  useEffect(() => {
    if (!token) return;
    const key = trpc.admin.lps.list.queryKey();
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(engineUrl, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelayMax: 5_000,
    });
    const onConnect = () => {
      s.emit('subscribe', { type: 'dealer' }, (res) => setFeed(res.ok ? 'live' : 'refused'));
    };
    const onDown = () => setFeed('reconnecting');
    const onLp = (e: { lp: LpWire }) => {
      queryClient.setQueryData(key, (old: LpWire[] | undefined) => mergeLp(old, e.lp));
      setLastEventAt(Date.now());
    };
    s.on('connect', onConnect);
    s.on('disconnect', onDown);
    s.on('connect_error', onDown);
    s.on('lp_status', onLp);
    return () => {
      s.off('connect', onConnect);
      s.off('disconnect', onDown);
      s.off('connect_error', onDown);
      s.off('lp_status', onLp);
      s.disconnect();
    };
  }, [engineUrl, token, trpc, queryClient]);

  return { list, feed, lastEventAt };
}
