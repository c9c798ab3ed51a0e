import { Decimal } from 'decimal.js';

/**
 * One frame of a Binance combined stream (developers.binance.com, Spot "WebSocket Streams": combined streams
 * are wrapped as {"stream": "<name>", "data": <payload>}; "Individual Symbol Book Ticker Streams" for the
 * payload), decoded. Pure: no clock, no I/O.
 */
export type BinanceFrame =
  | { kind: 'bookTicker'; symbol: string; bid: Decimal; ask: Decimal; updateId: number | null }
  /** The server is about to go away: reconnect now rather than wait for the close. */
  | { kind: 'shutdown' }
  /** Replies to SUBSCRIBE-style requests and stream types this adapter does not use. */
  | { kind: 'other' }
  | { kind: 'error'; message: string };

// Binance sends prices as decimal strings ("25.35190000"); anything else is not a price.
const PRICE = /^\d+(\.\d+)?$/;

export function parseBinanceFrame(text: string): BinanceFrame {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { kind: 'error', message: `not JSON: ${text.slice(0, 80)}` };
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return { kind: 'error', message: `not an object: ${text.slice(0, 80)}` };
  const m = msg as Record<string, unknown>;
  if (m.error && typeof m.error === 'object') {
    const e = m.error as { code?: unknown; msg?: unknown };
    return { kind: 'error', message: `Binance error ${String(e.code)}: ${String(e.msg)}` };
  }
  if (m.e === 'serverShutdown') return { kind: 'shutdown' };
  if (!('stream' in m)) return 'result' in m ? { kind: 'other' } : { kind: 'error', message: `not a combined-stream frame: ${text.slice(0, 80)}` };
  const data = m.data as Record<string, unknown> | null | undefined;
  if (!data || typeof data !== 'object') return { kind: 'error', message: `frame without data: ${text.slice(0, 80)}` };
  if (data.e === 'serverShutdown') return { kind: 'shutdown' };
  if (typeof m.stream !== 'string' || !m.stream.endsWith('@bookTicker')) return { kind: 'other' };
  const { s, b, a, u } = data;
  if (typeof s !== 'string' || s === '') return { kind: 'error', message: `${m.stream}: no symbol` };
  if (typeof b !== 'string' || !PRICE.test(b) || typeof a !== 'string' || !PRICE.test(a)) {
    return { kind: 'error', message: `${s}: bad prices b=${String(b)} a=${String(a)}` };
  }
  return { kind: 'bookTicker', symbol: s.toUpperCase(), bid: new Decimal(b), ask: new Decimal(a), updateId: typeof u === 'number' ? u : null };
}

/** Binance pairs this adapter maps without configuration; anything else needs an explicit `symbolMap` entry. */
export const DEFAULT_BINANCE_SYMBOLS: Record<string, string> = { BTCUSDT: 'BTCUSD', ETHUSDT: 'ETHUSD' };
