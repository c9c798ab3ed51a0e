import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import type { OutgoingMessage, ReceivedGroupEntry, ReceivedMessage } from '@broker/quickfix';

/**
 * FIX 4.4 messages the FIX LP adapter exchanges, built and read without JS numbers for prices and quantities:
 * received values are the wire strings (the addon hands every field over as a string) and become `Decimal`
 * directly; outgoing prices and quantities are written as decimal strings. Pure: no clock, no I/O (except
 * `readStoredSeqNums`).
 */

// FIX Price / Qty: an optional sign, digits, an optional fraction. No exponent, no spaces.
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** A FIX decimal field as a Decimal; undefined when absent or not a decimal. */
export function fixDecimal(v: string | undefined): Decimal | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  return DECIMAL.test(s) ? new Decimal(s) : undefined;
}

const field = (m: ReceivedMessage | ReceivedGroupEntry, t: number): string | undefined => m.tags?.[String(t)];
export const headerField = (m: ReceivedMessage, t: number): string | undefined => m.header[String(t)];
export const msgTypeOf = (m: ReceivedMessage): string => m.header['35'] ?? '';

/**
 * UTCTimestamp `YYYYMMDD-HH:MM:SS[.sss…]` → Unix ms (fractions beyond ms are truncated); undefined when malformed.
 */
