// What every area of the engine shares: the books, the quote pipeline's parts, the symbol and risk tables,
// and the helpers that read an account's figures. The areas (auth.ts, market.ts, accounts.ts, trading.ts,
// finance.ts, risk.ts, lps.ts, system.ts) and the quote path (quote-flow.ts) work on one EngineCore; engine.ts
// builds it, starts and stops it.
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import type { Redis } from 'ioredis';
import { sqlOf, type Db } from '@broker/db';
import { EngineError, type PositionDto, type Role } from '@broker/api';
import { AccountBook } from '../books/account-book.ts';
import { InProcessCommandQueue, type CommandQueue } from '../books/command-queue.ts';
import { Desk } from '../books/desk.ts';
import { GroupCommitter } from '../books/group-commit.ts';
import { IdAllocator } from '../books/id-allocator.ts';
import { dec, positionDto, symbolFromRow } from '../books/mapping.ts';
import { TriggerIndex } from '../books/trigger-index.ts';
import { RateLimits, type RateLimitOptions } from '../auth/rate-limits.ts';
import { Sessions } from '../auth/sessions.ts';
import { TokenService } from '../auth/tokens.ts';
import { TwoFactorCrypto } from '../auth/two-factor.ts';
import { accountFigures, closingPrice, conversionSymbols, unrealizedPnl, type AccountState, type PositionState, type RiskLimits, type SymbolSpec } from '../domain/index.ts';
import { pointsRules, type PointsRules } from '../domain/points.ts';
import { EngineEvents } from '../events.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { LpAdapter, LpStatus } from '../lp/adapter.ts';
import { LpManager, type LpFactory } from '../lp/manager.ts';
import { ManualLp } from '../lp/manual.ts';
import { QuoteAggregator, type AggregationMode } from '../marketdata/aggregator.ts';
import { CandleStore } from '../marketdata/candle-store.ts';
import { CandleBook } from '../marketdata/candles.ts';
import { QuoteStore } from '../marketdata/quote-store.ts';
import { QuoteGate } from '../marketdata/quote-gate.ts';
import { TickWriter } from '../marketdata/tick-writer.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { LpGateway, type RecoveryOptions } from '../execution/lp-gateway.ts';
import { FlowService } from '../execution/flow-service.ts';
import { OrderRouter } from '../execution/router.ts';
import { deskPublisher } from './publisher.ts';
import { QuoteFlow } from './quote-flow.ts';
import { AlertsArea } from './alerts.ts';
import { lpWire } from './lps.ts';

export interface EngineOptions {
  db: Db;
  /**
   * Where tick history spills when the database cannot keep up (marketdata/tick-writer.ts); default
   * TICK_SPILL_DIR, else a directory of this engine's own under the system's temp directory.
   */
  tickSpillDir?: string;
  redis?: Redis | null;
  /** One LP instead of the table's (tests, benchmarks); otherwise the LP manager reads liquidity_providers. */
  lp?: LpAdapter;
  lpFactories?: Partial<Record<LpStatus['type'], LpFactory>>;
  /** How quotes from several LPs become the platform quote; default FAILOVER. */
  aggregation?: AggregationMode;
  env?: Record<string, string | undefined>;
  jwtSecret: string;
  clock?: () => number;
  logger?: Logger;
  /** 'always-open' ignores symbols' trading hours (demos and tests on a weekend); default 'enforce'. */
  marketHours?: 'enforce' | 'always-open';
  /** How often changed accounts get an account_update. */
  accountUpdateIntervalMs?: number;
  /**
   * Bars of made-up 1m history (default 1440; 0: none at all) written for simulated symbols with no stored bars,
   * with deeper series for the longer timeframes (engine.ts backHistoryBars).
   */
  historyMinutes?: number;
  /**
   * Run the swap rollover by itself every day at 22:00 UTC, catching up missed days at start (domain/rollover.ts).
   * Off unless asked for: the server turns it on from ENGINE_AUTO_ROLLOVER; tests and benchmarks leave it off.
   */
  autoRollover?: boolean;
  queue?: CommandQueue;
  /** Reconcile every account each night at 23:00 UTC (engine/audit.ts); default on. */
  nightlyReconcile?: boolean;
  /** How often the nightly job looks at the clock; default 60 s (tests move the clock and use less). */
  reconcileCheckMs?: number;
  /** Group-commit transactions in flight at once on PostgreSQL (default below); the embedded database takes 1. */
  commitParallel?: number;
  /** API, sign-in and socket rate limits (auth/rate-limits.ts); defaults there. */
  rateLimits?: RateLimitOptions;
  /** How LP orders without an outcome are asked about after a restart and on every Logon (execution/lp-gateway.ts). */
  lpRecovery?: RecoveryOptions;
  /** Staff roles that must sign in with two-factor (config.ts ENGINE_STAFF_2FA_ROLES); default none. */
  twoFactorRoles?: readonly Role[];
  /** The key TOTP secrets are encrypted under (ENGINE_TOTP_KEY); default derived from jwtSecret. */
  totpKey?: string;
}

