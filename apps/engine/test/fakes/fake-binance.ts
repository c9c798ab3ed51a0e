import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for Binance's market-data WebSocket host: the combined-stream endpoint
 * /stream?streams=<symbol>@bookTicker/… sending {"stream", "data"} frames. Tests script it.
 */
export interface FakeBinance {
  url: string;
  /** The `streams` query of every accepted connection. */
  subscriptions: string[][];
  readonly open: number;
  readonly accepted: number;
  /** Pongs the clients sent back to `ping()`. */
  readonly pongs: number;
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** A bookTicker frame to every connection subscribed to `<symbol>@bookTicker`. */
  bookTicker(symbol: string, bid: string, ask: string, opts?: { updateId?: number; bidQty?: string; askQty?: string }): void;
  /** Any text frame to every connection. */
  frame(text: string): void;
  ping(): void;
  /** Binance's serverShutdown notice. */
  shutdownNotice(): void;
  /** Kill every socket without a close frame. */
  drop(): void;
  /** Close every connection cleanly, as Binance does at the 24 h mark. */
  closeAll(code?: number): void;
  close(): Promise<void>;
}

export async function startFakeBinance(): Promise<FakeBinance> {
  const server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const clients = new Map<WebSocket, Set<string>>();
  const subscriptions: string[][] = [];
  let accepted = 0;
  let pongs = 0;
  let updateId = 400_900_000;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const streams = (url.searchParams.get('streams') ?? '').split('/').filter(Boolean);
    if (url.pathname !== '/stream' || streams.length === 0) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      accepted++;
      subscriptions.push(streams);
      clients.set(ws, new Set(streams));
      ws.on('pong', () => pongs++);
      ws.on('close', () => clients.delete(ws));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const send = (stream: string | null, text: string) => {
    for (const [ws, streams] of clients) if (stream === null || streams.has(stream)) ws.send(text);
  };

  return {
    url: `ws://127.0.0.1:${port}`,
    subscriptions,
    get open() {
      return clients.size;
    },
    get accepted() {
      return accepted;
    },
    get pongs() {
      return pongs;
    },
    async waitForConnections(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (accepted < n || clients.size === 0) {
        if (Date.now() > until) throw new Error(`fake Binance: ${accepted} connections accepted, wanted ${n}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    bookTicker(symbol, bid, ask, opts = {}) {
      const stream = `${symbol.toLowerCase()}@bookTicker`;
      const u = opts.updateId ?? ++updateId;
      const data = { u, s: symbol.toUpperCase(), b: bid, B: opts.bidQty ?? '31.21000000', a: ask, A: opts.askQty ?? '40.66000000' };
      send(stream, JSON.stringify({ stream, data }));
    },
    frame(text) {
      send(null, text);
    },
    ping() {
      for (const ws of clients.keys()) ws.ping();
    },
    shutdownNotice() {
      send(null, JSON.stringify({ e: 'serverShutdown', E: Date.now() }));
    },
    drop() {
      for (const ws of clients.keys()) ws.terminate();
    },
    closeAll(code = 1001) {
      for (const ws of clients.keys()) ws.close(code, 'connection lifetime reached');
    },
    async close() {
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
