// The LP manager: builds adapters from the `liquidity_providers` table (type, settings, the names of the
// environment variables holding credentials, symbol map, enabled, priority), starts and stops them, and
// tracks their health for dealers (design.md §2.4.6, §8.6).
import { PointsQuote } from '../domain/points.ts';
import type { PrismaClient } from '@broker/db';
import type { Logger } from '../logger.ts';
import type { LpAdapter, LpStatus, RawQuote } from './adapter.ts';
import type { GateVerdict, QuoteEvent } from '../marketdata/quote-gate.ts';
import { createBinanceLp } from './binance/binance-lp.ts';
import { lpRowProblem } from './credentials.ts';
import { createFixLp } from './fix/fix-lp.ts';
import { ManualLp } from './manual.ts';
import { createOandaLp } from './oanda/oanda-lp.ts';
import { SimulatedLp } from './simulated.ts';

export interface LpRow {
  id: number;
  name: string;
  type: LpStatus['type'];
  enabled: boolean;
  priority: number;
  settings: Record<string, unknown>;
  credentialEnv: Record<string, string>;
  symbolMap: Record<string, string>;
}

export interface LpFactoryDeps {
  env: Record<string, string | undefined>;
  clock: () => number;
  logger: Logger;
}

export type LpFactory = (row: LpRow, deps: LpFactoryDeps) => LpAdapter;

/** Adapters by LP type. FIX needs the QuickFIX addon; without it the adapter reports UNAVAILABLE and why. */
export const LP_FACTORIES: Partial<Record<LpStatus['type'], LpFactory>> = {
  SIMULATED: (row, d) => new SimulatedLp({ clock: d.clock, ...(typeof row.settings.seed === 'number' ? { seed: row.settings.seed } : {}) }),
  MANUAL: (_row, d) => new ManualLp(d.clock),
  REST: (row, d) =>
    createOandaLp({
      name: row.name,
      settings: row.settings as never,
      credentialEnv: row.credentialEnv as { token?: string },
      symbolMap: row.symbolMap,
      env: d.env,
      clock: d.clock,
      logger: d.logger,
    }),
  FIX: (row, d) =>
    createFixLp({
      name: row.name,
      settings: row.settings as never,
      credentialEnv: row.credentialEnv as { username?: string; password?: string },
      symbolMap: row.symbolMap,
      env: d.env,
      clock: d.clock,
      logger: d.logger,
    }),
  WEBSOCKET: (row, d) =>
    createBinanceLp({
      name: row.name,
      settings: row.settings as never,
      credentialEnv: row.credentialEnv,
      symbolMap: row.symbolMap,
      env: d.env,
      clock: d.clock,
      logger: d.logger,
    }),
};

/** Why the pipeline refused an LP's quotes, as counted per LP. */
export type RejectReason = Exclude<GateVerdict, 'ok'> | 'unknown_symbol';
export const REJECT_REASONS: readonly RejectReason[] = ['invalid', 'crossed', 'spike', 'stale', 'off_market', 'unknown_symbol'];

/** DEGRADED when at least this share of an LP's quotes in the last REJECT_WINDOW_S seconds were refused… */
export const DEGRADED_REJECT_SHARE = 0.5;
/** …and it sent at least this many in that window. */
export const DEGRADED_MIN_QUOTES = 5;
export const REJECT_WINDOW_S = 10;
/** DEGRADED when connected with no accepted quote for this long (ms; a row's `settings.quietAfterMs` overrides). */
export const DEFAULT_QUIET_AFTER_MS = 60_000;
/** Quote events kept per LP for the dealer's page. */
export const MAX_RECENT_EVENTS = 20;

/** A session action the LP cannot take (not a FIX LP, not started). */
export class LpActionError extends Error {}

/** The FIX session as dealers see it: state machine, sequence numbers, next retry. */
export interface LpSession {
  state: string;
  seqNums: { nextSender: number; nextTarget: number } | null;
  nextRetryAt: number | null;
}

