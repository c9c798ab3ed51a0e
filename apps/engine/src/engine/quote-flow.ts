// How a quote flows (architecture.md): an LP's raw quote is validated against that LP's spike reference, the
// healthy LPs are aggregated into the platform quote, marked up, stored, turned into candles and ticks, fires
// the pending orders and stops it reaches, revalues the accounts it moves, and is streamed. Account figures
// are pushed from here too (account_update, margin_call).
import { performance } from 'node:perf_hooks';
import { Decimal } from 'decimal.js';
import type { AccountUpdateEvent } from '@broker/api/socket';
import type { RiskLimits } from '../domain/index.ts';
import { formatPoints, markupPoints, pointsQuoteOf, PointsQuote } from '../domain/points.ts';
import { certainlyAbove } from '../domain/stop-out-screen.ts';
import type { RawQuote } from '../lp/adapter.ts';
import type { GateVerdict, QuoteEvent } from '../marketdata/quote-gate.ts';
import type { EngineCore } from './core.ts';

const VERDICTS = ['ok', 'invalid', 'crossed', 'spike', 'stale', 'unknown_symbol', 'off_market'] as const;
const VERDICT_INDEX: Record<GateVerdict, number> = { ok: 0, invalid: 1, crossed: 2, spike: 3, stale: 4, off_market: 6 };
const V_UNKNOWN = 5;
/** The longest stretch one revaluation turn holds the event loop (issue 13: orders waited behind bursts). */
export const REVALUE_SLICE_MS = 1;

export class QuoteFlow {
  /** Raw quotes in from every LP, and those validation dropped. */
  quotesIn = 0;
  rejectedQuotes = 0;
  /** Symbols quoted since the last account_update flush / the last revaluation turn. */
  private readonly updatedSymbols = new Set<string>();
  private readonly revalueSymbols = new Set<string>();
  private revalueScheduled = false;
  private readonly marginCall = new Set<number>();

  constructor(private readonly c: EngineCore) {}

  /** The accounts flagged in margin call now. */
  marginCalled(): number[] {
    return [...this.marginCall];
  }

  /** architecture.md, How a quote flows: validate → markup → latest quote → revalue → stream → candles. */
  onRawQuote(raw: RawQuote): void {
    this.quotesIn++;
    const c = this.c;
    const info = c.symbolTable.get(raw.symbol);
    if (!info) {
      this.countQuote(raw.lp, V_UNKNOWN);
      c.lpManager.verdict(raw.lp, 'unknown_symbol');
      return;
    }
    // Prices become exact integers of points once, here (domain/points.ts); a price that cannot be held
    // exactly that way (non-finite, more than 15 decimals or 15 significant digits) is invalid.
    // The clock is read once per quote (the gate and the LP's health take the same time).
    const now = c.clock();
    const q = raw instanceof PointsQuote ? raw : pointsQuoteOf(raw, info.rules.digits, now);
    // Each LP's quote is checked against the basic rules, that LP's own spike reference and the other healthy
    // LPs (marketdata/quote-gate.ts), then the healthy LPs are aggregated into the platform quote. A dealer's
    // manual quote is deliberate: it is checked for everything but spikes and the other LPs.
    const verdict: GateVerdict = q ? c.gate.check(q, info.rules, now) : 'invalid';
    this.countQuote(raw.lp, VERDICT_INDEX[verdict]);
    c.lpManager.verdict(raw.lp, verdict, now);
    if (verdict !== 'ok') {
      this.rejectedQuotes++;
      return;
    }
    c.aggregator.onQuote(q!);
  }

  /** An LP (re)connected: its next quotes are not held to the references of its previous connection. */
  onLpConnected(lp: string): void {
    this.c.gate.forget(lp);
  }

  /** A refused quote or a moved spike reference: the dealer's LP page, and the log for moves and off-market. */
  onQuoteEvent(e: QuoteEvent): void {
    this.c.lpManager.event(e);
    if (e.kind === 'reanchored' || e.kind === 'off_market') this.c.log.info(e.kind === 'reanchored' ? 'spike reference moved' : 'quote off market', { symbol: e.symbol, lp: e.lp, bid: e.bid, ask: e.ask, why: e.message });
  }

