// The engine's façade: it implements the API's EngineApi on top of the books, the quote pipeline and the
// database. Every account command runs through the command queue (one writer per account).
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { Decimal } from 'decimal.js';
import type { Redis } from 'ioredis';
import { sqlOf, type Db } from '@broker/db';
import {
  EngineError,
  type AccountBrief,
  type AccountSummaryDto,
  type AdminAccountRow,
  type AdminAccountsInput,
  type AuthUser,
  type CalculateLotDto,
  type CalculateLotInput,
  type CancelOrderInput,
  type CandleDto,
  type CloseAllInput,
  type CloseAllResultDto,
  type CandlesInput,
  type CloseResultDto,
  type ClosePositionInput,
  type DepositInput,
  type EngineApi,
  type HealthDto,
  type LedgerDto,
  type LoginInput,
  type LoginResult,
  type TicksInput,
  type LpUpsertInput,
  type MarginPreviewDto,
  type MarginPreviewInput,
  type MarketOrderInput,
  type ModifyOrderInput,
  type ModifyPositionInput,
  type OrderDto,
  type PendingOrderResultDto,
  type PushQuoteInput,
  type RiskSettingsDto,
  type RiskSettingsInput,
  type RolloverInput,
  type RolloverResultDto,
  type OrderResultDto,
  type PageInput,
  type PositionDto,
  type QuoteDto,
  type TickDto,
  type Role,
  type SymbolDto,
  type TradeDto,
} from '@broker/api';
import type { AccountUpdateEvent, LpWire, OrderWire, PositionWire } from '@broker/api/socket';
import { AccountBook } from './books/account-book.ts';
import { InProcessCommandQueue, type CommandQueue } from './books/command-queue.ts';
import { Desk, type DeskPublisher } from './books/desk.ts';
import { GroupCommitter } from './books/group-commit.ts';
import { IdAllocator } from './books/id-allocator.ts';
import { dec, ledgerDto, orderDto, pendingDto, positionDto, symbolFromRow, tradeDto } from './books/mapping.ts';
import { TriggerIndex } from './books/trigger-index.ts';
import { TokenService } from './auth/tokens.ts';
import {
  accountFigures,
  closingPrice,
  conversionRate,
  conversionSymbols,
  notional,
  openingPrice,
  planMarketOrder,
  effectiveLeverage,
  positionMargin,
  positionsAfter,
  roundMoney,
  unrealizedPnl,
  type AccountState,
  type CloseLeg,
  type PendingOrderState,
  type PositionState,
  type RiskLimits,
  type SymbolSpec,
} from './domain/index.ts';
import { EngineEvents } from './events.ts';
import { createLogger, type Logger } from './logger.ts';
import type { LpAdapter, LpStatus, RawQuote } from './lp/adapter.ts';
import { LpManager, type LpFactory, type LpHealth } from './lp/manager.ts';
import { ManualLp } from './lp/manual.ts';
import { QuoteAggregator, type AggregationMode } from './marketdata/aggregator.ts';
import { CandleStore } from './marketdata/candle-store.ts';
import { TickWriter } from './marketdata/tick-writer.ts';
import { enableTimescale } from './marketdata/timescale.ts';
import { SimulatedLp } from './lp/simulated.ts';
import { CandleBook } from './marketdata/candles.ts';
import { formatPoints, markupPoints, pointsQuoteOf, pointsRules, PointsQuote, validatePoints, type PointsRules, type PointsVerdict } from './domain/points.ts';
import { catchUpDays, lastDueTradingDay, nextRolloverMoment } from './domain/rollover.ts';
import { certainlyAbove } from './domain/stop-out-screen.ts';
import { QuoteStore } from './marketdata/quote-store.ts';
import { SPIKE_CONFIRMATIONS, SpikeReference, type ReferenceVerdict } from './marketdata/spike-reference.ts';
import { createMetrics, type Metrics } from './metrics.ts';

export interface EngineOptions {
  db: Db;
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
  /** Minutes of made-up 1m history to show on charts when the LP is simulated. */
  historyMinutes?: number;
  /**
   * Run the swap rollover by itself every day at 22:00 UTC, catching up missed days at start (domain/rollover.ts).
   * Off unless asked for: the server turns it on from ENGINE_AUTO_ROLLOVER; tests and benchmarks leave it off.
   */
  autoRollover?: boolean;
  queue?: CommandQueue;
  /** Group-commit transactions in flight at once on PostgreSQL (default below); the embedded database takes 1. */
  commitParallel?: number;
}

interface SymbolInfo {
  spec: SymbolSpec;
  description: string;
  category: string;
  /** The spec's quote rules in integers (domain/points.ts). */
  rules: PointsRules;
  /** Each LP's spike-rule reference for the symbol (marketdata/spike-reference.ts); kept across reloads. */
  references: Map<string, SpikeReference>;
}

/**
 * Group-commit transactions in flight at once: more overlap the commits' fsyncs and round trips, fewer make
 * each carry more commands (less CPU per command in the engine and in PostgreSQL). Measured with bench:orders
 * on 2 cores: one in flight used ~25% less PostgreSQL CPU per order and kept p99 at 2,500 orders/s offered
 * to 29–34 ms where two gave 64–77 ms; at 2,000/s they were the same within noise. While one commits, the
 * next batch grows, so throughput follows the load either way.
 */
const DEFAULT_COMMIT_PARALLEL = 1;

const VERDICTS = ['ok', 'invalid', 'crossed', 'spike', 'stale', 'unknown_symbol'] as const;
const VERDICT_INDEX: Record<PointsVerdict, number> = { ok: 0, invalid: 1, crossed: 2, spike: 3, stale: 4 };
const V_UNKNOWN = 5;

export function lpWire(h: LpHealth): LpWire {
  return {
    id: h.id,
    name: h.name,
    type: h.type,
    state: h.state,
    reason: h.reason ?? null,
    enabled: h.enabled,
    priority: h.priority,
    lastQuoteAt: h.lastQuoteAt,
    latencyMs: h.latencyMs,
    connectedSince: h.connectedSince,
    reconnects: h.reconnects,
    quotesPerMinute: h.quotesPerMinute,
    uptimePercent: h.uptimePercent,
    symbols: h.symbols,
    recentErrors: h.recentErrors,
    settings: h.settings,
    credentialEnv: h.credentialEnv,
    symbolMap: h.symbolMap,
  };
}

const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.qF7w9s3fX6o8E0v2oC8sX9Tq2oG2';

