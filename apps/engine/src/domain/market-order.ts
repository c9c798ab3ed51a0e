import { Decimal } from 'decimal.js';
import { accountFigures } from './account-figures.ts';
import { checkAccountCanTrade, checkStops, checkSymbolTradable, checkVolume } from './checks.ts';
import { effectiveLeverage, notional, positionMargin, usedMargin } from './margin.ts';
import { approxFigures, approxFiguresAfterDeal, toDouble } from './numeric.ts';
import { roundMoney, roundStored, ZERO } from './money.ts';
import { closingPrice, openingPrice, pnlAt } from './pnl.ts';
import { reject, type Reject } from './reject.ts';
import type { AccountState, PositionState, QuoteLookup, RiskLimits, Side, SymbolSpec, Trailing } from './types.ts';

/** CREDIT moves the account's credit, not its balance: its row's balance before and after are the same. */
export type LedgerKind = 'COMMISSION' | 'REALIZED_PNL' | 'SWAP' | 'NEGATIVE_BALANCE_PROTECTION' | 'CREDIT';

export interface LedgerPlan {
  type: LedgerKind;
  /** Which leg the row belongs to: `close:<index>` or `open` (the shell links it to that leg's trade row). */
  ref: string;
  amount: Decimal;
  balanceBefore: Decimal;
  balanceAfter: Decimal;
}

/** (Part of) a position closed by a deal. */
export interface CloseLeg {
  positionId: bigint;
  side: Side;
  volume: Decimal;
  openPrice: Decimal;
  closePrice: Decimal;
  realizedPnl: Decimal;
  /** The closed share of accrued swap, booked now. */
  swap: Decimal;
  /** What is left open, or null when the position is closed in full. */
  remaining: PositionState | null;
}

export interface OpenLeg {
  side: Side;
  volume: Decimal;
  openPrice: Decimal;
  margin: Decimal;
  commission: Decimal;
  sl: Decimal | null;
  tp: Decimal | null;
  trailing: Trailing | null;
  /** Netting: the existing same-side position this volume is added to; its new state. */
  mergeInto: PositionState | null;
}

export interface DealPlan {
  ok: true;
  symbol: string;
  side: Side;
  volume: Decimal;
  price: Decimal;
  closes: CloseLeg[];
  open: OpenLeg | null;
  ledger: LedgerPlan[];
  balanceAfter: Decimal;
}

export interface MarketOrderRequest {
  symbol: string;
  side: Side;
  volume: Decimal;
  sl?: Decimal | null;
  tp?: Decimal | null;
  trailing?: Trailing | null;
}

export interface TradingContext {
  symbols: (name: string) => SymbolSpec | undefined;
  quotes: QuoteLookup;
  risk: RiskLimits;
  now: number;
  /** Lots this account has opened so far in the current UTC day (for maxDailyVolume). */
  dailyVolume?: Decimal;
}

const PRICE_DP = 8;

/** Books a list of amounts in order, each row carrying the balance before and after (trading-rules.md, Ledger). */
export function bookLedger(
  balance: Decimal,
  entries: { type: LedgerKind; amount: Decimal; ref: string }[],
): { rows: LedgerPlan[]; balance: Decimal } {
  const rows: LedgerPlan[] = [];
  let b = balance;
  for (const e of entries) {
    if (e.amount.isZero()) continue;
    const after = e.type === 'CREDIT' ? b : b.plus(e.amount);
    rows.push({ type: e.type, ref: e.ref, amount: e.amount, balanceBefore: b, balanceAfter: after });
    b = after;
  }
  return { rows, balance: b };
}

/** Closes `volume` of a position at `price`: realized P&L and the swap share, both rounded when booked. */
export function closeLeg(
  position: PositionState,
  volume: Decimal,
  price: Decimal,
  symbol: SymbolSpec,
  account: AccountState,
  quotes: QuoteLookup,
): CloseLeg | Reject {
  const pnl = pnlAt(position.side, volume, position.openPrice, price, symbol, account.currency, quotes);
  if (pnl === undefined) return reject('NO_QUOTE', `No quote to convert ${symbol.quoteCurrency} into ${account.currency}`);
  const full = volume.eq(position.volume);
  // trading-rules.md: a partial close splits the position; the rest keeps its open price and its share of swap.
  const swapShare = full ? roundMoney(position.swap) : roundMoney(position.swap.times(volume).div(position.volume));
  const remaining: PositionState | null = full
    ? null
    : {
        ...position,
        volume: position.volume.minus(volume),
        margin: roundStored(position.margin.times(position.volume.minus(volume)).div(position.volume)),
        swap: position.swap.minus(swapShare),
      };
  return {
    positionId: position.id,
    side: position.side,
    volume,
    openPrice: position.openPrice,
    closePrice: price,
    realizedPnl: roundMoney(pnl),
    swap: swapShare,
    remaining,
  };
}

