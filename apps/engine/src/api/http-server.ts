// One HTTP server: tRPC at /trpc, Socket.IO, /health and Prometheus /metrics.
import http from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter, type Context } from '@broker/api';
import { bearerToken } from '../auth/tokens.ts';
import type { Engine } from '../engine.ts';
import type { Logger } from '../logger.ts';

export interface HttpOptions {
  engine: Engine;
  log: Logger;
  /** Origins allowed to call from a browser (the two web apps). */
  corsOrigins: string[];
  /** Largest request body accepted, bytes. */
  maxBodySize?: number;
}

function clientIp(req: http.IncomingMessage): string | undefined {
  return req.socket.remoteAddress ?? undefined;
}

export function createHttpServer(opts: HttpOptions): http.Server {
  const { engine, log } = opts;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: opts.maxBodySize ?? 1024 * 1024,
    createContext: async ({ req }): Promise<Context> => ({
      engine,
      user: await engine.tokens.verify(bearerToken(req.headers.authorization)),
      ip: clientIp(req),
    }),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error('procedure failed', { path, error: error.message, stack: error.cause?.stack });
    },
  });

  const allowed = new Set(opts.corsOrigins);
  const server = http.createServer(async (req, res) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, trpc-accept, x-trpc-source');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = req.url ?? '/';
    try {
      if (url === '/health' || url.startsWith('/health?')) {
        const h = await engine.system.health();
        // 503 only when the engine itself cannot work (database, Redis); LPs and prices are reported in the body.
        res.writeHead(h.core === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
        return;
      }
      if (url === '/metrics') {
        engine.metrics.socketsConnected.set(engine.socketsConnected);
        const body = await engine.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': engine.metrics.registry.contentType }).end(body);
        return;
      }
      if (url.startsWith('/trpc/')) {
        trpc(req, res);
        return;
      }
      if (url.startsWith('/socket.io')) return; // Socket.IO's own listener answers.
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } }));
    } catch (err) {
      log.error('http handler failed', { url, error: (err as Error).message });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' } }));
    }
  });
  return server;
}
