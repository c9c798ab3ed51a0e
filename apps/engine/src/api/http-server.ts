// One HTTP server: tRPC at /trpc, Socket.IO, /health and Prometheus /metrics.
import http from 'node:http';
import helmet from 'helmet';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter, isEngineError, type Context } from '@broker/api';
import { retryAfterOf } from '../auth/rate-limits.ts';
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
  /** Most procedure calls one batched HTTP request may carry (issue 12: 200 logins in one request). */
  maxBatchSize?: number;
  /** Most TCP connections open at once from one address; 0 = no cap. */
  maxConnectionsPerIp?: number;
}

export const DEFAULT_MAX_BATCH = 20;

// Security headers on every engine response (helmet: the maintained set of them, usable on plain node:http).
// The engine serves JSON only: nothing may be framed, sniffed, or load anything.
const securityHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-site' },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
});

/** How many procedures a tRPC URL names: `/trpc/a,b,c?batch=1` → 3. */
export function batchCount(url: string): number {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (q < 0 || !/[?&]batch=1(&|$)/.test(url.slice(q))) return 1;
  return path.slice('/trpc/'.length).split(',').length;
}

const tooMany = (res: http.ServerResponse, message: string, retryAfterS?: number, code = 'RATE_LIMITED', status = 429) =>
  res
    .writeHead(status, { 'content-type': 'application/json', ...(retryAfterS ? { 'retry-after': String(retryAfterS) } : {}) })
    .end(JSON.stringify([{ error: { json: { message, code: -32600, data: { code: 'TOO_MANY_REQUESTS', httpStatus: status, appCode: code } } } }]));

function clientIp(req: http.IncomingMessage): string | undefined {
  return req.socket.remoteAddress ?? undefined;
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.slice(0, 300);
}

export function createHttpServer(opts: HttpOptions): http.Server {
  const { engine, log } = opts;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: opts.maxBodySize ?? 1024 * 1024,
    createContext: async ({ req }): Promise<Context> => {
      // Verified, not expired and not revoked (auth/sessions.ts).
      const user = (await engine.sessions.authenticate(bearerToken(req.headers.authorization)))?.user ?? null;
      if (user) {
        // Per user: a signed-in client's calls (a batch counts each).
        try {
          await engine.limits.user(user.id, batchCount(req.url ?? ''));
        } catch (err) {
          if (isEngineError(err)) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: err.message, cause: err });
          throw err;
        }
      }
      return { engine, user, ip: clientIp(req), userAgent: headerOf(req, 'user-agent') };
    },
    // A RATE_LIMITED answer says when to come back.
    responseMeta({ errors }) {
      const wait = errors.map((e) => retryAfterOf(e.cause)).find((s) => s !== undefined);
      return wait === undefined ? {} : { headers: { 'retry-after': String(wait) } };
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error('procedure failed', { path, error: error.message, stack: error.cause?.stack });
    },
  });

  const allowed = new Set(opts.corsOrigins);
  const maxBatch = opts.maxBatchSize ?? DEFAULT_MAX_BATCH;
  const server = http.createServer(async (req, res) => {
    securityHeaders(req, res, () => undefined);
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
        res.setHeader('Cache-Control', 'no-store');
        const calls = batchCount(url);
        if (calls > maxBatch) {
          tooMany(res, `At most ${maxBatch} calls in one batched request (${calls} sent)`);
          return;
        }
        // Per address, before any work: every call counts, signed in or not.
        try {
          await engine.limits.api(clientIp(req), calls);
        } catch (err) {
          if (!isEngineError(err)) throw err;
          tooMany(res, err.message, retryAfterOf(err));
          return;
        }
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
  limitConnectionsPerIp(server, opts.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP);
  return server;
}

/** Open TCP connections per address (HTTP keep-alive, Socket.IO, /trpc-ws alike). Behind a proxy, cap at the proxy. */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

function limitConnectionsPerIp(server: http.Server, max: number) {
  if (!(max > 0)) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const ip = socket.remoteAddress ?? '?';
    const n = (open.get(ip) ?? 0) + 1;
    if (n > max) {
      socket.destroy();
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}
