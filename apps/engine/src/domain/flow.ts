// Flow intelligence (issue 11, item 6): what a client's fills are worth after the fact, from the platform's
// own quotes, and the figures the router's PROFITABLE_CLIENT and TOXIC_FLOW rules read (routing.ts). Pure: the
// fills, closed trades and a sorted quote path per symbol come in as arguments.
//
// Definitions (docs/trading-rules-notes.md, Flow intelligence):
//   markout at +h       the client's P&L per lot had the fill been closed h after it (h = 1 s, 10 s, 60 s):
//                       BUY (bid − fill price), SELL (fill price − ask), × contract size × the fill's rate from
//                       the quote currency to the reporting currency. The price is the quote at or just before
//                       fill time + h (the last one the client could have dealt on); a horizon past the end
//                       of the path (`pathEnd`, the time up to which the path is complete) is not known yet
//                       (null). A spread paid and no move shows as −spread.
//   average markout     volume-weighted over the fills whose markout is known: Σ markout × volume / Σ volume.
//   latency-arbitrage   a fill counts when, within `latencyWindowMs` after it (fill time < t <= fill time +
//     score             window), a quote's mid moved from the mid at the fill (the quote at or just before the
//                       fill) by more than that quote's spread, in the client's favour (up for a BUY, down for
//                       a SELL). Score = counted / fills whose window is complete and that had a quote, in
//                       percent. A move of exactly the spread does not count.
//   win rate            closed trades with realized P&L > 0 / closed trades, percent (0 is not a win).
//   hold time           close time − open time of closed trades, ms; percentiles by nearest rank (the
//                       ceil(p/100 × n)-th smallest), so every figure is a hold time that happened.
import { Decimal } from 'decimal.js';
import type { ClientFlowFigures, MarkoutHorizon } from './routing.ts';
import type { Side } from './types.ts';

export interface FlowQuote {
  /** Unix ms. */
  time: number;
  bid: Decimal;
  ask: Decimal;
}

/** One symbol's quotes, sorted by time (oldest first). */
export type QuotePath = readonly FlowQuote[];

export interface FlowFill {
  id: string;
  symbol: string;
  side: Side;
  volume: Decimal;
  price: Decimal;
  /** Unix ms. */
  time: number;
  contractSize: Decimal;
  /** Quote currency → reporting currency at the fill. */
  rate: Decimal;
}

export interface ClosedTrade {
  openTime: number;
  closeTime: number;
  /** Reporting currency. */
  realizedPnl: Decimal;
}

export const MARKOUT_HORIZONS_MS: Readonly<Record<MarkoutHorizon, number>> = { '1s': 1_000, '10s': 10_000, '60s': 60_000 };
const HORIZONS = Object.keys(MARKOUT_HORIZONS_MS) as MarkoutHorizon[];

export interface FillFlow {
  id: string;
  markoutPerLot: Record<MarkoutHorizon, Decimal | null>;
  /** Null: the window is not complete yet, or there was no quote at the fill. */
  latencyArb: boolean | null;
}

