// The order router's shell around domain/routing.ts decideRoute: the routing configuration in memory
// (execution_config, client_overrides, symbol_routing_rules — reloaded when a dealer changes them, so the next
// order uses the change), and the figures the decision reads: the house's exposure per symbol (from the book,
// at most 250 ms old), the symbol's volatility (range of the last 15 one-minute bars, at most 1 s old), the
// client's flow (P&L and win rate from the database, at most 30 s old; only when an auto-route rule is on),
// and the LPs' health (up, takes orders, prices the symbol).
import { Decimal } from 'decimal.js';
import type { PrismaClient } from '@broker/db';
import type { AccountBook } from '../books/account-book.ts';
import {
  decideRoute,
  type ClientFlowFigures,
  type ClientOverride,
  type ExecutionMode,
  type LpHealth,
  type MarkoutHorizon,
  type RoutingConfig,
  type RoutingDecision,
  type RoutingOrder,
  type SymbolExposure,
  type SymbolRule,
} from '../domain/routing.ts';
import { conversionRate, type QuoteLookup, type SymbolSpec } from '../domain/index.ts';
import type { LpManager } from '../lp/manager.ts';
import type { CandleStore } from '../marketdata/candle-store.ts';
import type { FlowService } from './flow-service.ts';
import type { LpGateway } from './lp-gateway.ts';
import { routingFigures } from '../domain/flow.ts';

const ZERO = new Decimal(0);
const dec = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : new Decimal(v.toString()));

export const DEFAULT_ROUTING: RoutingConfig = {
  globalMode: 'B_BOOK',
  bbookMaxVolume: new Decimal(10),
  highVolatilityPercent: new Decimal(5),
  maxSymbolExposure: new Decimal(1_000_000),
  profitableAutoRoute: false,
  profitableThresholdPnl: new Decimal(10_000),
  profitableWinRate: new Decimal(65),
  cbookAbookShare: new Decimal(50),
  toxicFlowAutoRoute: false,
  toxicLatencyArbScore: new Decimal(30),
  toxicMarkoutPerLot: null,
  toxicMarkoutHorizon: '10s',
  flowMinFills: 20,
};

interface Deps {
  flows: FlowService;
  prisma: PrismaClient;
  book: AccountBook;
  lpManager: LpManager;
  gateway: LpGateway;
  candles: CandleStore;
  symbols: (name: string) => SymbolSpec | undefined;
  quotes: QuoteLookup;
  clock: () => number;
}

export interface ExecutionSettings {
  slippageControl: boolean;
  maxSlippagePips: Decimal;
  timeoutMs: number;
}

export class OrderRouter {
  config: RoutingConfig = DEFAULT_ROUTING;
  execution: ExecutionSettings = { slippageControl: true, maxSlippagePips: new Decimal(2), timeoutMs: 5000 };
  /** How soon after a fill a move beyond the spread counts as latency arbitrage (execution_config). */
  latencyWindowMs = 500;
  private overrides = new Map<number, ClientOverride>();
  private rules = new Map<string, SymbolRule>();
  private readonly exposureCache = new Map<string, { at: number; value: SymbolExposure | null }>();
  private readonly volatilityCache = new Map<string, { at: number; value: Decimal | null }>();
  private readonly flowCache = new Map<number, { at: number; value: ClientFlowFigures | null }>();

  constructor(private readonly d: Deps) {}

  async reload(): Promise<void> {
    const [cfg, overrides, rules] = await Promise.all([
      this.d.prisma.executionConfig.findUnique({ where: { id: 1 } }),
      this.d.prisma.clientOverride.findMany(),
      this.d.prisma.symbolRoutingRule.findMany(),
    ]);
    this.config = cfg
      ? {
          globalMode: cfg.globalMode as ExecutionMode,
          bbookMaxVolume: dec(cfg.bbookMaxVolume)!,
          highVolatilityPercent: dec(cfg.highVolatilityPercent)!,
          maxSymbolExposure: dec(cfg.maxSymbolExposure)!,
          profitableAutoRoute: cfg.profitableAutoRoute,
          profitableThresholdPnl: dec(cfg.profitableThresholdPnl)!,
          profitableWinRate: dec(cfg.profitableWinRate)!,
          cbookAbookShare: dec(cfg.cbookAbookShare)!,
          toxicFlowAutoRoute: cfg.toxicFlowAutoRoute,
          toxicLatencyArbScore: dec(cfg.toxicLatencyArbScore),
          toxicMarkoutPerLot: dec(cfg.toxicMarkoutPerLot),
          toxicMarkoutHorizon: (['1s', '10s', '60s'].includes(cfg.toxicMarkoutHorizon) ? cfg.toxicMarkoutHorizon : '10s') as MarkoutHorizon,
          flowMinFills: cfg.flowMinFills,
        }
      : DEFAULT_ROUTING;
    this.latencyWindowMs = cfg?.latencyArbWindowMs ?? 500;
    this.execution = cfg
      ? { slippageControl: cfg.slippageControl, maxSlippagePips: dec(cfg.maxSlippagePips)!, timeoutMs: cfg.lpOrderTimeoutMs }
      : { slippageControl: true, maxSlippagePips: new Decimal(2), timeoutMs: 5000 };
    this.overrides = new Map(overrides.map((o) => [o.accountId, { mode: o.mode as ExecutionMode, reason: o.reason }]));
    this.rules = new Map(rules.map((r) => [r.symbol, { mode: r.mode as ExecutionMode, maxBbookVolume: dec(r.maxBbookVolume), priorityLp: r.priorityLp, fallbackMode: (r.fallbackMode as ExecutionMode | null) ?? null }]));
    this.flowCache.clear();
  }

