// Conflated quote fan-out (architecture.md: Socket.IO room `quotes:{symbol}`, "conflated per client").
// push() keeps only the latest tick per symbol; every `intervalMs` each changed symbol is broadcast once to
// its room, as the same `tick` event (TickEvent) clients already handle — one encoding per symbol, shared by
// every socket in the room (Socket.IO pre-encodes the WebSocket frame for broadcasts).
// A socket whose transport is still busy with earlier writes (slow reader, full TCP buffer) is skipped
// rather than queued behind: it is owed those symbols and gets their then-latest tick at the first flush
// where it is writable again — never a backlog of stale prices.
import type { Server, Socket } from 'socket.io';
import type { TickEvent } from '@broker/api/socket';

export interface ConflatorStats {
  /** Ticks pushed. */
  received: number;
  /** Ticks replaced by a newer one of the same symbol before they were sent. */
  conflated: number;
  /** Room broadcasts (one per changed symbol per flush) plus catch-up sends to previously skipped sockets. */
  emitted: number;
  flushes: number;
  /** Socket deliveries skipped because the socket was backed up (it gets the latest later). */
  skipped: number;
  /** Catch-up sends to sockets that had been skipped. */
  caughtUp: number;
}

export interface Conflator {
  push(tick: TickEvent): void;
  /** Sends what is pending now and stops the timer. */
  stop(): void;
  stats(): ConflatorStats;
  /** Sends what is pending now (tests, shutdown). */
  flush(): void;
}

export interface ConflatorOptions {
  /** Default 10 ms. */
  intervalMs?: number;
  /** Room of a symbol; default `quotes:${symbol}` (sockets.ts). */
  room?: (symbol: string) => string;
  /** Whether a socket is backed up; default: its engine.io transport has a write in flight and packets queued behind it. */
  isBackedUp?: (socket: Socket) => boolean;
}

interface EngineConn {
  writeBuffer?: unknown[];
  transport?: { writable?: boolean };
}

/** Backed up: engine.io already queues packets for it because the transport has not finished writing. */
export function transportBackedUp(socket: Socket): boolean {
  const conn = (socket as unknown as { conn?: EngineConn }).conn;
  if (!conn) return false;
  return (conn.writeBuffer?.length ?? 0) > 0 || conn.transport?.writable === false;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyServer = Server<any, any, any, any>;

export function createConflator(io: AnyServer, opts: ConflatorOptions = {}): Conflator {
  const intervalMs = opts.intervalMs ?? 10;
  const roomOf = opts.room ?? ((s: string) => `quotes:${s}`);
  const isBackedUp = opts.isBackedUp ?? transportBackedUp;
  const nsp = io.of('/');
  /** Latest unsent tick per symbol. */
  let pending = new Map<string, TickEvent>();
  /** Latest sent tick per symbol (what a skipped socket is owed). */
  const lastSent = new Map<string, TickEvent>();
  /** Socket id → symbols it missed while backed up. */
  const owed = new Map<string, Set<string>>();
  /** Batched sockets skipped while backed up: they get their whole set's latest prices when writable. */
  const owedSets = new Set<string>();
  const s: ConflatorStats = { received: 0, conflated: 0, emitted: 0, flushes: 0, skipped: 0, caughtUp: 0 };
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      flush();
    }, intervalMs);
    timer.unref?.();
  };

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.size === 0 && owed.size === 0 && owedSets.size === 0) return;
    s.flushes++;
    const batch = pending;
    pending = new Map();

    // Which local sockets are backed up right now (decided once per flush, before this flush writes).
    const blocked: string[] = [];
    for (const [id, socket] of nsp.sockets) if (isBackedUp(socket)) blocked.push(id);
    const blockedSet = new Set(blocked);

    // Catch-up first: sockets skipped earlier that can take writes again get the latest of what they missed
    // (unless this flush's broadcast is about to send that symbol anyway).
    for (const [id, symbols] of owed) {
      const socket = nsp.sockets.get(id);
      if (!socket) {
        owed.delete(id);
        continue;
      }
      if (blockedSet.has(id)) continue;
      owed.delete(id);
      for (const symbol of symbols) {
        if (batch.has(symbol) || !socket.rooms.has(roomOf(symbol))) continue;
        const t = lastSent.get(symbol);
        if (!t) continue;
        socket.emit('tick', t);
        s.emitted++;
        s.caughtUp++;
      }
    }

    const rooms = nsp.adapter.rooms;
    for (const [symbol, tick] of batch) {
      const room = roomOf(symbol);
      lastSent.set(symbol, tick);
      const members = rooms.get(room);
      if (!members || members.size === 0) continue;
      let op = io.to(room);
      if (blocked.length) {
        const skip: string[] = [];
        for (const id of blocked) {
          if (!members.has(id)) continue;
          skip.push(id);
          let set = owed.get(id);
          if (!set) owed.set(id, (set = new Set()));
          set.add(symbol);
        }
        if (skip.length) {
          s.skipped += skip.length;
          op = op.except(skip);
        }
      }
      op.emit('tick', tick);
      s.emitted++;
    }
    // Batched subscribers: one `ticks` message per set room with the set's changed symbols. A backed-up
    // socket is skipped and later sent its whole set's latest prices.
    for (const [room, members] of rooms) {
      if (!room.startsWith('qset:') || members.size === 0) continue;
      const symbols = room.slice(5).split(',');
      const changed: TickEvent[] = [];
      for (const sym of symbols) {
        const t = batch.get(sym);
        if (t) changed.push(t);
      }
      if (!changed.length) continue;
      let op = io.to(room);
      if (blocked.length) {
        const skip = blocked.filter((id) => members.has(id));
        for (const id of skip) owedSets.add(id);
        if (skip.length) {
          s.skipped += skip.length;
          op = op.except(skip);
        }
      }
      op.emit('ticks', changed);
      s.emitted++;
    }
    for (const id of owedSets) {
      if (blockedSet.has(id)) continue;
      owedSets.delete(id);
      const socket = nsp.sockets.get(id);
      const room = socket && [...socket.rooms].find((r) => r.startsWith('qset:'));
      if (!room) continue;
      const latest = room
        .slice(5)
        .split(',')
        .map((sym) => lastSent.get(sym))
        .filter((t): t is TickEvent => t !== undefined);
      if (latest.length) {
        socket!.emit('ticks', latest);
        s.emitted++;
        s.caughtUp++;
      }
    }
    // Keep flushing while someone is still owed a price.
    if (owed.size || owedSets.size) schedule();
  };

  return {
    push(tick) {
      s.received++;
      if (stopped) return;
      if (pending.has(tick.symbol)) s.conflated++;
      pending.set(tick.symbol, tick);
      schedule();
    },
    flush,
    stop() {
      flush();
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      owed.clear();
    },
    stats: () => ({ ...s }),
  };
}
