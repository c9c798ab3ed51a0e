'use client';
// One Socket.IO connection per page, shared by every live hook. Subscriptions are reference-counted and
// replayed after a reconnect, so hooks subscribe once and never think about the connection.
import type { ClientToServerEvents, ServerToClientEvents, SubscribeRequest } from '@broker/api/socket';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

interface SocketContextValue {
  socket: AppSocket | null;
  state: ConnectionState;
  subscribe: (req: SubscribeRequest) => () => void;
}

const SocketContext = createContext<SocketContextValue | null>(null);

const keyOf = (req: SubscribeRequest) => JSON.stringify(req);

export function SocketProvider({ url, token, children }: { url: string; token: string; children: ReactNode }) {
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const subs = useRef(new Map<string, { req: SubscribeRequest; count: number }>());

  useEffect(() => {
    const s: AppSocket = io(url, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 });
    const onConnect = () => {
      setState('live');
      for (const { req } of subs.current.values()) s.emit('subscribe', req);
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
    (req: SubscribeRequest) => {
      const key = keyOf(req);
      const entry = subs.current.get(key);
      if (entry) entry.count++;
      else {
        subs.current.set(key, { req, count: 1 });
        if (socket?.connected) socket.emit('subscribe', req);
      }
      return () => {
        const e = subs.current.get(key);
        if (!e) return;
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
