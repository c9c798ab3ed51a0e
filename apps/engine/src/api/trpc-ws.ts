// tRPC over WebSocket at /trpc-ws, on the engine's HTTP server: the same router, procedures and access
// rules as /trpc, but one connection carries many calls, so a busy client skips the per-request HTTP cost.
// Auth: the client sends its token once, as connectionParams `{ token }` (wsLink's `connectionParams`), or
// as `Authorization: Bearer` on the upgrade request; the context (and the caller) is fixed per connection.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { appRouter, type Context } from '@broker/api';
import { bearerToken } from '../auth/tokens.ts';
import type { Engine } from '../engine.ts';
import type { Logger } from '../logger.ts';

export const TRPC_WS_PATH = '/trpc-ws';

export interface TrpcWs {
  close(): Promise<void>;
}

/**
 * Whether a WebSocket upgrade's Origin may connect: browsers always send one, and only the web apps' origins
 * (CORS_ORIGINS) are let in, so another site cannot ride a signed-in user's browser (cross-site WebSocket
 * hijacking). A request without Origin is not from a browser page (bots, tests) and carries its own token.
 */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  return origin === undefined || allowed.has(origin);
}

export function attachTrpcWs(server: http.Server, opts: { engine: Engine; log: Logger; maxPayload?: number; corsOrigins?: string[] }): TrpcWs {
  const { engine, log } = opts;
  const allowedOrigins = new Set(opts.corsOrigins ?? []);
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 1024 * 1024 });
  applyWSSHandler({
    wss,
    router: appRouter,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    createContext: async ({ req, res, info }): Promise<Context> => {
      const fromParams = info.connectionParams?.token;
      const token = typeof fromParams === 'string' && fromParams ? fromParams : bearerToken(req.headers.authorization);
      const ua = req.headers['user-agent'];
      const session = await engine.sessions.authenticate(token);
      if (session && token) {
        // The context is fixed per connection: the connection ends with its token (expiry or revocation).
        const stop = engine.sessions.watch(session, token, (why) => res.close(4001, `token ${why}`));
        res.once('close', stop);
      }
      return { engine, user: session?.user ?? null, ip: req.socket.remoteAddress ?? undefined, userAgent: (Array.isArray(ua) ? ua[0] : ua)?.slice(0, 300) };
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error('procedure failed', { path, transport: 'ws', error: error.message, stack: error.cause?.stack });
    },
  });

  // Only our path is taken; Socket.IO's own upgrade listener handles /socket.io and leaves this one alone.
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== TRPC_WS_PATH) return;
    if (!originAllowed(req.headers.origin, allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
