import http from 'node:http';
import https from 'node:https';
import { createLogger, type Logger } from '../../logger.ts';
import type { LpAdapter, LpStatus, RawQuote } from '../adapter.ts';
import { Backoff, type BackoffOptions } from '../backoff.ts';
import { credentialProblem, endpointProblem, readCredential } from '../credentials.ts';
import { LpHealth } from '../health.ts';
import { oandaSymbol, parseOandaLine } from './wire.ts';

/** `liquidity_providers.settings` for an OANDA row (type REST). See README.md. */
export interface OandaSettings {
  /** https://stream-fxpractice.oanda.com or https://stream-fxtrade.oanda.com (a fake in tests). */
  streamUrl?: string;
  accountId?: string;
  /** OANDA instruments to stream; default: the keys of `symbolMap`. */
  instruments?: string[];
  /** No byte (price or heartbeat) for this long → the stream is dead, reconnect. OANDA heartbeats every 5 s. */
  heartbeatTimeoutMs?: number;
  /** Connect + response headers must arrive within this. */
  connectTimeoutMs?: number;
  backoff?: BackoffOptions;
}

export interface OandaLpConfig {
  name: string;
  settings: OandaSettings;
  /** Names of environment variables, never the secrets: `{ token: 'OANDA_TOKEN' }`. */
  credentialEnv: { token?: string };
  /** OANDA instrument → platform symbol: `{ EUR_USD: 'EURUSD' }`; unmapped instruments lose their underscore. */
  symbolMap?: Record<string, string>;
  env?: Record<string, string | undefined>;
  clock?: () => number;
  logger?: Logger;
  random?: () => number;
}

const MAX_LINE = 1 << 20;

/** OANDA v20 pricing stream: one long-lived chunked HTTP response of newline-delimited JSON. */
export class OandaLp implements LpAdapter {
  readonly name: string;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly symbolMap: Record<string, string>;
  private readonly instruments: string[];
  private sink: ((q: RawQuote) => void) | null = null;
  private req: http.ClientRequest | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private running = false;

  /** Counters for tests and metrics. */
  readonly counts = { quotes: 0, heartbeats: 0, skipped: 0, errors: 0 };
  private readonly health: LpHealth;

  constructor(private readonly config: OandaLpConfig) {
    this.name = config.name;
    this.clock = config.clock ?? Date.now;
    this.log = config.logger ?? createLogger(`lp:${config.name}`);
    this.health = new LpHealth(this.clock, this.counts);
    this.backoff = new Backoff(config.settings.backoff, config.random);
    this.symbolMap = config.symbolMap ?? {};
    this.instruments = config.settings.instruments ?? Object.keys(this.symbolMap);
  }

  status(): LpStatus {
    return this.health.status(this.name, 'REST');
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
    this.clearWatchdog();
    const req = this.req;
    this.req = null;
    req?.destroy();
    if (this.health.state !== 'UNAVAILABLE') this.health.set('DISCONNECTED', 'stopped');
    this.health.connectedSince = null;
  }

  private configProblem(): string | undefined {
    const { streamUrl, accountId } = this.config.settings;
    const env = this.config.env ?? process.env;
    const endpoint = endpointProblem('settings.streamUrl', streamUrl, { secure: 'https:', plain: 'http:' }, env);
    if (endpoint) return endpoint;
    if (!accountId) return 'settings.accountId is not configured';
    if (this.instruments.length === 0) return 'no instruments: set settings.instruments or symbolMap';
    const tokenEnv = this.config.credentialEnv.token;
    if (!tokenEnv) return 'credentialEnv.token (the name of the environment variable holding the API token) is not configured';
    return credentialProblem({ token: tokenEnv }, env, { token: 'OANDA API token' });
  }

