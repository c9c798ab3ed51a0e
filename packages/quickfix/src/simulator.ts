// FIX 4.4 liquidity-provider simulator: an acceptor on the same engine that streams quotes and executes
// orders. Configurable in code (tests) and from simulator-cli.ts.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { OutgoingMessage, ReceivedMessage, SessionId } from './binding.js';
import { msgType, tag, utcTimestamp } from './fix44.js';
import { FixAcceptor } from './session.js';

/**
 * What the simulator answers to an OrderStatusRequest (35=H): `answer` (from its own order store, as a real LP
 * does: 35=8 ExecType=I with the order's OrdStatus, CumQty and AvgPx; an order it never received gets
 * OrdStatus=8 with OrdRejReason=5 unknown order, or a BusinessMessageReject with `unknownOrderReply:
 * 'business-reject'`), or `silent` (no answer: the requester's bound).
 */
export type StatusMode = 'answer' | 'silent';

/** One order as the simulator holds it: what it received and what it did with it (its own record). */
export interface SimOrder {
  clOrdId: string;
  orderId: string;
  symbol: string;
  /** 54: '1' buy, '2' sell. */
  side: string;
  qty: number;
  /** 39 as last reported: A pending new (nothing sent yet), 0 new, 1 partially filled, 2 filled, 4 canceled, 8 rejected. */
  ordStatus: string;
  cumQty: number;
  avgPx: number;
  text?: string;
  ordRejReason?: string;
  receivedAt: number;
}

/**
 * fill: filled in one report; partial: filled in several reports (partialFills + 1); partial-ioc: a share
 * (iocFillRatio) filled, the rest canceled (an IOC remainder); reject: 39=8; silent: no report at all (the
 * sender's timeout).
 */
export type ExecMode = 'fill' | 'partial' | 'partial-ioc' | 'reject' | 'silent';

export interface SimSymbol {
  /** Starting mid price. */
  mid: number;
  /** Bid-ask spread in price units. */
  spread: number;
  /** Quoted size on each side. */
  size?: number;
  /** Price decimals. */
  digits?: number;
}

export const DEFAULT_SYMBOLS: Record<string, SimSymbol> = {
  'EUR/USD': { mid: 1.085, spread: 0.0001, size: 1_000_000, digits: 5 },
  'GBP/USD': { mid: 1.265, spread: 0.00015, size: 1_000_000, digits: 5 },
  'USD/JPY': { mid: 151.2, spread: 0.015, size: 1_000_000, digits: 3 },
  'XAU/USD': { mid: 2350, spread: 0.5, size: 100, digits: 2 },
};

export interface SimulatorOptions {
  port: number;
  senderCompId?: string;
  targetCompId?: string;
  /** When set, Logon must carry 553/554 equal to these. */
  username?: string;
  password?: string;
  symbols?: Record<string, SimSymbol>;
  /** ms between incremental refreshes (35=X) of each subscription; default 250. */
  mdIntervalMs?: number;
  /** Relative standard deviation of one random-walk step; default 0.00005. */
  volatility?: number;
  /** Execution mode for every symbol without its own; default 'fill'. */
  mode?: ExecMode;
  perSymbolMode?: Record<string, ExecMode>;
  /** Partial fills before the final fill in 'partial' mode; default 2. */
  partialFills?: number;
  /** ms between execution reports of one order; default 20. */
  execDelayMs?: number;
  /** ms before an order's first execution report (its ack included): an order in flight for that long; default 0. */
  delayMs?: number;
  /** How OrderStatusRequests (35=H) are answered; default 'answer'. */
  statusMode?: StatusMode;
  /** An OrderStatusRequest for an order never received: 35=8 OrdStatus=8 OrdRejReason=5 (default), or 35=j. */
  unknownOrderReply?: 'execution-report' | 'business-reject';
  /** Send an ExecType=New (150=0) report before fills; default true. */
  ackNew?: boolean;
  rejectText?: string;
  /** partial-ioc: the share of the quantity filled before the rest is canceled; default 0.5. */
  iocFillRatio?: number;
  /** Price units the fill moves against the order from the quote (slippage); default 0. A LIMIT order whose
   * limit that price would cross is canceled unfilled (IOC semantics). */
  slippage?: number;
  /** Folder for the store (sequence numbers); default a folder in the OS temp dir per port. */
  fileStorePath?: string;
  fileLogPath?: string;
  dataDictionary?: string;
  heartBtInt?: number;
  /** Called for each decision (logging). */
  log?: (line: string) => void;
}

