import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { FixInitiator, loadQuickfix, type LoadResult, type ReceivedMessage, type SeqNums } from '@broker/quickfix';
import { createLogger, type Logger } from '../../logger.ts';
import type { LpAdapter, LpConnectionState, LpStatus, RawQuote } from '../adapter.ts';
import { Backoff, type BackoffOptions } from '../backoff.ts';
import { credentialProblem, hostProblem, readCredential } from '../credentials.ts';
import { LpHealth } from '../health.ts';
import {
  MD_REJECT_REASONS,
  ORD_REJECT_REASONS,
  applyMarketData,
  headerField,
  lpSymbolFor,
  marketDataRequest,
  msgTypeOf,
  newOrderSingle,
  orderStatusRequest,
  parseExecutionReport,
  parseMarketDataReject,
  parseUtcTimestamp,
  platformSymbol,
  readStoredSeqNums,
  type BookTop,
  type OrderSide,
  type OrderType,
  type TimeInForce,
  type WireExecutionReport,
} from './wire.ts';

/** `liquidity_providers.settings` for a FIX row (type FIX). See README.md. */
export interface FixSettings {
  host?: string;
  port?: number;
  senderCompId?: string;
  targetCompId?: string;
  /** Only FIX.4.4 is spoken. */
  beginString?: 'FIX.4.4';
  /** HeartBtInt (108), seconds; default 30. */
  heartBtInt?: number;
  /** QuickFIX file store (sequence numbers survive reconnects and restarts); default `<repo>/.data/fix/<name>`. */
  fileStorePath?: string;
  /** The adapter's message log (passwords masked; QuickFIX's own file log writes them in clear); none when omitted. */
  fileLogPath?: string;
  /** FIX44.xml; default the one @broker/quickfix finds. */
  dataDictionary?: string;
  /** LP symbols to subscribe (`EUR/USD`); default the keys of `symbolMap`. */
  symbols?: string[];
  /** MarketDepth (264); default 1 (top of book). */
  marketDepth?: number;
  /** TCP connect + Logon answer within this, else the attempt failed; default 10000. */
  logonTimeoutMs?: number;
  /**
   * After Logon, wait this long before the MarketDataRequest, so a ResendRequest the LP sends with its Logon is
   * answered first (its gap fill would skip a 35=V sent in between); default 200.
   */
  subscribeDelayMs?: number;
  /** No W/X/Y answer to the 35=V within this → it is sent again with a new MDReqID; default max(5000, 2 × HeartBtInt). */
  subscribeTimeoutMs?: number;
  /** No message at all (heartbeats included) for this long while logged on → reconnect; default 3 × HeartBtInt. */
  staleAfterMs?: number;
  /** placeOrder resolves with TIMEOUT when no terminal ExecutionReport came within this; default 10000. */
  orderTimeoutMs?: number;
  /** Units per lot for OrderQty (38) when the order and `contractSizes` give none; default 100000. */
  lotSize?: string | number;
  /** Units per lot by platform symbol: `{ "XAUUSD": 100 }`. */
  contractSizes?: Record<string, string | number>;
  /** Account (1) on orders. */
  account?: string;
  backoff?: BackoffOptions;
  /** Further QuickFIX session settings, written as they are (`{ "SocketConnectHost1": "…" }`). */
  quickfix?: Record<string, string | number | boolean>;
}

export interface FixLpConfig {
  name: string;
  settings: FixSettings;
  /** Names of environment variables, never the secrets: `{ username: 'LP_YOFX_USER', password: 'LP_YOFX_PASSWORD' }`. */
  credentialEnv?: { username?: string; password?: string };
  /** LP symbol → platform symbol: `{ 'EUR/USD': 'EURUSD' }`; unmapped LP symbols lose their '/'. */
  symbolMap?: Record<string, string>;
  env?: Record<string, string | undefined>;
  clock?: () => number;
  logger?: Logger;
  random?: () => number;
  /** Every ExecutionReport (first sighting of each ExecID), for the order router. */
  onExecutionReport?: (report: FixExecutionReport) => void;
  /** Tests: replaces @broker/quickfix's loader. */
  loadQuickfix?: () => LoadResult;
}

/** The session state machine (design.md §2.1); LOGGED_ON and SUBSCRIBED are `CONNECTED` to the LP manager. */
export type FixSessionState = 'STOPPED' | 'UNAVAILABLE' | 'CONNECTING' | 'LOGGED_ON' | 'SUBSCRIBED' | 'DISCONNECTED';

export interface FixLpStatus extends LpStatus {
  session: FixSessionState;
  /** Next MsgSeqNum out / expected in (live, else from the file store); null before the first session. */
  seqNums: SeqNums | null;
  /** Unix ms of the next reconnect attempt while DISCONNECTED. */
  nextRetryAt: number | null;
  pendingOrders: number;
}

export interface FixOrderRequest {
  /** ClOrdID (11): unique per LP session history; the router's id. */
  clOrdId: string;
  /** Platform symbol (`EURUSD`). */
  symbol: string;
  side: OrderSide | 'buy' | 'sell';
  /** Lots. */
  volume: Decimal.Value;
  /** Units per lot; default `settings.contractSizes[symbol]`, then `settings.lotSize`, then 100000. */
  contractSize?: Decimal.Value;
  type?: OrderType;
  /** Required for LIMIT. */
  price?: Decimal.Value;
  timeInForce?: TimeInForce;
  timeoutMs?: number;
}

/**
 * How an order ended. FILLED: 39=2. PARTIALLY_FILLED: canceled/expired with some quantity filled. CANCELED: with
 * none. REJECTED: 39=8 / 150=8 / a session or business reject / never sent (`sent: false`). TIMEOUT: no terminal
 * report in time (or the adapter stopped): the outcome is unknown and the fills so far are listed.
 */
export type ExecutionStatus = 'FILLED' | 'PARTIALLY_FILLED' | 'CANCELED' | 'REJECTED' | 'TIMEOUT';

export interface ExecutionFill {
  execId: string;
  /** Units (LastQty 32) and lots. */
  qty: Decimal;
  volume: Decimal;
  /** LastPx 31. */
  price: Decimal;
  /** TransactTime (60), else receipt. */
  time: number;
}