  private connect(): void {
    if (!this.running) return;
    const { streamUrl, accountId, connectTimeoutMs = 10_000 } = this.config.settings;
    const token = readCredential(this.config.env ?? process.env, this.config.credentialEnv.token!) ?? '';
    const url = new URL(
      `${streamUrl!.replace(/\/+$/, '')}/v3/accounts/${encodeURIComponent(accountId!)}/pricing/stream`,
    );
    url.searchParams.set('instruments', this.instruments.join(','));
    this.health.connecting();
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'GET',
      // A long-lived stream should not sit in (or be reused from) the keep-alive pool.
      agent: false,
      headers: {
        Authorization: `Bearer ${token}`,
        'Accept-Datetime-Format': 'RFC3339',
        Accept: 'application/octet-stream, application/json',
      },
    });
    this.req = req;
    let failed = false;
    const fail = (message: string) => {
      if (failed || this.req !== req) return;
      failed = true;
      this.req = null;
      req.destroy();
      this.disconnected(message);
    };
    this.armWatchdog(connectTimeoutMs, () => fail(`no response within ${connectTimeoutMs} ms`));

    req.on('error', (err) => fail(`connection error: ${err.message}`));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 4096) body += c;
        });
        res.on('end', () => {
          let detail = body.slice(0, 200);
          try {
            detail = String((JSON.parse(body) as { errorMessage?: unknown }).errorMessage ?? detail);
          } catch {
            /* not JSON: keep the raw text */
          }
          fail(`HTTP ${res.statusCode}: ${detail}`);
        });
        res.on('error', (err) => fail(`HTTP ${res.statusCode}: ${err.message}`));
        return;
      }
      this.health.connected(this.clock());
      this.log.info('lp connected', { lp: this.name, instruments: this.instruments });
      const heartbeatTimeoutMs = this.config.settings.heartbeatTimeoutMs ?? 15_000;
      const alive = () => this.armWatchdog(heartbeatTimeoutMs, () => fail(`no data for ${heartbeatTimeoutMs} ms (heartbeat timeout)`));
      alive();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (this.req !== req) return;
        alive();
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) this.onLine(line);
          if (this.req !== req) return;
        }
        if (buffer.length > MAX_LINE) fail(`line longer than ${MAX_LINE} bytes`);
      });
      res.on('end', () => fail('stream ended by server'));
      res.on('error', (err) => fail(`stream error: ${err.message}`));
      res.on('aborted', () => fail('stream aborted'));
    });
    req.end();
  }

  private onLine(line: string): void {
    const msg = parseOandaLine(line);
    switch (msg.kind) {
      case 'heartbeat':
        this.counts.heartbeats++;
        this.backoff.reset();
        return;
      case 'price': {
        const receivedAt = this.clock();
        const symbol = oandaSymbol(msg.instrument, this.symbolMap);
        this.counts.quotes++;
        this.backoff.reset();
        this.health.quoted(receivedAt, msg.time);
        this.sink?.({ symbol, bid: msg.bid, ask: msg.ask, time: msg.time, lp: this.name, receivedAt });
        return;
      }
      case 'skip':
        this.counts.skipped++;
        return;
      case 'other':
        return;
      case 'error':
        this.health.error(msg.message);
        this.log.warn('lp bad line', { lp: this.name, error: msg.message });
        return;
    }
  }

  private armWatchdog(ms: number, onExpire: () => void): void {
    this.clearWatchdog();
    this.watchdog = setTimeout(onExpire, ms);
    this.watchdog.unref?.();
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private disconnected(message: string): void {
    this.clearWatchdog();
    this.health.connectedSince = null;
    this.health.error(message);
    if (!this.running) return;
    const delay = this.backoff.next();
    // A rejected token is a configuration problem a dealer must see as such, not a passing disconnect.
    const auth = /^HTTP 40[13]\b/.test(message);
    this.health.failed(message, auth ? 'UNAVAILABLE' : 'DISCONNECTED');
    this.log.warn('lp disconnected', { lp: this.name, error: message, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }
}

export function createOandaLp(config: OandaLpConfig): OandaLp {
  return new OandaLp(config);
}