interface Subscription {
  mdReqId: string;
  symbols: string[];
  sessionId: SessionId;
  timer: NodeJS.Timeout;
}

interface Book {
  mid: number;
  spread: number;
  size: number;
  digits: number;
}

export class LpSimulator {
  readonly options: Required<Pick<SimulatorOptions, 'port' | 'senderCompId' | 'targetCompId' | 'mdIntervalMs' | 'volatility' | 'partialFills' | 'execDelayMs' | 'ackNew'>> & SimulatorOptions;
  private acceptor: FixAcceptor;
  private books = new Map<string, Book>();
  private subs = new Map<string, Subscription>();
  private modes = new Map<string, ExecMode>();
  private globalMode: ExecMode;
  private timers = new Set<NodeJS.Timeout>();
  private orderSeq = 0;
  private execSeq = 0;
  private statusSeq = 0;
  /** Counters, for tests and the stability script. */
  readonly stats = { logons: 0, rejectedLogons: 0, lastLogonSeqNum: 0, orders: 0, executionReports: 0, marketDataRequests: 0, quotesSent: 0, statusRequests: 0, duplicateOrders: 0 };
  /** The simulator's own order store, by ClOrdID (kept while the simulator runs, whatever the broker does). */
  readonly orders = new Map<string, SimOrder>();
  /** Every ClOrdID of every NewOrderSingle received, in order, duplicates included. */
  readonly received: string[] = [];

  constructor(opts: SimulatorOptions) {
    this.options = {
      senderCompId: 'LPSIM',
      targetCompId: 'BROKER',
      mdIntervalMs: 250,
      volatility: 0.00005,
      partialFills: 2,
      execDelayMs: 20,
      ackNew: true,
      ...opts,
    };
    this.globalMode = opts.mode ?? 'fill';
    for (const [s, m] of Object.entries(opts.perSymbolMode ?? {})) this.modes.set(s, m);
    for (const [s, d] of Object.entries(opts.symbols ?? DEFAULT_SYMBOLS)) {
      this.books.set(s, { mid: d.mid, spread: d.spread, size: d.size ?? 1_000_000, digits: d.digits ?? 5 });
    }
    const { username, password } = this.options;
    this.acceptor = new FixAcceptor(
      {
        senderCompId: this.options.senderCompId,
        targetCompId: this.options.targetCompId,
        port: this.options.port,
        heartBtInt: opts.heartBtInt,
        fileStorePath: opts.fileStorePath ?? path.join(os.tmpdir(), `lpsim-${this.options.port}`, 'store'),
        fileLogPath: opts.fileLogPath,
        dataDictionary: opts.dataDictionary,
        onLogonAttempt: (m) => {
          const ok =
            (username === undefined || tag(m, 553) === username) && (password === undefined || tag(m, 554) === password);
          this.stats.lastLogonSeqNum = Number(m.header['34'] ?? 0);
          if (ok) this.stats.logons++;
          else this.stats.rejectedLogons++;
          this.log(`logon from ${m.header['49']} user=${tag(m, 553) ?? '-'}: ${ok ? 'accepted' : 'rejected'}`);
          return ok;
        },
      },
      {
        onLogout: (sid) => {
          this.log(`logout ${sid.targetCompID}`);
          this.dropSubscriptions(sid);
        },
        fromApp: (m, sid) => this.onMessage(m, sid),
      },
    );
  }

  get port(): number {
    return this.options.port;
  }

  get isLoggedOn(): boolean {
    return this.acceptor.isLoggedOn;
  }

  /** The underlying acceptor (sequence numbers, raw sends). */
  get endpoint(): FixAcceptor {
    return this.acceptor;
  }

  async start(): Promise<void> {
    await this.acceptor.start();
    this.log(`listening on ${this.options.port} as ${this.options.senderCompId} for ${this.options.targetCompId}`);
  }

  async stop(options: { force?: boolean } = {}): Promise<void> {
    for (const s of this.subs.values()) clearInterval(s.timer);
    this.subs.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.acceptor.stop(options);
  }

