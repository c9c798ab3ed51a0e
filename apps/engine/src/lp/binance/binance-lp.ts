import WebSocket from 'ws';
import { createLogger, type Logger } from '../../logger.ts';
import type { LpAdapter, LpStatus, RawQuote } from '../adapter.ts';
import { Backoff, type BackoffOptions } from '../backoff.ts';
import { credentialProblem, endpointProblem } from '../credentials.ts';
import { LpHealth } from '../health.ts';
import { DEFAULT_BINANCE_SYMBOLS, parseBinanceFrame } from './wire.ts';

/** `liquidity_providers.settings` for a Binance row (type WEBSOCKET). See README.md. */
export interface BinanceSettings {
  /** wss://stream.binance.com:9443 or wss://data-stream.binance.vision (a fake in tests); `/stream` is appended. */
  wsUrl?: string;
  /** No frame and no ping for this long → the connection is dead, reconnect. Binance pings every 20 s. */
  staleAfterMs?: number;
  /** Binance closes every connection at 24 h; a fresh one is opened (and the old closed) before that. */
  maxConnectionAgeMs?: number;
  handshakeTimeoutMs?: number;
  backoff?: BackoffOptions;
}

export interface BinanceLpConfig {
  name: string;
  settings: BinanceSettings;
  /**
   * Names of environment variables (`{ apiKey: 'BINANCE_API_KEY' }`). Market-data streams need none; any that
   * is declared must be set, since a declared-but-missing secret is a misconfiguration.
   */
  credentialEnv?: Record<string, string>;
  /** Binance symbol → platform symbol; default `{ BTCUSDT: 'BTCUSD', ETHUSDT: 'ETHUSD' }`. Only mapped pairs stream. */
  symbolMap?: Record<string, string>;
  env?: Record<string, string | undefined>;
  clock?: () => number;
  logger?: Logger;
  random?: () => number;
}

// Binance's documented limit per connection.
const MAX_STREAMS = 1024;

/** Binance Spot best bid/ask over one combined-stream WebSocket of `<symbol>@bookTicker` streams. */
export class BinanceLp implements LpAdapter {
  readonly name: string;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly symbolMap: Record<string, string>;
  private sink: ((q: RawQuote) => void) | null = null;
  private ws: WebSocket | null = null;
  private successor: WebSocket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private ageTimer: NodeJS.Timeout | null = null;
  private running = false;
  /** Last book update id per symbol on the current connection: an older one is out of order. */
  private lastUpdate = new Map<string, number>();

  readonly counts = { quotes: 0, pings: 0, skipped: 0, errors: 0 };
  private readonly health: LpHealth;