  /**
   * The symbol's source went down (or out of its session) and no LP can take over: no platform quote until one
   * does, so orders are refused with NO_QUOTE at once and nothing fills or triggers on a dead feed's price.
   */
  withdraw(symbol: string, lp: string): void {
    if (!this.c.quoteStore.delete(symbol)) return;
    this.withdrawn++;
    this.c.log.warn('quote withdrawn', { symbol, lp, why: 'its LP is down and no other LP prices it' });
  }

  /** Platform quotes withdrawn since start. */
  withdrawn = 0;

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

  flushQuoteCounts(): void {
    for (const [lp, c] of this.quoteCounts) {
      for (let i = 0; i < c.length; i++) {
        if (c[i]) this.c.metrics.quotesIn.inc({ lp, verdict: VERDICTS[i]! }, c[i]);
        c[i] = 0;
      }
    }
  }

  /** The aggregated quote: markup, latest quote, candles, revaluation, stream. */
  applyQuote(raw: RawQuote): void {
    const c = this.c;
    const info = c.symbolTable.get(raw.symbol);
    if (!info) return;
    const pq = raw instanceof PointsQuote ? raw : pointsQuoteOf(raw, info.rules.digits, raw.receivedAt ?? raw.time);
    const q = pq && markupPoints(pq, info.spec, info.rules);
    if (!q) return;
    c.quoteStore.set(q);
    c.candleStore.onTickPoints(q.symbol, q.bidPts, q.digits, q.time);
    c.tickWriter.add(q);
    // Revaluation (architecture.md): pending orders and SL/TP this quote fires (every quote), trailing stops,
    // and the margin level of every account holding the symbol (once per event-loop turn per symbol).
    const fired = c.index.firePoints(q.symbol, q.bidPts, q.askPts, q.digits);
    if (fired.length) c.desk.onTriggered(fired);
    c.desk.trail(q.symbol, q);
    c.alerts.onQuotePoints(q.symbol, q.bidPts, q.askPts, q.digits, q.time);
    this.updatedSymbols.add(q.symbol);
    if (!this.revalueSymbols.has(q.symbol)) {
      this.revalueSymbols.add(q.symbol);
      if (!this.revalueScheduled) {
        this.revalueScheduled = true;
        setImmediate(this.revalueAccounts);
      }
    }
    if (c.events.has('tick')) {
      const d = q.digits;
      c.events.emit('tick', {
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

  /** Accounts waiting for their margin check, in the order their symbols were quoted (each once). */
  private readonly pendingAccounts = new Set<number>();
  private draining = false;

  /**
   * Once per event-loop turn: the accounts a symbol quoted since revalues — its holders, and the accounts whose
   * positions' P&L converts through it (a EUR account holding USDJPY moves with EURUSD) — are queued for their
   * margin check, which runs in slices of at most REVALUE_SLICE_MS so a burst of quotes over many accounts never
   * holds the event loop (orders wait behind it otherwise). Each check reads the prices of the moment it runs:
   * an account queued twice is checked once, at the newer prices. The screen (domain/stop-out-screen.ts)
   * proves most accounts far above both levels in floating point with an error bound; the rest get the exact
   * Decimal check.
   */
  private readonly revalueAccounts = (): void => {
    this.revalueScheduled = false;
    const book = this.c.book;
    const symbols = this.revalueSymbols;
    // One symbol's holders are distinct: a set of those seen only when accounts can come up twice.
    const first = symbols.values().next().value as string;
    const seen = symbols.size > 1 || book.dependentsOf(first).size ? new Set<number>() : null;
    const until = performance.now() + REVALUE_SLICE_MS;
    let n = 0;
    let over = false;
    const revalue = (id: number) => {
      if (seen) {
        if (seen.has(id)) return;
        seen.add(id);
      }
      // Within the slice the check runs now; past it, the account waits for the next slice.
      if (over) this.pendingAccounts.add(id);
      else {
        this.revalueAccount(id);
        // The clock is read every few accounts: a check is microseconds.
        if (++n % 16 === 0 && performance.now() > until) over = true;
      }
    };
    for (const symbol of symbols) {
      for (const id of book.holdersOf(symbol)) revalue(id);
      for (const id of book.dependentsOf(symbol)) revalue(id);
    }
    symbols.clear();
    if (this.pendingAccounts.size && !this.draining) {
      this.draining = true;
      this.slices++;
      setImmediate(this.drain);
    }
  };

  private readonly drain = (): void => {
    this.draining = false;
    const until = performance.now() + REVALUE_SLICE_MS;
    let n = 0;
    for (const id of this.pendingAccounts) {
      this.pendingAccounts.delete(id);
      this.revalueAccount(id);
      // The clock is read every few accounts: a check is microseconds.
      if (++n % 16 === 0 && performance.now() > until) break;
    }
    if (this.pendingAccounts.size) {
      this.draining = true;
      this.slices++;
      setImmediate(this.drain);
    }
  };

  /** Revaluation turns that had to continue in a later turn (a burst bigger than one slice). */
  slices = 0;

  /** Per risk settings object: the higher of its margin-call and stop-out levels (what the screen must clear). */
  private readonly screenLevel = new WeakMap<RiskLimits, Decimal>();

  private revalueAccount(accountId: number): void {
    const c = this.c;
    const account = c.book.peek(accountId);
    if (!account) return;
    const risk = c.riskFor(accountId);
    const positions = c.book.openPositions(accountId);
    let above = this.screenLevel.get(risk);
    if (!above) this.screenLevel.set(risk, (above = Decimal.max(risk.marginCallLevel, risk.stopOutLevel)));
    if (!this.marginCall.has(accountId) && certainlyAbove(account, positions, above, c.symbolSpec, c.quoteStore.lookup)) return;
    // Near a level (or flagged, or unpriced): the exact figures decide.
    const f = c.figures(account);
    this.flagMarginCall(accountId, f.marginLevel, risk.marginCallLevel);
    c.desk.checkStopOut(accountId);
  }

  /** trading-rules.md: margin level <= marginCallLevel flags the account (once, until it recovers). */
  private flagMarginCall(accountId: number, level: Decimal | null, marginCallLevel: Decimal): boolean {
    const call = level !== null && level.lte(marginCallLevel);
    if (call && !this.marginCall.has(accountId)) {
      this.marginCall.add(accountId);
      this.c.log.warn('margin call', { accountId, marginLevel: level?.toFixed(2) });
      this.c.events.emit('margin_call', { type: 'margin_call', accountId, marginLevel: level?.toFixed(2) ?? null });
    } else if (!call) this.marginCall.delete(accountId);
    return call;
  }

  /** Every accountUpdateIntervalMs: account_update for the accounts the symbols quoted since then move. */
  flushAccountUpdates(): void {
    this.flushQuoteCounts();
    if (!this.updatedSymbols.size) return;
    const c = this.c;
    const symbols = [...this.updatedSymbols];
    this.updatedSymbols.clear();
    // Floating figures are pushed only to those watching; they are recomputed on demand for everyone else.
    if (!c.events.has('account_update')) return;
    const seen = new Set<number>();
    const publish = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      if (c.hasAccountListeners(id)) this.publishAccount(id);
    };
    for (const symbol of symbols) {
      for (const id of c.book.holdersOf(symbol)) publish(id);
      for (const id of c.book.dependentsOf(symbol)) publish(id);
    }
  }

  publishAccount(accountId: number): void {
    const c = this.c;
    const account = c.book.peek(accountId);
    if (!account) return;
    const f = c.figures(account);
    const call = this.flagMarginCall(accountId, f.marginLevel, c.riskFor(accountId).marginCallLevel);
    const e: AccountUpdateEvent = {
      type: 'account_update',
      accountId,
      balance: f.balance.toFixed(2),
      credit: f.credit.toFixed(2),
      equity: f.equity.toFixed(2),
      margin: f.margin.toFixed(2),
      freeMargin: f.freeMargin.toFixed(2),
      marginLevel: f.marginLevel ? f.marginLevel.toFixed(2) : null,
      unrealizedPnL: f.unrealizedPnl.toFixed(2),
      marginCall: call,
    };
    c.events.emit('account_update', e);
  }
}
