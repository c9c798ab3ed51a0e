// The engine: one EngineCore (engine/core.ts: the books, the quote pipeline's parts, the symbol and risk
// tables) with the API's areas on top, each in its own module under engine/ — auth, market, accounts, trading,
// finance, risk, lps, system — and the quote path in engine/quote-flow.ts. This file builds them, and starts
// and stops the whole. Every account command runs through the command queue (one writer per account).
import type { EngineApi } from '@broker/api';
import type { Timeframe } from '@broker/api/schemas';
import { TIMEFRAME_SECONDS } from './marketdata/candles.ts';
import type { RawQuote } from './lp/adapter.ts';
import { SimulatedLp } from './lp/simulated.ts';
import { enableTimescale } from './marketdata/timescale.ts';
import { AccountsArea } from './engine/accounts.ts';
import { AuditArea, ReconcileScheduler } from './engine/audit.ts';
import { AuthArea } from './engine/auth.ts';
import { EngineCore, type EngineOptions } from './engine/core.ts';
import { DealingArea } from './engine/dealing.ts';
import { ExecutionArea } from './engine/execution.ts';
import { FinanceArea } from './engine/finance.ts';
import { LpsArea } from './engine/lps.ts';
import { MarketArea } from './engine/market.ts';
import { ReportsArea } from './engine/reports.ts';
import { RiskArea } from './engine/risk.ts';
import { SecurityArea } from './engine/security.ts';
import { StatementsArea } from './engine/statements.ts';
import { RolloverScheduler } from './engine/rollover-scheduler.ts';
import { SystemArea } from './engine/system.ts';
import { TradingArea } from './engine/trading.ts';

export type { EngineOptions } from './engine/core.ts';

/** Bars of synthetic back-history per timeframe: a day of 1m by default, ~3 days of 5m … ~1.4 years of 1d. */
export function backHistoryBars(minutes: number): Record<Timeframe, number> {
  return { '1m': minutes, '5m': 1000, '15m': 1000, '1h': 1000, '4h': 750, '1d': 500 };
}
export { lpWire } from './engine/lps.ts';