  constructor(private readonly config: BinanceLpConfig) {
    this.name = config.name;
    this.clock = config.clock ?? Date.now;
    this.log = config.logger ?? createLogger(`lp:${config.name}`);
    this.health = new LpHealth(this.clock, this.counts);
    this.backoff = new Backoff(config.settings.backoff, config.random);
    const map = config.symbolMap && Object.keys(config.symbolMap).length > 0 ? config.symbolMap : DEFAULT_BINANCE_SYMBOLS;
    this.symbolMap = Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toUpperCase(), v]));
  }

  status(): LpStatus {
    // bookTicker carries no event time, so there is nothing to measure latency against: latencyMs stays null.
    return this.health.status(this.name, 'WEBSOCKET');
  }

  connectedSince(): number | null {
    return this.health.connectedSince;
  }

  /** Starts streaming in the background; never throws. A misconfigured LP reports UNAVAILABLE with a reason. */
  async start(onQuote: (q: RawQuote) => void): Promise<void> {
    this.sink = onQuote;
    const problem = this.configProblem();
    if (problem) {
      this.health.set('UNAVAILABLE', problem);
      this.log.warn('lp unavailable', { lp: this.name, reason: problem });
      return;
    }
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sink = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.clearTimers();
    for (const ws of [this.ws, this.successor]) ws?.terminate();
    this.ws = null;
    this.successor = null;
    if (this.health.state !== 'UNAVAILABLE') this.health.set('DISCONNECTED', 'stopped');
    this.health.connectedSince = null;
  }

  /** The combined-stream URL: `{wsUrl}/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker`. */
  streamUrl(): string {
    const streams = Object.keys(this.symbolMap).map((s) => `${s.toLowerCase()}@bookTicker`);
    // Stream names go in unescaped: Binance expects the literal '@' and '/'.
    return `${this.config.settings.wsUrl!.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`;
  }

  private configProblem(): string | undefined {
    const env = this.config.env ?? process.env;
    const endpoint = endpointProblem('settings.wsUrl', this.config.settings.wsUrl, { secure: 'wss:', plain: 'ws:' }, env);
    if (endpoint) return endpoint;
    const n = Object.keys(this.symbolMap).length;
    if (n > MAX_STREAMS) return `${n} symbols: Binance allows ${MAX_STREAMS} streams per connection`;
    return credentialProblem(this.config.credentialEnv ?? {}, env);
  }

  private clearTimers(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    if (this.ageTimer) clearTimeout(this.ageTimer);
    this.staleTimer = null;
    this.ageTimer = null;
  }

  private connect(): void {
    if (!this.running) return;
    this.health.connecting();
    this.ws = this.open((ws) => this.promote(ws), (ws, message) => this.lost(ws, message));
  }

  /**
   * One socket. `onOpen` decides whether it becomes the live connection; `onLost` runs once when it fails or
   * closes. Frames are handled only while it is the live connection.
   */
  private open(onOpen: (ws: WebSocket) => void, onLost: (ws: WebSocket, message: string) => void): WebSocket {
    const ws = new WebSocket(this.streamUrl(), {
      handshakeTimeout: this.config.settings.handshakeTimeoutMs ?? 10_000,
      // Compression costs CPU on every tick for a few bytes saved.
      perMessageDeflate: false,
    });
    let lost = false;
    const lose = (message: string) => {
      if (lost) return;
      lost = true;
      ws.terminate();
      onLost(ws, message);
    };
    ws.on('open', () => onOpen(ws));
    ws.on('unexpected-response', (_req, res) => lose(`handshake rejected: HTTP ${res.statusCode}`));
    ws.on('error', (err) => lose(`connection error: ${err.message}`));
    ws.on('close', (code, reason) => lose(`closed by server: ${code}${reason.length ? ` ${reason.toString()}` : ''}`));
    // ws answers pings with pongs itself; a ping is also proof the connection is alive.
    ws.on('ping', () => {
      if (this.ws !== ws) return;
      this.counts.pings++;
      this.alive(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (this.ws !== ws) return;
      this.alive(ws);
      if (isBinary) {
        this.health.error('unexpected binary frame');
        return;
      }
      this.onFrame(data.toString());
    });
    return ws;
  }

  private promote(ws: WebSocket): void {
    const previous = this.ws === ws ? null : this.ws;
    // A successor can come up after the old connection was already lost and a retry scheduled.
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ws = ws;
    this.successor = null;
    this.lastUpdate.clear();
    this.health.connected(this.clock());
    this.log.info('lp connected', { lp: this.name, symbols: Object.keys(this.symbolMap) });
    if (previous) previous.close(1000, 'rollover');
    this.alive(ws);
    if (this.ageTimer) clearTimeout(this.ageTimer);
    const maxAge = this.config.settings.maxConnectionAgeMs ?? 23.5 * 3600_000;
    this.ageTimer = setTimeout(() => this.rollover(), maxAge);
    this.ageTimer.unref?.();
  }

  /** Make before break: open the next connection and switch over once it is up, ahead of Binance's 24 h cut. */
  private rollover(): void {
    if (!this.running || this.successor) return;
    this.log.info('lp connection rollover', { lp: this.name });
    this.successor = this.open(
      (next) => this.promote(next),
      (next, message) => {
        if (this.successor === next) this.successor = null;
        if (this.ws === next) this.lost(next, message);
        else this.health.error(`rollover failed: ${message}`);
      },
    );
  }

  private alive(ws: WebSocket): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    const ms = this.config.settings.staleAfterMs ?? 60_000;
    this.staleTimer = setTimeout(() => {
      if (this.ws !== ws) return;
      this.lost(ws, `stale: no frame or ping for ${ms} ms`);
    }, ms);
    this.staleTimer.unref?.();
  }

  private onFrame(text: string): void {
    const frame = parseBinanceFrame(text);
    switch (frame.kind) {
      case 'bookTicker': {
        const symbol = this.symbolMap[frame.symbol];
        if (!symbol) {
          this.counts.skipped++;
          return;
        }
        if (frame.updateId !== null) {
          const last = this.lastUpdate.get(frame.symbol);
          if (last !== undefined && frame.updateId <= last) {
            this.counts.skipped++;
            return;
          }
          this.lastUpdate.set(frame.symbol, frame.updateId);
        }
        const receivedAt = this.clock();
        this.counts.quotes++;
        this.backoff.reset();
        this.health.quoted(receivedAt);
        // bookTicker has no event time: the quote is as old as its receipt.
        this.sink?.({ symbol, bid: frame.bid, ask: frame.ask, time: receivedAt, lp: this.name, receivedAt });
        return;
      }
      case 'shutdown':
        // README: reconnect at once — make before break, as at the 24 h mark, with no backoff delay.
        this.log.info('lp server shutdown notice', { lp: this.name });
        this.health.error('server shutdown notice: reconnecting at once');
        this.rollover();
        return;
      case 'other':
        return;
      case 'error':
        this.health.error(frame.message);
        this.log.warn('lp bad frame', { lp: this.name, error: frame.message });
        return;
    }
  }

  /** The live connection is gone: reconnect after a backoff delay. */
  private lost(ws: WebSocket, message: string): void {
    if (this.ws !== ws) return;
    this.ws = null;
    ws.terminate();
    this.clearTimers();
    this.health.connectedSince = null;
    this.health.error(message);
    if (!this.running) return;
    const delay = this.backoff.next();
    this.health.failed(message);
    this.log.warn('lp disconnected', { lp: this.name, error: message, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }
}

export function createBinanceLp(config: BinanceLpConfig): BinanceLp {
  return new BinanceLp(config);
}
