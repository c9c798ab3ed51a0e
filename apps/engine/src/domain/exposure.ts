// The house's exposure per symbol (issue 11, item 5): what clients hold, what the house holds with LPs, and
// what it carries itself, in lots and in the reporting currency; and the house's floating P&L on both.
// Pure: positions, coverage and quotes come in as arguments.
//
// Definitions (docs/trading-rules-notes.md, Exposure). Lots are signed, positive = long.
//   clientNetLots     every open client position: BUY +volume, SELL −volume, whatever the venue.
//   coverageNetLots   the house's own positions with LPs (coverage_positions): A-Book fills, C-Book hedges and
//                     their offsets when clients close.
//   houseNetLots      coverageNetLots − clientNetLots: the house is the other side of every client trade and
//                     holds its coverage (an A-Book position is matched by its LP fill, so the two cancel).
//   lotNotional       one lot in the reporting currency: contractSize × rate(base → reporting), the rate as
//                     conversion.ts reads it (mid, inverse mid, or through USD).
//   houseNetNotional  houseNetLots × lotNotional (signed).
//   clientUnrealizedPnl  the clients' floating P&L, every position at its closing price of the platform quote
//                     (BUY at the bid, SELL at the ask).
//   coverageUnrealizedPnl  the coverage's floating P&L at the platform quote: the open net volume against its
//                     average price, long at the bid, short at the ask.
//   housePnl          −clientUnrealizedPnl + coverageUnrealizedPnl. Commission, swap and realized P&L are not in
//                     it. Money figures are converted from the quote currency at the current rates.
import { Decimal } from 'decimal.js';
import { conversionRate } from './conversion.ts';
import { roundStored, STORED_DP } from './money.ts';
import type { QuoteLookup, Side } from './types.ts';

export interface ClientPositionView {
  accountId: number;
  symbol: string;
  side: Side;
  volume: Decimal;
  openPrice: Decimal;
}

/** `coverage_positions`: the house's net position with one LP in one symbol. */
export interface CoveragePositionView {
  lpId: number;
  symbol: string;
  /** Signed: positive = long. */
  netVolume: Decimal;
  /** Average price of the open net volume (0 when flat). */
  avgPrice: Decimal;
}

export interface ExposureSymbolSpec {
  baseCurrency: string;
  quoteCurrency: string;
  contractSize: Decimal;
}

export interface ExposureInput {
  clientPositions: readonly ClientPositionView[];
  coverage: readonly CoveragePositionView[];
  symbols: (symbol: string) => ExposureSymbolSpec | undefined;
  reportingCurrency: string;
  /** The platform quotes: they price positions and coverage and convert currencies. */
  quotes: QuoteLookup;
}

export interface SymbolExposureRow {
  symbol: string;
  clientLongLots: Decimal;
  clientShortLots: Decimal;
  clientNetLots: Decimal;
  positions: number;
  accounts: number;
  coverageNetLots: Decimal;
  coverageByLp: { lpId: number; netLots: Decimal }[];
  houseNetLots: Decimal;
  /** Null when the symbol cannot be valued now (no quote to convert through, unknown symbol). */
  lotNotional: Decimal | null;
  houseNetNotional: Decimal | null;
  clientUnrealizedPnl: Decimal | null;
  coverageUnrealizedPnl: Decimal | null;
  housePnl: Decimal | null;
}

export interface ExposureTotals {
  /** Sums over the rows; null when any row's figure is unknown (a total that leaves one out is wrong). */
  clientUnrealizedPnl: Decimal | null;
  coverageUnrealizedPnl: Decimal | null;
  housePnl: Decimal | null;
}

const ZERO = new Decimal(0);

function signed(side: Side, volume: Decimal): Decimal {
  return side === 'BUY' ? volume : volume.neg();
}