export function parseUtcTimestamp(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(v.trim());
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * MDEntryTime (273, UTCTimeOnly `HH:MM:SS[.sss]`) on MDEntryDate (272, `YYYYMMDD`) or, without one, on the UTC
 * date of `reference` (the message's SendingTime). A time-only value just after midnight on a message sent just
 * before it (or the reverse) is moved to the nearer day.
 */
export function parseEntryTime(time: string | undefined, date: string | undefined, reference: number): number | undefined {
  if (!time) return undefined;
  const tm = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time.trim());
  if (!tm) return undefined;
  const ms = tm[4] ? Number(tm[4].slice(0, 3).padEnd(3, '0')) : 0;
  let y: number, mo: number, d: number;
  const dm = date ? /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim()) : null;
  if (dm) {
    [y, mo, d] = [+dm[1]!, +dm[2]! - 1, +dm[3]!];
  } else {
    const r = new Date(reference);
    [y, mo, d] = [r.getUTCFullYear(), r.getUTCMonth(), r.getUTCDate()];
  }
  let t = Date.UTC(y, mo, d, +tm[1]!, +tm[2]!, +tm[3]!, ms);
  if (!dm) {
    const DAY = 86_400_000;
    if (t - reference > DAY / 2) t -= DAY;
    else if (reference - t > DAY / 2) t += DAY;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** UTCTimestamp with milliseconds for outgoing fields (60 TransactTime). */
export function utcTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

// ───────────────────────────── symbols ─────────────────────────────

/** LP symbol → platform symbol: the map's entry, else the LP symbol without '/' (`EUR/USD` → `EURUSD`). */
export function platformSymbol(lpSymbol: string, symbolMap: Record<string, string>): string {
  return symbolMap[lpSymbol] ?? lpSymbol.replaceAll('/', '');
}

/**
 * Platform symbol → LP symbol for orders: the map's key whose value it is, else a subscribed LP symbol that maps
 * to it by default, else the platform symbol unchanged.
 */
export function lpSymbolFor(platform: string, symbolMap: Record<string, string>, known: readonly string[]): string {
  for (const [lp, p] of Object.entries(symbolMap)) if (p === platform) return lp;
  return known.find((s) => platformSymbol(s, symbolMap) === platform) ?? platform;
}

// ───────────────────────────── market data ─────────────────────────────

/** 35=V: top of book, snapshot + updates (263=1), incremental (265=1), bid and offer (267), the symbols (146). */
export function marketDataRequest(opts: { mdReqId: string; symbols: string[]; depth?: number; unsubscribe?: boolean }): OutgoingMessage {
  return {
    header: { 35: 'V' },
    tags: { 262: opts.mdReqId, 263: opts.unsubscribe ? '2' : '1', 264: opts.depth ?? 1, 265: '1' },
    groups: [
      { index: 267, delim: 269, entries: [{ 269: '0' }, { 269: '1' }] },
      { index: 146, delim: 55, entries: opts.symbols.map((s) => ({ 55: s })) },
    ],
  };
}

/** Best bid/offer of one LP symbol as the LP last described it; a side is undefined until known (or deleted). */
export interface BookTop {
  bid?: Decimal;
  ask?: Decimal;
  /** LP time of the latest entry that changed it. */
  time?: number;
}

export interface MarketDataUpdate {
  kind: 'snapshot' | 'incremental';
  mdReqId?: string;
  /** LP symbols whose top changed, in order of first change. */
  touched: string[];
  /** Entries that could not be used (no symbol, bad price), for recentErrors. */
  problems: string[];
}

/**
 * Applies a 35=W (full refresh: the symbol's book is replaced) or 35=X (incremental: each 279/269 entry changes
 * one side; an entry may carry only one side) to `books`. `defaultSymbol` names the symbol of entries without a
 * 55 (an X for a single-symbol request may omit it). Time of each touched book: 272/273 when sent, else SendingTime.
 */
export function applyMarketData(
  m: ReceivedMessage,
  books: Map<string, BookTop>,
  defaultSymbol?: (mdReqId: string | undefined) => string | undefined,
): MarketDataUpdate | undefined {
  const type = msgTypeOf(m);
  if (type !== 'W' && type !== 'X') return undefined;
  const mdReqId = field(m, 262);
  const sendingTime = parseUtcTimestamp(headerField(m, 52));
  const entries = m.groups?.['268'] ?? [];
  const update: MarketDataUpdate = { kind: type === 'W' ? 'snapshot' : 'incremental', mdReqId, touched: [], problems: [] };
  const touch = (s: string) => {
    if (!update.touched.includes(s)) update.touched.push(s);
  };
  const bodySymbol = field(m, 55);

  if (type === 'W') {
    const symbol = bodySymbol ?? defaultSymbol?.(mdReqId);
    if (!symbol) {
      update.problems.push(`35=W ${mdReqId ?? ''} without a symbol`);
      return update;
    }
    const top: BookTop = {};
    for (const e of entries) {
      const side = field(e, 269);
      if (side !== '0' && side !== '1') continue;
      const px = fixDecimal(field(e, 270));
      if (!px) {
        update.problems.push(`35=W ${symbol}: bad MDEntryPx ${String(field(e, 270))}`);
        continue;
      }
      // Depth > 1 snapshots list several levels: the best one is the top.
      if (side === '0' && (!top.bid || px.gt(top.bid))) top.bid = px;
      if (side === '1' && (!top.ask || px.lt(top.ask))) top.ask = px;
      const t = sendingTime === undefined ? undefined : parseEntryTime(field(e, 273), field(e, 272), sendingTime);
      if (t !== undefined && (top.time === undefined || t > top.time)) top.time = t;
    }
    top.time ??= sendingTime;
    books.set(symbol, top);
    touch(symbol);
    return update;
  }

  for (const e of entries) {
    const side = field(e, 269);
    const action = field(e, 279) ?? '0';
    if (side !== '0' && side !== '1') continue;
    const symbol = field(e, 55) ?? bodySymbol ?? defaultSymbol?.(mdReqId);
    if (!symbol) {
      update.problems.push(`35=X ${mdReqId ?? ''}: entry without a symbol`);
      continue;
    }
    const book = books.get(symbol) ?? {};
    const key = side === '0' ? 'bid' : 'ask';
    if (action === '2') {
      delete book[key];
    } else {
      const px = fixDecimal(field(e, 270));
      if (!px) {
        update.problems.push(`35=X ${symbol}: bad MDEntryPx ${String(field(e, 270))}`);
        continue;
      }
      book[key] = px;
    }
    const t = sendingTime === undefined ? undefined : parseEntryTime(field(e, 273), field(e, 272), sendingTime);
    book.time = t ?? sendingTime ?? book.time;
    books.set(symbol, book);
    touch(symbol);
  }
  return update;
}

/** 35=Y */
export function parseMarketDataReject(m: ReceivedMessage): { mdReqId: string; reason?: string; text?: string } | undefined {
  if (msgTypeOf(m) !== 'Y') return undefined;
  return { mdReqId: field(m, 262) ?? '', reason: field(m, 281), text: field(m, 58) };
}

/** MDReqRejReason (281) in words. */
export const MD_REJECT_REASONS: Record<string, string> = {
  '0': 'unknown symbol',
  '1': 'duplicate MDReqID',
  '2': 'insufficient bandwidth',
  '3': 'insufficient permissions',
  '4': 'unsupported SubscriptionRequestType',
  '5': 'unsupported MarketDepth',
  '6': 'unsupported MDUpdateType',
  '7': 'unsupported AggregatedBook',
  '8': 'unsupported MDEntryType',
};

// ───────────────────────────── orders ─────────────────────────────

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT';
export type TimeInForce = 'DAY' | 'GTC' | 'IOC' | 'FOK';
const TIF: Record<TimeInForce, string> = { DAY: '0', GTC: '1', IOC: '3', FOK: '4' };

/** 35=D. Quantity and price are decimal strings on the wire. */
export function newOrderSingle(opts: {
  clOrdId: string;
  lpSymbol: string;
  side: OrderSide;
  orderQty: Decimal;
  type: OrderType;
  price?: Decimal;
  timeInForce?: TimeInForce;
  account?: string;
  transactTime: number;
}): OutgoingMessage {
  const tags: Record<number, string> = {
    11: opts.clOrdId,
    21: '1', // HandlInst: automated, private
    55: opts.lpSymbol,
    54: opts.side === 'BUY' ? '1' : '2',
    60: utcTimestamp(opts.transactTime),
    38: opts.orderQty.toFixed(),
    40: opts.type === 'LIMIT' ? '2' : '1',
  };
  if (opts.price) tags[44] = opts.price.toFixed();
  if (opts.timeInForce) tags[59] = TIF[opts.timeInForce];
  if (opts.account) tags[1] = opts.account;
  return { header: { 35: 'D' }, tags };
}

/** 35=H: what the LP did with one order (ClOrdID + Side + Symbol; its OrderID when known). */
export function orderStatusRequest(opts: { clOrdId: string; lpSymbol: string; side: OrderSide; ordStatusReqId: string; orderId?: string | null }): OutgoingMessage {
  const tags: Record<number, string> = { 11: opts.clOrdId, 790: opts.ordStatusReqId, 55: opts.lpSymbol, 54: opts.side === 'BUY' ? '1' : '2' };
  if (opts.orderId) tags[37] = opts.orderId;
  return { header: { 35: 'H' }, tags };
}

/** `status`: ExecType=I, the answer to an OrderStatusRequest (the order's state, not an event). */
export type ExecKind = 'new' | 'trade' | 'rejected' | 'canceled' | 'expired' | 'status' | 'other';

/** 35=8 with its quantities and prices as Decimals (LP symbol, units). */
export interface WireExecutionReport {
  orderId: string;
  execId: string;
  clOrdId?: string;
  lpSymbol?: string;
  side?: OrderSide;
  kind: ExecKind;
  /** 150 and 39 as sent. */
  execType: string;
  ordStatus: string;
  lastQty?: Decimal;
  lastPx?: Decimal;
  cumQty?: Decimal;
  leavesQty?: Decimal;
  avgPx?: Decimal;
  orderQty?: Decimal;
  text?: string;
  ordRejReason?: string;
  /** 790, echoed on a status answer. */
  ordStatusReqId?: string;
  transactTime?: number;
  /** 43=Y: a resend the adapter may already have seen. */
  possDup: boolean;
  /** Final for the order: filled (39=2), canceled (4), rejected (8), expired (C), done for day (3). */
  terminal: boolean;
}

const TERMINAL = new Set(['2', '3', '4', '8', 'C']);

export function parseExecutionReport(m: ReceivedMessage): WireExecutionReport | undefined {
  if (msgTypeOf(m) !== '8') return undefined;
  const execType = field(m, 150) ?? '';
  const ordStatus = field(m, 39) ?? '';
  let kind: ExecKind = 'other';
  // 150=F (Trade) in FIX 4.4; 1/2 (Partial fill / Fill) from FIX 4.2 counterparties.
  if (execType === 'I') kind = 'status';
  else if (execType === 'F' || execType === '1' || execType === '2') kind = 'trade';
  else if (execType === '0') kind = 'new';
  else if (execType === '8' || ordStatus === '8') kind = 'rejected';
  else if (execType === '4') kind = 'canceled';
  else if (execType === 'C') kind = 'expired';
  const side = field(m, 54);
  const report: WireExecutionReport = {
    orderId: field(m, 37) ?? '',
    execId: field(m, 17) ?? '',
    lpSymbol: field(m, 55),
    side: side === '1' ? 'BUY' : side === '2' ? 'SELL' : undefined,
    kind,
    execType,
    ordStatus,
    possDup: headerField(m, 43) === 'Y',
    terminal: TERMINAL.has(ordStatus) || execType === '8',
  };
  const clOrdId = field(m, 11);
  if (clOrdId !== undefined) report.clOrdId = clOrdId;
  const decimals = { lastQty: 32, lastPx: 31, cumQty: 14, leavesQty: 151, avgPx: 6, orderQty: 38 } as const;
  for (const [k, t] of Object.entries(decimals) as [keyof typeof decimals, number][]) {
    const v = fixDecimal(field(m, t));
    if (v) report[k] = v;
  }
  const text = field(m, 58);
  if (text !== undefined) report.text = text;
  const rej = field(m, 103);
  if (rej !== undefined) report.ordRejReason = rej;
  const statusReq = field(m, 790);
  if (statusReq !== undefined) report.ordStatusReqId = statusReq;
  const tt = parseUtcTimestamp(field(m, 60));
  if (tt !== undefined) report.transactTime = tt;
  return report;
}

/** OrdRejReason (103) in words. */
export const ORD_REJECT_REASONS: Record<string, string> = {
  '0': 'broker / exchange option',
  '1': 'unknown symbol',
  '2': 'exchange closed',
  '3': 'order exceeds limit',
  '4': 'too late to enter',
  '5': 'unknown order',
  '6': 'duplicate order',
  '11': 'unsupported order characteristic',
  '13': 'incorrect quantity',
  '99': 'other',
};

// ───────────────────────────── session store ─────────────────────────────

/**
 * The next sequence numbers QuickFIX's FileStore keeps for a session (`<BeginString>-<Sender>-<Target>.seqnums`,
 * "sender : target"), read without starting a session; undefined when the file is not there yet.
 */
export function readStoredSeqNums(
  storePath: string,
  s: { beginString: string; senderCompId: string; targetCompId: string },
): { nextSender: number; nextTarget: number } | undefined {
  try {
    const text = readFileSync(path.join(storePath, `${s.beginString}-${s.senderCompId}-${s.targetCompId}.seqnums`), 'utf8');
    const m = /^\s*(\d+)\s*:\s*(\d+)/.exec(text);
    return m ? { nextSender: Number(m[1]), nextTarget: Number(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}