export interface SymbolInfo {
  spec: SymbolSpec;
  description: string;
  category: string;
  /** The spec's quote rules in integers (domain/points.ts). */
  rules: PointsRules;
}

/**
 * Group-commit transactions in flight at once: more overlap the commits' fsyncs and round trips, fewer make
 * each carry more commands (less CPU per command in the engine and in PostgreSQL). Measured with bench:orders
 * on 2 cores: one in flight used ~25% less PostgreSQL CPU per order and kept p99 at 2,500 orders/s offered
 * to 29–34 ms where two gave 64–77 ms; at 2,000/s they were the same within noise. While one commits, the
 * next batch grows, so throughput follows the load either way.
 */
const DEFAULT_COMMIT_PARALLEL = 1;

/** Engines started in this process (each gets its own default tick spill directory). */
let engineSeq = 0;

export class EngineCore {
  readonly events = new EngineEvents();
  readonly metrics: Metrics = createMetrics(
    () => this.flow.flushQuoteCounts(),
    () => ({
      lps: () => this.lpManager.status().filter((l) => l.enabled),
      quoteAges: () => {
        const now = this.clock();
        const out = new Map<string, number | null>();
        for (const [name, info] of this.symbolTable) {
          if (!info.spec.enabled) continue;
          const q = this.quoteStore.get(name);
          out.set(name, q ? Math.max(0, now - q.time) : null);
        }
        return out;
      },
      failovers: () => this.aggregator.failoversBySymbol,
      withdrawals: () => this.aggregator.withdrawals,
      ticks: () => this.tickWriter.stats(),
    }),
  );
  readonly quoteStore: QuoteStore;
  readonly candleBook = new CandleBook();
  readonly book: AccountBook;
  readonly tokens: TokenService;
  readonly desk: Desk;
  readonly index = new TriggerIndex();
  readonly committer: GroupCommitter;
  readonly ids: IdAllocator;
  readonly queue: CommandQueue;
  readonly clock: () => number;
  readonly log: Logger;
  readonly lpManager: LpManager;
  readonly tickWriter: TickWriter;
  readonly candleStore: CandleStore;
  readonly aggregator: QuoteAggregator;
  /** Each LP's quotes' checks: basic rules, spike reference, cross-LP sanity (marketdata/quote-gate.ts). */
  readonly gate: QuoteGate;
  /** The manual LP: dealers' (and tests') quotes; while fresh it overrides the feeds. */
  readonly manual: ManualLp;
  /** The quote path: validation, aggregation, markup, revaluation, streaming (quote-flow.ts). */
  readonly flow: QuoteFlow;
  /** Traders' price alerts (engine/alerts.ts): the API area and the quote path's check. */
  readonly alerts: AlertsArea;
  /** The LP side of A-Book and C-Book orders (execution/lp-gateway.ts). */
  readonly gateway: LpGateway;
  /** Where each order goes (execution/router.ts over domain/routing.ts). */
  readonly router: OrderRouter;
  /** Clients' flow: markouts, latency-arbitrage score, win rate, hold times (execution/flow-service.ts). */
  readonly flows: FlowService;
  readonly startedAt: number;
  socketsConnected = 0;
  /** Rate limits: API calls per address and user, sign-in attempts and lock-outs, socket messages. */
  readonly limits: RateLimits;
  /** Which tokens still open a session: revocation on logout, deactivation and password change (auth/sessions.ts). */
  readonly sessions: Sessions;
  /** Encrypts TOTP secrets and hashes recovery codes (auth/two-factor.ts). */
  readonly twoFactor: TwoFactorCrypto;
  /** Set by the socket layer: whether anyone watches an account (its room, or dealers). */
  hasAccountListeners: (accountId: number) => boolean = () => true;