export interface LpHealth extends LpStatus {
  /** FIX LPs: the session's state, sequence numbers and next retry; null for the others. */
  session: LpSession | null;
  id: number | null;
  enabled: boolean;
  priority: number;
  /** Quotes the pipeline accepted in the last 60 s (not those it refused). */
  quotesPerMinute: number;
  /** Unix ms of the last quote the pipeline accepted (`lastQuoteAt` is the last one received). */
  lastAcceptedAt: number | null;
  /** Quotes refused since start, per reason. */
  rejects: Record<RejectReason, number>;
  /** Share of the quotes of the last REJECT_WINDOW_S seconds that were refused, percent (null: none came). */
  rejectedPercent: number | null;
  /** Recent refusals and moved spike references (marketdata/quote-gate.ts), newest last. */
  recentEvents: QuoteEvent[];
  /** The symbols this LP prices now (it is their source). */
  pricing: string[];
  /**
   * A warning for dealers: the simulated LP pricing next to real LPs (random prices on a real book), or
   * allowed to stand in for them (`settings.fallback: true`).
   */
  warning: string | null;
  /** Share of the time since start that the LP was connected, percent. */
  uptimePercent: number | null;
  symbols: string[];
  settings: Record<string, unknown>;
  credentialEnv: Record<string, string>;
  symbolMap: Record<string, string>;
}

interface Entry {
  row: LpRow;
  adapter: LpAdapter | null;
  /** Accepted quotes in the last minute (a ring of second buckets). */
  buckets: number[];
  /** Refused quotes, the same way. */
  rejectBuckets: number[];
  bucketSecond: number;
  rejects: Record<RejectReason, number>;
  lastAcceptedAt: number | null;
  events: QuoteEvent[];
  symbols: Set<string>;
  lastQuoteAt: number | null;
  createdAt: number;
  upMs: number;
  lastStateAt: number;
  lastState: LpStatus['state'];
  reason?: string;
  /** The adapter's connectedSince when its last quote came: a change means it has (re)connected since. */
  connectedSince: number | null;
  /** What dealers saw of it last (state, reason, refusals, events, pricing…): a change is pushed. */
  lastPushed: string;
  /** Whether the engine was asked to run this LP (loadFromDb with start, add, enable). */
  started: boolean;
}

/** The simulated LP prices a symbol a real LP prices only when its row says `settings.fallback: true`. */
function isDemo(row: LpRow): boolean {
  return row.type === 'SIMULATED' && row.settings.fallback !== true;
}

/** A real feed: not the simulated LP, not a dealer's manual quotes. */
function isReal(row: LpRow): boolean {
  return row.type !== 'SIMULATED' && row.type !== 'MANUAL';
}

export class LpManager {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  /** Platform symbols a real LP the engine runs maps or has quoted (null: to be rebuilt). */
  private realSymbolSet: Set<string> | null = null;

  constructor(
    private readonly d: {
      prisma: PrismaClient;
      log: Logger;
      clock: () => number;
      env?: Record<string, string | undefined>;
      factories?: Partial<Record<LpStatus['type'], LpFactory>>;
      onQuote: (q: RawQuote) => void;
      onStatus?: (h: LpHealth) => void;
      /** The LP is (re)starting or has reconnected; called before its first quote of the new connection. */
      onConnected?: (lp: string) => void;
      /** Which LP prices each symbol now (QuoteAggregator.sources). */
      sources?: () => Map<string, string>;
    },
  ) {}

  private get factories() {
    return { ...LP_FACTORIES, ...this.d.factories };
  }

  /** Builds and starts every enabled LP in the table (`start: false`: only lists them). */
  async loadFromDb(opts: { start?: boolean } = {}): Promise<void> {
    const rows = await this.d.prisma.liquidityProvider.findMany({ orderBy: [{ priority: 'asc' }, { id: 'asc' }] });
    for (const r of rows) {
      const row = lpRowOf(r);
      if (this.entries.has(row.name)) continue;
      const entry = this.register(row, null);
      if (opts.start === false) entry.reason = 'not started: the engine runs on the LP it was given';
      else if (row.enabled) await this.startEntry(entry);
    }
  }

