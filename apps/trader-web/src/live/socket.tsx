'use client';
// One Socket.IO connection per page, shared by every live hook. Subscriptions are reference-counted and
// replayed after a reconnect, so hooks subscribe once and never think about the connection. A hook may ask to
// be told each time the engine has confirmed its subscription (first time and after every reconnect): what
// happened before that moment never reaches it as an event, so that is when it fetches its state again.
import type { ClientToServerEvents, ServerToClientEvents, SubscribeRequest } from '@broker/api/socket';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

interface SocketContextValue {
  socket: AppSocket | null;
  state: ConnectionState;
  subscribe: (req: SubscribeRequest, onReady?: () => void) => () => void;
}

const SocketContext = createContext<SocketContextValue | null>(null);

const keyOf = (req: SubscribeRequest) => JSON.stringify(req);

export function SocketProvider({ url, token, children }: { url: string; token: string; children: ReactNode }) {
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const subs = useRef(new Map<string, { req: SubscribeRequest; count: number; ready: Set<() => void> }>());

  // The engine's ack says the room is joined: from then on every event reaches this page.
  const send = (s: AppSocket, key: string) => {
    const entry = subs.current.get(key);
    if (!entry) return;
    s.emit('subscribe', entry.req, (res) => {
      if (res.ok) for (const l of subs.current.get(key)?.ready ?? []) l();
    });
  };

  useEffect(() => {
    const s: AppSocket = io(url, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 });
    const onConnect = () => {
      setState('live');
      for (const key of subs.current.keys()) send(s, key);
    };
    const onDisconnect = () => setState('reconnecting');
    s.on('connect', onConnect);
    s.on('disconnect', onDisconnect);
    s.on('connect_error', onDisconnect);
    setSocket(s);
    return () => {
      s.off('connect', onConnect);
      s.off('disconnect', onDisconnect);
      s.off('connect_error', onDisconnect);
      s.disconnect();
      setSocket(null);
    };
  }, [url, token]);

  // Depends on the socket only: a hook's subscription must survive "live" -> "reconnecting" -> "live".
  const subscribe = useCallback(
    (req: SubscribeRequest, onReady?: () => void) => {
      const key = keyOf(req);
      const entry = subs.current.get(key);
      if (entry) {
        entry.count++;
        if (onReady) entry.ready.add(onReady);
      } else {
        subs.current.set(key, { req, count: 1, ready: new Set(onReady ? [onReady] : []) });
        if (socket?.connected) send(socket, key);
      }
      return () => {
        const e = subs.current.get(key);
        if (!e) return;
        if (onReady) e.ready.delete(onReady);
        if (--e.count === 0) {
          subs.current.delete(key);
          if (socket?.connected) socket.emit('unsubscribe', req);
        }
      };
    },
    [socket],
  );

  const value = useMemo<SocketContextValue>(() => ({ socket, state, subscribe }), [socket, state, subscribe]);

  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

export function useSocket(): SocketContextValue {
  const ctx = useContext(SocketContext);
  if (!ctx) throw new Error('useSocket outside SocketProvider');
  return ctx;
}

/** "live" or "reconnecting", for the status dot. */
export function useConnectionState(): ConnectionState {
  return useSocket().state;
}