export interface ExecutionResult {
  lp: string;
  clOrdId: string;
  /** OrderID (37) once the LP assigned one. */
  orderId?: string;
  symbol: string;
  lpSymbol: string;
  side: OrderSide;
  type: OrderType;
  status: ExecutionStatus;
  /** False when the order never left the adapter (not connected, invalid): safe to route elsewhere. */
  sent: boolean;
  /** Requested, in units (OrderQty 38) and lots. */
  orderQty: Decimal;
  volume: Decimal;
  /** CumQty (14) in units and lots. */
  filledQty: Decimal;
  filledVolume: Decimal;
  /** AvgPx (6) as the LP reports it, else the fills' volume-weighted average; null without fills. */
  avgPrice: Decimal | null;
  fills: ExecutionFill[];
  text?: string;
  /** OrdRejReason (103) as sent. */
  rejectReason?: string;
  /** Execution reports received for the order. */
  reports: number;
  sentAt: number | null;
  completedAt: number;
}

/** An ExecutionReport for the router: the wire report plus the platform symbol and lots where known. */
export interface FixExecutionReport extends WireExecutionReport {
  lp: string;
  /** Platform symbol. */
  symbol?: string;
  /** LastQty in lots. */
  lastVolume?: Decimal;
  receivedAt: number;
}

/**
 * What the LP said of an order asked about with an OrderStatusRequest (35=H). STATUS: a 35=8 ExecType=I with the
 * order's OrdStatus, CumQty (`cumVolume` in lots) and AvgPx. UNKNOWN_ORDER: the LP never received it (OrdStatus=8
 * with OrdRejReason=5, or a BusinessMessageReject with BusinessRejectReason=1 unknown ID). NO_ANSWER: nothing
 * within the timeout, a session reject, another business reject, or the session down: the outcome is not known.
 */
export type OrderStatusAnswer =
  | { answer: 'STATUS'; report: FixExecutionReport; cumVolume: Decimal }
  | { answer: 'UNKNOWN_ORDER'; text: string }
  | { answer: 'NO_ANSWER'; text: string };

export interface FixStatusRequest {
  clOrdId: string;
  /** Platform symbol. */
  symbol: string;
  side: OrderSide;
  /** The LP's OrderID (37) when a report gave one. */
  orderId?: string | null;
  contractSize?: Decimal.Value;
  timeoutMs?: number;
}

interface PendingStatus {
  clOrdId: string;
  reqId: string;
  contractSize: Decimal;
  seqNum: number | undefined;
  timer: NodeJS.Timeout;
  resolve: (a: OrderStatusAnswer) => void;
}

interface PendingOrder {
  req: { clOrdId: string; symbol: string; lpSymbol: string; side: OrderSide; type: OrderType };
  contractSize: Decimal;
  orderQty: Decimal;
  volume: Decimal;
  seqNum: number | undefined;
  sentAt: number;
  orderId?: string;
  fills: ExecutionFill[];
  execIds: Set<string>;
  cumQty?: Decimal;
  avgPx?: Decimal;
  reports: number;
  timer: NodeJS.Timeout;
  resolve: (r: ExecutionResult) => void;
}

const MAX_HISTORY = 50;
const MAX_SEEN_EXEC_IDS = 5000;
/** apps/engine/src/lp/fix → the repository root. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');

const PUBLIC_STATE: Record<FixSessionState, LpConnectionState> = {
  STOPPED: 'DISCONNECTED',
  DISCONNECTED: 'DISCONNECTED',
  CONNECTING: 'CONNECTING',
  LOGGED_ON: 'CONNECTED',
  SUBSCRIBED: 'CONNECTED',
  UNAVAILABLE: 'UNAVAILABLE',
};

/** Tags never written to a log: Password (554), NewPassword (925). */
const SECRET_TAGS = new Set(['554', '925']);

/** A message as `tag=value|…` (header, body, groups, trailer), secrets masked. */
export function fixText(m: ReceivedMessage): string {
  const parts: string[] = [];
  const put = (tags: Record<string, string> | undefined) => {
    if (tags) for (const [k, v] of Object.entries(tags)) parts.push(`${k}=${SECRET_TAGS.has(k) ? '***' : v}`);
  };
  const groups = (g: ReceivedMessage['groups']) => {
    if (!g) return;
    for (const [count, entries] of Object.entries(g)) {
      parts.push(`${count}=${entries.length}`);
      for (const e of entries) {
        put(e.tags);
        groups(e.groups);
      }
    }
  };
  put(m.header);
  put(m.tags);
  groups(m.groups);
  put(m.trailer);
  return parts.join('|');
}

