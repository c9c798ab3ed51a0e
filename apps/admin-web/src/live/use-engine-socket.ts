'use client';
// One Socket.IO connection per page to the engine, with the rooms the page needs (an account's, the dealers').
import type { ClientToServerEvents, ServerToClientEvents, SubscribeRequest } from '@broker/api/socket';
import { useSession } from 'next-auth/react';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useEngineUrl } from '../staff/engine-url.tsx';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'refused';
type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

/** Joins `rooms` and calls the latest `handlers`; reconnects (and re-joins) on its own. */
export function useEngineSocket(rooms: SubscribeRequest[], handlers: Handlers): FeedState {
  const engineUrl = useEngineUrl();
  const { data: session } = useSession();
  const token = session?.engineToken ?? '';
  const [feed, setFeed] = useState<FeedState>('connecting');
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const roomsKey = JSON.stringify(rooms);

  useEffect(() => {
    if (!token || !engineUrl) return;
    const wanted = JSON.parse(roomsKey) as SubscribeRequest[];
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(engineUrl, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5_000 });
    s.on('connect', () => {
      let pending = wanted.length;
      let refused = false;
      if (!pending) setFeed('live');
      for (const r of wanted) {
        s.emit('subscribe', r, (res) => {
          refused ||= !res.ok;
          if (--pending === 0) setFeed(refused ? 'refused' : 'live');
        });
      }
    });
    s.on('disconnect', () => setFeed('reconnecting'));
    s.on('connect_error', () => setFeed('reconnecting'));
    const events = ['account_update', 'position_update', 'order_update', 'order_filled', 'margin_call', 'alert', 'lp_status'] as const;
    for (const ev of events) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (s as Socket<any, ClientToServerEvents>).on(ev, (payload: unknown) => (handlersRef.current[ev] as ((p: unknown) => void) | undefined)?.(payload));
    }
    return () => {
      s.removeAllListeners();
      s.disconnect();
    };
  }, [engineUrl, token, roomsKey]);

  return feed;
}

export const FEED_LABEL: Record<FeedState, { tone: 'ok' | 'warn' | 'error'; label: string }> = {
  connecting: { tone: 'warn', label: 'Connecting…' },
  live: { tone: 'ok', label: 'Live' },
  reconnecting: { tone: 'warn', label: 'Reconnecting…' },
  refused: { tone: 'error', label: 'Live feed refused' },
};