  setMode(mode: ExecMode, symbol?: string): void {
    if (symbol) this.modes.set(symbol, mode);
    else this.globalMode = mode;
  }

  modeFor(symbol: string): ExecMode {
    return this.modes.get(symbol) ?? this.globalMode;
  }

  /** Moves a symbol's mid: a scripted price path (with `volatility: 0` it stays there). */
  setMid(symbol: string, mid: number): void {
    const b = this.books.get(symbol);
    if (!b) throw new Error(`Unknown symbol: ${symbol}`);
    b.mid = mid;
  }

  /** Current top of book. */
  quote(symbol: string): { bid: number; ask: number } | undefined {
    const b = this.books.get(symbol);
    if (!b) return undefined;
    return { bid: round(b.mid - b.spread / 2, b.digits), ask: round(b.mid + b.spread / 2, b.digits) };
  }

  private log(line: string): void {
    this.options.log?.(`[lpsim] ${line}`);
  }

  private send(m: OutgoingMessage): void {
    try {
      this.acceptor.send(m);
    } catch (e) {
      this.log(`send failed: ${(e as Error).message}`);
    }
  }

  private onMessage(m: ReceivedMessage, sid: SessionId): void {
    switch (msgType(m)) {
      case 'V':
        return this.onMarketDataRequest(m, sid);
      case 'D':
        return this.onNewOrder(m);
      case 'H':
        return this.onStatusRequest(m);
      default:
        this.log(`ignored 35=${msgType(m)}`);
    }
  }

  private onMarketDataRequest(m: ReceivedMessage, sid: SessionId): void {
    this.stats.marketDataRequests++;
    const mdReqId = tag(m, 262) ?? '';
    const type = tag(m, 263) ?? '0';
    if (type === '2') {
      const s = this.subs.get(mdReqId);
      if (s) clearInterval(s.timer);
      this.subs.delete(mdReqId);
      this.log(`unsubscribed ${mdReqId}`);
      return;
    }
    const symbols = (m.groups?.['146'] ?? []).map((e) => tag(e, 55)).filter((s): s is string => !!s);
    const unknown = symbols.filter((s) => !this.books.has(s));
    if (symbols.length === 0 || unknown.length > 0) {
      this.log(`market data request ${mdReqId} rejected: unknown symbol ${unknown.join(',') || '(none)'}`);
      this.send({
        header: { 35: 'Y' },
        tags: { 262: mdReqId, 281: '0', 58: `Unknown symbol: ${unknown.join(',') || '(none)'}` },
      });
      return;
    }
    for (const symbol of symbols) {
      const q = this.quote(symbol)!;
      const b = this.books.get(symbol)!;
      this.send({
        header: { 35: 'W' },
        tags: { 262: mdReqId, 55: symbol },
        groups: [
          {
            index: 268,
            delim: 269,
            entries: [
              { 269: '0', 270: q.bid, 271: b.size },
              { 269: '1', 270: q.ask, 271: b.size },
            ],
          },
        ],
      });
      this.stats.quotesSent++;
    }
    if (type === '1') {
      const previous = this.subs.get(mdReqId);
      if (previous) clearInterval(previous.timer);
      const timer = setInterval(() => this.tick(mdReqId), this.options.mdIntervalMs);
      this.subs.set(mdReqId, { mdReqId, symbols, sessionId: sid, timer });
      this.log(`subscribed ${mdReqId}: ${symbols.join(',')} every ${this.options.mdIntervalMs} ms`);
    }
  }

  private tick(mdReqId: string): void {
    const sub = this.subs.get(mdReqId);
    if (!sub || !this.acceptor.isLoggedOn) return;
    const entries: Array<Record<number, string | number>> = [];
    for (const symbol of sub.symbols) {
      const b = this.books.get(symbol)!;
      b.mid = b.mid * (1 + gaussian() * this.options.volatility);
      const q = this.quote(symbol)!;
      entries.push({ 279: '1', 269: '0', 55: symbol, 270: q.bid, 271: b.size });
      entries.push({ 279: '1', 269: '1', 55: symbol, 270: q.ask, 271: b.size });
    }
    this.send({ header: { 35: 'X' }, tags: { 262: mdReqId }, groups: [{ index: 268, delim: 279, entries }] });
    this.stats.quotesSent += sub.symbols.length;
  }

