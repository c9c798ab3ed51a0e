// The house's exposure per symbol (issue 11, item 5): what clients hold, what the house has covered with LPs,
// and what it carries itself, in lots and in the reporting currency; and the house's P&L on the flow it keeps.
// Pure: positions, coverage and quotes come in as arguments.
//
// Definitions (docs/trading-rules-notes.md, Exposure). Lots are signed, positive = long.
//   clientNetLots       every open client position: BUY +volume, SELL −volume, whatever the venue.
//   abookNetLots        the clients' A-Book positions: each is matched one for one by the LP's fill of that
//                       order, so the house is not their counterparty and carries none of it.
//   internalizedNetLots the clients' B-Book and C-Book positions: the house is their counterparty.
//   coverageNetLots     the house's own positions with LPs (coverage_positions: C-Book hedges, dealers' hedges).
//   houseNetLots        coverageNetLots − internalizedNetLots: the opposite of what the house took from
//                       clients, plus its coverage. (The same as −clientNetLots + A-Book fills + coverage,
//                       with the A-Book fills cancelling the A-Book positions.)
//   lotNotional         one lot in the reporting currency: contractSize × rate(base → reporting), the rate as
//                       conversion.ts reads it (mid, inverse mid, or through USD).
//   houseNetNotional    houseNetLots × lotNotional (signed).
//   bbook P&L           the house's P&L as counterparty: the negative of the clients' P&L on internalized
//                       positions (open ones valued at their closing price — BUY at the bid, SELL at the ask —
//                       and realized P&L of closed ones, converted at the current rates). Commission, swap
//                       and spread income are not in it.
//   coverage P&L        the house's LP positions: open net volume valued at its closing price (long at the
//                       bid, short at the ask, of the quotes given for coverage) plus the realized P&L kept on
//                       the coverage row (quote currency), both converted at the current rates.
import { Decimal } from 'decimal.js';
import { conversionRate } from './conversion.ts';
import { roundStored, STORED_DP } from './money.ts';
import type { QuoteLookup, Side } from './types.ts';
import type { SymbolExposure, Venue } from './routing.ts';

export interface ClientPositionView {
  symbol: string;
  side: Side;
  volume: Decimal;
  openPrice: Decimal;
  venue: Venue;
}

/** A closed client position's realized P&L, in its account currency. */
export interface ClosedClientPnl {
  symbol: string;
  venue: Venue;
  realizedPnl: Decimal;
  currency: string;
}

/** `coverage_positions`: the house's net position with one LP in one symbol. */
export interface CoveragePositionView {
  lpId: number;
  symbol: string;
  /** Signed: positive = long. */
  netVolume: Decimal;
  /** Average price of the open net volume (0 when flat). */
  avgPrice: Decimal;
  /** In the symbol's quote currency. */
  realizedPnl: Decimal;
}

export interface ExposureSymbolSpec {
  baseCurrency: string;
  quoteCurrency: string;
  contractSize: Decimal;
}

export interface ExposureInput {
  clientPositions: readonly ClientPositionView[];
  closedClientPnl?: readonly ClosedClientPnl[];
  coverage: readonly CoveragePositionView[];
  symbols: (symbol: string) => ExposureSymbolSpec | undefined;
  reportingCurrency: string;
  /** Prices client positions and converts currencies (the platform quotes). */
  quotes: QuoteLookup;
  /** Prices coverage positions (the LPs' own quotes); defaults to `quotes`. */
  coverageQuotes?: QuoteLookup;
}

export interface SymbolExposureRow {
  symbol: string;
  clientLongLots: Decimal;
  clientShortLots: Decimal;
  clientNetLots: Decimal;
  abookNetLots: Decimal;
  internalizedNetLots: Decimal;
  coverageNetLots: Decimal;
  coverageByLp: { lpId: number; netLots: Decimal }[];
  houseNetLots: Decimal;
  /** Null when the symbol cannot be valued now (no quote to convert through, unknown symbol). */
  lotNotional: Decimal | null;
  houseNetNotional: Decimal | null;
  bbookUnrealizedPnl: Decimal | null;
  bbookRealizedPnl: Decimal | null;
  coverageUnrealizedPnl: Decimal | null;
  coverageRealizedPnl: Decimal | null;
}

const ZERO = new Decimal(0);

function signed(side: Side, volume: Decimal): Decimal {
  return side === 'BUY' ? volume : volume.neg();
}

