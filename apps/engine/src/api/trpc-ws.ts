// tRPC over WebSocket at /trpc-ws, on the engine's HTTP server: the same router, procedures and access
// rules as /trpc, but one connection carries many calls, so a busy client skips the per-request HTTP cost.
// Auth: the client sends its token once, as connectionParams `{ token }` (wsLink's `connectionParams`), or
// as `Authorization: Bearer` on the upgrade request; the context (and the caller) is fixed per connection.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { TRPCError } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { getErrorShape, transformTRPCResponse } from '@trpc/server/unstable-core-do-not-import';
import { appRouter, type Context } from '@broker/api';
import { messagesLimited, type MessageLimiter } from '../auth/rate-limits.ts';
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

const OPEN_BRACKET = 0x5b; // '[': a batch of calls in one message
const config = appRouter._def._config;

/** How many calls a message carries: one, or a batch's length (parsed only for a batch). */
function callsIn(data: RawData): number {
  if (!Buffer.isBuffer(data) || data[0] !== OPEN_BRACKET) return 1;
  try {
    const msg: unknown = JSON.parse(data.toString('utf8'));
    return Array.isArray(msg) ? Math.max(1, msg.length) : 1;
  } catch {
    return 1;
  }
}

/**
 * The answers to a refused message: RATE_LIMITED with the wait for each call it carried, in the shape a
 * procedure's own error has (the router's error formatter and transformer), so the client sees it as any error.
 */
function refusals(data: RawData, waitMs: number): string[] {
  let msg: unknown;
  try {
    msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  } catch {
    return [];
  }
  const cause = messagesLimited(waitMs);
  const error = new TRPCError({ code: 'TOO_MANY_REQUESTS', message: cause.message, cause });
  const out: string[] = [];
  for (const m of Array.isArray(msg) ? msg : [msg]) {
    const call = m as { id?: unknown; jsonrpc?: '2.0'; method?: unknown; params?: { path?: unknown } } | null;
    if (!call || (typeof call.id !== 'number' && typeof call.id !== 'string')) continue;
    const path = typeof call.params?.path === 'string' ? call.params.path : undefined;
    const type = call.method === 'query' || call.method === 'mutation' || call.method === 'subscription' ? call.method : 'unknown';
    const shape = getErrorShape({ config, error, type, path, input: undefined, ctx: undefined });
    out.push(JSON.stringify(transformTRPCResponse(config, { id: call.id, jsonrpc: call.jsonrpc, error: shape })));
  }
  return out;
}

export function attachTrpcWs(server: http.Server, opts: { engine: Engine; log: Logger; maxPayload?: number; corsOrigins?: string[] }): TrpcWs {
  const { engine, log } = opts;
  const allowedOrigins = new Set(opts.corsOrigins ?? []);

  /**
   * Messages per connection (design.md §5.4): each connection's token bucket is checked before tRPC sees a
   * message (here, where the socket emits it), so a refused call costs no parse of its input, no context and
   * no procedure. Keep-alive frames do not count. A flood (refusals past the bound) closes the connection.
   */
  class LimitedSocket extends WebSocket {
    private limiter: MessageLimiter | null = null;

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message' && !this.admit(args[0] as RawData, args[1] as boolean)) return false;
      return super.emit(event, ...args);
    }

    private admit(data: RawData, isBinary: boolean): boolean {
      if (!isBinary && Buffer.isBuffer(data) && data.length === 4) {
        const text = data.toString('latin1');
        if (text === 'PING' || text === 'PONG') return true;
      }
      const limiter = (this.limiter ??= engine.limits.wsLimiter());
      const wait = limiter.take(callsIn(data));
      if (!wait) return true;
      if (this.readyState !== WebSocket.OPEN) return false; // closing: nothing more is answered
      for (const answer of refusals(data, wait)) this.send(answer);
      if (limiter.flooding && this.readyState === WebSocket.OPEN) {
        log.warn('socket flood: connection closed', { transport: 'trpc-ws' });
        this.close(1008, 'Too many messages');
      }
      return false;
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 1024 * 1024, WebSocket: LimitedSocket });
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