  symbolTable = new Map<string, SymbolInfo>();
  private accountRisk = new Map<number, Partial<RiskLimits>>();
  private globalRisk: RiskLimits = {
    marginCallLevel: new Decimal(100),
    stopOutLevel: new Decimal(50),
    maxOpenPositions: null,
    maxPositionSize: null,
    maxDailyVolume: null,
    maxSymbolExposure: null,
    negativeBalanceProtection: true,
  };

  constructor(readonly opts: EngineOptions) {
    this.clock = opts.clock ?? Date.now;
    this.log = opts.logger ?? createLogger('engine');
    this.quoteStore = new QuoteStore(opts.redis ?? null, this.log);
    this.book = new AccountBook(opts.db.prisma, (symbol, currency) => this.conversionSymbolsOf(symbol, currency));
    this.tokens = new TokenService(opts.jwtSecret);
    this.limits = new RateLimits({ redis: opts.redis ?? null, options: opts.rateLimits });
    this.sessions = new Sessions({ prisma: opts.db.prisma, tokens: this.tokens, clock: this.clock });
    this.twoFactor = new TwoFactorCrypto(opts.totpKey ?? `totp:${opts.jwtSecret}`);
    this.queue = opts.queue ?? new InProcessCommandQueue();
    this.committer = new GroupCommitter(sqlOf(opts.db), this.log, {
      maxInFlight: opts.db.kind === 'postgres' ? (opts.commitParallel ?? DEFAULT_COMMIT_PARALLEL) : 1,
      onCommit: (ms, writeSets) => {
        this.metrics.groupCommitSeconds.observe(ms / 1000);
        this.metrics.groupCommitSize.observe(writeSets);
      },
    });
    this.ids = new IdAllocator(sqlOf(opts.db));
    this.startedAt = this.clock();
    this.tickWriter = new TickWriter({
      prisma: opts.db.prisma,
      log: this.log,
      concurrency: opts.db.kind === 'postgres' ? 2 : 1,
      spillDir: opts.tickSpillDir ?? process.env.TICK_SPILL_DIR ?? path.join(os.tmpdir(), 'broker-tick-spill', `${process.pid}-${++engineSeq}`),
    });
    this.candleStore = new CandleStore({ prisma: opts.db.prisma, book: this.candleBook, log: this.log });
    this.manual = opts.lp instanceof ManualLp ? opts.lp : new ManualLp(this.clock);
    this.flow = new QuoteFlow(this);
    this.alerts = new AlertsArea(this);
    this.lpManager = new LpManager({
      prisma: opts.db.prisma,
      log: this.log,
      clock: this.clock,
      env: opts.env,
      factories: opts.lpFactories,
      onQuote: (q) => this.flow.onRawQuote(q),
      onConnected: (lp) => this.flow.onLpConnected(lp),
      onStatus: (h) => this.events.emit('lp_status', { type: 'lp_status', lp: lpWire(h) }),
      sources: () => this.aggregator.sources(),
    });
    this.aggregator = new QuoteAggregator({
      mode: opts.aggregation ?? 'FAILOVER',
      staleAfterMs: (symbol) => this.symbolTable.get(symbol)?.spec.staleAfterMs ?? 30_000,
      priority: (lp) => this.lpManager.priority(lp),
      healthy: (lp) => this.lpManager.healthy(lp),
      sessionStart: (lp) => this.lpManager.sessionStart(lp),
      mayPrice: (lp, symbol) => this.lpManager.mayPrice(lp, symbol),
      withdraw: (symbol, lp) => this.flow.withdraw(symbol, lp),
      clock: this.clock,
      emit: (q) => this.flow.applyQuote(q),
      overrideLp: this.manual.name,
    });
    this.gate = new QuoteGate({
      clock: this.clock,
      manualLp: this.manual.name,
      others: (symbol, lp) => this.aggregator.others(symbol, lp),
      healthy: (lp) => this.lpManager.healthy(lp),
      sessionStart: (lp) => this.lpManager.sessionStart(lp),
      confirmMs: (lp) => this.lpManager.spikeConfirmMs(lp),
      onEvent: (e) => this.flow.onQuoteEvent(e),
    });
    this.gateway = new LpGateway({
      prisma: opts.db.prisma,
      db: opts.db,
      lpManager: this.lpManager,
      log: this.log,
      clock: this.clock,
      symbols: (n) => this.symbolTable.get(n)?.spec,
      onLateFill: (e) =>
        this.events.emit('alert', {
          type: 'alert',
          kind: 'LATE_LP_FILL',
          severity: 'critical',
          message: `${e.lp} filled ${e.volume} ${e.kind === 'CLIENT' ? 'of a client order' : 'of a hedge'} after its outcome was decided (${e.clOrdId} at ${e.price}): it sits in the house's coverage`,
          accountIds: [],
          clOrdId: e.clOrdId,
          at: this.clock(),
        }),
      onClientOutcome: (e) => this.desk.completeABookOrder(e.orderId, e.lp, e.outcome),
      onUnknownOutcome: (e) =>
        this.events.emit('alert', {
          type: 'alert',
          kind: 'LP_ORDER_UNKNOWN',
          severity: 'critical',
          message: `${e.lp} has not confirmed what became of ${e.kind === 'CLIENT' ? `client order ${e.orderId}` : 'a hedge'} (${e.clOrdId}): ${e.reason}. It stays UNKNOWN${e.kind === 'CLIENT' ? ' and the client order pending' : ''} until the LP answers; check with the LP`,
          accountIds: [],
          clOrdId: e.clOrdId,
          at: this.clock(),
        }),
      recovery: opts.lpRecovery,
    });
    this.flows = new FlowService({
      db: opts.db,
      symbols: (n) => this.symbolTable.get(n)?.spec,
      quotes: this.quoteStore.lookup,
      clock: this.clock,
      latencyWindowMs: () => this.router.latencyWindowMs,
    });
    this.router = new OrderRouter({
      flows: this.flows,
      prisma: opts.db.prisma,
      book: this.book,
      lpManager: this.lpManager,
      gateway: this.gateway,
      candles: this.candleStore,
      symbols: (n) => this.symbolTable.get(n)?.spec,
      quotes: this.quoteStore.lookup,
      clock: this.clock,
    });
    this.desk = new Desk({
      prisma: opts.db.prisma,
      book: this.book,
      index: this.index,
      committer: this.committer,
      ids: this.ids,
      queue: this.queue,
      clock: this.clock,
      log: this.log,
      symbols: (n) => this.symbolTable.get(n)?.spec,
      quote: (s) => this.quoteStore.get(s),
      risk: (accountId) => this.riskFor(accountId),
      publish: deskPublisher(this),
      routing: {
        decide: (o) => this.router.decide(o),
        execution: () => this.router.execution,
        hedgeShare: () => this.router.config.cbookAbookShare,
        send: (r, o) => this.gateway.send(r, o),
        unavailable: (lp) => this.gateway.unavailable(lp),
        prepare: (r) => this.gateway.prepare(r),
        release: (id) => this.gateway.release(id),
        unbooked: (e) => {
          this.log.error('LP fill the client books could not take', { ...e, orderId: e.orderId.toString(), volume: e.volume.toString(), price: e.price.toString() });
          this.events.emit('alert', {
            type: 'alert',
            kind: 'LP_FILL_UNBOOKED',
            severity: 'critical',
            message: `${e.lp} filled ${e.volume} at ${e.price} for order ${e.orderId}, but the client's books refused it (${e.code}: ${e.message}): it sits in the house's coverage`,
            accountIds: [e.accountId],
            clOrdId: e.clOrdId ?? `A${e.orderId}`,
            at: this.clock(),
          });
        },
        coverageLeft: (e) => {
          this.log.warn('coverage not offset at the LP', { ...e, orderId: e.orderId.toString(), positionId: e.positionId.toString(), volume: e.volume.toString() });
          this.events.emit('alert', {
            type: 'alert',
            kind: 'COVERAGE_NOT_OFFSET',
            severity: 'critical',
            message: `Position ${e.positionId} closed, but ${e.volume} lots of its coverage stay with ${e.lp}: ${e.reason}`,
            accountIds: [e.accountId],
            clOrdId: `C${e.orderId}`,
            at: this.clock(),
          });
        },
      },
    });
  }