/** One row per symbol that any client position or coverage mentions, sorted by symbol, and their totals. */
export function symbolExposure(input: ExposureInput): { rows: SymbolExposureRow[]; totals: ExposureTotals } {
  interface Acc {
    row: SymbolExposureRow;
    accounts: Set<number>;
    /** Floating P&L in the quote currency; null once a position or coverage cannot be priced. */
    clientPnl: Decimal | null;
    coveragePnl: Decimal | null;
  }
  const rows = new Map<string, Acc>();
  const acc = (symbol: string): Acc => {
    let a = rows.get(symbol);
    if (!a) {
      a = {
        row: {
          symbol,
          clientLongLots: ZERO,
          clientShortLots: ZERO,
          clientNetLots: ZERO,
          positions: 0,
          accounts: 0,
          coverageNetLots: ZERO,
          coverageByLp: [],
          houseNetLots: ZERO,
          lotNotional: null,
          houseNetNotional: null,
          clientUnrealizedPnl: null,
          coverageUnrealizedPnl: null,
          housePnl: null,
        },
        accounts: new Set(),
        clientPnl: ZERO,
        coveragePnl: ZERO,
      };
      rows.set(symbol, a);
    }
    return a;
  };

  for (const p of input.clientPositions) {
    const a = acc(p.symbol);
    const r = a.row;
    const lots = signed(p.side, p.volume);
    if (p.side === 'BUY') r.clientLongLots = r.clientLongLots.plus(p.volume);
    else r.clientShortLots = r.clientShortLots.plus(p.volume);
    r.clientNetLots = r.clientNetLots.plus(lots);
    r.positions++;
    a.accounts.add(p.accountId);
    const spec = input.symbols(p.symbol);
    const q = input.quotes(p.symbol);
    if (!spec || !q || !a.clientPnl) {
      a.clientPnl = null;
      continue;
    }
    const close = p.side === 'BUY' ? q.bid : q.ask;
    a.clientPnl = a.clientPnl.plus(close.minus(p.openPrice).times(lots).times(spec.contractSize));
  }

  for (const c of input.coverage) {
    const a = acc(c.symbol);
    a.row.coverageNetLots = a.row.coverageNetLots.plus(c.netVolume);
    a.row.coverageByLp.push({ lpId: c.lpId, netLots: c.netVolume });
    if (c.netVolume.isZero() || !a.coveragePnl) continue;
    const spec = input.symbols(c.symbol);
    const q = input.quotes(c.symbol);
    if (!spec || !q) {
      a.coveragePnl = null;
      continue;
    }
    const close = c.netVolume.gt(0) ? q.bid : q.ask;
    a.coveragePnl = a.coveragePnl.plus(close.minus(c.avgPrice).times(c.netVolume).times(spec.contractSize));
  }

  let clientTotal: Decimal | null = ZERO;
  let coverageTotal: Decimal | null = ZERO;
  const out: SymbolExposureRow[] = [];
  for (const a of [...rows.values()].sort((x, y) => (x.row.symbol < y.row.symbol ? -1 : x.row.symbol > y.row.symbol ? 1 : 0))) {
    const r = a.row;
    r.accounts = a.accounts.size;
    r.houseNetLots = r.coverageNetLots.minus(r.clientNetLots);
    r.coverageByLp.sort((x, y) => x.lpId - y.lpId);
    const spec = input.symbols(r.symbol);
    const baseRate = spec && conversionRate(spec.baseCurrency, input.reportingCurrency, input.quotes);
    const quoteRate = spec && conversionRate(spec.quoteCurrency, input.reportingCurrency, input.quotes);
    if (spec && baseRate) {
      r.lotNotional = spec.contractSize.times(baseRate);
      r.houseNetNotional = r.houseNetLots.times(r.lotNotional);
    }
    if (quoteRate) {
      r.clientUnrealizedPnl = a.clientPnl && a.clientPnl.times(quoteRate);
      r.coverageUnrealizedPnl = a.coveragePnl && a.coveragePnl.times(quoteRate);
    }
    r.housePnl = r.clientUnrealizedPnl && r.coverageUnrealizedPnl && r.coverageUnrealizedPnl.minus(r.clientUnrealizedPnl);
    clientTotal = clientTotal && r.clientUnrealizedPnl && clientTotal.plus(r.clientUnrealizedPnl);
    coverageTotal = coverageTotal && r.coverageUnrealizedPnl && coverageTotal.plus(r.coverageUnrealizedPnl);
    out.push(r);
  }
  return {
    rows: out,
    totals: { clientUnrealizedPnl: clientTotal, coverageUnrealizedPnl: coverageTotal, housePnl: clientTotal && coverageTotal && coverageTotal.minus(clientTotal) },
  };
}

/**
 * A fill of the house's own order with an LP applied to its coverage position (netting): volume in the same
 * direction averages the price (kept at the database's 8 places); volume the other way realizes P&L on what it
 * closes, in the quote currency, and any rest opens the other way at the fill price.
 */
export function applyCoverageFill(
  position: { netVolume: Decimal; avgPrice: Decimal; realizedPnl: Decimal },
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
