// Socket.IO: quotes per symbol room, account rooms for the owner (and staff), checked on every subscription.
import type http from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { AuthUser, ClientToServerEvents, ServerToClientEvents } from '@broker/api';
import type { Engine } from '../engine.ts';
import { messagesLimited } from '../auth/rate-limits.ts';
import { originAllowed } from './trpc-ws.ts';
import { createConflator } from '../marketdata/conflation.ts';
import type { Logger } from '../logger.ts';

interface SocketData {
  user: AuthUser;
  token: string;
  expiresAt: number;
  /** Batched quote subscribers: their symbols, and the set room they are in (`qset:A,B,C`). */
  batchSymbols?: Set<string>;
  setRoom?: string;
}

const SubscribeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('quotes'), symbols: z.array(z.string().max(20)).max(200), batch: z.boolean().optional() }),
  z.object({ type: z.literal('account'), accountId: z.number().int().positive().max(2_147_483_647) }),
  z.object({ type: z.literal('dealer') }),
]);

/** Exposure pushes to dealers: at most one per EXPOSURE_MIN_MS, and one every EXPOSURE_EVERY_MS while watched. */
const EXPOSURE_MIN_MS = 500;
const EXPOSURE_EVERY_MS = 5000;

export function attachSockets(server: http.Server, engine: Engine, log: Logger, corsOrigins: string[]) {
  const allowedOrigins = new Set(corsOrigins);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(server, {
    cors: { origin: corsOrigins, credentials: true },
    // Per-message compression collapses fan-out throughput (machine-notes.md).
    perMessageDeflate: false,
    maxHttpBufferSize: 64 * 1024,
    // CORS covers only the polling transport: a WebSocket upgrade's Origin is checked here (both transports).
    allowRequest: (req, done) => done(null, originAllowed(req.headers.origin, allowedOrigins)),
  });

  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: string } | undefined)?.token;
    const session = await engine.sessions.authenticate(token);
    if (!session || !token) return next(new Error('UNAUTHENTICATED'));
    // A set-up-only session (two-factor required, not on yet) streams nothing.
    if (session.user.twoFactorSetupOnly) return next(new Error('TWO_FACTOR_SETUP_REQUIRED'));
    socket.data.user = session.user;
    socket.data.token = token;
    socket.data.expiresAt = session.expiresAt;
    next();
  });

  io.on('connection', (socket) => {
    engine.socketsConnected++;
    // The socket ends with its token: at expiry, on logout, or when the user is deactivated or changes password.
    const stopWatch = engine.sessions.watch({ user: socket.data.user, expiresAt: socket.data.expiresAt }, socket.data.token, (why) => {
      socket.emit('error_event', { code: 'UNAUTHENTICATED', message: `Token ${why}: sign in again` });
      socket.disconnect(true);
    });
    socket.on('disconnect', stopWatch);
    // Messages per connection (design.md §5.4, as on /trpc-ws): over the budget a message is not handled and
    // is answered RATE_LIMITED with the wait (through its ack, or an error_event); a flood closes the socket.
    const limiter = engine.limits.socketLimiter();
    socket.use((packet, next) => {
      const wait = limiter.take();
      if (!wait) return next();
      const err = messagesLimited(wait);
      const answer = { code: 'RATE_LIMITED', message: err.message, retryAfterSeconds: err.details!.retryAfterSeconds as number };
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as (res: unknown) => void)({ ok: false, ...answer });
      else socket.emit('error_event', answer);
      if (limiter.flooding) {
        log.warn('socket flood: connection closed', { transport: 'socket.io', userId: socket.data.user.id, ip: socket.handshake.address });
        socket.disconnect(true);
      }
    });
    socket.on('disconnect', () => {
      engine.socketsConnected--;
    });

    const handle = async (raw: unknown, join: boolean) => {
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) return { ok: false as const, code: 'VALIDATION_ERROR', message: 'Bad subscription' };
      const req = parsed.data;
      const user = socket.data.user;
      let rooms: string[];
      if (req.type === 'quotes' && req.batch) {
        // Clients watching the same set share one room, so a window's changes for the set are encoded once.
        const set = socket.data.batchSymbols ?? new Set<string>();
        for (const s of req.symbols) {
          if (join) set.add(s.toUpperCase());
          else set.delete(s.toUpperCase());
        }
        socket.data.batchSymbols = set;
        if (socket.data.setRoom) await socket.leave(socket.data.setRoom);
        socket.data.setRoom = set.size ? `qset:${[...set].sort().join(',')}` : undefined;
        if (socket.data.setRoom) await socket.join(socket.data.setRoom);
        return { ok: true as const };
      }
      if (req.type === 'quotes') {
        rooms = req.symbols.map((s) => `quotes:${s.toUpperCase()}`);
      } else if (req.type === 'account') {
        // A trader: the same path for another's account and a missing one (auth.ownsAccount).
        const allowed = user.role === 'CLIENT' ? await engine.auth.ownsAccount(user.id, req.accountId) : (await engine.auth.accountOwner(req.accountId)) !== null;
        if (!allowed) return { ok: false as const, code: 'ACCOUNT_NOT_FOUND', message: 'No such account' };
        rooms = [`account:${req.accountId}`];
      } else {
        if (user.role === 'CLIENT') return { ok: false as const, code: 'FORBIDDEN', message: 'Dealers only' };
        rooms = ['dealers'];
      }
      for (const r of rooms) {
        if (join) await socket.join(r);
        else await socket.leave(r);
      }
      return { ok: true as const };
    };

    socket.on('subscribe', async (raw, ack) => {
      const res = await handle(raw, true).catch(() => ({ ok: false as const, code: 'INTERNAL_ERROR', message: 'Internal error' }));
      if (typeof ack === 'function') ack(res);
      else if (!res.ok) socket.emit('error_event', { code: res.code, message: res.message });
    });
    socket.on('unsubscribe', (raw) => {
      void handle(raw, false).catch(() => undefined);
    });
  });

  const rooms = io.sockets.adapter.rooms;
  engine.hasAccountListeners = (accountId) => (rooms.get(`account:${accountId}`)?.size ?? 0) > 0 || (rooms.get('dealers')?.size ?? 0) > 0;
  // Conflation (architecture.md): a client gets the newest price of each symbol per flush, never a backlog.
  const conflator = createConflator(io, { intervalMs: Number(process.env.QUOTE_CONFLATION_MS ?? 10) });
  engine.events.on('tick', (e) => conflator.push(e));
  io.engine.on('close', () => conflator.stop());
  engine.events.on('account_update', (e) => io.to(`account:${e.accountId}`).to('dealers').emit('account_update', e));
  engine.events.on('position_update', (e) => io.to(`account:${e.accountId}`).to('dealers').emit('position_update', e));
  engine.events.on('order_filled', (e) => io.to(`account:${e.accountId}`).to('dealers').emit('order_filled', e));
  engine.events.on('order_update', (e) => io.to(`account:${e.accountId}`).to('dealers').emit('order_update', e));
  engine.events.on('lp_status', (e) => io.to('dealers').emit('lp_status', e));
  engine.events.on('alert', (e) => io.to('dealers').emit('alert', e));
  engine.events.on('margin_call', (e) => io.to(`account:${e.accountId}`).to('dealers').emit('margin_call', e));
  // A trader's own alert: the account's room only (dealers have their own `alert` event).
  engine.events.on('price_alert', (e) => io.to(`account:${e.accountId}`).emit('price_alert', e));

  // Exposure to dealers: soon after positions change (at most every EXPOSURE_MIN_MS), and every
  // EXPOSURE_EVERY_MS while any dealer watches (prices move the figures).
  let exposureTimer: NodeJS.Timeout | null = null;
  let lastExposure = 0;
  const pushExposure = () => {
    exposureTimer = null;
    if (!(rooms.get('dealers')?.size ?? 0)) return;
    lastExposure = Date.now();
    void engine.dealing
      .exposure()
      .then(({ rows, total }) => {
        const money = (v: { toFixed(dp: number): string } | null) => v?.toFixed(2) ?? null;
        io.to('dealers').emit('exposure', {
          type: 'exposure',
          at: lastExposure,
          rows: rows.map((r) => ({
            symbol: r.symbol,
            clientBuyLots: r.clientBuyLots.toString(),
            clientSellLots: r.clientSellLots.toString(),
            clientNetLots: r.clientNetLots.toString(),
            coverageNetLots: r.coverageNetLots.toString(),
            houseNetLots: r.houseNetLots.toString(),
            houseNetNotional: money(r.houseNetNotional),
            clientUnrealizedPnl: money(r.clientUnrealizedPnl),
            coverageUnrealizedPnl: money(r.coverageUnrealizedPnl),
            housePnl: money(r.housePnl),
            positions: r.positions,
            accounts: r.accounts,
            limitUsedPercent: money(r.limitUsedPercent),
          })),
          total: { clientUnrealizedPnl: money(total.clientUnrealizedPnl), coverageUnrealizedPnl: money(total.coverageUnrealizedPnl), housePnl: money(total.housePnl) },
        });
      })
      .catch((err: Error) => log.warn('exposure push failed', { error: err.message }));
  };
  const soon = () => {
    if (exposureTimer || !(rooms.get('dealers')?.size ?? 0)) return;
    exposureTimer = setTimeout(pushExposure, Math.max(0, lastExposure + EXPOSURE_MIN_MS - Date.now()));
    exposureTimer.unref?.();
  };
  engine.events.on('order_filled', soon);
  engine.events.on('position_update', soon);
  const exposureTick = setInterval(soon, EXPOSURE_EVERY_MS);
  exposureTick.unref?.();
  io.engine.on('close', () => {
    clearInterval(exposureTick);
    if (exposureTimer) clearTimeout(exposureTimer);
  });

  log.info('sockets ready');
  return io;
}
