// The router's decision (issue 11; design.md §2.2, §2.4.3, §8.3): which book fills an order, which LP takes
// the A-Book order or the C-Book hedge, and why. Pure: the configuration, the figures (volatility, exposure,
// the client's flow) and the LPs' health come in as arguments; nothing here reads a clock or a database.
//
// Precedence — the first rule that applies decides (docs/trading-rules-notes.md, Routing):
//   1. CLIENT_OVERRIDE          a dealer's override for the client: its mode, whatever the figures say.
//   2. PROFITABLE_CLIENT        auto-route on and the client's P&L >= the threshold, or (with enough fills)
//                               win rate > the threshold (design.md §8.3: "+$10,000 or >65 %") → A-Book.
//   3. TOXIC_FLOW               toxic-flow auto-route on and (with enough fills) the latency-arbitrage score
//                               >= its threshold, or the average markout at the configured horizon >= its
//                               threshold → A-Book.
//   The base mode is then the symbol rule's mode, else the global mode. A base of A-Book decides at once
//   (SYMBOL_RULE / GLOBAL_MODE): the limits below only ever move risk away from the house, never towards it.
//   For a base of B-Book or C-Book:
//   4. SYMBOL_MAX_BBOOK_VOLUME  order volume > the symbol rule's max B-Book volume → A-Book;
//      MAX_BBOOK_VOLUME         (no such figure on the rule) order volume > the global B-Book maximum → A-Book.
//   5. HIGH_VOLATILITY          the symbol's volatility > the threshold (percent) → A-Book.
//   6. MAX_SYMBOL_EXPOSURE      keeping the order's share would take the house's net notional in the symbol
//                               beyond the maximum (and further from flat than it is) → C-Book when keeping
//                               C-Book's unhedged share stays within it, else A-Book.
//   7. SYMBOL_RULE / GLOBAL_MODE the base mode.
// Then the venue's needs: A-Book and C-Book need an LP that is up, takes orders and prices the symbol: the
// symbol rule's priority LP, else (no priority LP named) the healthy LP with the lowest priority number (ties:
// lowest id). When that LP is not available — LP_DOWN_FALLBACK — the symbol rule's fallback mode applies:
// B-Book, or A-/C-Book with the next healthy LP; with no fallback mode the next healthy LP takes the order
// under the rule that chose it; with no healthy LP at all, B-Book. A C-Book hedge is the configured share of
// the volume rounded down to the volume step; a hedge that rounds to nothing leaves the order on B-Book
// (HEDGE_BELOW_STEP). Every decision carries the figures it read, as JSON-able strings and numbers.
//
// The decision is for volume that opens or adds to a position. Volume that closes (a close, SL/TP, stop out,
// the reducing part of a netting order) is not routed again: it goes where the position it closes went (an
// A-Book position closes at its LP), so the caller does not ask decideRoute about it.
import { Decimal } from 'decimal.js';
import type { Side } from './types.ts';

export type ExecutionMode = 'A_BOOK' | 'B_BOOK' | 'C_BOOK';
export type Venue = 'BBOOK' | 'ABOOK' | 'CBOOK';

export type RoutingRule =
  | 'CLIENT_OVERRIDE'
  | 'PROFITABLE_CLIENT'
  | 'TOXIC_FLOW'
  | 'SYMBOL_RULE'
  | 'SYMBOL_MAX_BBOOK_VOLUME'
  | 'MAX_BBOOK_VOLUME'
  | 'HIGH_VOLATILITY'
  | 'MAX_SYMBOL_EXPOSURE'
  | 'GLOBAL_MODE'
  | 'LP_DOWN_FALLBACK'
  | 'HEDGE_BELOW_STEP';

export const VENUE_OF: Record<ExecutionMode, Venue> = { A_BOOK: 'ABOOK', B_BOOK: 'BBOOK', C_BOOK: 'CBOOK' };

/** The `execution_config` row (one, id 1). Percentages are 0–100. */
export interface RoutingConfig {
  globalMode: ExecutionMode;
  /** Lots per order the house takes on B-Book or C-Book. */
  bbookMaxVolume: Decimal;
  /** Percent; compared with the symbol's volatility figure. */
  highVolatilityPercent: Decimal;
  /** The house's net notional in one symbol, reporting currency (not risk_settings' per-account gross figure). */
  maxSymbolExposure: Decimal;
  profitableAutoRoute: boolean;
  /** Reporting currency. */
  profitableThresholdPnl: Decimal;
  /** Percent. */
  profitableWinRate: Decimal;
  /** Percent of a C-Book order's volume hedged with an LP. */
  cbookAbookShare: Decimal;
  toxicFlowAutoRoute: boolean;
  /** Percent of fills; null = not used. */
  toxicLatencyArbScore: Decimal | null;
  /** Reporting currency per lot at `toxicMarkoutHorizon`; null = not used. */
  toxicMarkoutPerLot: Decimal | null;
  toxicMarkoutHorizon: MarkoutHorizon;
  /** Fills (closed trades, for the win rate) a client needs before win rate, markout and latency-arbitrage
   * figures count; the P&L threshold needs none. */
  flowMinFills: number;
}

