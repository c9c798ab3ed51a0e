// The LP manager: builds adapters from the `liquidity_providers` table (type, settings, the names of the
// environment variables holding credentials, symbol map, enabled, priority), starts and stops them, and
// tracks their health for dealers (design.md §2.4.6, §8.6).
import { PointsQuote } from '../domain/points.ts';
import type { PrismaClient } from '@broker/db';
import type { Logger } from '../logger.ts';
import type { LpAdapter, LpStatus, RawQuote } from './adapter.ts';
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

export interface LpHealth extends LpStatus {
  id: number | null;
  enabled: boolean;
  priority: number;
  /** Quotes received in the last 60 s. */
  quotesPerMinute: number;
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
  /** Quote receipt times in the last minute (a ring of second buckets). */
  buckets: number[];
  bucketSecond: number;
  symbols: Set<string>;
  lastQuoteAt: number | null;
  createdAt: number;
  upMs: number;
  lastStateAt: number;
  lastState: LpStatus['state'];
  reason?: string;
  /** The adapter's connectedSince when its last quote came: a change means it has (re)connected since. */
  connectedSince: number | null;
}

export class LpManager {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;

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
  async add(adapter: LpAdapter, opts: { priority?: number; type?: LpStatus['type'] } = {}): Promise<void> {
    const row: LpRow = { id: -1, name: adapter.name, type: opts.type ?? 'MANUAL', enabled: true, priority: opts.priority ?? 100, settings: {}, credentialEnv: {}, symbolMap: {} };
    const entry = this.register(row, adapter);
    await this.startEntry(entry);
  }

  private register(row: LpRow, adapter: LpAdapter | null): Entry {
    const now = this.d.clock();
    const entry: Entry = { row, adapter, buckets: new Array(60).fill(0), bucketSecond: Math.floor(now / 1000), symbols: new Set(), lastQuoteAt: null, createdAt: now, upMs: 0, lastStateAt: now, lastState: 'DISCONNECTED', connectedSince: null };
    this.entries.set(row.name, entry);
    return entry;
  }

  private async startEntry(entry: Entry): Promise<void> {
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

  private count(entry: Entry, q: RawQuote) {
    const now = q.receivedAt ?? this.d.clock();
    const second = Math.floor(now / 1000);
    if (second !== entry.bucketSecond) {
      const gap = Math.min(60, second - entry.bucketSecond);
      for (let i = 1; i <= gap; i++) entry.buckets[(entry.bucketSecond + i) % 60] = 0;
      entry.bucketSecond = second;
    }
    entry.buckets[second % 60]!++;
    entry.lastQuoteAt = now;
    entry.symbols.add(q.symbol);
  }

  /** Polls adapters' states: uptime accounting and a status event on every change. */
  startMonitoring(intervalMs = 500): void {
    this.timer = setInterval(() => {
      for (const e of this.entries.values()) {
        const h = this.healthOf(e);
        const now = this.d.clock();
        if (e.lastState === 'CONNECTED') e.upMs += now - e.lastStateAt;
        e.lastStateAt = now;
        if (h.state !== e.lastState) {
          e.lastState = h.state;
          this.d.log.info('lp state', { lp: h.name, state: h.state, reason: h.reason });
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
    const state: LpStatus['state'] = !e.row.enabled ? 'DISCONNECTED' : !e.adapter ? 'UNAVAILABLE' : (s?.state ?? 'CONNECTED');
    const second = Math.floor(now / 1000);
    let perMinute = 0;
    if (second - e.bucketSecond < 60) {
      for (let i = 0; i < 60; i++) {
        const s2 = second - i;
        if (s2 > e.bucketSecond || s2 <= e.bucketSecond - 60) continue;
        perMinute += e.buckets[((s2 % 60) + 60) % 60]!;
      }
    }
    const lifetime = now - e.createdAt;
    return {
      name: e.row.name,
      type: e.row.type,
      state,
      reason: !e.row.enabled ? 'disabled' : (s?.reason ?? e.reason),
      lastQuoteAt: e.lastQuoteAt ?? s?.lastQuoteAt ?? null,
      latencyMs: s?.latencyMs ?? null,
      connectedSince: s?.connectedSince ?? (state === 'CONNECTED' ? e.createdAt : null),
      reconnects: s?.reconnects ?? 0,
      recentErrors: s?.recentErrors ?? [],
      id: e.row.id >= 0 ? e.row.id : null,
      enabled: e.row.enabled,
      priority: e.row.priority,
      quotesPerMinute: perMinute,
      uptimePercent: lifetime > 0 ? Math.min(100, ((e.upMs + (state === 'CONNECTED' ? now - e.lastStateAt : 0)) / lifetime) * 100) : null,
      symbols: [...e.symbols].sort(),
      settings: e.row.settings,
      credentialEnv: e.row.credentialEnv,
      symbolMap: e.row.symbolMap,
    };
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

  /** Re-reads one row (after an admin edit) and restarts its adapter with the new settings. */
  async reload(id: number): Promise<LpHealth> {
    const r = await this.d.prisma.liquidityProvider.findUniqueOrThrow({ where: { id } });
    const old = this.byId(id);
    if (old) {
      await old.adapter?.stop();
      this.entries.delete(old.row.name);
    }
    const entry = this.register(lpRowOf(r), null);
    if (entry.row.enabled) await this.startEntry(entry);
    return this.healthOf(entry);
  }
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