export interface HoldTimeDistribution {
  count: number;
  minMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ClientFlow {
  fills: number;
  closedTrades: number;
  /** Σ realized P&L of closed trades, reporting currency. */
  pnl: Decimal;
  winRate: Decimal | null;
  holdTime: HoldTimeDistribution | null;
  markoutPerLot: Record<MarkoutHorizon, Decimal | null>;
  latencyArbScore: Decimal | null;
  /** Fills the score counts from (window complete, quote at the fill). */
  latencyArbSample: number;
  perFill: FillFlow[];
}

/** The last quote at or before `time`, by binary search; undefined when the path starts later. */
export function quoteAtOrBefore(path: QuotePath, time: number): FlowQuote | undefined {
  const i = indexAtOrBefore(path, time);
  return i < 0 ? undefined : path[i];
}

function indexAtOrBefore(path: QuotePath, time: number): number {
  let lo = 0;
  let hi = path.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (path[mid]!.time <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const TWO = new Decimal(2);
const HUNDRED = new Decimal(100);
const ZERO = new Decimal(0);

export function fillFlow(fill: FlowFill, path: QuotePath, pathEnd: number, latencyWindowMs: number): FillFlow {
  const sign = fill.side === 'BUY' ? 1 : -1;
  const markoutPerLot = {} as Record<MarkoutHorizon, Decimal | null>;
  for (const h of HORIZONS) {
    const at = fill.time + MARKOUT_HORIZONS_MS[h];
    const q = at <= pathEnd ? quoteAtOrBefore(path, at) : undefined;
    markoutPerLot[h] = q ? (fill.side === 'BUY' ? q.bid : q.ask).minus(fill.price).times(sign).times(fill.contractSize).times(fill.rate) : null;
  }

  let latencyArb: boolean | null = null;
  const at = indexAtOrBefore(path, fill.time);
  const atFill = path[at];
  if (atFill && fill.time + latencyWindowMs <= pathEnd) {
    const mid0 = atFill.bid.plus(atFill.ask).div(TWO);
    const spread = atFill.ask.minus(atFill.bid);
    latencyArb = false;
    for (let i = at + 1; i < path.length && path[i]!.time <= fill.time + latencyWindowMs; i++) {
      const q = path[i]!;
      const move = q.bid.plus(q.ask).div(TWO).minus(mid0).times(sign);
      if (move.gt(spread)) {
        latencyArb = true;
        break;
      }
    }
  }
  return { id: fill.id, markoutPerLot, latencyArb };
}

/** Nearest-rank percentile of ascending `sorted` (non-empty). */
export function nearestRank(sorted: readonly number[], percent: number): number {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function clientFlow(input: {
  fills: readonly FlowFill[];
  closed: readonly ClosedTrade[];
  paths: (symbol: string) => QuotePath;
  pathEnd: number;
  latencyWindowMs: number;
}): ClientFlow {
  const perFill = input.fills.map((f) => fillFlow(f, input.paths(f.symbol), input.pathEnd, input.latencyWindowMs));

  const markoutPerLot = {} as Record<MarkoutHorizon, Decimal | null>;
  for (const h of HORIZONS) {
    let weighted = ZERO;
    let lots = ZERO;
    perFill.forEach((f, i) => {
      const m = f.markoutPerLot[h];
      if (m === null) return;
      const volume = input.fills[i]!.volume;
      weighted = weighted.plus(m.times(volume));
      lots = lots.plus(volume);
    });
    markoutPerLot[h] = lots.isZero() ? null : weighted.div(lots);
  }

  const sample = perFill.filter((f) => f.latencyArb !== null);
  const flagged = sample.filter((f) => f.latencyArb).length;

  const holds = input.closed.map((t) => t.closeTime - t.openTime).sort((a, b) => a - b);
  const wins = input.closed.filter((t) => t.realizedPnl.gt(0)).length;

  return {
    fills: input.fills.length,
    closedTrades: input.closed.length,
    pnl: input.closed.reduce((s, t) => s.plus(t.realizedPnl), ZERO),
    winRate: input.closed.length ? new Decimal(wins).times(HUNDRED).div(input.closed.length) : null,
    holdTime: holds.length
      ? { count: holds.length, minMs: holds[0]!, p50Ms: nearestRank(holds, 50), p90Ms: nearestRank(holds, 90), p99Ms: nearestRank(holds, 99), maxMs: holds[holds.length - 1]! }
      : null,
    markoutPerLot,
    latencyArbScore: sample.length ? new Decimal(flagged).times(HUNDRED).div(sample.length) : null,
    latencyArbSample: sample.length,
    perFill,
  };
}

/** The figures the router reads (routing.ts ClientFlowFigures). */
export function routingFigures(flow: ClientFlow): ClientFlowFigures {
  return {
    fills: flow.fills,
    closedTrades: flow.closedTrades,
    pnl: flow.pnl,
    winRate: flow.winRate,
    markoutPerLot: flow.markoutPerLot,
    latencyArbScore: flow.latencyArbScore,
  };
}