export type MarkoutHorizon = '1s' | '10s' | '60s';

/** `client_overrides`: the dealer's mode for one account. */
export interface ClientOverride {
  mode: ExecutionMode;
  reason: string;
}

/** `symbol_routing_rules`. */
export interface SymbolRule {
  mode: ExecutionMode;
  maxBbookVolume: Decimal | null;
  /** An LP's name (liquidity_providers.name). */
  priorityLp: string | null;
  fallbackMode: ExecutionMode | null;
}

export interface RoutingOrder {
  accountId: number;
  symbol: string;
  side: Side;
  volume: Decimal;
}

/** The client's flow figures (flow.ts), reporting currency. Null where nothing is known yet. */
export interface ClientFlowFigures {
  /** The client's fills (the sample behind markouts and the latency-arbitrage score). */
  fills: number;
  /** Closed trades (the sample behind the win rate). */
  closedTrades: number;
  pnl: Decimal | null;
  /** Percent. */
  winRate: Decimal | null;
  markoutPerLot: Partial<Record<MarkoutHorizon, Decimal | null>>;
  /** Percent of fills. */
  latencyArbScore: Decimal | null;
}

/** The house's position in the symbol (exposure.ts): positive = long. */
export interface SymbolExposure {
  houseNetLots: Decimal;
  /** Reporting-currency notional of one lot at the current price. */
  lotNotional: Decimal;
}

export interface LpHealth {
  id: number;
  name: string;
  /** 1 = primary. */
  priority: number;
  up: boolean;
  /** Can take orders (FIX today; price-only adapters cannot). */
  tradable: boolean;
  pricesSymbol: boolean;
}

export interface RoutingInput {
  config: RoutingConfig;
  override: ClientOverride | null;
  symbolRule: SymbolRule | null;
  order: RoutingOrder;
  /** The symbol's lot step, for the C-Book hedge volume. */
  volumeStep: Decimal;
  /** Percent; null = not measured (the rule does not apply). */
  volatilityPercent: Decimal | null;
  /** Null = cannot be valued now (the rule does not apply). */
  exposure: SymbolExposure | null;
  flow: ClientFlowFigures | null;
  lps: readonly LpHealth[];
}

export type RoutingFigures = Record<string, string | number | boolean | null>;

export interface RoutingDecision {
  venue: Venue;
  /** The LP that takes the A-Book order or the C-Book hedge; null on B-Book. */
  lp: { id: number; name: string } | null;
  /** C-Book: lots hedged with `lp`; null otherwise. */
  hedgeVolume: Decimal | null;
  rule: RoutingRule;
  reason: string;
  figures: RoutingFigures;
}

// Percent to fraction by multiplying (exact), not dividing: division is decimal.js's dearest operation and
// this runs for every order.
const PERCENT = new Decimal('0.01');
const ZERO = new Decimal(0);

interface Choice {
  mode: ExecutionMode;
  rule: RoutingRule;
  reason: string;
}

export function decideRoute(input: RoutingInput): RoutingDecision {
  const figures: RoutingFigures = {
    symbol: input.order.symbol,
    side: input.order.side,
    volume: input.order.volume.toString(),
    globalMode: input.config.globalMode,
  };
  const choice = chooseMode(input, figures);
  return withVenueNeeds(choice, input, figures);
}

