import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for OANDA's v20 streaming host: GET /v3/accounts/{accountId}/pricing/stream?instruments=…
 * answered with a chunked body of newline-delimited JSON (PRICE and HEARTBEAT objects). Tests script it.
 */
export interface FakeOandaOptions {
  token?: string;
  accountId?: string;
  /** Heartbeats every this many ms on each open stream; 0 = only when `heartbeat()` is called. */
  heartbeatEveryMs?: number;
  /** Default 0 (any free port); a test that restarts the fake passes the old one. */
  port?: number;
}

export interface FakePrice {
  bid: string;
  ask: string;
  /** RFC3339 with nanoseconds, like OANDA; default: now. */
  time?: string;
  tradeable?: boolean;
  liquidity?: number;
}

export interface FakeOanda {
  url: string;
  /** Every request seen: path + query and the Authorization header. */
  requests: { url: string; authorization: string | undefined }[];
  /** Streams currently open. */
  readonly open: number;
  /** Streams ever accepted (200). */
  readonly accepted: number;
  waitForStreams(n: number, timeoutMs?: number): Promise<void>;
  price(instrument: string, p: FakePrice): void;
  heartbeat(time?: string): void;
  /** Any text, sent as one line (garbage, an unknown type…). */
  line(text: string): void;
  /** Raw bytes with no newline added: for lines split across chunks. */
  raw(text: string): void;
  /** Stop sending heartbeats (a stream that silently hangs). */
  silence(): void;
  /** Kill every open stream's socket. */
  drop(): void;
  close(): Promise<void>;
}

/** RFC3339 with nanoseconds, the way OANDA writes it. */
export function oandaTime(ms: number, nanosAfterMs = '456789'): string {
  return new Date(ms).toISOString().replace('Z', `${nanosAfterMs}Z`);
}

export async function startFakeOanda(opts: FakeOandaOptions = {}): Promise<FakeOanda> {
  const token = opts.token ?? 'test-token';
  const accountId = opts.accountId ?? '101-004-1234567-001';
  const streams = new Set<http.ServerResponse>();
  const requests: FakeOanda['requests'] = [];
  let accepted = 0;
  let silent = false;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, { errorMessage: 'Insufficient authorization to perform request.' });
    }
    if (req.method !== 'GET' || url.pathname !== `/v3/accounts/${accountId}/pricing/stream`) {
      return json(res, 404, { errorMessage: 'The requested resource was not found.' });
    }
    const instruments = url.searchParams.get('instruments');
    if (!instruments) return json(res, 400, { errorMessage: "Invalid value specified for 'instruments'" });
    accepted++;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    streams.add(res);
    const timer =
      opts.heartbeatEveryMs && opts.heartbeatEveryMs > 0
        ? setInterval(() => {
            if (!silent) res.write(JSON.stringify({ type: 'HEARTBEAT', time: oandaTime(Date.now()) }) + '\n');
          }, opts.heartbeatEveryMs)
        : null;
    res.on('close', () => {
      if (timer) clearInterval(timer);
      streams.delete(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const broadcast = (text: string) => {
    for (const res of streams) res.write(text);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get open() {
      return streams.size;
    },
    get accepted() {
      return accepted;
    },
    async waitForStreams(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (accepted < n || streams.size === 0) {
        if (Date.now() > until) throw new Error(`fake OANDA: ${accepted} streams accepted, wanted ${n}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    price(instrument, p) {
      const liquidity = p.liquidity ?? 1_000_000;
      broadcast(
        JSON.stringify({
          type: 'PRICE',
          instrument,
          time: p.time ?? oandaTime(Date.now()),
          bids: [{ price: p.bid, liquidity }],
          asks: [{ price: p.ask, liquidity }],
          closeoutBid: p.bid,
          closeoutAsk: p.ask,
          status: p.tradeable === false ? 'non-tradeable' : 'tradeable',
          tradeable: p.tradeable ?? true,
        }) + '\n',
      );
    },
    heartbeat(time) {
      broadcast(JSON.stringify({ type: 'HEARTBEAT', time: time ?? oandaTime(Date.now()) }) + '\n');
    },
    line(text) {
      broadcast(text + '\n');
    },
    raw(text) {
      broadcast(text);
    },
    silence() {
      silent = true;
    },
    drop() {
      for (const res of streams) res.socket?.destroy();
    },
    async close() {
      for (const res of streams) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