  /** Adds an adapter built elsewhere (tests, the built-in manual LP). */
  async add(adapter: LpAdapter, opts: { priority?: number; type?: LpStatus['type']; settings?: Record<string, unknown>; symbolMap?: Record<string, string> } = {}): Promise<void> {
    const row: LpRow = { id: -1, name: adapter.name, type: opts.type ?? 'MANUAL', enabled: true, priority: opts.priority ?? 100, settings: opts.settings ?? {}, credentialEnv: {}, symbolMap: opts.symbolMap ?? {} };
    const entry = this.register(row, adapter);
    await this.startEntry(entry);
  }

  private register(row: LpRow, adapter: LpAdapter | null): Entry {
    const now = this.d.clock();
    const entry: Entry = { row, adapter, buckets: new Array(60).fill(0), rejectBuckets: new Array(60).fill(0), bucketSecond: Math.floor(now / 1000), rejects: zeroRejects(), lastAcceptedAt: null, events: [], symbols: new Set(), lastQuoteAt: null, createdAt: now, upMs: 0, lastStateAt: now, lastState: 'DISCONNECTED', connectedSince: null, started: false, lastPushed: '' };
    this.entries.set(row.name, entry);
    this.realSymbolSet = null;
    return entry;
  }

  private async startEntry(entry: Entry): Promise<void> {
    // A real LP the dealer meant to run keeps the simulated LP off its symbols even when it cannot be built.
    entry.started = true;
    this.realSymbolSet = null;
    if (!entry.adapter) {
      const factory = this.factories[entry.row.type];
      if (!factory) {
        entry.reason = `no adapter for ${entry.row.type} LPs in this build`;
        this.d.log.warn('lp unavailable', { lp: entry.row.name, reason: entry.reason });
        return;
      }
      // A row naming a variable outside LP_… or an endpoint outside the policy is never built (credentials.ts).
      const refused = lpRowProblem(entry.row.type, entry.row.settings, entry.row.credentialEnv, this.d.env ?? process.env);
      if (refused) {
        entry.reason = refused;
        this.d.log.warn('lp refused', { lp: entry.row.name, reason: refused });
        return;
      }
      try {
        entry.adapter = factory(entry.row, { env: this.d.env ?? process.env, clock: this.d.clock, logger: this.d.log });
      } catch (err) {
        entry.reason = (err as Error).message;
        this.d.log.warn('lp could not be built', { lp: entry.row.name, error: entry.reason });
        return;
      }
    }
    const name = entry.row.name;
    const adapter = entry.adapter;
    entry.connectedSince = null;
    this.d.onConnected?.(name);
    await adapter.start((q) => {
      // A network adapter reconnects by itself: a new connectedSince on a quote says it did.
      const since = adapter.connectedSince?.() ?? null;
      if (since !== entry.connectedSince) {
        entry.connectedSince = since;
        if (since !== null) this.d.onConnected?.(name);
      }
      // Quotes carry the configured LP name, whatever the adapter calls itself.
      // (A PointsQuote's prices are getters: a spread would lose them.)
      const quote = q.lp === name ? q : q instanceof PointsQuote ? q.withLp(name) : { ...q, lp: name };
      this.count(entry, quote);
      this.d.onQuote(quote);
    });
    this.d.log.info('lp started', { lp: name, type: entry.row.type, priority: entry.row.priority });
  }

  /** On receipt: the last quote received and the symbols the LP quotes (what the pipeline made of it: verdict()). */
  private count(entry: Entry, q: RawQuote) {
    entry.lastQuoteAt = q.receivedAt ?? this.d.clock();
    if (!entry.symbols.has(q.symbol)) {
      entry.symbols.add(q.symbol);
      this.realSymbolSet = null;
    }
  }

  private lastVerdictEntry: Entry | undefined;

  /**
   * What the pipeline made of one of an LP's quotes: health counts accepted quotes (quotes/min, last accepted)
   * and refusals per reason, from which DEGRADED follows.
   */
  verdict(lp: string, verdict: GateVerdict | 'unknown_symbol', at = this.d.clock()): void {
    let e = this.lastVerdictEntry;
    if (e?.row.name !== lp) {
      e = this.entries.get(lp);
      if (!e) return;
      this.lastVerdictEntry = e;
    }
    const second = Math.floor(at / 1000);
    if (second !== e.bucketSecond) this.roll(e, second);
    if (verdict === 'ok') {
      e.buckets[second % 60]!++;
      e.lastAcceptedAt = at;
    } else {
      e.rejectBuckets[second % 60]!++;
      e.rejects[verdict]++;
    }
  }