export class Engine extends EngineCore implements EngineApi {
  private readonly rollovers = new RolloverScheduler(this);
  readonly auth = new AuthArea(this);
  readonly market = new MarketArea(this);
  readonly finance = new FinanceArea(this);
  readonly accounts = new AccountsArea(this, this.finance);
  readonly trading = new TradingArea(this);
  readonly risk = new RiskArea(this, this.rollovers);
  readonly lps = new LpsArea(this);
  readonly system = new SystemArea(this);
  readonly audit = new AuditArea(this);
  readonly dealing = new DealingArea(this, this.system, this.audit);
  readonly reports = new ReportsArea(this);
  readonly statements = new StatementsArea(this);
  readonly execution = new ExecutionArea(this);
  readonly security = new SecurityArea(this, this.auth);
  /** The nightly reconciliation of every account (engine/audit.ts). */
  readonly reconciler = new ReconcileScheduler(this, this.audit, { checkMs: this.opts.reconcileCheckMs });
  private expiryTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: EngineOptions) {
    super(opts);
  }

  /** Quotes validation dropped, over every LP. */
  get rejectedQuotes(): number {
    return this.flow.rejectedQuotes;
  }

  /** An LP's raw quote into the pipeline (engine/quote-flow.ts). */
  onRawQuote(raw: RawQuote): void {
    this.flow.onRawQuote(raw);
  }

  async start(): Promise<void> {
    await this.reloadSymbols();
    await this.reloadRisk();
    await this.book.loadAll();
    this.desk.indexAll();
    await this.alerts.load();
    // Charts survive restarts: the last week of bars comes back from the database before any quote flows;
    // made-up history (simulated prices only) only on a database that has none yet.
    await enableTimescale(this.prisma, this.log, { kind: this.opts.db.kind });
    await this.candleStore.loadInto(this.candleBook, { sinceMs: this.clock() - 7 * 86_400_000 });
    // Which symbols have no stored bars at all, asked before any LP prices the current bar.
    const bare: string[] = [];
    for (const name of this.symbolTable.keys()) if (!(await this.candleStore.hasBars(name))) bare.push(name);
    if (this.opts.lp) {
      await this.lpManager.add(this.opts.lp, { priority: 1, type: this.opts.lp instanceof SimulatedLp ? 'SIMULATED' : 'MANUAL' });
      await this.lpManager.loadFromDb({ start: false });
    } else {
      await this.lpManager.loadFromDb();
      // architecture.md: with no LP configured, the simulated LP streams.
      if (!this.lpManager.adapters().length) await this.lpManager.add(new SimulatedLp({ clock: this.clock }), { priority: 100, type: 'SIMULATED' });
    }
    if (this.manual !== this.opts.lp) await this.lpManager.add(this.manual, { priority: 0, type: 'MANUAL' });
    // The router's configuration, and the LP side: orders sent before a restart and never answered are UNKNOWN
    // until an execution report or the LP's answer to an OrderStatusRequest (sent on every Logon) says what
    // happened; client orders a crash left PENDING whose outcome is known already are completed before any
    // order is taken; every order-taking LP's reports are listened to.
    await this.router.reload();
    await this.gateway.markUnanswered();
    await this.gateway.completeInterrupted();
    this.gateway.attach();
    this.events.on('lp_status', () => this.gateway.attach());
    const sim = this.lpManager.adapters().find((a): a is SimulatedLp => a instanceof SimulatedLp);
    if (sim && (this.opts.historyMinutes ?? 1440) > 0) await this.writeBackHistory(sim, bare);
    this.lpManager.startMonitoring();
    this.sweepTimer = setInterval(() => this.aggregator.sweep(), 200);
    this.sweepTimer.unref?.();
    this.timer = setInterval(() => this.flow.flushAccountUpdates(), this.opts.accountUpdateIntervalMs ?? 250);
    this.timer.unref?.();
    this.expiryTimer = setInterval(() => this.desk.expireDue(), 1000);
    this.expiryTimer.unref?.();
    // Days missed while the engine was down are rolled before it takes orders: a position closed first would
    // never be charged them.
    if (this.opts.autoRollover) {
      await this.rollovers.runDue();
      this.rollovers.schedule();
    }
    if (this.opts.nightlyReconcile ?? true) this.reconciler.start();
    this.log.info('engine started', { symbols: this.symbolTable.size, lps: this.lpManager.status().map((l) => l.name), database: this.opts.db.kind });
  }

  /**
   * Made-up chart history for simulated symbols with no stored bars (a fresh demo database): a documented
   * synthetic back-history (SimulatedLp.backHistory) on every timeframe, written to `ohlc` so `market.candles`
   * pages back through it like real bars. Never for a symbol a real LP maps or has quoted.
   */
  private async writeBackHistory(sim: SimulatedLp, bare: string[]): Promise<void> {
    const symbols = bare.filter((s) => !this.lpManager.pricedByRealLp(s));
    if (!symbols.length) return;
    const now = this.clock();
    for (const [tf, count] of Object.entries(backHistoryBars(this.opts.historyMinutes ?? 1440)) as [Timeframe, number][]) {
      const bySymbol = sim.backHistory(TIMEFRAME_SECONDS[tf], count, now);
      for (const symbol of symbols) {
        const bars = bySymbol.get(symbol);
        if (bars) await this.candleStore.writeHistory(symbol, tf, bars);
      }
    }
    this.log.info('synthetic chart history written', { symbols, timeframes: Object.keys(TIMEFRAME_SECONDS) });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    await this.rollovers.stop();
    await this.reconciler.stop();
    this.timer = null;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.gateway.detach();
    await this.lpManager.stop();
    // Status requests still waiting were answered NO_ANSWER by the adapters' stop: the recoveries end now.
    await this.gateway.idle();
    await this.quoteStore.stop();
    await this.queue.drain();
    await this.tickWriter.stop();
    await this.candleStore.stop();
  }
}