export class Engine implements EngineApi {
  readonly events = new EngineEvents();
  readonly metrics: Metrics = createMetrics(() => this.flushQuoteCounts());
  readonly quoteStore: QuoteStore;
  readonly candleBook = new CandleBook();
  readonly book: AccountBook;
  readonly tokens: TokenService;
  readonly desk: Desk;
  readonly index = new TriggerIndex();
  readonly committer: GroupCommitter;
  private readonly ids: IdAllocator;
  private readonly queue: CommandQueue;
  private accountRisk = new Map<number, Partial<RiskLimits>>();
  private readonly clock: () => number;
  private readonly log: Logger;
  private symbolTable = new Map<string, SymbolInfo>();
  private risk: RiskLimits = {
    marginCallLevel: new Decimal(100),
    stopOutLevel: new Decimal(50),
    maxOpenPositions: null,
    maxPositionSize: null,
    maxDailyVolume: null,
    maxSymbolExposure: null,
    negativeBalanceProtection: true,
  };
  /** Symbols quoted since the last account_update flush / the last revaluation turn. */
  private readonly updatedSymbols = new Set<string>();
  private readonly revalueSymbols = new Set<string>();
  private revalueScheduled = false;
  private expiryTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  readonly lpManager: LpManager;
  readonly tickWriter: TickWriter;
  readonly candleStore: CandleStore;
  readonly aggregator: QuoteAggregator;
  /** The manual LP: dealers' (and tests') quotes; while fresh it overrides the feeds. */
  readonly manual: ManualLp;
  rejectedQuotes = 0;
  private rolloverTimer: NodeJS.Timeout | null = null;
  /** When the scheduled rollover next runs (autoRollover); the timer compares it with the clock. */
  private nextRolloverAt = 0;
  /** The scheduled rollover pass in progress: one at a time, and stop() waits for it. */
  private rolloverPass: Promise<void> | null = null;
  private stopping = false;
  private readonly marginCall = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt: number;
  private quotesIn = 0;
  socketsConnected = 0;

  constructor(private readonly opts: EngineOptions) {
    this.clock = opts.clock ?? Date.now;
    this.log = opts.logger ?? createLogger('engine');
    this.quoteStore = new QuoteStore(opts.redis ?? null, this.log);
    this.book = new AccountBook(opts.db.prisma, (symbol, currency) => this.conversionSymbolsOf(symbol, currency));
    this.tokens = new TokenService(opts.jwtSecret);
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
    this.tickWriter = new TickWriter({ prisma: opts.db.prisma, log: this.log, concurrency: opts.db.kind === 'postgres' ? 2 : 1 });
    this.candleStore = new CandleStore({ prisma: opts.db.prisma, book: this.candleBook, log: this.log });
    this.manual = opts.lp instanceof ManualLp ? opts.lp : new ManualLp(this.clock);
    this.lpManager = new LpManager({
      prisma: opts.db.prisma,
      log: this.log,
      clock: this.clock,
      env: opts.env,
      factories: opts.lpFactories,
      onQuote: (q) => this.onRawQuote(q),
      onConnected: (lp) => this.onLpConnected(lp),
      onStatus: (h) => this.events.emit('lp_status', { type: 'lp_status', lp: lpWire(h) }),
    });
    this.aggregator = new QuoteAggregator({
      mode: opts.aggregation ?? 'FAILOVER',
      staleAfterMs: (symbol) => this.symbolTable.get(symbol)?.spec.staleAfterMs ?? 30_000,
      priority: (lp) => this.lpManager.priority(lp),
      healthy: (lp) => this.lpManager.healthy(lp),
      clock: this.clock,
      emit: (q) => this.applyQuote(q),
      overrideLp: this.manual.name,
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
      publish: this.publisher(),
    });
  }