  /** Where the opening volume of an order goes, and why. */
  async decide(order: RoutingOrder): Promise<RoutingDecision> {
    const spec = this.d.symbols(order.symbol);
    const config = this.config;
    const needsFlow = config.profitableAutoRoute || config.toxicFlowAutoRoute;
    return decideRoute({
      config,
      override: this.overrides.get(order.accountId) ?? null,
      symbolRule: this.rules.get(order.symbol) ?? null,
      order,
      volumeStep: spec?.volumeStep ?? new Decimal('0.01'),
      volatilityPercent: await this.volatility(order.symbol),
      exposure: await this.exposure(order.symbol),
      flow: needsFlow ? await this.flow(order.accountId) : null,
      lps: this.lps(order.symbol),
    });
  }

  lps(symbol: string): LpHealth[] {
    return this.d.lpManager
      .status()
      .filter((s) => s.id !== null && s.type !== 'MANUAL' && s.type !== 'SIMULATED')
      .map((s) => ({
        id: s.id!,
        name: s.name,
        priority: s.priority,
        up: s.enabled && s.state === 'CONNECTED',
        tradable: this.d.gateway.tradable(s.name),
        pricesSymbol: s.symbols.includes(symbol) || Object.values(s.symbolMap).includes(symbol),
      }));
  }

  /**
   * The house's net in the symbol — its coverage with LPs minus its clients' net (the house is the other side
   * of every client trade; an A-Book fill is offset by its coverage) — and one lot in USD. At most 250 ms old.
   */
  async exposure(symbol: string): Promise<SymbolExposure | null> {
    const now = this.d.clock();
    const hit = this.exposureCache.get(symbol);
    if (hit && now - hit.at < 250) return hit.value;
    const spec = this.d.symbols(symbol);
    let value: SymbolExposure | null = null;
    if (spec) {
      let net = ZERO;
      for (const id of this.d.book.holdersOf(symbol)) for (const p of this.d.book.openPositions(id)) if (p.symbol === symbol) net = p.side === 'BUY' ? net.plus(p.volume) : net.minus(p.volume);
      const cov = await this.d.prisma.coveragePosition.aggregate({ where: { symbol }, _sum: { netVolume: true } });
      const coverage = dec(cov._sum.netVolume) ?? ZERO;
      const rate = conversionRate(spec.baseCurrency, 'USD', this.d.quotes);
      value = rate ? { houseNetLots: coverage.minus(net), lotNotional: spec.contractSize.times(rate) } : null;
    }
    this.exposureCache.set(symbol, { at: now, value });
    return value;
  }

  private async volatility(symbol: string): Promise<Decimal | null> {
    const now = this.d.clock();
    const hit = this.volatilityCache.get(symbol);
    if (hit && now - hit.at < 1000) return hit.value;
    const bars = await this.d.candles.query(symbol, '1m', 15).catch(() => []);
    let value: Decimal | null = null;
    if (bars.length) {
      let hi = bars[0]!.high;
      let lo = bars[0]!.low;
      for (const b of bars) {
        if (b.high.gt(hi)) hi = b.high;
        if (b.low.lt(lo)) lo = b.low;
      }
      const last = bars[bars.length - 1]!.close;
      value = last.isZero() ? null : hi.minus(lo).div(last).times(100).toDecimalPlaces(4);
    }
    this.volatilityCache.set(symbol, { at: now, value });
    return value;
  }

  /** The client's flow figures (markouts and latency arbitrage from the stored quotes), at most 30 s old. */
  private async flow(accountId: number): Promise<ClientFlowFigures | null> {
    const now = this.d.clock();
    const hit = this.flowCache.get(accountId);
    if (hit && now - hit.at < 30_000) return hit.value;
    const value = routingFigures(await this.d.flows.of(accountId));
    this.flowCache.set(accountId, { at: now, value });
    return value;
  }

}
