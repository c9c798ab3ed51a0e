// LP scorecards (issue 11, item 6): how each LP treats our orders, per LP and symbol, from `lp_orders` rows.
// Pure: the rows and the symbols' pip sizes come in as arguments.
//
// Definitions (docs/trading-rules-notes.md, LP scorecards). Only orders with an outcome count (status other
// than SENT); SENT ones are reported as `inFlight`.
//   fill ratio       Σ filled volume / Σ requested volume, percent.
//   orders filled    orders with any fill (FILLED, or PARTIAL with a filled volume) / orders with an outcome.
//   slippage         against the LP's quote when the order was sent, in pips, positive = worse for us:
//                    BUY (average fill price − ask), SELL (bid − average fill price), ÷ pip size; averaged
//                    weighted by filled volume; orders without a quote at send or a fill price are left out.
//   response time    answered − sent, ms; p50 and p99 by nearest rank (flow.ts), and the slowest.
import { Decimal } from 'decimal.js';
import { nearestRank } from './flow.ts';
import type { Side } from './types.ts';

export type LpOrderStatus = 'SENT' | 'FILLED' | 'PARTIAL' | 'REJECTED' | 'EXPIRED' | 'UNKNOWN';

export interface LpOrderView {
  lpId: number;
  symbol: string;
  side: Side;
  volume: Decimal;
  status: LpOrderStatus;
  filledVolume: Decimal;
  avgPrice: Decimal | null;
  rejectReason: string | null;
  /** Unix ms. */
  sentAt: number;
  answeredAt: number | null;
  quoteBid: Decimal | null;
  quoteAsk: Decimal | null;
}

export interface LpScorecard {
  lpId: number;
  symbol: string;
  orders: number;
  inFlight: number;
  byStatus: Record<Exclude<LpOrderStatus, 'SENT'>, number>;
  fillRatioPercent: Decimal | null;
  ordersFilledPercent: Decimal | null;
  /** Reject reason → count; a reject with no reason counts under ''. */
  rejectReasons: Record<string, number>;
  avgSlippagePips: Decimal | null;
  worstSlippagePips: Decimal | null;
  responseMs: { p50: number; p99: number; max: number } | null;
}

const HUNDRED = new Decimal(100);
const ZERO = new Decimal(0);

/** One scorecard per LP and symbol, ordered by LP id then symbol. */
export function lpScorecards(orders: readonly LpOrderView[], pipSize: (symbol: string) => Decimal | undefined): LpScorecard[] {
  const groups = new Map<string, LpOrderView[]>();
  for (const o of orders) {
    const key = `${o.lpId}\u0000${o.symbol}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(o);
  }
  const cards = [...groups.values()].map((g) => scorecard(g, pipSize(g[0]!.symbol)));
  return cards.sort((a, b) => a.lpId - b.lpId || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

function scorecard(group: readonly LpOrderView[], pip: Decimal | undefined): LpScorecard {
  const { lpId, symbol } = group[0]!;
  const byStatus = { FILLED: 0, PARTIAL: 0, REJECTED: 0, EXPIRED: 0, UNKNOWN: 0 };
  const rejectReasons: Record<string, number> = {};
  let requested = ZERO;
  let filled = ZERO;
  let withFill = 0;
  let slippageWeighted = ZERO;
  let slippageVolume = ZERO;
  let worst: Decimal | null = null;
  const response: number[] = [];
  let inFlight = 0;

  for (const o of group) {
    if (o.status === 'SENT') {
      inFlight++;
      continue;
    }
    byStatus[o.status]++;
    requested = requested.plus(o.volume);
    filled = filled.plus(o.filledVolume);
    if (o.filledVolume.gt(0)) withFill++;
    if (o.status === 'REJECTED') rejectReasons[o.rejectReason ?? ''] = (rejectReasons[o.rejectReason ?? ''] ?? 0) + 1;
    if (o.answeredAt !== null) response.push(o.answeredAt - o.sentAt);
    const quoted = o.side === 'BUY' ? o.quoteAsk : o.quoteBid;
    if (pip && quoted && o.avgPrice && o.filledVolume.gt(0)) {
      const pips = (o.side === 'BUY' ? o.avgPrice.minus(quoted) : quoted.minus(o.avgPrice)).div(pip);
      slippageWeighted = slippageWeighted.plus(pips.times(o.filledVolume));
      slippageVolume = slippageVolume.plus(o.filledVolume);
      if (worst === null || pips.gt(worst)) worst = pips;
    }
  }
  const answered = group.length - inFlight;
  response.sort((a, b) => a - b);
  return {
    lpId,
    symbol,
    orders: group.length,
    inFlight,
    byStatus,
    fillRatioPercent: requested.isZero() ? null : filled.div(requested).times(HUNDRED),
    ordersFilledPercent: answered ? new Decimal(withFill).times(HUNDRED).div(answered) : null,
    rejectReasons,
    avgSlippagePips: slippageVolume.isZero() ? null : slippageWeighted.div(slippageVolume),
    worstSlippagePips: worst,
    responseMs: response.length ? { p50: nearestRank(response, 50), p99: nearestRank(response, 99), max: response[response.length - 1]! } : null,
  };
}
