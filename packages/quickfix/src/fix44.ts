// FIX 4.4 message builders and typed parsers for the messages the broker exchanges with its LPs.
import type { OutgoingMessage, ReceivedGroupEntry, ReceivedMessage } from './binding.js';

export type Side = 'buy' | 'sell';
export type OrdType = 'market' | 'limit';

/** UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss */
export function utcTimestamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

export const msgType = (m: ReceivedMessage): string => m.header['35'] ?? '';
export const tag = (m: ReceivedMessage | ReceivedGroupEntry, t: number): string | undefined => m.tags?.[String(t)];
const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

/** 35=V: subscribe (snapshot + updates) or snapshot only, top of book, bid and offer. */
export function marketDataRequest(opts: {
  mdReqId: string;
  symbols: string[];
  subscribe?: boolean;
  unsubscribe?: boolean;
  depth?: number;
}): OutgoingMessage {
  return {
    header: { 35: 'V' },
    tags: {
      262: opts.mdReqId,
      263: opts.unsubscribe ? '2' : opts.subscribe === false ? '0' : '1',
      264: opts.depth ?? 1,
      265: 1, // MDUpdateType: incremental refresh
    },
    groups: [
      { index: 267, delim: 269, entries: [{ 269: '0' }, { 269: '1' }] },
      { index: 146, delim: 55, entries: opts.symbols.map((s) => ({ 55: s })) },
    ],
  };
}

/** 35=D */
export function newOrderSingle(opts: {
  clOrdId: string;
  symbol: string;
  side: Side;
  qty: number;
  ordType?: OrdType;
  price?: number;
  account?: string;
}): OutgoingMessage {
  const tags: Record<number, string | number> = {
    11: opts.clOrdId,
    55: opts.symbol,
    54: opts.side === 'buy' ? '1' : '2',
    38: opts.qty,
    40: opts.ordType === 'limit' ? '2' : '1',
    60: utcTimestamp(),
    21: '1',
  };
  if (opts.price !== undefined) tags[44] = opts.price;
  if (opts.account) tags[1] = opts.account;
  return { header: { 35: 'D' }, tags };
}

export interface Quote {
  mdReqId?: string;
  symbol: string;
  /** 'W' snapshot or 'X' incremental. */
  kind: 'snapshot' | 'incremental';
  bid?: number;
  ask?: number;
  bidSize?: number;
  askSize?: number;
}

/** 35=W / 35=X: one Quote per symbol, from the NoMDEntries (268) group. */
export function parseMarketData(m: ReceivedMessage): Quote[] {
  const type = msgType(m);
  if (type !== 'W' && type !== 'X') return [];
  const mdReqId = tag(m, 262);
  const entries = m.groups?.['268'] ?? [];
  const bySymbol = new Map<string, Quote>();
  for (const e of entries) {
    const symbol = tag(e, 55) ?? tag(m, 55);
    if (!symbol) continue;
    const q = bySymbol.get(symbol) ?? { mdReqId, symbol, kind: type === 'W' ? 'snapshot' : 'incremental' };
    const px = num(tag(e, 270));
    const size = num(tag(e, 271));
    if (tag(e, 269) === '0') {
      q.bid = px;
      q.bidSize = size;
    } else if (tag(e, 269) === '1') {
      q.ask = px;
      q.askSize = size;
    }
    bySymbol.set(symbol, q);
  }
  return [...bySymbol.values()];
}

export interface MarketDataReject {
  mdReqId: string;
  reason?: string;
  text?: string;
}

export function parseMarketDataReject(m: ReceivedMessage): MarketDataReject | undefined {
  if (msgType(m) !== 'Y') return undefined;
  return { mdReqId: tag(m, 262) ?? '', reason: tag(m, 281), text: tag(m, 58) };
}

export type ExecType = 'new' | 'partial' | 'fill' | 'rejected' | 'canceled' | 'other';

export interface ExecutionReport {
  orderId: string;
  execId: string;
  clOrdId?: string;
  symbol?: string;
  side?: Side;
  execType: ExecType;
  /** Raw 150 / 39 values. */
  execTypeCode: string;
  ordStatus: string;
  lastPx?: number;
  lastQty?: number;
  cumQty: number;
  leavesQty: number;
  avgPx: number;
  orderQty?: number;
  text?: string;
  ordRejReason?: string;
}

const EXEC_TYPES: Record<string, ExecType> = { '0': 'new', '4': 'canceled', '8': 'rejected' };

/** 35=8. A trade (150=F) is 'partial' or 'fill' by OrdStatus (39=1 / 39=2). */
export function parseExecutionReport(m: ReceivedMessage): ExecutionReport | undefined {
  if (msgType(m) !== '8') return undefined;
  const execTypeCode = tag(m, 150) ?? '';
  const ordStatus = tag(m, 39) ?? '';
  let execType: ExecType = EXEC_TYPES[execTypeCode] ?? 'other';
  if (execTypeCode === 'F' || execTypeCode === '1' || execTypeCode === '2') execType = ordStatus === '2' ? 'fill' : 'partial';
  const side = tag(m, 54);
  return {
    orderId: tag(m, 37) ?? '',
    execId: tag(m, 17) ?? '',
    clOrdId: tag(m, 11),
    symbol: tag(m, 55),
    side: side === '1' ? 'buy' : side === '2' ? 'sell' : undefined,
    execType,
    execTypeCode,
    ordStatus,
    lastPx: num(tag(m, 31)),
    lastQty: num(tag(m, 32)),
    cumQty: num(tag(m, 14)) ?? 0,
    leavesQty: num(tag(m, 151)) ?? 0,
    avgPx: num(tag(m, 6)) ?? 0,
    orderQty: num(tag(m, 38)),
    text: tag(m, 58),
    ordRejReason: tag(m, 103),
  };
}
