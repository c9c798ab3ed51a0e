// The order ticket's checks as the trader types: the engine's own pre-trade rules (apps/engine/src/domain/
// checks.ts and pending-orders.ts, trading-rules.md "Opening" and "Pending orders"), said next to the field
// they are about. The engine checks again on submit; this only saves the trader a round trip.
import type { SymbolDto } from '@broker/api';
import { Decimal } from 'decimal.js';
import type { OrderType, Side } from './ticket-math.ts';

export type TicketField = 'volume' | 'price' | 'stopPrice' | 'sl' | 'tp' | 'trailing' | 'expiresAt';
export type FieldErrors = Partial<Record<TicketField, string>>;

export interface TicketDraft {
  type: OrderType;
  /** The pending order's side; a market ticket has both buttons and is checked for each. */
  side: Side;
  volume: string;
  price: string;
  stopPrice: string;
  sl: string;
  tp: string;
  trailDistance: string;
  trailStep: string;
  /** Null for GTC; a Date (or null when the input is empty or junk) for GTD. */
  expiresAt: Date | null | 'GTC';
}

export interface TicketContext {
  spec: Pick<SymbolDto, 'name' | 'minVolume' | 'maxVolume' | 'volumeStep' | 'digits'>;
  quote: { bid: Decimal; ask: Decimal } | null;
  now: number;
  /** Free margin now (account currency), and the margin one lot takes at today's price: for the largest volume. */
  freeMargin?: Decimal | null;
  marginPerLot?: Decimal | null;
  /** Commission per lot (account currency), taken from free margin when the position opens. */
  commissionPerLot?: Decimal | null;
}

export interface TicketCheck {
  /** Errors that hold whatever the side (volume, prices, trailing, expiry; SL/TP of a pending order). */
  errors: FieldErrors;
  /** A market ticket's SL/TP errors for each button (they are checked against that side's fill price). */
  bySide: Record<Side, FieldErrors>;
  /** The largest volume the free margin allows (a multiple of the step, at most the symbol's maximum). */
  maxVolume: Decimal | null;
}

const NUMBER = /^\d+(\.\d+)?$/;

/** The text as a positive decimal, or a message saying what is wrong with it. Empty is `null`. */
export function readDecimal(text: string, what: string): Decimal | string | null {
  const t = text.trim();
  if (!t) return null;
  if (!NUMBER.test(t)) return `${what} must be a number like 1.2345`;
  const d = new Decimal(t);
  if (d.lte(0)) return `${what} must be more than 0`;
  return d;
}

const fmt = (d: Decimal) => d.toString();

/** The largest multiple of the step that the free margin pays for, capped at the symbol maximum. */
export function maxVolumeByMargin(
  freeMargin: Decimal,
  marginPerLot: Decimal,
  commissionPerLot: Decimal,
  spec: Pick<SymbolDto, 'maxVolume' | 'volumeStep'>,
): Decimal {
  const perLot = marginPerLot.plus(commissionPerLot);
  if (freeMargin.lte(0) || perLot.lte(0)) return new Decimal(0);
  const lots = freeMargin.div(perLot).div(spec.volumeStep).floor().mul(spec.volumeStep);
  return Decimal.min(lots, spec.maxVolume);
}

function checkVolume(text: string, ctx: TicketContext): { error?: string; max: Decimal | null } {
  const { spec } = ctx;
  let max: Decimal | null = null;
  if (ctx.freeMargin && ctx.marginPerLot && ctx.marginPerLot.gt(0)) {
    max = maxVolumeByMargin(ctx.freeMargin, ctx.marginPerLot, ctx.commissionPerLot ?? new Decimal(0), spec);
  }
  const v = readDecimal(text, 'Volume');
  if (v === null) return { error: 'Enter a volume in lots', max };
  if (typeof v === 'string') return { error: v, max };
  if (v.lt(spec.minVolume)) return { error: `The smallest volume for ${spec.name} is ${fmt(spec.minVolume)} lots`, max };
  if (v.gt(spec.maxVolume)) return { error: `At most ${fmt(spec.maxVolume)} lots per order on ${spec.name}`, max };
  if (!v.mod(spec.volumeStep).isZero()) return { error: `Volume goes in steps of ${fmt(spec.volumeStep)} lots`, max };
  if (max && v.gt(max)) {
    return {
      error: max.lt(spec.minVolume)
        ? `Free margin is not enough for even ${fmt(spec.minVolume)} lots`
        : `Free margin allows at most ${max.toFixed(spec.volumeStep.decimalPlaces())} lots`,
      max,
    };
  }
  return { max };
}