/** One row per symbol that any client position, closed P&L or coverage mentions, sorted by symbol. */
export function symbolExposure(input: ExposureInput): SymbolExposureRow[] {
  const rows = new Map<string, SymbolExposureRow & { clientPnlQuote: Decimal; clientPnlOk: boolean }>();
  const row = (symbol: string) => {
    let r = rows.get(symbol);
    if (!r) {
      r = {
        symbol,
        clientLongLots: ZERO,
        clientShortLots: ZERO,
        clientNetLots: ZERO,
        abookNetLots: ZERO,
        internalizedNetLots: ZERO,
        coverageNetLots: ZERO,
        coverageByLp: [],
        houseNetLots: ZERO,
        lotNotional: null,
        houseNetNotional: null,
        bbookUnrealizedPnl: null,
        bbookRealizedPnl: null,
        coverageUnrealizedPnl: null,
        coverageRealizedPnl: null,
        clientPnlQuote: ZERO,
        clientPnlOk: true,
      };
      rows.set(symbol, r);
    }
    return r;
  };
  const coverageQuotes = input.coverageQuotes ?? input.quotes;

  for (const p of input.clientPositions) {
    const r = row(p.symbol);
    const lots = signed(p.side, p.volume);
    if (p.side === 'BUY') r.clientLongLots = r.clientLongLots.plus(p.volume);
    else r.clientShortLots = r.clientShortLots.plus(p.volume);
    r.clientNetLots = r.clientNetLots.plus(lots);
    if (p.venue === 'ABOOK') {
      r.abookNetLots = r.abookNetLots.plus(lots);
      continue;
    }
    r.internalizedNetLots = r.internalizedNetLots.plus(lots);
    const spec = input.symbols(p.symbol);
    const q = input.quotes(p.symbol);
    if (!spec || !q) {
      r.clientPnlOk = false;
      continue;
    }
    const close = p.side === 'BUY' ? q.bid : q.ask;
    r.clientPnlQuote = r.clientPnlQuote.plus(close.minus(p.openPrice).times(lots).times(spec.contractSize));
  }

  for (const c of input.coverage) {
    const r = row(c.symbol);
    r.coverageNetLots = r.coverageNetLots.plus(c.netVolume);
    r.coverageByLp.push({ lpId: c.lpId, netLots: c.netVolume });
  }

  const realized = new Map<string, Decimal | null>();
  for (const c of input.closedClientPnl ?? []) {
    row(c.symbol);
    if (c.venue === 'ABOOK') continue;
    const rate = conversionRate(c.currency, input.reportingCurrency, input.quotes);
    const before = realized.get(c.symbol);
    // One P&L that cannot be converted leaves the symbol's figure unknown rather than wrong.
    realized.set(c.symbol, before === null || !rate ? null : (before ?? ZERO).minus(c.realizedPnl.times(rate)));
  }

  for (const r of rows.values()) {
    r.houseNetLots = r.coverageNetLots.minus(r.internalizedNetLots);
    r.coverageByLp.sort((a, b) => a.lpId - b.lpId);
    const spec = input.symbols(r.symbol);
    const baseRate = spec && conversionRate(spec.baseCurrency, input.reportingCurrency, input.quotes);
    const quoteRate = spec && conversionRate(spec.quoteCurrency, input.reportingCurrency, input.quotes);
    if (spec && baseRate) {
      r.lotNotional = spec.contractSize.times(baseRate);
      r.houseNetNotional = r.houseNetLots.times(r.lotNotional);
    }
    r.bbookRealizedPnl = realized.has(r.symbol) ? (realized.get(r.symbol) ?? null) : ZERO;
    if (spec && quoteRate) {
      if (r.clientPnlOk) r.bbookUnrealizedPnl = r.clientPnlQuote.neg().times(quoteRate);
      let coverageOpen: Decimal | null = ZERO;
      let coverageRealized = ZERO;
      for (const c of input.coverage) {
        if (c.symbol !== r.symbol) continue;
        coverageRealized = coverageRealized.plus(c.realizedPnl);
        if (c.netVolume.isZero() || coverageOpen === null) continue;
        const q = coverageQuotes(c.symbol);
        if (!q) {
          coverageOpen = null;
          continue;
        }
        const close = c.netVolume.gt(0) ? q.bid : q.ask;
        coverageOpen = coverageOpen.plus(close.minus(c.avgPrice).times(c.netVolume).times(spec.contractSize));
      }
      r.coverageUnrealizedPnl = coverageOpen && coverageOpen.times(quoteRate);
      r.coverageRealizedPnl = coverageRealized.times(quoteRate);
    }
  }

  return [...rows.values()]
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map(({ clientPnlQuote: _q, clientPnlOk: _ok, ...r }) => r);
}

/** What the router's MAX_SYMBOL_EXPOSURE rule reads of a row; null when the symbol cannot be valued now. */
export function routingExposure(row: SymbolExposureRow | undefined): SymbolExposure | null {
  if (!row) return null;
  return row.lotNotional ? { houseNetLots: row.houseNetLots, lotNotional: row.lotNotional } : null;
}

/**
 * A fill of the house's own order with an LP applied to its coverage position (netting): volume in the same
 * direction averages the price (kept at the database's 8 places); volume the other way realizes P&L on what it
 * closes, in the quote currency, and any rest opens the other way at the fill price.
 */
export function applyCoverageFill(
  position: Pick<CoveragePositionView, 'netVolume' | 'avgPrice' | 'realizedPnl'>,
  fill: { side: Side; volume: Decimal; price: Decimal },
  contractSize: Decimal,
): { netVolume: Decimal; avgPrice: Decimal; realizedPnl: Decimal } {
  const net = position.netVolume;
  const move = signed(fill.side, fill.volume);
  if (net.isZero() || net.isPositive() === move.isPositive()) {
    const total = net.abs().plus(fill.volume);
    const avg = net.abs().times(position.avgPrice).plus(fill.volume.times(fill.price)).div(total);
    return { netVolume: net.plus(move), avgPrice: roundStored(avg), realizedPnl: position.realizedPnl };
  }
  const closed = Decimal.min(net.abs(), fill.volume);
  // Long closed by a sell gains (price − avg); short closed by a buy gains (avg − price).
  const gain = fill.price.minus(position.avgPrice).times(net.isPositive() ? closed : closed.neg()).times(contractSize);
  const after = net.plus(move);
  const avgPrice = after.isZero() ? new Decimal(0) : net.abs().gte(fill.volume) ? position.avgPrice : fill.price;
  return { netVolume: after, avgPrice, realizedPnl: position.realizedPnl.plus(gain).toDecimalPlaces(STORED_DP, Decimal.ROUND_HALF_UP) };
}