  /** A refused quote or a moved reference, for the dealer's LP page. */
  event(e: QuoteEvent): void {
    const entry = this.entries.get(e.lp);
    if (!entry) return;
    entry.events.push(e);
    if (entry.events.length > MAX_RECENT_EVENTS) entry.events.shift();
  }

  private roll(e: Entry, second: number): void {
    if (second < e.bucketSecond) return;
    const gap = Math.min(60, second - e.bucketSecond);
    for (let i = 1; i <= gap; i++) {
      e.buckets[(e.bucketSecond + i) % 60] = 0;
      e.rejectBuckets[(e.bucketSecond + i) % 60] = 0;
    }
    e.bucketSecond = second;
  }

  /** The sum of a ring's last `seconds` buckets up to `second`. */
  private static sum(e: Entry, ring: number[], second: number, seconds: number): number {
    let n = 0;
    for (let i = 0; i < seconds; i++) {
      const s2 = second - i;
      if (s2 > e.bucketSecond || s2 <= e.bucketSecond - 60) continue;
      n += ring[((s2 % 60) + 60) % 60]!;
    }
    return n;
  }

  /** Whether a real LP the engine runs maps or has quoted the symbol (made-up history never goes there). */
  pricedByRealLp(symbol: string): boolean {
    return this.realSymbols().has(symbol);
  }

  /** Platform symbols priced by a real LP the engine runs (mapped in its row, or quoted by it). */
  private realSymbols(): Set<string> {
    if (this.realSymbolSet) return this.realSymbolSet;
    const out = new Set<string>();
    for (const e of this.entries.values()) {
      if (!e.started || !e.row.enabled || !isReal(e.row)) continue;
      for (const s of Object.values(e.row.symbolMap)) if (typeof s === 'string') out.add(s);
      for (const s of e.symbols) out.add(s);
    }
    return (this.realSymbolSet = out);
  }

  /**
   * Whether an LP may price a symbol: the simulated LP is for demos, never a fallback for a symbol a real LP
   * prices (its random walk took BTCUSD −32 % when the real feed failed), unless the dealer set
   * `settings.fallback: true` on its row.
   */
  mayPrice(lp: string, symbol: string): boolean {
    const e = this.entries.get(lp);
    return !e || !isDemo(e.row) || !this.realSymbols().has(symbol);
  }

  /** The LP row's spike confirmation time (`settings.spikeConfirmMs`), when it sets one. */
  spikeConfirmMs(lp: string): number | undefined {
    const v = this.entries.get(lp)?.row.settings.spikeConfirmMs;
    return typeof v === 'number' ? v : undefined;
  }

  /**
   * When the LP's current session began (its adapter's connectedSince): quotes received before it are from an
   * earlier connection and never price again. Null for LPs that keep no sessions (simulated, manual).
   */
  sessionStart(lp: string): number | null {
    return this.entries.get(lp)?.adapter?.connectedSince?.() ?? null;
  }