/** SL below and TP above the entry for a BUY; the mirror for a SELL (the engine's checkStops). */
export function checkStops(side: Side, entry: Decimal, sl: Decimal | null, tp: Decimal | null, digits: number): FieldErrors {
  const out: FieldErrors = {};
  const at = entry.toFixed(digits);
  if (sl && !(side === 'BUY' ? sl.lt(entry) : sl.gt(entry))) out.sl = `For a ${side} the stop loss must be ${side === 'BUY' ? 'below' : 'above'} ${at}`;
  if (tp && !(side === 'BUY' ? tp.gt(entry) : tp.lt(entry))) out.tp = `For a ${side} the take profit must be ${side === 'BUY' ? 'above' : 'below'} ${at}`;
  return out;
}

/** Where a pending order may rest (the engine's checkPendingPrice), as field errors. */
export function checkPendingPrice(
  type: Exclude<OrderType, 'MARKET'>,
  side: Side,
  price: Decimal,
  stopPrice: Decimal | null,
  quote: { bid: Decimal; ask: Decimal },
  digits: number,
): FieldErrors {
  const ref = side === 'BUY' ? quote.ask : quote.bid;
  const refName = side === 'BUY' ? 'ask' : 'bid';
  const at = `${refName} ${ref.toFixed(digits)}`;
  if (type === 'LIMIT') {
    if (side === 'BUY' ? !price.lt(ref) : !price.gt(ref)) return { price: `A ${side} LIMIT must be ${side === 'BUY' ? 'below' : 'above'} the ${at}` };
  } else if (type === 'STOP') {
    if (side === 'BUY' ? !price.gt(ref) : !price.lt(ref)) return { price: `A ${side} STOP must be ${side === 'BUY' ? 'above' : 'below'} the ${at}` };
  } else {
    if (!stopPrice) return { stopPrice: 'Enter the stop price that triggers the order' };
    if (side === 'BUY' ? !stopPrice.gt(ref) : !stopPrice.lt(ref)) return { stopPrice: `The stop must be ${side === 'BUY' ? 'above' : 'below'} the ${at}` };
    if (side === 'BUY' ? price.gt(stopPrice) : price.lt(stopPrice)) return { price: `The limit must be ${side === 'BUY' ? 'at or below' : 'at or above'} the stop ${stopPrice.toFixed(digits)}` };
  }
  return {};
}

/** Every check of the ticket, without the server. */
export function checkTicket(d: TicketDraft, ctx: TicketContext): TicketCheck {
  const errors: FieldErrors = {};
  const bySide: Record<Side, FieldErrors> = { BUY: {}, SELL: {} };
  const { spec, quote } = ctx;
  const digits = spec.digits;

  const vol = checkVolume(d.volume, ctx);
  if (vol.error) errors.volume = vol.error;

  const sl = readDecimal(d.sl, 'Stop loss');
  const tp = readDecimal(d.tp, 'Take profit');
  if (typeof sl === 'string') errors.sl = sl;
  if (typeof tp === 'string') errors.tp = tp;
  const slD = sl instanceof Decimal ? sl : null;
  const tpD = tp instanceof Decimal ? tp : null;

  if (d.trailDistance.trim()) {
    const dist = readDecimal(d.trailDistance, 'Trailing distance');
    const step = d.trailStep.trim() ? readDecimal(d.trailStep, 'Trail step') : new Decimal(0);
    if (typeof dist === 'string') errors.trailing = dist;
    else if (typeof step === 'string' && d.trailStep.trim() !== '0') errors.trailing = step;
  }

  if (d.type === 'MARKET') {
    if (quote) {
      bySide.BUY = checkStops('BUY', quote.ask, slD, tpD, digits);
      bySide.SELL = checkStops('SELL', quote.bid, slD, tpD, digits);
    }
  } else {
    const price = readDecimal(d.price, d.type === 'STOP' ? 'Stop price' : 'Limit price');
    const stop = d.type === 'STOP_LIMIT' ? readDecimal(d.stopPrice, 'Stop price') : null;
    if (price === null) errors.price = 'Enter the order price';
    else if (typeof price === 'string') errors.price = price;
    if (typeof stop === 'string') errors.stopPrice = stop;
    if (price instanceof Decimal && quote && typeof stop !== 'string') {
      Object.assign(errors, checkPendingPrice(d.type, d.side, price, stop, quote, digits));
    }
    if (price instanceof Decimal) {
      const s = checkStops(d.side, price, slD, tpD, digits);
      errors.sl ??= s.sl;
      errors.tp ??= s.tp;
      if (!errors.sl) delete errors.sl;
      if (!errors.tp) delete errors.tp;
    }
    if (d.expiresAt === null) errors.expiresAt = 'Choose the date and time the order expires';
    else if (d.expiresAt instanceof Date && d.expiresAt.getTime() <= ctx.now) errors.expiresAt = 'The expiry must be in the future';
  }
  return { errors, bySide, maxVolume: vol.max };
}