/** A hint for the dealer when QuickFIX refused the LP's sequence numbers. */
function seqHint(text: string): string {
  return /MsgSeqNum too low/i.test(text) ? ' (the LP restarted its sequence numbers below ours: a dealer can reset them)' : '';
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * A FIX 4.4 liquidity provider over @broker/quickfix: one initiator session, market data by 35=V/W/X, orders by
 * 35=D/8. QuickFIX keeps the session (heartbeats, test requests, resends, sequence numbers in its file store);
 * this adapter drives connection attempts itself: on a failed attempt or a lost session it stops the initiator
 * and starts it again after an exponential backoff.
 */
export class FixLp implements LpAdapter {
  readonly name: string;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly symbolMap: Record<string, string>;
  /** LP symbols subscribed on every logon. */
  readonly symbols: string[];
  readonly fileStorePath: string;
  private sink: ((q: RawQuote) => void) | null = null;
  private initiator: FixInitiator | null = null;
  private running = false;
  /** Initiator start/stop run one after the other. */
  private lifecycle: Promise<void> = Promise.resolve();
  /** Changes whenever an attempt ends: timers of an older attempt do nothing. */
  private generation = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private logonTimer: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private subscribeTimer: NodeJS.Timeout | null = null;
  private nextRetryAt: number | null = null;
  private lastInboundAt = 0;
  /** Text of a Logout received on the current attempt ('' without 58); undefined when none came. */
  private logoutText: string | undefined;
  /** The current initiator sends ResetSeqNumFlag (141=Y) on Logon: a dealer's reset, for one session only. */
  private resetting = false;
  private logonsAtReset = 0;
  /** Text of the Logout this side sent in the current attempt (QuickFIX's own: "MsgSeqNum too low, …"). */
  private sentLogoutText: string | undefined;
  private mdReqId: string | null = null;
  private mdSeq = 0;
  private books = new Map<string, BookTop>();
  private pending = new Map<string, PendingOrder>();
  private seenExecIds = new Set<string>();
  private listeners = new Set<(r: FixExecutionReport) => void>();
  private sessionUpListeners = new Set<() => void>();
  /** OrderStatusRequests waiting for their answer, by OrdStatusReqID (790). */
  private pendingStatus = new Map<string, PendingStatus>();
  private statusSeq = 0;
  private lastSeqNums: SeqNums | null = null;

  private session: FixSessionState = 'STOPPED';
  /** Counters for tests and metrics. */
  readonly counts = { logons: 0, quotes: 0, snapshots: 0, incrementals: 0, mdRejects: 0, executionReports: 0, skipped: 0, errors: 0 };
  /** Reason, last quote, latency, connected since, reconnects, recent errors; the state is PUBLIC_STATE[session]. */
  private readonly health: LpHealth;
  /** Unix ms of each connection attempt and each scheduled reconnect delay (the last 50), for tests and dealers. */
  readonly history: { attempts: number[]; retryDelaysMs: number[] } = { attempts: [], retryDelaysMs: [] };

  constructor(private readonly config: FixLpConfig) {
    this.name = config.name;
    this.clock = config.clock ?? Date.now;
    this.log = config.logger ?? createLogger(`lp:${config.name}`);
    this.health = new LpHealth(this.clock, this.counts);
    this.backoff = new Backoff(config.settings.backoff, config.random);
    this.symbolMap = config.symbolMap ?? {};
    this.symbols = config.settings.symbols ?? Object.keys(this.symbolMap);
    this.fileStorePath = path.resolve(
      config.settings.fileStorePath ?? path.join(REPO_ROOT, '.data', 'fix', config.name.replace(/[^A-Za-z0-9._-]/g, '_')),
    );
    if (config.onExecutionReport) this.listeners.add(config.onExecutionReport);
  }

  // ───────────────────────────── LpAdapter ─────────────────────────────

  status(): FixLpStatus {
    return {
      ...this.health.status(this.name, 'FIX', PUBLIC_STATE[this.session]),
      session: this.session,
      seqNums: this.seqNums(),
      nextRetryAt: this.nextRetryAt,
      pendingOrders: this.pending.size,
    };
  }

  connectedSince(): number | null {
    return this.health.connectedSince;
  }

  /** Starts the session in the background; never throws. Without QuickFIX or with a bad configuration: UNAVAILABLE. */
  async start(onQuote: (q: RawQuote) => void): Promise<void> {
    this.sink = onQuote;
    if (this.running) return;
    const loaded = (this.config.loadQuickfix ?? loadQuickfix)();
    if (!loaded.ok) return this.unavailable(`QuickFIX is unavailable: ${loaded.reason}`);
    const problem = this.configProblem();
    if (problem) return this.unavailable(problem);
    if (!this.initiator) {
      try {
        this.initiator = this.createInitiator();
      } catch (e) {
        return this.unavailable(`FIX session could not be created: ${errorText(e)}`);
      }
    }
    this.running = true;
    this.backoff.reset();
    this.connect();
  }

  private messageLog: WriteStream | null = null;

  /**
   * `settings.fileLogPath`: every message in and out, one line each (`<ISO time> in|out 8=FIX.4.4|35=A|…`), in
   * `<fileLogPath>/<BeginString>-<Sender>-<Target>.messages.log`; the Password (554) is never written.
   */
  private logMessage(dir: 'in' | 'out', m: ReceivedMessage): void {
    const where = this.config.settings.fileLogPath;
    if (!where) return;
    if (!this.messageLog) {
      mkdirSync(where, { recursive: true });
      const file = path.join(where, `FIX.4.4-${this.config.settings.senderCompId}-${this.config.settings.targetCompId}.messages.log`);
      this.messageLog = createWriteStream(file, { flags: 'a', mode: 0o600 });
      this.messageLog.on('error', (err) => this.health.error(`message log: ${err.message}`));
    }
    this.messageLog.write(`${new Date(this.clock()).toISOString()} ${dir} ${fixText(m)}\n`);
  }

  /**
   * A dealer's action for an LP that restarted its sequence numbers: both sides' next numbers go back to 1 in
   * the file store (the session is logged out first when it is on), and a new Logon goes out at once.
   */
  async resetSeqNums(): Promise<SeqNums | null> {
    const ini = this.initiator;
    if (!ini) return null;
    const wasRunning = this.running;
    this.generation++;
    this.clearTimers();
    this.nextRetryAt = null;
    this.books.clear();
    this.mdReqId = null;
    await this.enqueue(async () => {
      await ini.stop({ force: true });
      // This side starts again from 1 (the store files go: QuickFIX's FileStore starts at 1 without them), and
      // the next Logon carries ResetSeqNumFlag (141=Y) so the LP resets its side too, whatever it expects.
      const prefix = `FIX.4.4-${this.config.settings.senderCompId}-${this.config.settings.targetCompId}`;
      for (const ext of ['seqnums', 'session', 'body', 'header']) rmSync(path.join(this.fileStorePath, `${prefix}.${ext}`), { force: true });
      this.lastSeqNums = { nextSender: 1, nextTarget: 1 };
      this.resetting = true;
      this.logonsAtReset = this.counts.logons;
      this.initiator = this.createInitiator();
    });
    this.health.connectedSince = null;
    this.health.error('sequence numbers reset to 1 by a dealer');
    this.log.warn('lp sequence numbers reset', { lp: this.name });
    if (wasRunning) {
      this.backoff.reset();
      this.connect();
    } else this.setSession('STOPPED', 'stopped; sequence numbers reset to 1');
    return this.lastSeqNums;
  }

  /** A dealer's Logout: the session logs out and stays down (reason says so) until reconnected or enabled. */
  async logout(): Promise<void> {
    await this.stop({ logout: true });
    if (this.initiator) this.setSession('STOPPED', 'logged out by a dealer');
  }

  /**
   * Logs out (when logged on; QuickFIX then waits up to 10 s for the LP's Logout, in whole seconds) and stops;
   * `{ logout: false }` drops the connection at once. Orders still waiting resolve as TIMEOUT. Can be started again.
   */
  async stop(options: { logout?: boolean } = {}): Promise<void> {
    this.running = false;
    this.sink = null;
    this.generation++;
    this.clearTimers();
    this.nextRetryAt = null;
    for (const p of [...this.pending.values()]) this.finish(p, 'TIMEOUT', 'adapter stopped before a terminal execution report');
    for (const s of [...this.pendingStatus.values()]) this.answerStatus(s, { answer: 'NO_ANSWER', text: 'adapter stopped before the status answer' });
    const ini = this.initiator;
    if (ini) {
      await this.enqueue(async () => {
        this.rememberSeqNums();
        await ini.stop({ force: options.logout === false || !ini.isLoggedOn });
        this.rememberSeqNums();
      });
    }
    this.messageLog?.end();
    this.messageLog = null;
    // Never started (no QuickFIX, bad configuration): it stays UNAVAILABLE with its reason.
    if (this.initiator) this.setSession('STOPPED', 'stopped');
    this.health.connectedSince = null;
    this.books.clear();
    this.mdReqId = null;
  }

  /** Registers a listener for every ExecutionReport; returns the unsubscribe. */
  onExecutionReport(listener: (report: FixExecutionReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called on every Logon (after a reconnect and after an engine restart): the order router asks what it lost. */
  onSessionUp(listener: () => void): () => void {
    this.sessionUpListeners.add(listener);
    return () => this.sessionUpListeners.delete(listener);
  }

  /** Logged on now (orders and status requests can go out). */
  get loggedOn(): boolean {
    return this.running && (this.session === 'LOGGED_ON' || this.session === 'SUBSCRIBED') && !!this.initiator?.isLoggedOn;
  }

  /**
   * Sends an OrderStatusRequest (35=H: ClOrdID, OrdStatusReqID, Symbol, Side, OrderID when known) and resolves on
   * its answer (see OrderStatusAnswer). Never rejects; asking again is harmless (it is not an order).
   */
  requestOrderStatus(req: FixStatusRequest): Promise<OrderStatusAnswer> {
    const ini = this.initiator;
    if (!ini || !this.loggedOn) return Promise.resolve({ answer: 'NO_ANSWER', text: `LP ${this.name} is not connected (${this.session})` });
    let contractSize: Decimal;
    try {
      contractSize = new Decimal(req.contractSize ?? this.contractSizeFor(req.symbol));
    } catch (e) {
      return Promise.resolve({ answer: 'NO_ANSWER', text: `invalid status request: ${errorText(e)}` });
    }
    const reqId = `${this.name}-st-${this.clock().toString(36)}-${++this.statusSeq}`;
    const message = orderStatusRequest({ clOrdId: req.clOrdId, lpSymbol: lpSymbolFor(req.symbol, this.symbolMap, this.symbols), side: req.side, ordStatusReqId: reqId, orderId: req.orderId ?? null });
    return new Promise<OrderStatusAnswer>((resolve) => {
      const timeoutMs = req.timeoutMs ?? 5000;
      const s: PendingStatus = {
        clOrdId: req.clOrdId,
        reqId,
        contractSize,
        seqNum: ini.seqNums()?.nextSender,
        resolve,
        timer: setTimeout(() => this.answerStatus(s, { answer: 'NO_ANSWER', text: `no answer to the OrderStatusRequest within ${timeoutMs} ms` }), timeoutMs),
      };
      s.timer.unref?.();
      this.pendingStatus.set(reqId, s);
      let sent = false;
      let failure = 'the session is not logged on';
      try {
        sent = ini.send(message);
      } catch (e) {
        failure = errorText(e);
      }
      if (!sent) this.answerStatus(s, { answer: 'NO_ANSWER', text: `OrderStatusRequest not sent: ${failure}` });
      else this.log.info('lp order status requested', { lp: this.name, clOrdId: req.clOrdId, ordStatusReqId: reqId });
    });
  }

  private answerStatus(s: PendingStatus, a: OrderStatusAnswer): void {
    if (this.pendingStatus.get(s.reqId) !== s) return;
    clearTimeout(s.timer);
    this.pendingStatus.delete(s.reqId);
    s.resolve(a);
  }

  /** The status request a 35=8 ExecType=I, a 35=j or a 35=3 answers: by OrdStatusReqID, else by ClOrdID. */
  private statusRequestFor(reqId: string | undefined, clOrdId: string | undefined): PendingStatus | undefined {
    if (reqId !== undefined && this.pendingStatus.has(reqId)) return this.pendingStatus.get(reqId);
    if (clOrdId === undefined) return undefined;
    for (const s of this.pendingStatus.values()) if (s.clOrdId === clOrdId) return s;
    return undefined;
  }

  /** The session's next sequence numbers: live while started, else the file store's. */
  seqNums(): SeqNums | null {
    this.rememberSeqNums();
    return this.lastSeqNums;
  }

  // ───────────────────────────── orders ─────────────────────────────

  /**
   * Sends a NewOrderSingle (35=D) and resolves on the order's terminal ExecutionReport (35=8), a reject, or the
   * timeout. Never rejects: an order that cannot be sent resolves REJECTED with `sent: false`.
   */
  placeOrder(order: FixOrderRequest): Promise<ExecutionResult> {
    const now = this.clock();
    const side: OrderSide = String(order.side).toUpperCase() === 'SELL' ? 'SELL' : 'BUY';
    const type: OrderType = order.type ?? 'MARKET';
    const lpSymbol = lpSymbolFor(order.symbol, this.symbolMap, this.symbols);
    const req = { clOrdId: order.clOrdId, symbol: order.symbol, lpSymbol, side, type };
    const notSent = (text: string, volume = new Decimal(0), orderQty = new Decimal(0)): Promise<ExecutionResult> => {
      this.log.warn('lp order not sent', { lp: this.name, clOrdId: order.clOrdId, reason: text });
      return Promise.resolve({
        lp: this.name,
        ...req,
        status: 'REJECTED',
        sent: false,
        orderQty,
        volume,
        filledQty: new Decimal(0),
        filledVolume: new Decimal(0),
        avgPrice: null,
        fills: [],
        text,
        reports: 0,
        sentAt: null,
        completedAt: now,
      });
    };

    let volume: Decimal, contractSize: Decimal, price: Decimal | undefined;
    try {
      volume = new Decimal(order.volume);
      contractSize = new Decimal(order.contractSize ?? this.contractSizeFor(order.symbol));
      price = order.price === undefined || order.price === null ? undefined : new Decimal(order.price);
    } catch (e) {
      return notSent(`invalid order: ${errorText(e)}`);
    }
    if (!order.clOrdId) return notSent('invalid order: clOrdId is empty');
    if (!volume.isFinite() || volume.lte(0)) return notSent(`invalid order: volume ${volume.toString()}`);
    if (!contractSize.isFinite() || contractSize.lte(0)) return notSent(`invalid order: contract size ${contractSize.toString()}`);
    if (type === 'LIMIT' && (!price || !price.isFinite() || price.lte(0))) return notSent('invalid order: a LIMIT order needs a positive price');
    const orderQty = volume.times(contractSize);
    if (this.pending.has(order.clOrdId)) return notSent(`duplicate clOrdId ${order.clOrdId} (still pending)`, volume, orderQty);
    const ini = this.initiator;
    if (!ini || !this.running || (this.session !== 'LOGGED_ON' && this.session !== 'SUBSCRIBED') || !ini.isLoggedOn) {
      return notSent(`LP ${this.name} is not connected (${this.session}${this.health.reason ? `: ${this.health.reason}` : ''})`, volume, orderQty);
    }

    const message = newOrderSingle({
      clOrdId: order.clOrdId,
      lpSymbol,
      side,
      orderQty,
      type,
      ...(type === 'LIMIT' ? { price } : {}),
      ...(order.timeInForce ? { timeInForce: order.timeInForce } : {}),
      ...(this.config.settings.account ? { account: this.config.settings.account } : {}),
      transactTime: now,
    });
    return new Promise<ExecutionResult>((resolve) => {
      const timeoutMs = order.timeoutMs ?? this.config.settings.orderTimeoutMs ?? 10_000;
      const p: PendingOrder = {
        req,
        contractSize,
        orderQty,
        volume,
        seqNum: ini.seqNums()?.nextSender,
        sentAt: now,
        fills: [],
        execIds: new Set(),
        reports: 0,
        resolve,
        timer: setTimeout(() => this.finish(p, 'TIMEOUT', `no terminal execution report within ${timeoutMs} ms`), timeoutMs),
      };
      p.timer.unref?.();
      this.pending.set(order.clOrdId, p);
      let sent = false;
      let failure = 'the session is not logged on';
      try {
        sent = ini.send(message);
      } catch (e) {
        failure = errorText(e);
      }
      if (!sent) {
        clearTimeout(p.timer);
        this.pending.delete(order.clOrdId);
        this.health.error(`order ${order.clOrdId} not sent: ${failure}`);
        void notSent(`order not sent: ${failure}`, volume, orderQty).then(resolve);
        return;
      }
      this.log.info('lp order sent', { lp: this.name, clOrdId: order.clOrdId, symbol: lpSymbol, side, qty: orderQty.toFixed(), type });
    });
  }

  private contractSizeFor(symbol: string): Decimal.Value {
    return this.config.settings.contractSizes?.[symbol] ?? this.config.settings.lotSize ?? 100_000;
  }

  private finish(p: PendingOrder, status: ExecutionStatus, text?: string, rejectReason?: string): void {
    if (this.pending.get(p.req.clOrdId) !== p) return;
    clearTimeout(p.timer);
    this.pending.delete(p.req.clOrdId);
    const fillSum = p.fills.reduce((s, f) => s.plus(f.qty), new Decimal(0));
    const filledQty = p.cumQty ?? fillSum;
    let avgPrice: Decimal | null = null;
    if (filledQty.gt(0)) {
      if (p.avgPx && p.avgPx.gt(0)) avgPrice = p.avgPx;
      else if (fillSum.gt(0)) avgPrice = p.fills.reduce((s, f) => s.plus(f.qty.times(f.price)), new Decimal(0)).div(fillSum);
    }
    if (status === 'CANCELED' && filledQty.gt(0)) status = 'PARTIALLY_FILLED';
    const result: ExecutionResult = {
      lp: this.name,
      ...p.req,
      ...(p.orderId ? { orderId: p.orderId } : {}),
      status,
      sent: true,
      orderQty: p.orderQty,
      volume: p.volume,
      filledQty,
      filledVolume: filledQty.div(p.contractSize),
      avgPrice,
      fills: p.fills,
      ...(text === undefined ? {} : { text }),
      ...(rejectReason === undefined ? {} : { rejectReason }),
      reports: p.reports,
      sentAt: p.sentAt,
      completedAt: this.clock(),
    };
    if (status !== 'FILLED') this.log.warn('lp order done', { lp: this.name, clOrdId: p.req.clOrdId, status, text });
    p.resolve(result);
  }

  // ───────────────────────────── session ─────────────────────────────

  private configProblem(): string | undefined {
    const s = this.config.settings;
    if (!s.host) return 'settings.host is not configured';
    const hostRefused = hostProblem('settings.host', s.host, this.config.env ?? process.env);
    if (hostRefused) return hostRefused;
    if (!Number.isInteger(s.port) || s.port! < 1 || s.port! > 65535) return `settings.port must be a TCP port: ${String(s.port)}`;
    if (!s.senderCompId) return 'settings.senderCompId is not configured';
    if (!s.targetCompId) return 'settings.targetCompId is not configured';
    if (s.beginString && s.beginString !== 'FIX.4.4') return `settings.beginString ${String(s.beginString)} is not supported (FIX.4.4 only)`;
    if (s.heartBtInt !== undefined && !(Number.isInteger(s.heartBtInt) && s.heartBtInt > 0)) return `settings.heartBtInt must be a positive integer: ${s.heartBtInt}`;
    const { username, password } = this.config.credentialEnv ?? {};
    // A FIX LP may log on without either; an empty variable name declares none, as an absent one does.
    return credentialProblem(
      { username: username || undefined, password: password || undefined },
      this.config.env ?? process.env,
      { username: 'FIX username', password: 'FIX password' },
    );
  }

  private createInitiator(): FixInitiator {
    const s = this.config.settings;
    const env = this.config.env ?? process.env;
    const credentials: { username?: string; password?: string } = {};
    const user = this.config.credentialEnv?.username;
    const pass = this.config.credentialEnv?.password;
    if (user) credentials.username = readCredential(env, user);
    if (pass) credentials.password = readCredential(env, pass);
    const logonTimeoutMs = s.logonTimeoutMs ?? 10_000;
    return new FixInitiator(
      {
        senderCompId: s.senderCompId!,
        targetCompId: s.targetCompId!,
        host: s.host!,
        port: s.port!,
        beginString: 'FIX.4.4',
        heartBtInt: s.heartBtInt ?? 30,
        // The adapter restarts the initiator with its own backoff; QuickFIX's fixed retry only covers the attempt.
        reconnectInterval: Math.max(1, Math.ceil(logonTimeoutMs / 1000)),
        fileStorePath: this.fileStorePath,
        ...(this.resetting ? { resetOnLogon: true } : {}),
        // No QuickFIX file log: it writes the Logon's Password (554) in clear. The adapter keeps its own
        // message log there instead, with the password masked (messageLog()).
        ...(s.dataDictionary ? { dataDictionary: s.dataDictionary } : {}),
        ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
        extraSettings: {
          LogonTimeout: Math.max(1, Math.ceil(logonTimeoutMs / 1000)),
          // Sequence numbers persist; message bodies do not: a ResendRequest is answered with a gap fill, so an
          // order (or a subscription) is never replayed to the LP after a reconnect.
          PersistMessages: 'N',
          ...s.quickfix,
        },
      },
      {
        onLogon: () => this.onLogon(),
        onLogout: () => this.onLogout(),
        toAdmin: (m) => {
          this.logMessage('out', m);
          if (msgTypeOf(m) === '5') this.sentLogoutText = m.tags?.['58'] ?? '';
        },
        fromAdmin: (m) => {
          this.logMessage('in', m);
          this.onAdmin(m);
        },
        toApp: (m) => this.logMessage('out', m),
        fromApp: (m) => {
          this.logMessage('in', m);
          this.onApp(m);
        },
      },
    );
  }

  private unavailable(reason: string): void {
    this.setSession('UNAVAILABLE', reason);
    this.log.warn('lp unavailable', { lp: this.name, reason });
  }

  private setSession(session: FixSessionState, reason?: string): void {
    this.session = session;
    this.health.reason = reason;
  }

  private pushHistory(list: number[], v: number): void {
    list.push(v);
    if (list.length > MAX_HISTORY) list.shift();
  }

  private rememberSeqNums(): void {
    const live = this.initiator?.isRunning ? this.initiator.seqNums() : undefined;
    const stored = live ?? readStoredSeqNums(this.fileStorePath, {
      beginString: 'FIX.4.4',
      senderCompId: this.config.settings.senderCompId ?? '',
      targetCompId: this.config.settings.targetCompId ?? '',
    });
    if (stored) this.lastSeqNums = stored;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(op).catch((e: unknown) => {
      this.health.error(`session: ${errorText(e)}`);
      this.log.error('lp session operation failed', { lp: this.name, error: errorText(e) });
    });
    this.lifecycle = next;
    return next;
  }

  private clearTimers(): void {
    for (const t of [this.retryTimer, this.logonTimer, this.staleTimer, this.subscribeTimer]) if (t) clearTimeout(t);
    this.retryTimer = this.logonTimer = this.staleTimer = this.subscribeTimer = null;
  }

  /** DISCONNECTED → CONNECTING: start the initiator; Logon must come within logonTimeoutMs. */
  private connect(): void {
    if (!this.running || !this.initiator) return;
    const gen = ++this.generation;
    const ini = this.initiator;
    this.nextRetryAt = null;
    this.logoutText = undefined;
    this.sentLogoutText = undefined;
    this.health.connecting();
    this.setSession('CONNECTING', this.health.reason);
    this.pushHistory(this.history.attempts, this.clock());
    const logonTimeoutMs = this.config.settings.logonTimeoutMs ?? 10_000;
    // No Logon in time: a TCP connect of our own says whether the LP refused the connection or is unreachable.
    this.logonTimer = setTimeout(() => {
      this.logonTimer = null;
      void this.probe().then((why) => this.fail(gen, why ?? `no Logon answer within ${logonTimeoutMs} ms`));
    }, logonTimeoutMs);
    this.logonTimer.unref?.();
    void this.enqueue(async () => {
      if (gen !== this.generation || !this.running) return;
      try {
        await ini.start();
      } catch (e) {
        this.fail(gen, `initiator start failed: ${errorText(e)}`);
      }
    });
  }

  /** Any state → DISCONNECTED: stop the initiator, retry after the next backoff delay. */
  private fail(gen: number, message: string): void {
    if (gen !== this.generation || !this.running) return;
    this.generation++;
    this.clearTimers();
    this.health.connectedSince = null;
    this.books.clear();
    this.mdReqId = null;
    this.health.error(message);
    const delay = this.backoff.next();
    this.health.failed(message);
    this.pushHistory(this.history.retryDelaysMs, delay);
    // A rejected Logon (credentials, comp IDs) is a configuration problem a dealer must see as such, not a
    // passing disconnect; the adapter still retries at the backoff pace.
    this.setSession(message.startsWith('logon rejected') ? 'UNAVAILABLE' : 'DISCONNECTED', message);
    this.log.warn('lp disconnected', { lp: this.name, error: message, retryInMs: delay });
    const ini = this.initiator!;
    const retryGen = this.generation;
    void this.enqueue(async () => {
      this.rememberSeqNums();
      await ini.stop({ force: true });
      this.rememberSeqNums();
      // A reset is for the one Logon the dealer asked for: later reconnects keep their numbers again.
      if (this.resetting && this.counts.logons > this.logonsAtReset) {
        this.resetting = false;
        this.initiator = this.createInitiator();
      }
      if (retryGen !== this.generation || !this.running) return;
      this.nextRetryAt = this.clock() + delay;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (retryGen === this.generation) this.connect();
      }, delay);
      this.retryTimer.unref?.();
    });
  }

  /** CONNECTING → LOGGED_ON: subscribe. */
  private onLogon(): void {
    if (!this.running || this.session !== 'CONNECTING') return;
    if (this.logonTimer) clearTimeout(this.logonTimer);
    this.logonTimer = null;
    const now = this.clock();
    this.counts.logons++;
    this.health.connected(now);
    this.lastInboundAt = now;
    this.setSession('LOGGED_ON');
    this.rememberSeqNums();
    this.log.info('lp logged on', { lp: this.name, seqNums: this.lastSeqNums, symbols: this.symbols });
    this.armStaleWatch(this.generation);
    for (const l of this.sessionUpListeners) {
      try {
        l();
      } catch (e) {
        this.log.error('session listener failed', { lp: this.name, error: errorText(e) });
      }
    }
    if (this.symbols.length === 0) {
      this.backoff.reset();
      return;
    }
    this.armSubscribe(this.generation, this.config.settings.subscribeDelayMs ?? 200);
  }

  private armSubscribe(gen: number, delayMs: number): void {
    if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
    this.subscribeTimer = setTimeout(() => {
      this.subscribeTimer = null;
      if (gen === this.generation && this.session === 'LOGGED_ON') this.subscribe(gen);
    }, delayMs);
    this.subscribeTimer.unref?.();
  }

  /**
   * LOGGED_ON: 35=V with a new MDReqID. Without an answer (W/X/Y) in time it is sent again: a request can be lost
   * to a gap fill when both sides resynchronise their sequence numbers after a reconnect.
   */
  private subscribe(gen: number): void {
    const ini = this.initiator!;
    const depth = this.config.settings.marketDepth ?? 1;
    const previous = this.mdReqId;
    try {
      if (previous) ini.send(marketDataRequest({ mdReqId: previous, symbols: this.symbols, depth, unsubscribe: true }));
      this.mdReqId = `${this.name}-md-${this.clock().toString(36)}-${++this.mdSeq}`;
      if (!ini.send(marketDataRequest({ mdReqId: this.mdReqId, symbols: this.symbols, depth }))) {
        this.health.error('MarketDataRequest not sent: the session is not logged on');
      }
    } catch (e) {
      this.health.error(`MarketDataRequest not sent: ${errorText(e)}`);
    }
    const s = this.config.settings;
    const timeoutMs = s.subscribeTimeoutMs ?? Math.max(5000, 2 * (s.heartBtInt ?? 30) * 1000);
    const sent = this.mdReqId;
    this.subscribeTimer = setTimeout(() => {
      this.subscribeTimer = null;
      if (gen !== this.generation || this.session !== 'LOGGED_ON' || this.mdReqId !== sent) return;
      this.health.error(`no answer to MarketDataRequest ${sent} within ${timeoutMs} ms: sending it again`);
      this.subscribe(gen);
    }, timeoutMs);
    this.subscribeTimer.unref?.();
  }

  private onLogout(): void {
    if (!this.running) return;
    const text = this.logoutText;
    const sent = this.sentLogoutText;
    if (this.session === 'CONNECTING') {
      if (text !== undefined) return this.fail(this.generation, `logon rejected by LP${text ? `: ${text}` : ''}`);
      if (sent !== undefined) return this.fail(this.generation, `logon failed: we logged out${sent ? `: ${sent}` : ''}${seqHint(sent)}`);
      // QuickFIX says nothing of why; a TCP connect of our own tells a refused or unreachable LP from one
      // that closed the connection during the Logon.
      const gen = this.generation;
      void this.probe().then((why) => this.fail(gen, why ?? 'connection closed by the LP during logon'));
    } else if (this.session === 'LOGGED_ON' || this.session === 'SUBSCRIBED') {
      if (text !== undefined) return this.fail(this.generation, `logged out by LP${text ? `: ${text}` : ''}`);
      this.fail(this.generation, sent !== undefined ? `we logged out${sent ? `: ${sent}` : ''}${seqHint(sent)}` : 'connection lost');
    }
  }

  /** Why a TCP connection to the LP cannot be made now, or undefined when it can (then closed at once). */
  private probe(): Promise<string | undefined> {
    const { host, port } = this.config.settings;
    const timeoutMs = Math.min(this.config.settings.logonTimeoutMs ?? 10_000, 5000);
    return new Promise((resolve) => {
      const sock = net.connect({ host: host!, port: port! });
      const done = (why: string | undefined) => {
        sock.destroy();
        resolve(why);
      };
      sock.setTimeout(timeoutMs, () => done(`TCP connection to ${host}:${port} timed out after ${timeoutMs} ms`));
      sock.once('connect', () => done(undefined));
      sock.once('error', (err: NodeJS.ErrnoException) =>
        done(err.code === 'ECONNREFUSED' ? `TCP connection to ${host}:${port} refused` : `TCP connection to ${host}:${port} failed: ${err.code ?? err.message}`),
      );
    });
  }

  /** QuickFIX sends a TestRequest after 1.2 × HeartBtInt of silence and drops the link after another; this is the backstop. */
  private armStaleWatch(gen: number): void {
    const s = this.config.settings;
    const staleAfterMs = s.staleAfterMs ?? 3 * (s.heartBtInt ?? 30) * 1000;
    const check = () => {
      if (gen !== this.generation) return;
      const silent = this.clock() - this.lastInboundAt;
      if (silent > staleAfterMs) return this.fail(gen, `no message from the LP for ${silent} ms (heartbeat / test request timeout)`);
      this.staleTimer = setTimeout(check, Math.max(50, Math.min(1000, staleAfterMs / 4)));
      this.staleTimer.unref?.();
    };
    check();
  }

  private onAdmin(m: ReceivedMessage): void {
    this.lastInboundAt = this.clock();
    const type = msgTypeOf(m);
    if (type === '5') {
      this.logoutText = m.tags?.['58'] ?? '';
    } else if (type === '3') {
      this.onSessionReject(m);
    }
  }

  private onApp(m: ReceivedMessage): void {
    this.lastInboundAt = this.clock();
    switch (msgTypeOf(m)) {
      case 'W':
      case 'X':
        return this.onMarketData(m);
      case 'Y':
        return this.onMarketDataReject(m);
      case '8':
        return this.onExecutionReportMessage(m);
      case 'j':
        return this.onBusinessReject(m);
      default:
        this.counts.skipped++;
    }
  }

  // ───────────────────────────── market data ─────────────────────────────

  private onMarketData(m: ReceivedMessage): void {
    const receivedAt = this.clock();
    // A resent quote (PossDupFlag) is old news: its SendingTime is the resend's.
    if (headerField(m, 43) === 'Y') {
      this.counts.skipped++;
      return;
    }
    const single = this.symbols.length === 1 ? this.symbols[0] : undefined;
    const update = applyMarketData(m, this.books, (id) => (id !== undefined && id === this.mdReqId ? single : undefined));
    if (!update) return;
    if (update.kind === 'snapshot') this.counts.snapshots++;
    else this.counts.incrementals++;
    for (const p of update.problems) this.health.error(p);
    if (this.session === 'LOGGED_ON') {
      if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
      this.subscribeTimer = null;
      this.setSession('SUBSCRIBED');
      this.backoff.reset();
      this.log.info('lp subscribed', { lp: this.name, mdReqId: this.mdReqId });
    }
    const sendingTime = parseUtcTimestamp(headerField(m, 52));
    if (sendingTime !== undefined) {
      this.health.latency(receivedAt - sendingTime);
    }
    for (const lpSymbol of update.touched) {
      const book = this.books.get(lpSymbol);
      // A one-sided book (only a bid so far, or a side deleted) is not a quote.
      if (!book?.bid || !book.ask) continue;
      this.counts.quotes++;
      this.health.lastQuoteAt = receivedAt;
      this.sink?.({
        symbol: platformSymbol(lpSymbol, this.symbolMap),
        bid: book.bid,
        ask: book.ask,
        time: book.time ?? sendingTime ?? receivedAt,
        lp: this.name,
        receivedAt,
      });
    }
  }

  private onMarketDataReject(m: ReceivedMessage): void {
    const r = parseMarketDataReject(m)!;
    this.counts.mdRejects++;
    const why = r.reason === undefined ? '' : ` (${MD_REJECT_REASONS[r.reason] ?? `reason ${r.reason}`})`;
    const message = `MarketDataRequest ${r.mdReqId} rejected${why}${r.text ? `: ${r.text}` : ''}`;
    this.health.error(message);
    this.log.warn('lp market data rejected', { lp: this.name, mdReqId: r.mdReqId, reason: r.reason, text: r.text });
    if (r.mdReqId === this.mdReqId && this.session === 'LOGGED_ON') {
      // answered: the LP will not stream these symbols, re-sending would not change that
      if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
      this.subscribeTimer = null;
      this.health.reason = message;
    }
  }

  // ───────────────────────────── execution reports ─────────────────────────────

  private onExecutionReportMessage(m: ReceivedMessage): void {
    const r = parseExecutionReport(m)!;
    const receivedAt = this.clock();
    this.counts.executionReports++;
    if (r.kind === 'status') {
      // An answer to an OrderStatusRequest describes the order's state, not an event: never deduplicated (LPs
      // may repeat an ExecID on them); the request waiting for it takes it, otherwise the listeners do.
      const s = this.statusRequestFor(r.ordStatusReqId, r.clOrdId);
      const symbol = r.lpSymbol ? platformSymbol(r.lpSymbol, this.symbolMap) : undefined;
      const report: FixExecutionReport = { ...r, lp: this.name, ...(symbol === undefined ? {} : { symbol }), receivedAt };
      if (s) {
        if (r.ordStatus === '8' && r.ordRejReason === '5') this.answerStatus(s, { answer: 'UNKNOWN_ORDER', text: r.text ?? 'unknown order' });
        else this.answerStatus(s, { answer: 'STATUS', report, cumVolume: (r.cumQty ?? new Decimal(0)).div(s.contractSize) });
        return;
      }
      for (const l of this.listeners) {
        try {
          l(report);
        } catch (e) {
          this.log.error('execution report listener failed', { lp: this.name, error: errorText(e) });
        }
      }
      return;
    }
    if (r.execId) {
      const key = `${r.orderId}|${r.execId}`;
      if (this.seenExecIds.has(key)) {
        this.counts.skipped++;
        return;
      }
      this.seenExecIds.add(key);
      if (this.seenExecIds.size > MAX_SEEN_EXEC_IDS) this.seenExecIds.delete(this.seenExecIds.values().next().value!);
    }
    const p = r.clOrdId === undefined ? undefined : this.pending.get(r.clOrdId);
    const symbol = r.lpSymbol === undefined ? p?.req.symbol : platformSymbol(r.lpSymbol, this.symbolMap);
    let contractSize: Decimal | undefined = p?.contractSize;
    if (!contractSize && symbol) {
      try {
        contractSize = new Decimal(this.contractSizeFor(symbol));
      } catch {
        contractSize = undefined;
      }
    }
    const report: FixExecutionReport = {
      ...r,
      lp: this.name,
      ...(symbol === undefined ? {} : { symbol }),
      ...(r.lastQty && contractSize?.gt(0) ? { lastVolume: r.lastQty.div(contractSize) } : {}),
      receivedAt,
    };
    for (const l of this.listeners) {
      try {
        l(report);
      } catch (e) {
        this.log.error('execution report listener failed', { lp: this.name, error: errorText(e) });
      }
    }
    if (!p) return;
    p.reports++;
    if (r.orderId) p.orderId = r.orderId;
    if (r.kind === 'trade' && r.lastQty?.gt(0) && r.lastPx) {
      p.fills.push({ execId: r.execId, qty: r.lastQty, volume: r.lastQty.div(p.contractSize), price: r.lastPx, time: r.transactTime ?? receivedAt });
    }
    if (r.cumQty) p.cumQty = r.cumQty;
    if (r.avgPx?.gt(0)) p.avgPx = r.avgPx;
    if (!r.terminal) return;
    if (r.ordStatus === '2') return this.finish(p, 'FILLED', r.text);
    if (r.kind === 'rejected' || r.ordStatus === '8') {
      const why = r.ordRejReason === undefined ? '' : ORD_REJECT_REASONS[r.ordRejReason] ?? `reason ${r.ordRejReason}`;
      return this.finish(p, 'REJECTED', r.text ?? (why || 'rejected by LP'), r.ordRejReason);
    }
    this.finish(p, 'CANCELED', r.text ?? (r.ordStatus === 'C' ? 'expired' : 'canceled by LP'));
  }

  /** 35=3: a message failed session-level validation; an order's is matched by its MsgSeqNum (45). */
  private onSessionReject(m: ReceivedMessage): void {
    const refSeq = Number(m.tags?.['45']);
    const text = `session reject of 35=${m.tags?.['372'] ?? '?'} seq ${m.tags?.['45'] ?? '?'}${m.tags?.['58'] ? `: ${m.tags['58']}` : ''}`;
    this.health.error(text);
    for (const p of this.pending.values()) if (p.seqNum === refSeq) return this.finish(p, 'REJECTED', text, m.tags?.['373']);
    for (const s of this.pendingStatus.values()) if (s.seqNum === refSeq) return this.answerStatus(s, { answer: 'NO_ANSWER', text });
  }

  /** 35=j: an application message the LP cannot process; an order's is matched by BusinessRejectRefID (379). */
  private onBusinessReject(m: ReceivedMessage): void {
    const ref = m.tags?.['379'];
    const text = `business reject of 35=${m.tags?.['372'] ?? '?'} ${ref ?? ''} (reason ${m.tags?.['380'] ?? '?'})${m.tags?.['58'] ? `: ${m.tags['58']}` : ''}`;
    this.health.error(text);
    const p = ref === undefined ? undefined : this.pending.get(ref);
    if (p) return this.finish(p, 'REJECTED', text, m.tags?.['380']);
    // A status request's: BusinessRejectReason 1 (unknown ID) says the LP has no such order; any other reason
    // (unsupported message type…) leaves the order's outcome unknown.
    const s = m.tags?.['372'] === 'H' || ref !== undefined ? this.statusRequestFor(ref, ref) : undefined;
    if (s) this.answerStatus(s, m.tags?.['380'] === '1' ? { answer: 'UNKNOWN_ORDER', text } : { answer: 'NO_ANSWER', text });
  }
}

export function createFixLp(config: FixLpConfig): FixLp {
  return new FixLp(config);
}