  /** Polls adapters' states: uptime accounting and a status event on every change. */
  startMonitoring(intervalMs = 500): void {
    this.timer = setInterval(() => {
      for (const e of this.entries.values()) {
        const h = this.healthOf(e);
        const now = this.d.clock();
        if (e.lastState === 'CONNECTED' || e.lastState === 'DEGRADED') e.upMs += now - e.lastStateAt;
        e.lastStateAt = now;
        if (h.state !== e.lastState) {
          e.lastState = h.state;
          this.d.log.info('lp state', { lp: h.name, state: h.state, reason: h.reason });
        }
        // Pushed live whenever what a dealer acts on changed (not only the state): refusals, events, the
        // symbols it prices, the warning, reconnects, the FIX session.
        const rejects = REJECT_REASONS.map((r) => h.rejects[r]).join(',');
        const sig = `${h.state}|${h.reason ?? ''}|${rejects}|${h.recentEvents.at(-1)?.at ?? 0}|${h.pricing.join(',')}|${h.warning ?? ''}|${h.reconnects}|${h.session?.state ?? ''}`;
        if (sig !== e.lastPushed) {
          e.lastPushed = sig;
          this.d.onStatus?.(h);
        }
      }
    }, intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.entries.values()].map((e) => e.adapter?.stop().catch(() => undefined)));
  }

  priority(lp: string): number {
    return this.entries.get(lp)?.row.priority ?? 1000;
  }

  /** An LP without a status() (simulated, manual) counts as up while enabled. */
  healthy(lp: string): boolean {
    const e = this.entries.get(lp);
    if (!e) return true;
    if (!e.row.enabled || !e.adapter) return false;
    const s = e.adapter.status?.();
    return !s || s.state === 'CONNECTED';
  }

  adapter(name: string): LpAdapter | null {
    return this.entries.get(name)?.adapter ?? null;
  }

  adapters(): LpAdapter[] {
    return [...this.entries.values()].map((e) => e.adapter).filter((a): a is LpAdapter => a !== null);
  }

  private healthOf(e: Entry): LpHealth {
    const now = this.d.clock();
    const s = e.adapter?.status?.();
    const transport: LpStatus['state'] = !e.row.enabled ? 'DISCONNECTED' : !e.adapter ? 'UNAVAILABLE' : (s?.state ?? 'CONNECTED');
    const second = Math.floor(now / 1000);
    const perMinute = LpManager.sum(e, e.buckets, second, 60);
    const okRecent = LpManager.sum(e, e.buckets, second, REJECT_WINDOW_S);
    const badRecent = LpManager.sum(e, e.rejectBuckets, second, REJECT_WINDOW_S);
    const recent = okRecent + badRecent;
    const rejectedPercent = recent ? Math.round((badRecent / recent) * 1000) / 10 : null;
    let state = transport;
    let reason = !e.row.enabled ? 'disabled' : (s?.reason ?? e.reason);
    if (transport === 'CONNECTED' && s) {
      // The transport is up; what the pipeline accepted says whether the LP prices anything.
      const quietAfter = typeof e.row.settings.quietAfterMs === 'number' ? e.row.settings.quietAfterMs : DEFAULT_QUIET_AFTER_MS;
      const since = Math.max(s.connectedSince ?? e.createdAt, e.lastAcceptedAt ?? 0);
      if (recent >= DEGRADED_MIN_QUOTES && badRecent / recent >= DEGRADED_REJECT_SHARE) {
        state = 'DEGRADED';
        const why = REJECT_REASONS.filter((r) => e.rejects[r] > 0).map((r) => `${r} ${e.rejects[r]}`).join(', ');
        reason = `${rejectedPercent}% of quotes in the last ${REJECT_WINDOW_S} s refused (since start: ${why})`;
      } else if (now - since > quietAfter) {
        state = 'DEGRADED';
        reason = e.lastAcceptedAt === null ? `connected ${Math.round((now - since) / 1000)} s without an accepted quote` : `no accepted quote for ${Math.round((now - since) / 1000)} s while connected`;
      }
    }
    const lifetime = now - e.createdAt;
    const up = state === 'CONNECTED' || state === 'DEGRADED';
    const sources = this.d.sources?.();
    const pricing: string[] = [];
    if (sources) for (const [symbol, lp] of sources) if (lp.split('+').includes(e.row.name)) pricing.push(symbol);
    pricing.sort();
    return {
      name: e.row.name,
      type: e.row.type,
      state,
      reason,
      lastQuoteAt: e.lastQuoteAt ?? s?.lastQuoteAt ?? null,
      lastAcceptedAt: e.lastAcceptedAt,
      latencyMs: s?.latencyMs ?? null,
      connectedSince: s?.connectedSince ?? (up ? e.createdAt : null),
      reconnects: s?.reconnects ?? 0,
      recentErrors: s?.recentErrors ?? [],
      session: sessionOf(s),
      id: e.row.id >= 0 ? e.row.id : null,
      enabled: e.row.enabled,
      priority: e.row.priority,
      quotesPerMinute: perMinute,
      rejects: { ...e.rejects },
      rejectedPercent,
      recentEvents: [...e.events],
      pricing,
      warning: this.warningOf(e),
      uptimePercent: lifetime > 0 ? Math.min(100, ((e.upMs + (e.lastState === 'CONNECTED' || e.lastState === 'DEGRADED' ? now - e.lastStateAt : 0)) / lifetime) * 100) : null,
      symbols: [...e.symbols].sort(),
      settings: e.row.settings,
      credentialEnv: e.row.credentialEnv,
      symbolMap: e.row.symbolMap,
    };
  }

  private warningOf(e: Entry): string | null {
    if (e.row.type !== 'SIMULATED' || !e.row.enabled || !e.started) return null;
    const real = [...this.entries.values()].filter((x) => x.started && x.row.enabled && isReal(x.row)).map((x) => x.row.name);
    if (!real.length) return null;
    if (e.row.settings.fallback === true) return `simulated prices may stand in for ${real.join(', ')} (settings.fallback is on)`;
    const own = [...e.symbols].filter((sym) => !this.realSymbols().has(sym)).sort();
    return own.length ? `simulated prices next to real LPs (${real.join(', ')}) for ${own.join(', ')}` : null;
  }

  status(): LpHealth[] {
    return [...this.entries.values()].map((e) => this.healthOf(e)).sort((a, b) => a.priority - b.priority);
  }

  private byId(id: number): Entry | undefined {
    return [...this.entries.values()].find((e) => e.row.id === id);
  }

  async setEnabled(id: number, enabled: boolean): Promise<LpHealth> {
    const e = this.byId(id);
    if (!e) throw new Error(`no LP ${id}`);
    await this.d.prisma.liquidityProvider.update({ where: { id }, data: { enabled } });
    e.row.enabled = enabled;
    this.realSymbolSet = null;
    if (enabled) await this.startEntry(e);
    else await e.adapter?.stop();
    return this.healthOf(e);
  }

  async reconnect(id: number): Promise<LpHealth> {
    const e = this.byId(id);
    if (!e) throw new Error(`no LP ${id}`);
    await e.adapter?.stop();
    e.adapter = null;
    e.reason = undefined;
    if (e.row.enabled) await this.startEntry(e);
    return this.healthOf(e);
  }

  /** A dealer's session action on a FIX LP: reset its sequence numbers, or log it out. */
  async sessionAction(id: number, action: 'resetSeqNums' | 'logout'): Promise<LpHealth> {
    const e = this.byId(id);
    if (!e) throw new Error(`no LP ${id}`);
    const fn = e.adapter?.[action];
    if (!e.adapter || !fn) throw new LpActionError(`${e.row.name} has no ${action === 'logout' ? 'session to log out' : 'sequence numbers to reset'} (FIX LPs only)`);
    await fn.call(e.adapter);
    return this.healthOf(e);
  }

  /** Re-reads one row (after an admin edit) and restarts its adapter with the new settings. */
  async reload(id: number): Promise<LpHealth> {
    const r = await this.d.prisma.liquidityProvider.findUniqueOrThrow({ where: { id } });
    const old = this.byId(id);
    if (old) {
      await old.adapter?.stop();
      this.entries.delete(old.row.name);
      this.realSymbolSet = null;
    }
    const entry = this.register(lpRowOf(r), null);
    if (entry.row.enabled) await this.startEntry(entry);
    return this.healthOf(entry);
  }
}

function sessionOf(s: LpStatus | undefined): LpSession | null {
  if (!s || !('session' in s)) return null;
  const f = s as LpStatus & { session: string; seqNums?: LpSession['seqNums']; nextRetryAt?: number | null };
  return { state: f.session, seqNums: f.seqNums ?? null, nextRetryAt: f.nextRetryAt ?? null };
}

function zeroRejects(): Record<RejectReason, number> {
  return { invalid: 0, crossed: 0, spike: 0, stale: 0, off_market: 0, unknown_symbol: 0 };
}

function lpRowOf(r: { id: number; name: string; type: LpStatus['type']; enabled: boolean; priority: number; settings: unknown; credentialEnv: unknown; symbolMap: unknown }): LpRow {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    enabled: r.enabled,
    priority: r.priority,
    settings: (r.settings ?? {}) as Record<string, unknown>,
    credentialEnv: (r.credentialEnv ?? {}) as Record<string, string>,
    symbolMap: (r.symbolMap ?? {}) as Record<string, string>,
  };
}