function chooseMode(input: RoutingInput, figures: RoutingFigures): Choice {
  const { config, override, symbolRule, order } = input;

  if (override) {
    figures.overrideMode = override.mode;
    return { mode: override.mode, rule: 'CLIENT_OVERRIDE', reason: `client override ${label(override.mode)}${override.reason ? `: ${override.reason}` : ''}` };
  }

  const flow = input.flow;
  if (flow) {
    figures.flowFills = flow.fills;
    figures.flowClosedTrades = flow.closedTrades;
    figures.flowMinFills = config.flowMinFills;
  }
  const enoughFills = flow !== null && flow.fills >= config.flowMinFills;
  const enoughTrades = flow !== null && flow.closedTrades >= config.flowMinFills;

  if (config.profitableAutoRoute && flow) {
    figures.clientPnl = str(flow.pnl);
    figures.profitableThresholdPnl = config.profitableThresholdPnl.toString();
    figures.clientWinRate = str(flow.winRate);
    figures.profitableWinRate = config.profitableWinRate.toString();
    if (flow.pnl && flow.pnl.gte(config.profitableThresholdPnl)) {
      return { mode: 'A_BOOK', rule: 'PROFITABLE_CLIENT', reason: `client P&L ${flow.pnl} is at or above ${config.profitableThresholdPnl}` };
    }
    if (enoughTrades && flow.winRate && flow.winRate.gt(config.profitableWinRate)) {
      return { mode: 'A_BOOK', rule: 'PROFITABLE_CLIENT', reason: `client win rate ${flow.winRate} % over ${flow.closedTrades} closed trades is above ${config.profitableWinRate} %` };
    }
  }

  if (config.toxicFlowAutoRoute && flow) {
    const markout = flow.markoutPerLot[config.toxicMarkoutHorizon] ?? null;
    figures.latencyArbScore = str(flow.latencyArbScore);
    figures.toxicLatencyArbScore = str(config.toxicLatencyArbScore);
    figures.markoutHorizon = config.toxicMarkoutHorizon;
    figures.markoutPerLot = str(markout);
    figures.toxicMarkoutPerLot = str(config.toxicMarkoutPerLot);
    if (enoughFills && config.toxicLatencyArbScore && flow.latencyArbScore && flow.latencyArbScore.gte(config.toxicLatencyArbScore)) {
      return { mode: 'A_BOOK', rule: 'TOXIC_FLOW', reason: `latency-arbitrage score ${flow.latencyArbScore} % over ${flow.fills} fills is at or above ${config.toxicLatencyArbScore} %` };
    }
    if (enoughFills && config.toxicMarkoutPerLot && markout && markout.gte(config.toxicMarkoutPerLot)) {
      return { mode: 'A_BOOK', rule: 'TOXIC_FLOW', reason: `average markout at +${config.toxicMarkoutHorizon} of ${markout} per lot is at or above ${config.toxicMarkoutPerLot}` };
    }
  }

  const base: Choice = symbolRule
    ? { mode: symbolRule.mode, rule: 'SYMBOL_RULE', reason: `${order.symbol} routes ${label(symbolRule.mode)}` }
    : { mode: config.globalMode, rule: 'GLOBAL_MODE', reason: `global mode ${label(config.globalMode)}` };
  if (symbolRule) figures.symbolMode = symbolRule.mode;
  if (base.mode === 'A_BOOK') return base;

  const maxVolume = symbolRule?.maxBbookVolume ?? config.bbookMaxVolume;
  figures.maxBbookVolume = maxVolume.toString();
  if (order.volume.gt(maxVolume)) {
    const onRule = symbolRule?.maxBbookVolume != null;
    return {
      mode: 'A_BOOK',
      rule: onRule ? 'SYMBOL_MAX_BBOOK_VOLUME' : 'MAX_BBOOK_VOLUME',
      reason: `${order.volume} lots is above the ${onRule ? `${order.symbol} ` : ''}B-Book maximum of ${maxVolume} lots`,
    };
  }

  figures.volatilityPercent = str(input.volatilityPercent);
  figures.highVolatilityPercent = config.highVolatilityPercent.toString();
  if (input.volatilityPercent && input.volatilityPercent.gt(config.highVolatilityPercent)) {
    return { mode: 'A_BOOK', rule: 'HIGH_VOLATILITY', reason: `${order.symbol} volatility ${input.volatilityPercent} % is above ${config.highVolatilityPercent} %` };
  }

  const exposure = input.exposure;
  if (exposure) {
    const share = config.cbookAbookShare.times(PERCENT);
    // The house takes the opposite side of what it keeps of a client's order.
    const clientSigned = order.side === 'BUY' ? order.volume : order.volume.neg();
    const notional = (lots: Decimal) => lots.abs().times(exposure.lotNotional);
    const keptOn = (mode: ExecutionMode) => (mode === 'B_BOOK' ? clientSigned : clientSigned.times(Decimal.sub(1, share)));
    const within = (lots: Decimal) => notional(lots).lte(config.maxSymbolExposure) || lots.abs().lte(exposure.houseNetLots.abs());
    const afterBase = exposure.houseNetLots.minus(keptOn(base.mode));
    figures.houseNetLots = exposure.houseNetLots.toString();
    figures.houseNetNotional = notional(exposure.houseNetLots).toString();
    figures.houseNetNotionalAfter = notional(afterBase).toString();
    figures.maxSymbolExposure = config.maxSymbolExposure.toString();
    if (!within(afterBase)) {
      const afterC = exposure.houseNetLots.minus(keptOn('C_BOOK'));
      const mode: ExecutionMode = base.mode === 'B_BOOK' && within(afterC) ? 'C_BOOK' : 'A_BOOK';
      if (mode === 'C_BOOK') figures.houseNetNotionalAfterCbook = notional(afterC).toString();
      return {
        mode,
        rule: 'MAX_SYMBOL_EXPOSURE',
        reason: `${label(base.mode)} would take the house's ${order.symbol} exposure to ${notional(afterBase).toFixed(2)}, beyond ${config.maxSymbolExposure}; ${label(mode)} instead`,
      };
    }
  }

  return base;
}

