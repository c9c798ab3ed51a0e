// What an LP's quote must pass before it may price a symbol (trading-rules.md, Quotes; issue 13): the basic
// rules (bid > 0, ask >= bid, not stale), the LP's own spike reference (marketdata/spike-reference.ts), and
// cross-LP sanity: a quote far from what the other healthy LPs quote is dropped as `off_market`. A spike that
// another healthy LP agrees with is a new level at once; alone, it must persist for the LP's confirmMs. Each
// refusal and each moved reference is reported as an event for the dealer's LP page (throttled: the counts
// are exact, the events say what happened).
import { deviates, formatPoints, validatePoints, type PointsQuote, type PointsRules, type PointsVerdict } from '../domain/points.ts';
import type { RawQuote } from '../lp/adapter.ts';
import { SpikeReference, type SpikeCheck } from './spike-reference.ts';

export type GateVerdict = PointsVerdict | 'off_market';

/** What a dealer sees of a refused quote or a moved reference. */
export interface QuoteEvent {
  at: number;
  lp: string;
  symbol: string;
  kind: Exclude<GateVerdict, 'ok'> | 'reanchored';
  bid: string;
  ask: string;
  message: string;
}

/** At most one event per LP, symbol and kind in this window (ms); the counters count every quote. */
export const EVENT_THROTTLE_MS = 1000;

export interface QuoteGateDeps {
  clock: () => number;
  /** The dealer's manual LP: checked for everything but spikes and the other LPs. */
  manualLp?: string;
  /** The other LPs' fresh, live, accepted quotes of a symbol (QuoteAggregator.others). */
  others: (symbol: string, lp: string) => RawQuote[];
  /** Whether an LP is up (its quotes may confirm another's new level). */
  healthy: (lp: string) => boolean;
  /** Start of an LP's current session (LpManager.sessionStart); quotes before it confirm nothing. */
  sessionStart?: (lp: string) => number | null;
  /** The LP's spike confirmation time (its row's settings.spikeConfirmMs), when it sets one. */
  confirmMs?: (lp: string) => number | undefined;
  onEvent?: (e: QuoteEvent) => void;
}

/** One LP's state for one symbol: its spike reference and its latest quote that passed the basic rules. */
interface Slot {
  readonly ref: SpikeReference;
  /** What it quotes now (accepted or not); null until a quote passes the basic rules. */
  seen: PointsQuote | null;
  seenAt: number;
}

export class QuoteGate {
  /** Per symbol, each LP's slot. */
  private readonly slots = new Map<string, Map<string, Slot>>();
  private readonly lastEvent = new Map<string, number>();
  /** Quotes dropped as far from the other LPs (every LP and symbol). */
  offMarket = 0;

  constructor(private readonly d: QuoteGateDeps) {}

  /**
   * The verdict on one LP's quote of a symbol; `ok` quotes go on to aggregation. `now`: the engine's clock, when
   * the caller has read it already. Per quote this is a map lookup, integer compares and no allocation; the
   * LP's confirmation time and the other LPs are looked at only when a quote is a spike or another LP quotes
   * the symbol.
   */
  check(q: PointsQuote, rules: PointsRules, now = this.d.clock()): GateVerdict {
    const lp = q.lp;
    if (lp === this.d.manualLp) return validatePoints(q.bidPts, q.askPts, q.digits, q.time, undefined, rules, now);
    let bySymbol = this.slots.get(q.symbol);
    if (!bySymbol) this.slots.set(q.symbol, (bySymbol = new Map()));
    let slot = bySymbol.get(lp);
    if (!slot) bySymbol.set(lp, (slot = { ref: new SpikeReference(), seen: null, seenAt: 0 }));
    const ref = slot.ref;
    this.rules = rules;
    this.now = now;
    this.lp = lp;
    const verdict = ref.check(q, rules, now, this.spikeCheck);
    if (verdict === 'invalid' || verdict === 'crossed' || verdict === 'stale') {
      this.event(q, verdict, now, verdict === 'stale' ? `${now - q.time} ms old` : verdict === 'crossed' ? 'ask below bid' : 'bid not above zero');
      return verdict;
    }
    slot.seen = q;
    slot.seenAt = now;
    if (verdict === 'spike') {
      this.event(q, 'spike', now, `${ref.pending} quote(s) at this level, held back until it persists or another LP agrees`);
      return 'spike';
    }
    if (verdict === 'reanchored') {
      this.event(q, 'reanchored', now, ref.reanchoredBy === 'agreement' ? 'new level confirmed by another LP' : 'new level persisted');
      // Confirmed by another LP: it agrees with the market by definition.
      if (ref.reanchoredBy === 'agreement') return 'ok';
    }
    // One LP pricing the symbol (the common case): others() answers at once, nobody to compare with.
    const others = this.d.others(q.symbol, lp);
    if (others.length) {
      let far = 0;
      for (const o of others) {
        const op = o as PointsQuote;
        if (deviates(q.bidPts, q.askPts, q.digits, op, rules)) far++;
      }
      // Far from most of the others (from the one, when there is one other).
      if (far * 2 > others.length) {
        this.offMarket++;
        this.event(q, 'off_market', now, `${far} of ${others.length} other LP(s) quote more than ${rules.maxDeviation.times(100).toString()}% away`);
        return 'off_market';
      }
    }
    return 'ok';
  }

  // The rules, time and LP of the quote being checked, for the spike check's callbacks (one object for every
  // quote, not one per quote; the LP's confirmation time is read only on a spike).
  private rules: PointsRules | null = null;
  private now = 0;
  private lp = '';
  private readonly spikeCheck: SpikeCheck = {
    confirmMs: () => this.d.confirmMs?.(this.lp),
    agrees: (q: PointsQuote) => this.agreed(q, this.rules!, this.now),
  };

  /** Whether another live LP quotes within maxDeviation of `q` now (its latest quote that passed the basic rules). */
  private agreed(q: PointsQuote, rules: PointsRules, now: number): boolean {
    const bySymbol = this.slots.get(q.symbol);
    if (!bySymbol) return false;
    for (const [lp, s] of bySymbol) {
      if (lp === q.lp || !s.seen || now - s.seenAt > rules.staleAfterMs || !this.d.healthy(lp)) continue;
      const since = this.d.sessionStart?.(lp);
      if (since != null && s.seenAt < since) continue;
      if (!deviates(q.bidPts, q.askPts, q.digits, s.seen, rules)) return true;
    }
    return false;
  }

  /** An LP (re)connected: its references and what it quoted before are forgotten. */
  forget(lp: string): void {
    for (const bySymbol of this.slots.values()) bySymbol.delete(lp);
  }

  private event(q: PointsQuote, kind: QuoteEvent['kind'], now: number, message: string): void {
    if (!this.d.onEvent) return;
    const key = `${q.lp}\u0000${q.symbol}\u0000${kind}`;
    const last = this.lastEvent.get(key);
    if (last !== undefined && now - last < EVENT_THROTTLE_MS) return;
    this.lastEvent.set(key, now);
    this.d.onEvent({ at: now, lp: q.lp, symbol: q.symbol, kind, bid: formatPoints(q.bidPts, q.digits), ask: formatPoints(q.askPts, q.digits), message });
  }
}