  get prisma() {
    return this.opts.db.prisma;
  }

  /** Global risk settings overlaid with the account's own (trading-rules.md: risk limits). */
  riskFor(accountId: number): RiskLimits {
    const own = this.accountRisk.get(accountId);
    if (!own) return this.globalRisk;
    const out: RiskLimits = { ...this.globalRisk };
    for (const [k, v] of Object.entries(own)) if (v !== null && v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
    return out;
  }

  readonly symbolSpec = (name: string): SymbolSpec | undefined => this.symbolTable.get(name)?.spec;

  /** The symbol's spec, or UNKNOWN_SYMBOL. */
  requireSymbol(name: string): SymbolSpec {
    const spec = this.symbolSpec(name);
    if (!spec) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${name}`);
    return spec;
  }

  async reloadSymbols(): Promise<void> {
    const rows = await this.prisma.symbol.findMany({ orderBy: { id: 'asc' } });
    const next = new Map<string, SymbolInfo>();
    for (const r of rows) {
      const spec = symbolFromRow(r);
      if (this.opts.marketHours === 'always-open') spec.tradingHours = [];
      next.set(r.name, { spec, description: r.description, category: r.category, rules: pointsRules(spec) });
    }
    this.symbolTable = next;
    this.conversionDeps.clear();
    this.book.reindexAll();
  }

  /** account currency → symbol → the other symbols its P&L converts through (domain/conversion.ts). */
  private readonly conversionDeps = new Map<string, Map<string, readonly string[]>>();

  private conversionSymbolsOf(symbol: string, currency: string): readonly string[] {
    let bySymbol = this.conversionDeps.get(currency);
    if (!bySymbol) this.conversionDeps.set(currency, (bySymbol = new Map()));
    let deps = bySymbol.get(symbol);
    if (!deps) {
      const spec = this.symbolTable.get(symbol)?.spec;
      deps = spec ? conversionSymbols(spec.quoteCurrency, currency, (s) => this.symbolTable.has(s)).filter((s) => s !== symbol) : [];
      bySymbol.set(symbol, deps);
    }
    return deps;
  }

  async reloadRisk(): Promise<void> {
    const rows = await this.prisma.riskSettings.findMany();
    const decOr = (v: { toString(): string } | null) => (v === null ? null : dec(v));
    const next = new Map<number, Partial<RiskLimits>>();
    for (const r of rows) {
      const limits: Partial<RiskLimits> = {
        marginCallLevel: decOr(r.marginCallLevel) ?? undefined,
        stopOutLevel: decOr(r.stopOutLevel) ?? undefined,
        maxOpenPositions: r.maxOpenPositions ?? undefined,
        maxPositionSize: decOr(r.maxPositionSize) ?? undefined,
        maxDailyVolume: decOr(r.maxDailyVolume) ?? undefined,
        maxSymbolExposure: decOr(r.maxSymbolExposure) ?? undefined,
        negativeBalanceProtection: r.negativeBalanceProtection ?? undefined,
        maxLeverage: r.maxLeverage ?? undefined,
      };
      if (r.accountId === null) {
        this.globalRisk = {
          marginCallLevel: limits.marginCallLevel ?? new Decimal(100),
          stopOutLevel: limits.stopOutLevel ?? new Decimal(50),
          maxOpenPositions: limits.maxOpenPositions ?? null,
          maxPositionSize: limits.maxPositionSize ?? null,
          maxDailyVolume: limits.maxDailyVolume ?? null,
          maxSymbolExposure: limits.maxSymbolExposure ?? null,
          negativeBalanceProtection: limits.negativeBalanceProtection ?? true,
          maxLeverage: limits.maxLeverage ?? null,
        };
      } else next.set(r.accountId, limits);
    }
    this.accountRisk = next;
  }

  /** An account's balance, equity, margin, free margin and margin level at the current quotes. */
  figures(account: AccountState) {
    return accountFigures(account, this.book.openPositions(account.id), this.symbolSpec, this.quoteStore.lookup);
  }

  async requireAccount(accountId: number): Promise<AccountState> {
    const a = await this.book.get(accountId);
    if (!a) throw new EngineError('ACCOUNT_NOT_FOUND');
    return a;
  }

  positionDtoOf(p: PositionState, currency: string): PositionDto {
    const spec = this.symbolSpec(p.symbol);
    const q = this.quoteStore.get(p.symbol);
    const pnl = spec ? unrealizedPnl(p, spec, currency, this.quoteStore.lookup) : undefined;
    return positionDto(p, q ? closingPrice(p.side, q) : null, pnl ?? null);
  }
}