  private dropSubscriptions(sid: SessionId): void {
    for (const [id, s] of this.subs) {
      if (s.sessionId.targetCompID === sid.targetCompID) {
        clearInterval(s.timer);
        this.subs.delete(id);
      }
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private onNewOrder(m: ReceivedMessage): void {
    this.stats.orders++;
    const clOrdId = tag(m, 11) ?? '';
    const symbol = tag(m, 55) ?? '';
    const side = tag(m, 54) ?? '1';
    const qty = Number(tag(m, 38) ?? '0');
    this.received.push(clOrdId);
    const orderId = `LP${++this.orderSeq}-${randomUUID().slice(0, 8)}`;
    const base = { 37: orderId, 11: clOrdId, 55: symbol, 54: side, 38: tag(m, 38) ?? '0', 40: tag(m, 40) ?? '1' };
    if (this.orders.has(clOrdId)) {
      // A real LP refuses a ClOrdID it has seen: the first order stands, this one is rejected (duplicate order).
      this.stats.duplicateOrders++;
      this.stats.executionReports++;
      this.log(`order ${clOrdId}: duplicate ClOrdID rejected`);
      this.send({ header: { 35: '8' }, tags: { ...base, 37: 'NONE', 17: `E${++this.execSeq}`, 60: utcTimestamp(), 150: '8', 39: '8', 103: '6', 58: `Duplicate ClOrdID ${clOrdId}`, 14: 0, 151: 0, 6: 0 } });
      return;
    }
    const order: SimOrder = { clOrdId, orderId, symbol, side, qty, ordStatus: 'A', cumQty: 0, avgPx: 0, receivedAt: Date.now() };
    this.orders.set(clOrdId, order);
    const delayMs = this.options.delayMs ?? 0;
    const report = (t: Record<number, string | number>) => {
      this.stats.executionReports++;
      // The store follows what was reported (and so what a status request answers).
      order.ordStatus = String(t[39]);
      order.cumQty = Number(t[14] ?? order.cumQty);
      if (Number(t[6] ?? 0) > 0) order.avgPx = Number(t[6]);
      if (t[58] !== undefined) order.text = String(t[58]);
      if (t[103] !== undefined) order.ordRejReason = String(t[103]);
      this.send({ header: { 35: '8' }, tags: { ...base, 17: `E${++this.execSeq}`, 60: utcTimestamp(), ...t } });
    };
    // The mode when the order came in decides, even when it is executed later.
    const mode = this.quote(symbol) ? this.modeFor(symbol) : 'reject';
    if (delayMs > 0) {
      this.later(delayMs, () => this.execute(m, order, mode, report));
      return;
    }
    this.execute(m, order, mode, report);
  }

  /** 35=H: the order's state from the store (ExecType=I), or unknown order. */
  private onStatusRequest(m: ReceivedMessage): void {
    this.stats.statusRequests++;
    const clOrdId = tag(m, 11) ?? '';
    const reqId = tag(m, 790);
    if ((this.options.statusMode ?? 'answer') === 'silent') {
      this.log(`status request ${clOrdId}: not answered (silent)`);
      return;
    }
    const o = this.orders.get(clOrdId);
    const echo: Record<number, string> = reqId === undefined ? {} : { 790: reqId };
    if (!o) {
      this.log(`status request ${clOrdId}: unknown order`);
      if (this.options.unknownOrderReply === 'business-reject') {
        this.send({ header: { 35: 'j' }, tags: { 45: m.header['34'] ?? '0', 372: 'H', 379: reqId ?? clOrdId, 380: '1', 58: `Unknown order ${clOrdId}` } });
        return;
      }
      this.send({
        header: { 35: '8' },
        tags: { 37: 'NONE', 11: clOrdId, 17: `S${++this.statusSeq}`, 150: 'I', 39: '8', 103: '5', 58: `Unknown order ${clOrdId}`, 55: tag(m, 55) ?? '', 54: tag(m, 54) ?? '1', 14: 0, 151: 0, 6: 0, 60: utcTimestamp(), ...echo },
      });
      return;
    }
    this.log(`status request ${clOrdId}: 39=${o.ordStatus} cum ${o.cumQty}`);
    const working = o.ordStatus === 'A' || o.ordStatus === '0' || o.ordStatus === '1';
    this.send({
      header: { 35: '8' },
      tags: {
        37: o.orderId,
        11: o.clOrdId,
        17: `S${++this.statusSeq}`,
        150: 'I',
        39: o.ordStatus,
        55: o.symbol,
        54: o.side,
        38: o.qty,
        14: o.cumQty,
        151: working ? round(o.qty - o.cumQty, 8) : 0,
        6: o.avgPx,
        60: utcTimestamp(),
        ...((o.text === undefined ? {} : { 58: o.text }) as Record<number, string>),
        ...((o.ordRejReason === undefined ? {} : { 103: o.ordRejReason }) as Record<number, string>),
        ...echo,
      },
    });
  }

  private execute(m: ReceivedMessage, order: SimOrder, mode: ExecMode, report: (t: Record<number, string | number>) => void): void {
    const { clOrdId, symbol, side, qty } = order;
    const limit = tag(m, 44);
    const q = this.quote(symbol);
    this.log(`order ${clOrdId} ${side === '1' ? 'buy' : 'sell'} ${qty} ${symbol}: ${mode}`);
    if (!q || mode === 'reject' || !(qty > 0)) {
      const text = !q ? `Unknown symbol: ${symbol}` : !(qty > 0) ? 'Invalid quantity' : (this.options.rejectText ?? 'Rejected by LP simulator');
      report({ 150: '8', 39: '8', 103: !q ? '1' : qty > 0 ? '0' : '13', 58: text, 14: 0, 151: 0, 6: 0, 31: 0, 32: 0 });
      return;
    }
    if (mode === 'silent') return;
    const b = this.books.get(symbol)!;
    const slip = this.options.slippage ?? 0;
    const market = side === '1' ? q.ask + slip : q.bid - slip;
    // A limit fills at the market when the market is at or better than it (a buy at or below its limit, a sell
    // at or above); otherwise an IOC order is canceled with nothing filled.
    if (limit !== undefined && (side === '1' ? market > Number(limit) : market < Number(limit))) {
      if (this.options.ackNew) report({ 150: '0', 39: '0', 14: 0, 151: qty, 6: 0, 31: 0, 32: 0 });
      this.later(this.options.execDelayMs, () => report({ 150: '4', 39: '4', 14: 0, 151: 0, 6: 0, 31: 0, 32: 0, 58: `Price moved beyond the limit ${limit} (market ${round(market, b.digits)})` }));
      return;
    }
    const px = market;
    const fills: number[] = [];
    let cancelRest = 0;
    if (mode === 'partial-ioc') {
      const filled = round(Math.floor(qty * (this.options.iocFillRatio ?? 0.5)), 8) || round(qty * (this.options.iocFillRatio ?? 0.5), 8);
      fills.push(filled);
      cancelRest = round(qty - filled, 8);
    } else if (mode === 'partial' && this.options.partialFills > 0) {
      const n = this.options.partialFills + 1;
      const step = Math.floor((qty / n) * 100) / 100 || qty / n;
      for (let i = 0; i < n - 1; i++) fills.push(step);
      fills.push(round(qty - step * (n - 1), 8));
    } else {
      fills.push(qty);
    }
    let delay = 0;
    if (this.options.ackNew) report({ 150: '0', 39: '0', 14: 0, 151: qty, 6: 0, 31: 0, 32: 0 });
    let cum = 0;
    for (const [i, lastQty] of fills.entries()) {
      delay += this.options.execDelayMs;
      this.later(delay, () => {
        cum = round(cum + lastQty, 8);
        const last = i === fills.length - 1;
        report({
          150: 'F',
          39: last && !cancelRest ? '2' : '1',
          31: round(px, b.digits),
          32: lastQty,
          14: cum,
          151: round(qty - cum, 8),
          6: round(px, b.digits),
        });
        // IOC: what could not be filled is canceled at once.
        if (last && cancelRest) report({ 150: '4', 39: '4', 14: cum, 151: 0, 6: round(px, b.digits), 31: 0, 32: 0, 58: `IOC remainder ${cancelRest} canceled` });
      });
    }
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function gaussian(): number {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