function withVenueNeeds(choice: Choice, input: RoutingInput, figures: RoutingFigures): RoutingDecision {
  figures.decidedMode = choice.mode;
  if (choice.mode === 'B_BOOK') return bbook(choice.rule, choice.reason, figures);

  const priorityLp = input.symbolRule?.priorityLp ?? null;
  const candidates = healthyLps(input.lps);
  figures.priorityLp = priorityLp;
  figures.healthyLps = candidates.map((l) => l.name).join(',');
  let lp = priorityLp === null ? candidates[0] : candidates.find((l) => l.name === priorityLp);
  let mode = choice.mode;
  let rule = choice.rule;
  let reason = choice.reason;
  if (!lp) {
    // The LP this venue would use is down: the symbol's fallback mode when it has one, else the next LP.
    const fallback = input.symbolRule?.fallbackMode ?? null;
    const missing = priorityLp ?? `an LP for ${input.order.symbol}`;
    figures.fallbackMode = fallback;
    figures.lpUnavailable = missing;
    if (fallback || candidates.length === 0) figures.intendedRule = choice.rule;
    if (fallback === 'B_BOOK') return bbook('LP_DOWN_FALLBACK', `${choice.reason}; ${missing} is not available, fallback B-Book`, figures);
    lp = candidates[0];
    if (!lp) return bbook('LP_DOWN_FALLBACK', `${choice.reason}; no LP is available for ${input.order.symbol}, filled on B-Book`, figures);
    if (fallback) {
      mode = fallback;
      rule = 'LP_DOWN_FALLBACK';
      reason = `${choice.reason}; ${missing} is not available, fallback ${label(fallback)}`;
      figures.decidedMode = mode;
    }
  }
  figures.lp = lp.name;

  if (mode === 'A_BOOK') return { venue: 'ABOOK', lp: { id: lp.id, name: lp.name }, hedgeVolume: null, rule, reason: `${reason} (${lp.name})`, figures };

  const share = input.config.cbookAbookShare;
  const hedge = input.order.volume.times(share).times(PERCENT).toNearest(input.volumeStep, Decimal.ROUND_DOWN);
  figures.cbookAbookShare = share.toString();
  figures.hedgeVolume = hedge.toString();
  if (hedge.lte(ZERO)) {
    figures.intendedRule = rule;
    return bbook('HEDGE_BELOW_STEP', `${reason}; ${share} % of ${input.order.volume} lots is less than one lot step (${input.volumeStep}), filled on B-Book`, figures);
  }
  return { venue: 'CBOOK', lp: { id: lp.id, name: lp.name }, hedgeVolume: hedge, rule, reason: `${reason}; ${hedge} lots hedged with ${lp.name}`, figures };
}

function bbook(rule: RoutingRule, reason: string, figures: RoutingFigures): RoutingDecision {
  return { venue: 'BBOOK', lp: null, hedgeVolume: null, rule, reason, figures };
}

/** LPs that are up, take orders and price the symbol, by priority (1 = primary; ties: lowest id). */
export function healthyLps(lps: readonly LpHealth[]): LpHealth[] {
  return lps.filter((l) => l.up && l.tradable && l.pricesSymbol).sort((a, b) => a.priority - b.priority || a.id - b.id);
}

function label(mode: ExecutionMode): string {
  return mode === 'A_BOOK' ? 'A-Book' : mode === 'B_BOOK' ? 'B-Book' : 'C-Book';
}

function str(d: Decimal | null | undefined): string | null {
  return d == null ? null : d.toString();
}
