import { Decimal } from 'decimal.js';

/**
 * One line of the OANDA v20 pricing stream (developer.oanda.com/rest-live-v20/pricing-ep, "Stream Pricing";
 * objects in pricing-df: ClientPrice and PricingHeartbeat), decoded. Pure: no clock, no I/O.
 */
export type OandaLine =
  | { kind: 'price'; instrument: string; bid: Decimal; ask: Decimal; time: number }
  | { kind: 'heartbeat'; time: number }
  /** A well-formed price the platform must not quote from (not tradeable, or one side has no liquidity). */
  | { kind: 'skip'; instrument: string; why: string }
  /** A type this adapter does not use; OANDA may add more. */
  | { kind: 'other'; type: string }
  | { kind: 'error'; message: string };

// A PriceValue is a decimal string; Decimal itself would also accept "0x1f", "1e5" or "Infinity".
const PRICE = /^\d+(\.\d+)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const UNIX = /^(\d+)(?:\.(\d{1,9}))?$/;

/**
 * A v20 DateTime as Unix ms. OANDA sends nanoseconds ("2026-01-18T10:00:00.123456789Z", or "1768730400.123456789"
 * with `Accept-Datetime-Format: UNIX`); the sub-millisecond digits are truncated, never rounded, so a quote
 * is never stamped later than it was priced. Returns null when the text is not a DateTime.
 */
export function parseOandaTime(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const ms = (frac: string | undefined) => Number((frac ?? '').padEnd(3, '0').slice(0, 3));
  const r = RFC3339.exec(text);
  if (r) {
    const [, y, mo, d, h, mi, s, frac, zone] = r;
    const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(base)) return null;
    let offsetMin = 0;
    if (zone && zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    }
    return base + ms(frac) - offsetMin * 60_000;
  }
  const u = UNIX.exec(text);
  if (u) return Number(u[1]) * 1000 + ms(u[2]);
  return null;
}

function price(v: unknown): Decimal | null {
  return typeof v === 'string' && PRICE.test(v) ? new Decimal(v) : null;
}

/** Best price of a PriceBucket list: the highest bid or the lowest ask (buckets are liquidity tiers). */
function best(buckets: unknown, side: 'bid' | 'ask'): Decimal | null | 'bad' {
  if (!Array.isArray(buckets)) return 'bad';
  let out: Decimal | null = null;
  for (const b of buckets) {
    const p = price((b as { price?: unknown } | null)?.price);
    if (!p) return 'bad';
    if (!out || (side === 'bid' ? p.gt(out) : p.lt(out))) out = p;
  }
  return out;
}

export function parseOandaLine(line: string): OandaLine {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { kind: 'error', message: `not JSON: ${line.slice(0, 80)}` };
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return { kind: 'error', message: `not an object: ${line.slice(0, 80)}` };
  const m = msg as Record<string, unknown>;
  if (m.type === 'HEARTBEAT') {
    const time = parseOandaTime(m.time);
    return time === null ? { kind: 'error', message: `heartbeat with bad time ${String(m.time)}` } : { kind: 'heartbeat', time };
  }
  if (m.type !== 'PRICE') {
    // OANDA's error shape, should one arrive inside the stream rather than as an HTTP error.
    if (typeof m.errorMessage === 'string') return { kind: 'error', message: `OANDA: ${m.errorMessage}` };
    return typeof m.type === 'string' ? { kind: 'other', type: m.type } : { kind: 'error', message: `no type: ${line.slice(0, 80)}` };
  }
  const instrument = m.instrument;
  if (typeof instrument !== 'string' || instrument === '') return { kind: 'error', message: 'price without instrument' };
  // `status` is deprecated in favour of `tradeable`; honour either when it says no.
  if (m.tradeable === false || m.status === 'non-tradeable' || m.status === 'invalid') {
    return { kind: 'skip', instrument, why: 'not tradeable' };
  }
  const time = parseOandaTime(m.time);
  if (time === null) return { kind: 'error', message: `${instrument}: bad time ${String(m.time)}` };
  const bid = best(m.bids, 'bid');
  const ask = best(m.asks, 'ask');
  if (bid === 'bad' || ask === 'bad') return { kind: 'error', message: `${instrument}: malformed bids/asks` };
  if (!bid || !ask) return { kind: 'skip', instrument, why: 'no liquidity on one side' };
  return { kind: 'price', instrument, bid, ask, time };
}

/** OANDA instrument → platform symbol: the configured map, else the instrument without its underscore. */
export function oandaSymbol(instrument: string, symbolMap: Record<string, string>): string {
  return symbolMap[instrument] ?? instrument.replace('_', '');
}