  /** Global risk settings overlaid with the account's own (trading-rules.md: risk limits). */
  riskFor(accountId: number): RiskLimits {
    const own = this.accountRisk.get(accountId);
    if (!own) return this.risk;
    const out: RiskLimits = { ...this.risk };
    for (const [k, v] of Object.entries(own)) if (v !== null && v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
    return out;
  }

  get prisma() {
    return this.opts.db.prisma;
  }

  async start(): Promise<void> {
    await this.reloadSymbols();
    await this.reloadRisk();
    await this.book.loadAll();
    this.desk.indexAll();
    // Charts survive restarts: the last week of bars comes back from the database before any quote flows;
    // made-up history (simulated prices only) only on a database that has none yet.
    await enableTimescale(this.prisma, this.log, { kind: this.opts.db.kind });
    const loadedBars = await this.candleStore.loadInto(this.candleBook, { sinceMs: this.clock() - 7 * 86_400_000 });
    if (this.opts.lp) {
      await this.lpManager.add(this.opts.lp, { priority: 1, type: this.opts.lp instanceof SimulatedLp ? 'SIMULATED' : 'MANUAL' });
      await this.lpManager.loadFromDb({ start: false });
    } else {
      await this.lpManager.loadFromDb();
      // architecture.md: with no LP configured, the simulated LP streams.
      if (!this.lpManager.adapters().length) await this.lpManager.add(new SimulatedLp({ clock: this.clock }), { priority: 100, type: 'SIMULATED' });
    }
    if (this.manual !== this.opts.lp) await this.lpManager.add(this.manual, { priority: 0, type: 'MANUAL' });
    const sim = this.lpManager.adapters().find((a): a is SimulatedLp => a instanceof SimulatedLp);
    if (sim && loadedBars === 0) {
      // The simulated LP has already priced the current minute: history goes in before it.
      for (const [symbol, bars] of sim.history(this.opts.historyMinutes ?? 600)) this.candleBook.backfill(symbol, bars);
    }
    this.lpManager.startMonitoring();
    this.sweepTimer = setInterval(() => this.aggregator.sweep(), 200);
    this.sweepTimer.unref?.();
    this.timer = setInterval(() => this.flushAccountUpdates(), this.opts.accountUpdateIntervalMs ?? 250);
    this.timer.unref?.();
    this.expiryTimer = setInterval(() => this.desk.expireDue(), 1000);
    this.expiryTimer.unref?.();
    // Days missed while the engine was down are rolled before it takes orders: a position closed first would
    // never be charged them.
    if (this.opts.autoRollover) {
      await this.runDueRollovers();
      this.scheduleRollover();
    }
    this.log.info('engine started', { symbols: this.symbolTable.size, lps: this.lpManager.status().map((l) => l.name), database: this.opts.db.kind });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    if (this.rolloverTimer) clearTimeout(this.rolloverTimer);
    await this.rolloverPass;
    this.timer = null;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.lpManager.stop();
    await this.quoteStore.stop();
    await this.queue.drain();
    await this.tickWriter.stop();
    await this.candleStore.stop();
  }

  async reloadSymbols(): Promise<void> {
    const rows = await this.prisma.symbol.findMany({ orderBy: { id: 'asc' } });
    const next = new Map<string, SymbolInfo>();
    for (const r of rows) {
      const spec = symbolFromRow(r);
      if (this.opts.marketHours === 'always-open') spec.tradingHours = [];
      next.set(r.name, { spec, description: r.description, category: r.category, rules: pointsRules(spec), references: this.symbolTable.get(r.name)?.references ?? new Map() });
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
        this.risk = {
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

  private readonly symbolSpec = (name: string): SymbolSpec | undefined => this.symbolTable.get(name)?.spec;

  // ───────────────────────────── quotes ─────────────────────────────

  /** architecture.md, How a quote flows: validate → markup → latest quote → revalue → stream → candles. */
  onRawQuote(raw: RawQuote): void {
    this.quotesIn++;
    const info = this.symbolTable.get(raw.symbol);
    if (!info) {
      this.countQuote(raw.lp, V_UNKNOWN);
      return;
    }
    const now = this.clock();
    // Prices become exact integers of points once, here (domain/points.ts); a price that cannot be held
    // exactly that way (non-finite, more than 15 decimals or 15 significant digits) is invalid.
    const q = raw instanceof PointsQuote ? raw : pointsQuoteOf(raw, info.rules.digits, now);
    // Each LP's quote is checked against that LP's own reference (trading-rules.md, Quotes; the reference's
    // rules in marketdata/spike-reference.ts), then the healthy LPs are aggregated into the platform quote. A
    // dealer's manual quote is deliberate: it is checked for everything but spikes.
    let verdict: ReferenceVerdict;
    if (!q) verdict = 'invalid';
    else if (raw.lp === this.manual.name) verdict = validatePoints(q.bidPts, q.askPts, q.digits, q.time, undefined, info.rules, now);
    else {
      let ref = info.references.get(raw.lp);
      if (!ref) info.references.set(raw.lp, (ref = new SpikeReference()));
      verdict = ref.check(q, info.rules, now);
      if (verdict === 'reanchored') {
        this.log.info('spike reference moved', { symbol: q.symbol, lp: raw.lp, bid: formatPoints(q.bidPts, q.digits), ask: formatPoints(q.askPts, q.digits), confirmations: SPIKE_CONFIRMATIONS });
        verdict = 'ok';
      }
    }
    this.countQuote(raw.lp, VERDICT_INDEX[verdict]);
    if (verdict !== 'ok') {
      this.rejectedQuotes++;
      return;
    }
    this.aggregator.onQuote(q!);
  }

  /** An LP (re)connected: its next quotes are not held to the references of its previous connection. */
  private onLpConnected(lp: string): void {
    for (const info of this.symbolTable.values()) info.references.delete(lp);
  }

  /** quotesIn counted in plain integers per LP; added to the Prometheus counter when it is collected. */
  private readonly quoteCounts = new Map<string, number[]>();
  private countLp = '';
  private counts: number[] = [];

  private countQuote(lp: string, verdict: number): void {
    if (lp !== this.countLp) {
      let c = this.quoteCounts.get(lp);
      if (!c) this.quoteCounts.set(lp, (c = VERDICTS.map(() => 0)));
      this.countLp = lp;
      this.counts = c;
    }
    this.counts[verdict]!++;
  }

  private flushQuoteCounts(): void {
    for (const [lp, c] of this.quoteCounts) {
      for (let i = 0; i < c.length; i++) {
        if (c[i]) this.metrics.quotesIn.inc({ lp, verdict: VERDICTS[i]! }, c[i]);
        c[i] = 0;
      }
    }
  }

  /** The aggregated quote: markup, latest quote, candles, revaluation, stream. */
  private applyQuote(raw: RawQuote): void {
    const info = this.symbolTable.get(raw.symbol);
    if (!info) return;
    const pq = raw instanceof PointsQuote ? raw : pointsQuoteOf(raw, info.rules.digits, raw.receivedAt ?? raw.time);
    const q = pq && markupPoints(pq, info.spec, info.rules);
    if (!q) return;
    this.quoteStore.set(q);
    this.candleStore.onTickPoints(q.symbol, q.bidPts, q.digits, q.time);
    this.tickWriter.add(q);
    // Revaluation (architecture.md): pending orders and SL/TP this quote fires (every quote), trailing stops,
    // and the margin level of every account holding the symbol (once per event-loop turn per symbol).
    const fired = this.index.firePoints(q.symbol, q.bidPts, q.askPts, q.digits);
    if (fired.length) this.desk.onTriggered(fired);
    this.desk.trail(q.symbol, q);
    this.updatedSymbols.add(q.symbol);
    if (!this.revalueSymbols.has(q.symbol)) {
      this.revalueSymbols.add(q.symbol);
      if (!this.revalueScheduled) {
        this.revalueScheduled = true;
        setImmediate(this.revalueAccounts);
      }
    }
    if (this.events.has('tick')) {
      const d = q.digits;
      this.events.emit('tick', {
        type: 'tick',
        symbol: q.symbol,
        bid: formatPoints(q.bidPts, d),
        ask: formatPoints(q.askPts, d),
        spread: formatPoints(q.askPts - q.bidPts, d),
        timestamp: q.time,
        lp: q.lp,
      });
    }
  }

  /**
   * Once per event-loop turn: the accounts a symbol quoted since revalues — its holders, and the accounts whose
   * positions' P&L converts through it (a EUR account holding USDJPY moves with EURUSD) — are screened for
   * margin call and stop out (domain/stop-out-screen.ts proves most far above both levels in floating point
   * with an error bound); the rest get the exact Decimal check.
   */
  private readonly revalueAccounts = (): void => {
    this.revalueScheduled = false;
    const symbols = [...this.revalueSymbols];
    this.revalueSymbols.clear();
    // One symbol's holders are distinct: a set of those seen only when accounts can come up twice.
    const seen = symbols.length > 1 || this.book.dependentsOf(symbols[0]!).size ? new Set<number>() : null;
    const revalue = (id: number) => {
      if (seen) {
        if (seen.has(id)) return;
        seen.add(id);
      }
      this.revalueAccount(id);
    };
    for (const symbol of symbols) {
      for (const id of this.book.holdersOf(symbol)) revalue(id);
      for (const id of this.book.dependentsOf(symbol)) revalue(id);
    }
  };

  /** Per risk settings object: the higher of its margin-call and stop-out levels (what the screen must clear). */
  private readonly screenLevel = new WeakMap<RiskLimits, Decimal>();

  private revalueAccount(accountId: number): void {
    const account = this.book.peek(accountId);
    if (!account) return;
    const risk = this.riskFor(accountId);
    const positions = this.book.openPositions(accountId);
    let above = this.screenLevel.get(risk);
    if (!above) this.screenLevel.set(risk, (above = Decimal.max(risk.marginCallLevel, risk.stopOutLevel)));
    if (!this.marginCall.has(accountId) && certainlyAbove(account, positions, above, this.symbolSpec, this.quoteStore.lookup)) return;
    // Near a level (or flagged, or unpriced): the exact figures decide.
    const f = this.figures(account);
    this.flagMarginCall(accountId, f.marginLevel, risk.marginCallLevel);
    this.desk.checkStopOut(accountId);
  }

  /** trading-rules.md: margin level <= marginCallLevel flags the account (once, until it recovers). */
  private flagMarginCall(accountId: number, level: Decimal | null, marginCallLevel: Decimal): boolean {
    const call = level !== null && level.lte(marginCallLevel);
    if (call && !this.marginCall.has(accountId)) {
      this.marginCall.add(accountId);
      this.log.warn('margin call', { accountId, marginLevel: level?.toFixed(2) });
      this.events.emit('margin_call', { type: 'margin_call', accountId, marginLevel: level?.toFixed(2) ?? null });
    } else if (!call) this.marginCall.delete(accountId);
    return call;
  }

  /** Set by the socket layer: whether anyone watches an account (its room, or dealers). */
  hasAccountListeners: (accountId: number) => boolean = () => true;

  private flushAccountUpdates(): void {
    this.flushQuoteCounts();
    if (!this.updatedSymbols.size) return;
    const symbols = [...this.updatedSymbols];
    this.updatedSymbols.clear();
    // Floating figures are pushed only to those watching; they are recomputed on demand for everyone else.
    if (!this.events.has('account_update')) return;
    const seen = new Set<number>();
    const publish = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      if (this.hasAccountListeners(id)) this.publishAccount(id);
    };
    for (const symbol of symbols) {
      for (const id of this.book.holdersOf(symbol)) publish(id);
      for (const id of this.book.dependentsOf(symbol)) publish(id);
    }
  }

  private figures(account: AccountState) {
    return accountFigures(account, this.book.openPositions(account.id), this.symbolSpec, this.quoteStore.lookup);
  }

  private publishAccount(accountId: number): void {
    const account = this.book.peek(accountId);
    if (!account) return;
    const f = this.figures(account);
    const call = this.flagMarginCall(accountId, f.marginLevel, this.riskFor(accountId).marginCallLevel);
    const e: AccountUpdateEvent = {
      type: 'account_update',
      accountId,
      balance: f.balance.toFixed(2),
      equity: f.equity.toFixed(2),
      margin: f.margin.toFixed(2),
      freeMargin: f.freeMargin.toFixed(2),
      marginLevel: f.marginLevel ? f.marginLevel.toFixed(2) : null,
      unrealizedPnL: f.unrealizedPnl.toFixed(2),
      marginCall: call,
    };
    this.events.emit('account_update', e);
  }

  private positionWire(p: PositionState): PositionWire {
    const spec = this.symbolSpec(p.symbol);
    const q = this.quoteStore.get(p.symbol);
    const account = this.book.peek(p.accountId);
    const pnl = spec && account ? unrealizedPnl(p, spec, account.currency, this.quoteStore.lookup) : undefined;
    return {
      id: p.id.toString(),
      symbol: p.symbol,
      side: p.side,
      volume: p.volume.toString(),
      openPrice: p.openPrice.toString(),
      currentPrice: q ? closingPrice(p.side, q).toString() : null,
      unrealizedPnL: (pnl ?? new Decimal(0)).toFixed(2),
      sl: p.sl?.toString() ?? null,
      tp: p.tp?.toString() ?? null,
      swap: p.swap.toFixed(2),
      commission: p.commission.toFixed(2),
    };
  }

  // ───────────────────────────── auth ─────────────────────────────

  async login(input: LoginInput): Promise<LoginResult> {
    const user = await this.prisma.user.findUnique({ where: { email: input.email } });
    // Compare against a dummy hash when there is no user, so timing does not reveal which emails exist.
    const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) throw new EngineError('INVALID_CREDENTIALS');
    const authUser: AuthUser = { id: user.id, role: user.role as Role, email: user.email, name: user.name };
    const { token, expiresAt } = await this.tokens.issue(authUser, this.clock());
    await this.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(this.clock()) } });
    this.log.info('login', { userId: user.id, role: user.role });
    return { token, expiresAt, user: authUser, accounts: await this.accountsOf(authUser) };
  }

  async me(user: AuthUser) {
    return { user, accounts: await this.accountsOf(user) };
  }

  private async accountsOf(user: AuthUser): Promise<AccountBrief[]> {
    if (user.role !== 'CLIENT') return [];
    const rows = await this.prisma.account.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({
      id: r.id,
      accountNumber: r.accountNumber,
      type: r.type,
      currency: r.currency,
      leverage: r.leverage,
      marginMode: r.marginMode,
      status: r.status,
    }));
  }

  async accountOwner(accountId: number): Promise<number | null> {
    const a = this.book.peek(accountId) ?? (await this.book.get(accountId));
    return a ? a.userId : null;
  }

  // ───────────────────────────── market data ─────────────────────────────

  async symbols(): Promise<SymbolDto[]> {
    return [...this.symbolTable.values()].map(({ spec, description, category }) => ({
      name: spec.name,
      description,
      category,
      baseCurrency: spec.baseCurrency,
      quoteCurrency: spec.quoteCurrency,
      contractSize: spec.contractSize,
      digits: spec.digits,
      pipSize: spec.pipSize,
      minVolume: spec.minVolume,
      maxVolume: spec.maxVolume,
      volumeStep: spec.volumeStep,
      marginPercent: spec.marginPercent,
      commissionPerLot: spec.commissionPerLot,
      swapLong: spec.swapLong,
      swapShort: spec.swapShort,
      enabled: spec.enabled,
    }));
  }

  async quotes(symbols?: string[]): Promise<QuoteDto[]> {
    const list = symbols ? symbols.map((s) => this.quoteStore.get(s)).filter((q) => q !== undefined) : this.quoteStore.all();
    return list.map((q) => ({ symbol: q.symbol, bid: q.bid, ask: q.ask, spread: q.ask.minus(q.bid), timestamp: q.time, lp: q.lp }));
  }

  async candles(input: CandlesInput): Promise<CandleDto[]> {
    if (!this.symbolTable.has(input.symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    return this.candleStore.query(input.symbol, input.timeframe, input.limit);
  }

  async ticks(input: TicksInput): Promise<TickDto[]> {
    if (!this.symbolTable.has(input.symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    // Newest first by (time µs, LP) — the table's key within a symbol, so the order is total and a page ends at
    // a cursor that the next page continues from exactly, however many ticks share a millisecond.
    const beforeUs = input.before ? input.before.getTime() * 1000 : Infinity;
    const c = input.cursor;
    const older = (us: number, lp: string) => us < beforeUs && (!c || us < c.us || (us === c.us && lp < c.lp));
    const pending = this.tickWriter.recentUs(input.symbol, input.limit, older);
    const params: unknown[] = [input.symbol, input.limit + pending.length];
    let where = 'symbol = $1';
    if (input.before) {
      params.push(beforeUs);
      where += ` AND time < 'epoch'::timestamptz + $${params.length}::float8 * interval '1 microsecond'`;
    }
    if (c) {
      params.push(c.us, c.lp);
      where += ` AND (time, lp COLLATE "C") < ('epoch'::timestamptz + $${params.length - 1}::float8 * interval '1 microsecond', $${params.length}::text COLLATE "C")`;
    }
    const { rows } = await sqlOf(this.opts.db).query<{ us: number; bid: string; ask: string; spread: string; lp: string }>(
      `SELECT (extract(epoch FROM time) * 1000000)::float8 AS us, bid::text AS bid, ask::text AS ask, spread::text AS spread, lp
         FROM ticks WHERE ${where} ORDER BY time DESC, lp COLLATE "C" DESC LIMIT $2`,
      params,
    );
    // A tick of an in-flight batch may already be in the table too: the same (µs, LP) is the same row.
    const seen = new Set(pending.map((p) => `${p.us}|${p.tick.lp}`));
    const all: { us: number; dto: QuoteDto }[] = pending.map(({ tick: t, us }) => ({
      us,
      dto: { symbol: t.symbol, bid: t.bid, ask: t.ask, spread: t.ask.minus(t.bid), timestamp: t.time, lp: t.lp },
    }));
    for (const r of rows) {
      const us = Number(r.us);
      if (seen.has(`${us}|${r.lp}`)) continue;
      all.push({ us, dto: { symbol: input.symbol, bid: dec(r.bid), ask: dec(r.ask), spread: dec(r.spread), timestamp: Math.floor(us / 1000), lp: r.lp } });
    }
    all.sort((a, b) => b.us - a.us || (a.dto.lp < b.dto.lp ? 1 : a.dto.lp > b.dto.lp ? -1 : 0));
    return all.slice(0, input.limit).map(({ us, dto }) => ({ ...dto, cursor: `${us}:${dto.lp}` }));
  }

  // ───────────────────────────── account reads ─────────────────────────────

  private async requireAccount(accountId: number): Promise<AccountState> {
    const a = await this.book.get(accountId);
    if (!a) throw new EngineError('ACCOUNT_NOT_FOUND');
    return a;
  }

  async accountSummary(accountId: number): Promise<AccountSummaryDto> {
    const a = await this.requireAccount(accountId);
    const row = await this.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { accountNumber: true } });
    const f = this.figures(a);
    return {
      accountId,
      accountNumber: row.accountNumber,
      currency: a.currency,
      // The leverage margin is computed with: the account's, capped by maxLeverage.
      leverage: effectiveLeverage(a.leverage, this.riskFor(accountId).maxLeverage),
      marginMode: a.marginMode,
      status: a.status,
      balance: f.balance,
      equity: f.equity,
      margin: f.margin,
      freeMargin: f.freeMargin,
      marginLevel: f.marginLevel,
      unrealizedPnl: f.unrealizedPnl,
      swap: f.swap,
      marginCall: f.marginLevel !== null && f.marginLevel.lte(this.riskFor(accountId).marginCallLevel),
      openPositions: this.book.openPositions(accountId).length,
    };
  }

  private positionDtoOf(p: PositionState, currency: string): PositionDto {
    const spec = this.symbolSpec(p.symbol);
    const q = this.quoteStore.get(p.symbol);
    const pnl = spec ? unrealizedPnl(p, spec, currency, this.quoteStore.lookup) : undefined;
    return positionDto(p, q ? closingPrice(p.side, q) : null, pnl ?? null);
  }

  async positions(accountId: number): Promise<PositionDto[]> {
    const a = await this.requireAccount(accountId);
    return this.book.openPositions(accountId).map((p) => this.positionDtoOf(p, a.currency));
  }

  async orders(accountId: number): Promise<OrderDto[]> {
    await this.requireAccount(accountId);
    return this.book
      .pendingOrders(accountId)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .map(pendingDto);
  }

  async trades(input: PageInput): Promise<TradeDto[]> {
    await this.requireAccount(input.accountId);
    const rows = await this.prisma.trade.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
      include: { order: { select: { comment: true, closesPositionId: true, type: true } } },
    });
    return rows.map(tradeDto);
  }

  async ledger(input: PageInput): Promise<LedgerDto[]> {
    await this.requireAccount(input.accountId);
    const rows = await this.prisma.ledgerEntry.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
    });
    return rows.map(ledgerDto);
  }

  // ───────────────────────────── trading ─────────────────────────────

  private async timed<T>(type: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let result = 'ok';
    try {
      return await run();
    } catch (err) {
      result = err instanceof EngineError ? 'rejected' : 'error';
      throw err;
    } finally {
      this.metrics.orderLatency.observe({ type, result }, (performance.now() - started) / 1000);
    }
  }

  async placeMarketOrder(actor: AuthUser, input: MarketOrderInput): Promise<OrderResultDto> {
    return this.timed('MARKET', async () => {
      const req = { symbol: input.symbol, side: input.side, volume: input.volume, sl: input.sl ?? null, tp: input.tp ?? null, trailing: input.trailing ?? null };
      const fill = await this.desk.marketOrder(input.accountId, req, { idempotencyKey: input.idempotencyKey, comment: input.comment });
      const account = this.book.peek(input.accountId)!;
      const now = new Date(this.clock());
      const order: OrderDto = {
        id: fill.orderId.toString(),
        accountId: input.accountId,
        symbol: input.symbol,
        type: 'MARKET',
        side: input.side,
        volume: input.volume,
        price: null,
        stopPrice: null,
        sl: input.sl ?? null,
        tp: input.tp ?? null,
        expiresAt: null,
        status: 'FILLED',
        filledPrice: fill.price,
        positionId: fill.position?.id.toString() ?? null,
        rejectCode: null,
        createdAt: now,
      };
      if (fill.replayed) {
        const row = await this.prisma.order.findUniqueOrThrow({ where: { id: fill.orderId } });
        return { order: orderDto(row), position: fill.position ? this.positionDtoOf(fill.position, account.currency) : null, replayed: true };
      }
      this.log.info('order filled', { accountId: input.accountId, orderId: fill.orderId, symbol: input.symbol, side: input.side, volume: input.volume.toString(), price: fill.price.toString(), userId: actor.id });
      return { order, position: fill.position ? this.positionDtoOf(fill.position, account.currency) : null, replayed: false };
    });
  }

  async placePendingOrder(
    actor: AuthUser,
    input: Parameters<EngineApi['placePendingOrder']>[1],
  ): Promise<PendingOrderResultDto> {
    return this.timed(input.type, async () => {
      const res = await this.desk.placePending(
        input.accountId,
        {
          symbol: input.symbol,
          type: input.type,
          side: input.side,
          volume: input.volume,
          price: input.price,
          stopPrice: input.type === 'STOP_LIMIT' ? input.stopPrice : null,
          sl: input.sl ?? null,
          tp: input.tp ?? null,
          trailing: input.trailing ?? null,
          expiresAt: input.expiresAt ?? null,
        },
        { idempotencyKey: input.idempotencyKey, comment: input.comment },
      );
      this.log.info('order placed', { accountId: input.accountId, orderId: res.order.id, type: input.type, userId: actor.id });
      return { order: pendingDto(res.order), replayed: res.replayed };
    });
  }

  async modifyOrder(_actor: AuthUser, input: ModifyOrderInput): Promise<OrderDto> {
    const o = await this.desk.modifyPending(input.accountId, input.orderId, {
      price: input.price,
      stopPrice: input.stopPrice,
      sl: input.sl,
      tp: input.tp,
      expiresAt: input.expiresAt,
    });
    return pendingDto(o);
  }

  async cancelOrder(_actor: AuthUser, input: CancelOrderInput): Promise<OrderDto> {
    const o = await this.desk.cancelPending(input.accountId, input.orderId);
    return { ...pendingDto(o), status: 'CANCELLED' };
  }

  async closePosition(actor: AuthUser, input: ClosePositionInput): Promise<CloseResultDto> {
    return this.timed('CLOSE', async () => {
      const res = await this.desk.closePosition(input.accountId, input.positionId, input.volume);
      const account = this.book.peek(input.accountId)!;
      this.log.info('position closed', { accountId: input.accountId, positionId: input.positionId, volume: res.leg.volume.toString(), pnl: res.leg.realizedPnl.toString(), userId: actor.id });
      return this.closeResult(res.leg, account.currency);
    });
  }

  private closeResult(leg: CloseLeg, currency: string): CloseResultDto {
    return {
      positionId: leg.positionId.toString(),
      closedVolume: leg.volume,
      closePrice: leg.closePrice,
      realizedPnl: leg.realizedPnl,
      swap: leg.swap,
      remaining: leg.remaining ? this.positionDtoOf(leg.remaining, currency) : null,
    };
  }

  async modifyPosition(_actor: AuthUser, input: ModifyPositionInput): Promise<PositionDto> {
    const p = await this.desk.modifyPosition(input.accountId, input.positionId, { sl: input.sl, tp: input.tp, trailing: input.trailing });
    return this.positionDtoOf(p, this.book.peek(input.accountId)!.currency);
  }

  async closeAll(_actor: AuthUser, input: CloseAllInput): Promise<CloseAllResultDto> {
    const res = await this.desk.closeAll(input.accountId, input.symbol);
    const currency = this.book.peek(input.accountId)!.currency;
    return {
      closed: res.closed.map((c) => this.closeResult(c.leg, currency)),
      failed: res.failed.map((f) => ({ positionId: f.positionId.toString(), code: f.code, message: f.message })),
    };
  }

  async marginPreview(input: MarginPreviewInput): Promise<MarginPreviewDto> {
    const account = await this.requireAccount(input.accountId);
    const spec = this.symbolSpec(input.symbol);
    if (!spec) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const quote = this.quoteStore.get(input.symbol);
    if (!quote) throw new EngineError('NO_QUOTE', `No quote for ${input.symbol}`);
    const price = openingPrice(input.side, quote);
    const leverage = effectiveLeverage(account.leverage, this.riskFor(account.id).maxLeverage);
    const margin = positionMargin(input.volume, price, spec, { currency: account.currency, leverage }, this.quoteStore.lookup);
    const value = notional(input.volume, price, spec, account.currency, this.quoteStore.lookup);
    const rate = conversionRate(spec.quoteCurrency, account.currency, this.quoteStore.lookup);
    if (!margin || !value || !rate) throw new EngineError('NO_QUOTE', `No quote to convert ${spec.quoteCurrency} into ${account.currency}`);
    const positions = this.book.openPositions(account.id);
    // The same arithmetic the order would go through, without its checks.
    const plan = planMarketOrder(
      { ...account, status: 'ACTIVE' },
      positions,
      { symbol: input.symbol, side: input.side, volume: input.volume },
      { symbols: this.symbolSpec, quotes: this.quoteStore.lookup, risk: { ...this.riskFor(account.id), maxOpenPositions: null, maxPositionSize: null, maxDailyVolume: null, maxSymbolExposure: null }, now: this.clock() },
    );
    const commission = roundMoney(input.volume.times(spec.commissionPerLot));
    let after = this.figures(account);
    if (plan.ok) {
      after = accountFigures({ ...account, balance: plan.balanceAfter }, positionsAfter(positions, plan.closes, plan.open, input.symbol, this.clock(), -1n, account.id), this.symbolSpec, this.quoteStore.lookup);
    } else {
      const used = after.margin.plus(margin);
      const equity = after.equity.minus(commission);
      after = { ...after, margin: used, equity, freeMargin: equity.minus(used), marginLevel: used.isZero() ? null : equity.div(used).times(100) };
    }
    return {
      symbol: input.symbol,
      side: input.side,
      volume: input.volume,
      price,
      notional: value,
      margin,
      commission,
      marginAfter: after.margin,
      freeMarginAfter: after.freeMargin,
      marginLevelAfter: after.marginLevel,
      pipValue: input.volume.times(spec.contractSize).times(spec.pipSize).times(rate),
    };
  }

  async calculateLot(input: CalculateLotInput): Promise<CalculateLotDto> {
    const account = await this.requireAccount(input.accountId);
    const spec = this.symbolSpec(input.symbol);
    if (!spec) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const rate = conversionRate(spec.quoteCurrency, account.currency, this.quoteStore.lookup);
    if (!rate) throw new EngineError('NO_QUOTE', `No quote to convert ${spec.quoteCurrency} into ${account.currency}`);
    const equity = this.figures(account).equity;
    const riskAmount = roundMoney(equity.times(input.riskPercent).div(100));
    const pipValuePerLot = spec.contractSize.times(spec.pipSize).times(rate);
    const raw = riskAmount.div(pipValuePerLot.times(input.slPips));
    let volume = raw.div(spec.volumeStep).floor().times(spec.volumeStep);
    let note: string | null = null;
    if (volume.lt(spec.minVolume)) {
      note = `The risk allows ${raw.toDecimalPlaces(4)} lots, below the minimum ${spec.minVolume}`;
      volume = new Decimal(0);
    } else if (volume.gt(spec.maxVolume)) {
      note = `Capped at the symbol maximum ${spec.maxVolume} lots`;
      volume = spec.maxVolume;
    }
    return { symbol: input.symbol, volume, riskAmount, pipValuePerLot, note };
  }

  private publisher(): DeskPublisher {
    const orderWire = (o: PendingOrderState, status: OrderWire['status']): OrderWire => ({
      id: o.id.toString(),
      symbol: o.symbol,
      type: o.type,
      side: o.side,
      volume: o.volume.toString(),
      price: o.price.toString(),
      stopPrice: o.stopPrice?.toString() ?? null,
      sl: o.sl?.toString() ?? null,
      tp: o.tp?.toString() ?? null,
      expiresAt: o.expiresAt,
      status,
    });
    return {
      orderFilled: (accountId, e) =>
        this.events.emit('order_filled', {
          type: 'order_filled',
          accountId,
          orderId: e.orderId.toString(),
          positionId: e.positionId?.toString() ?? null,
          symbol: e.symbol,
          side: e.side,
          volume: e.volume.toString(),
          filledPrice: e.price.toString(),
          timestamp: e.at,
        }),
      positionChanged: (accountId, action, p, extra) => {
        if (!this.hasAccountListeners(accountId)) return;
        const wire = this.positionWire(p);
        this.events.emit('position_update', {
          type: 'position_update',
          accountId,
          action,
          reason: extra?.reason,
          position: action === 'closed' ? { ...wire, currentPrice: extra?.closePrice?.toString() ?? wire.currentPrice, unrealizedPnL: '0.00' } : wire,
        });
      },
      orderChanged: (accountId, action, o, extra) => {
        const status: OrderWire['status'] =
          action === 'cancelled' ? 'CANCELLED' : action === 'expired' ? 'EXPIRED' : action === 'rejected' ? 'REJECTED' : action === 'filled' ? 'FILLED' : 'PENDING';
        this.events.emit('order_update', { type: 'order_update', accountId, action, order: orderWire(o, status), code: extra?.code, message: extra?.message });
      },
      accountChanged: (accountId) => {
        if (this.hasAccountListeners(accountId)) this.publishAccount(accountId);
      },
      stopOut: (accountId, level, closed) =>
        this.events.emit('margin_call', { type: 'stop_out', accountId, marginLevel: level?.toFixed(2) ?? null, closedPositions: closed.map(String) }),
    };
  }

  // ───────────────────────────── back office ─────────────────────────────

  async adminAccounts(input: AdminAccountsInput): Promise<{ rows: AdminAccountRow[]; total: number }> {
    const search = input.search?.trim();
    const where = {
      ...(input.type ? { type: input.type } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(search
        ? {
            OR: [
              { accountNumber: { contains: search, mode: 'insensitive' as const } },
              { user: { email: { contains: search, mode: 'insensitive' as const } } },
              { user: { username: { contains: search, mode: 'insensitive' as const } } },
              { user: { name: { contains: search, mode: 'insensitive' as const } } },
            ],
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.account.findMany({ where, include: { user: true }, orderBy: { id: 'asc' }, skip: input.offset, take: input.limit }),
      this.prisma.account.count({ where }),
    ]);
    const out: AdminAccountRow[] = [];
    for (const r of rows) {
      const state = (await this.book.get(r.id))!;
      const f = this.figures(state);
      out.push({
        id: r.id,
        accountNumber: r.accountNumber,
        type: r.type,
        currency: r.currency,
        leverage: r.leverage,
        marginMode: r.marginMode,
        status: r.status,
        userId: r.userId,
        username: r.user.username,
        email: r.user.email,
        name: r.user.name,
        balance: f.balance,
        equity: f.equity,
        margin: f.margin,
        freeMargin: f.freeMargin,
        marginLevel: f.marginLevel,
        openPositions: this.book.openPositions(r.id).length,
        createdAt: r.createdAt,
      });
    }
    return { rows: out, total };
  }

  async deposit(actor: AuthUser, input: DepositInput): Promise<LedgerDto> {
    const row = await this.desk.balanceOperation(input.accountId, {
      type: 'DEPOSIT',
      amount: input.amount,
      method: input.method,
      reference: input.reference,
      note: input.note,
      actorId: actor.id,
      actorRole: actor.role,
    });
    this.log.info('deposit', { accountId: input.accountId, amount: input.amount.toString(), by: actor.id });
    return {
      id: row.id.toString(),
      accountId: row.accountId,
      type: row.type,
      amount: row.amount,
      balanceBefore: row.balanceBefore,
      balanceAfter: row.balanceAfter,
      referenceType: row.referenceType,
      referenceId: null,
      method: row.method,
      note: row.note,
      createdAt: row.createdAt,
    };
  }

  async pushQuote(actor: AuthUser, input: PushQuoteInput): Promise<QuoteDto> {
    if (input.ask.lt(input.bid)) throw new EngineError('VALIDATION_ERROR', 'ask must be at or above bid');
    const info = this.symbolTable.get(input.symbol);
    if (!info) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const now = this.clock();
    const before = this.quotesIn;
    this.manual.push(input.symbol, input.bid, input.ask, now);
    const q = this.quoteStore.get(input.symbol);
    if (!q || q.time !== now || this.quotesIn === before) throw new EngineError('VALIDATION_ERROR', 'The quote was refused by validation (invalid prices)');
    this.log.info('manual quote', { symbol: input.symbol, bid: input.bid.toString(), ask: input.ask.toString(), by: actor.id });
    return { symbol: q.symbol, bid: q.bid, ask: q.ask, spread: q.ask.minus(q.bid), timestamp: q.time, lp: q.lp };
  }

  async rollover(actor: AuthUser, input: RolloverInput): Promise<RolloverResultDto> {
    // Before 22:00 UTC today's rollover has not happened yet: the default is the last day whose moment has.
    const tradingDay = input.tradingDay ?? lastDueTradingDay(this.clock());
    const res = await this.desk.rollover(tradingDay, actor.id);
    await this.auditRollover(res, actor);
    return res;
  }

  /** The scheduled run has no actor: its audit row says SYSTEM. */
  private async auditRollover(res: RolloverResultDto, actor: AuthUser | null): Promise<void> {
    await this.prisma.auditLog.create({
      data: {
        actorId: actor?.id ?? null,
        actorRole: actor?.role ?? 'SYSTEM',
        action: 'risk.rollover',
        entityType: 'rollover',
        entityId: res.tradingDay,
        details: { positions: res.positions, totalSwap: res.totalSwap.toString(), resumed: res.resumed },
      },
    });
  }

  /**
   * Wakes at the next rollover moment (trading-rules.md: 22:00 UTC) when autoRollover is on, but at least once
   * a minute, so a clock stepped forward (NTP, a suspended VM, a test's clock) is noticed within a minute.
   */
  private scheduleRollover(): void {
    if (this.stopping) return;
    const wait = Math.min(Math.max(this.nextRolloverAt - this.clock(), 0), 60_000);
    this.rolloverTimer = setTimeout(() => {
      if (this.clock() < this.nextRolloverAt) return this.scheduleRollover();
      void this.runDueRollovers().finally(() => this.scheduleRollover());
    }, wait);
    this.rolloverTimer.unref?.();
  }

  /** Rolls every due day not rolled yet, oldest first (domain/rollover.ts catchUpDays); one pass at a time. */
  private runDueRollovers(): Promise<void> {
    this.rolloverPass ??= this.rollDueDays().finally(() => {
      this.rolloverPass = null;
    });
    return this.rolloverPass;
  }

  private async rollDueDays(): Promise<void> {
    const now = this.clock();
    this.nextRolloverAt = nextRolloverMoment(now);
    let day: string | undefined;
    try {
      const [first, lastFinished] = await Promise.all([
        this.prisma.rolloverRun.findFirst({ orderBy: { tradingDay: 'asc' }, select: { tradingDay: true } }),
        this.prisma.rolloverRun.findFirst({
          where: { finishedAt: { not: null } },
          orderBy: { tradingDay: 'desc' },
          select: { tradingDay: true },
        }),
      ]);
      const dayOf = (d: Date) => d.toISOString().slice(0, 10);
      const days = catchUpDays({
        nowMs: now,
        lastFinished: lastFinished ? dayOf(lastFinished.tradingDay) : null,
        firstDay: first ? dayOf(first.tradingDay) : null,
        startedAtMs: this.startedAt,
      });
      if (days.length > 1) this.log.info('rollover catch-up', { days });
      for (day of days) {
        if (this.stopping) return;
        await this.auditRollover(await this.desk.rollover(day, null), null);
      }
    } catch (err) {
      // The later days wait too: a position that accrued a later day would never be charged this one.
      this.log.warn('scheduled rollover did not run; retrying in a minute', { day, error: (err as Error).message });
      this.nextRolloverAt = this.clock() + 60_000;
    }
  }

  async riskSettings(accountId: number | null): Promise<RiskSettingsDto> {
    const row = await this.prisma.riskSettings.findFirst({ where: { accountId } });
    return this.riskDto(accountId, row);
  }

  private riskDto(accountId: number | null, row: Awaited<ReturnType<typeof this.prisma.riskSettings.findFirst>>): RiskSettingsDto {
    const d = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : dec(v));
    return {
      accountId,
      marginCallLevel: d(row?.marginCallLevel),
      stopOutLevel: d(row?.stopOutLevel),
      maxLeverage: row?.maxLeverage ?? null,
      maxPositionSize: d(row?.maxPositionSize),
      maxDailyVolume: d(row?.maxDailyVolume),
      maxOpenPositions: row?.maxOpenPositions ?? null,
      maxSymbolExposure: d(row?.maxSymbolExposure),
      negativeBalanceProtection: row?.negativeBalanceProtection ?? null,
    };
  }

  async updateRiskSettings(actor: AuthUser, input: RiskSettingsInput): Promise<RiskSettingsDto> {
    if (input.accountId !== null && !(await this.book.get(input.accountId))) throw new EngineError('ACCOUNT_NOT_FOUND');
    const s = (v: Decimal | null | undefined) => (v === undefined ? undefined : v === null ? null : v.toString());
    const data = {
      marginCallLevel: s(input.marginCallLevel),
      stopOutLevel: s(input.stopOutLevel),
      maxLeverage: input.maxLeverage,
      maxPositionSize: s(input.maxPositionSize),
      maxDailyVolume: s(input.maxDailyVolume),
      maxOpenPositions: input.maxOpenPositions,
      maxSymbolExposure: s(input.maxSymbolExposure),
      negativeBalanceProtection: input.negativeBalanceProtection,
    };
    const existing = await this.prisma.riskSettings.findFirst({ where: { accountId: input.accountId } });
    const row = await this.prisma.$transaction(async (tx) => {
      const saved = existing
        ? await tx.riskSettings.update({ where: { id: existing.id }, data })
        : await tx.riskSettings.create({ data: { accountId: input.accountId, ...data } });
      await tx.auditLog.create({
        data: { actorId: actor.id, actorRole: actor.role, action: 'risk.settings', entityType: input.accountId === null ? 'global' : 'account', entityId: String(input.accountId ?? 'global'), details: JSON.parse(JSON.stringify(data)) },
      });
      return saved;
    });
    await this.reloadRisk();
    return this.riskDto(input.accountId, row);
  }

  async lps(): Promise<LpWire[]> {
    return this.lpManager.status().map(lpWire);
  }

  private async lpAudit(actor: AuthUser, action: string, id: number, details: Record<string, unknown> = {}) {
    await this.prisma.auditLog.create({ data: { actorId: actor.id, actorRole: actor.role, action, entityType: 'liquidity_provider', entityId: String(id), details: JSON.parse(JSON.stringify(details)) } });
  }

  async setLpEnabled(actor: AuthUser, id: number, enabled: boolean): Promise<LpWire> {
    const row = await this.prisma.liquidityProvider.findUnique({ where: { id } });
    if (!row) throw new EngineError('NOT_FOUND', `No LP ${id}`);
    const h = await this.lpManager.setEnabled(id, enabled);
    await this.lpAudit(actor, enabled ? 'lp.enable' : 'lp.disable', id);
    this.events.emit('lp_status', { type: 'lp_status', lp: lpWire(h) });
    return lpWire(h);
  }

  async reconnectLp(actor: AuthUser, id: number): Promise<LpWire> {
    const row = await this.prisma.liquidityProvider.findUnique({ where: { id } });
    if (!row) throw new EngineError('NOT_FOUND', `No LP ${id}`);
    const h = await this.lpManager.reconnect(id);
    await this.lpAudit(actor, 'lp.reconnect', id);
    return lpWire(h);
  }

  async upsertLp(actor: AuthUser, input: LpUpsertInput): Promise<LpWire> {
    const data = {
      name: input.name,
      type: input.type,
      enabled: input.enabled,
      priority: input.priority,
      settings: input.settings,
      credentialEnv: input.credentialEnv,
      symbolMap: input.symbolMap,
    };
    const clash = await this.prisma.liquidityProvider.findUnique({ where: { name: input.name } });
    if (clash && clash.id !== input.id) throw new EngineError('VALIDATION_ERROR', `An LP named ${input.name} exists`);
    const row = input.id
      ? await this.prisma.liquidityProvider.update({ where: { id: input.id }, data }).catch(() => {
          throw new EngineError('NOT_FOUND', `No LP ${input.id}`);
        })
      : await this.prisma.liquidityProvider.create({ data });
    await this.lpAudit(actor, input.id ? 'lp.update' : 'lp.create', row.id, { ...data, settings: undefined });
    return lpWire(await this.lpManager.reload(row.id));
  }

  async health(): Promise<HealthDto> {
    let dbOk = true;
    try {
      await this.prisma.$queryRawUnsafe('SELECT 1');
    } catch {
      dbOk = false;
    }
    let redis: HealthDto['redis'] = 'memory';
    if (this.opts.redis) redis = this.opts.redis.status === 'ready' ? 'connected' : 'down';
    return {
      status: dbOk && redis !== 'down' ? 'ok' : 'degraded',
      database: this.opts.db.kind,
      redis,
      uptimeSeconds: Math.round((this.clock() - this.startedAt) / 1000),
      quotesIn: this.quotesIn,
      socketsConnected: this.socketsConnected,
    };
  }
}