/**
 * A market order, hedging or netting, through the pre-trade checks of trading-rules.md in their order.
 * Returns what to write (a plan) or a rejection; touches nothing.
 */
export function planMarketOrder(
  account: AccountState,
  positions: readonly PositionState[],
  req: MarketOrderRequest,
  ctx: TradingContext,
): DealPlan | Reject {
  const accountReject = checkAccountCanTrade(account);
  if (accountReject) return accountReject;
  const tradable = checkSymbolTradable(ctx.symbols(req.symbol), req.symbol, ctx.quotes, ctx.now);
  if (!tradable.ok) return tradable;
  const { symbol, quote } = tradable;
  const volumeReject = checkVolume(req.volume, symbol);
  if (volumeReject) return volumeReject;
  const price = openingPrice(req.side, quote);
  const stopsReject = checkStops(req.side, price, req.sl, req.tp);
  if (stopsReject) return stopsReject;

  // Netting: one position per symbol; an opposite order closes first (trading-rules.md, Opening).
  const closes: CloseLeg[] = [];
  let openVolume = req.volume;
  let mergeWith: PositionState | null = null;
  if (account.marginMode === 'NETTING') {
    const existing = positions.find((p) => p.symbol === req.symbol);
    if (existing && existing.side !== req.side) {
      const closeVolume = Decimal.min(existing.volume, req.volume);
      const leg = closeLeg(existing, closeVolume, closingPrice(existing.side, quote), symbol, account, ctx.quotes);
      if ('ok' in leg) return leg;
      closes.push(leg);
      openVolume = req.volume.minus(closeVolume);
    } else if (existing) {
      mergeWith = existing;
    }
  }

  const openCount = positions.length - closes.filter((c) => c.remaining === null).length;
  if (openVolume.gt(0) && !mergeWith && ctx.risk.maxOpenPositions !== null && openCount >= ctx.risk.maxOpenPositions) {
    return reject('MAX_OPEN_POSITIONS', `At most ${ctx.risk.maxOpenPositions} open positions`);
  }
  const resultingSize = mergeWith ? mergeWith.volume.plus(openVolume) : openVolume;
  if (ctx.risk.maxPositionSize && resultingSize.gt(ctx.risk.maxPositionSize)) {
    return reject('MAX_POSITION_SIZE', `A position may not exceed ${ctx.risk.maxPositionSize} lots`);
  }

  if (openVolume.gt(0) && ctx.risk.maxDailyVolume && (ctx.dailyVolume ?? ZERO).plus(openVolume).gt(ctx.risk.maxDailyVolume)) {
    return reject('MAX_DAILY_VOLUME', `At most ${ctx.risk.maxDailyVolume} lots a day`);
  }

  let open: OpenLeg | null = null;
  if (openVolume.gt(0)) {
    const leverage = effectiveLeverage(account.leverage, ctx.risk.maxLeverage);
    const exactMargin = positionMargin(openVolume, price, symbol, leverage === account.leverage ? account : { currency: account.currency, leverage }, ctx.quotes);
    const margin = exactMargin === undefined ? undefined : roundStored(exactMargin);
    if (margin === undefined) return reject('NO_QUOTE', `No quote to convert ${symbol.quoteCurrency} into ${account.currency}`);
    const commission = roundMoney(openVolume.times(symbol.commissionPerLot));
    let merged: PositionState | null = null;
    if (mergeWith) {
      const total = mergeWith.volume.plus(openVolume);
      merged = {
        ...mergeWith,
        volume: total,
        openPrice: mergeWith.openPrice.times(mergeWith.volume).plus(price.times(openVolume)).div(total).toDecimalPlaces(PRICE_DP),
        margin: mergeWith.margin.plus(margin),
        commission: mergeWith.commission.plus(commission),
        sl: req.sl ?? mergeWith.sl,
        tp: req.tp ?? mergeWith.tp,
        trailing: req.trailing ?? mergeWith.trailing ?? null,
      };
    }
    open = { side: req.side, volume: openVolume, openPrice: price, margin, commission, sl: req.sl ?? null, tp: req.tp ?? null, trailing: req.trailing ?? null, mergeInto: merged };
  }

  const entries: { type: LedgerKind; amount: Decimal; ref: string }[] = [];
  closes.forEach((c, i) => {
    entries.push({ type: 'REALIZED_PNL', amount: c.realizedPnl, ref: `close:${i}` }, { type: 'SWAP', amount: c.swap, ref: `close:${i}` });
  });
  if (open) entries.push({ type: 'COMMISSION', amount: open.commission.neg(), ref: 'open' });
  const booked = bookLedger(account.balance, entries);

  const after = positionsAfter(positions, closes, open, req.symbol, ctx.now, -1n, account.id);
  if (open && ctx.risk.maxSymbolExposure) {
    // Gross notional of the symbol's open positions at the fill price (docs/trading-rules-notes.md).
    let lots = ZERO;
    for (const p of after) if (p.symbol === req.symbol) lots = lots.plus(p.volume);
    const exposure = notional(lots, price, symbol, account.currency, ctx.quotes);
    if (exposure && exposure.gt(ctx.risk.maxSymbolExposure)) {
      return reject('MAX_SYMBOL_EXPOSURE', `Exposure on ${req.symbol} may not exceed ${ctx.risk.maxSymbolExposure} ${account.currency}`);
    }
  }

  // Free margin after the fill >= 0, unless the order adds no margin (trading-rules.md, Opening). A
  // floating-point screen settles the clear cases; anything near a boundary is decided exactly.
  const before = approxFigures(account, positions, ctx.symbols, ctx.quotes);
  const afterApprox = before && approxFiguresAfterDeal(account, before, positions, after, req.symbol, toDouble(booked.balance), ctx.symbols, ctx.quotes);
  if (before && afterApprox) {
    const tolerance = 1e-6 * Math.max(1, Math.abs(afterApprox.equity), afterApprox.margin);
    const addsMargin = afterApprox.margin - before.margin;
    const free = afterApprox.equity - afterApprox.margin;
    const clear = addsMargin < -tolerance || (addsMargin > tolerance && Math.abs(free) > tolerance);
    if (clear && (addsMargin < 0 || free > 0)) {
      return { ok: true, symbol: req.symbol, side: req.side, volume: req.volume, price, closes, open, ledger: booked.rows, balanceAfter: booked.balance };
    }
  }
  // Only the traded symbol's positions change, so whether the order adds margin is decided exactly from them
  // alone (a hedged order often adds none: the larger leg stays the larger); what adds margin is accepted
  // when the screen shows the free margin after it clearly positive, and decided exactly otherwise.
  const symbolBefore = usedMargin(account.marginMode, positions.filter((p) => p.symbol === req.symbol));
  const symbolAfter = usedMargin(account.marginMode, after.filter((p) => p.symbol === req.symbol));
  if (symbolAfter.lte(symbolBefore)) {
    return { ok: true, symbol: req.symbol, side: req.side, volume: req.volume, price, closes, open, ledger: booked.rows, balanceAfter: booked.balance };
  }
  if (afterApprox) {
    const tolerance = 1e-6 * Math.max(1, Math.abs(afterApprox.equity), afterApprox.margin);
    if (afterApprox.equity - afterApprox.margin > tolerance) {
      return { ok: true, symbol: req.symbol, side: req.side, volume: req.volume, price, closes, open, ledger: booked.rows, balanceAfter: booked.balance };
    }
  }
  const usedBefore = usedMargin(account.marginMode, positions);
  const figures = accountFigures({ ...account, balance: booked.balance }, after, ctx.symbols, ctx.quotes);
  if (figures.margin.gt(usedBefore) && figures.freeMargin.lt(0)) {
    return reject('INSUFFICIENT_MARGIN', `Not enough free margin: needs ${roundMoney(figures.margin.minus(usedBefore))} more`);
  }

  return { ok: true, symbol: req.symbol, side: req.side, volume: req.volume, price, closes, open, ledger: booked.rows, balanceAfter: booked.balance };
}

/** The open positions once a plan is applied (new positions get a placeholder id until stored). */
export function positionsAfter(
  positions: readonly PositionState[],
  closes: readonly CloseLeg[],
  open: OpenLeg | null,
  symbol: string,
  now: number,
  newId: bigint = -1n,
  accountId: number = positions[0]?.accountId ?? 0,
): PositionState[] {
  const closed = new Map(closes.map((c) => [c.positionId, c.remaining]));
  const out: PositionState[] = [];
  for (const p of positions) {
    if (closed.has(p.id)) {
      const rest = closed.get(p.id);
      if (rest) out.push(rest);
    } else if (open?.mergeInto && p.id === open.mergeInto.id) {
      out.push(open.mergeInto);
    } else {
      out.push(p);
    }
  }
  if (open && !open.mergeInto) {
    out.push({
      id: newId,
      accountId,
      symbol,
      side: open.side,
      volume: open.volume,
      openPrice: open.openPrice,
      margin: open.margin,
      swap: ZERO,
      commission: open.commission,
      sl: open.sl,
      tp: open.tp,
      openTime: now,
      trailing: open.trailing,
    });
  }
  return out;
}
