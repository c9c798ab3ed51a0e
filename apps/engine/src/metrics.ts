import client from 'prom-client';

/** Prometheus metrics (design.md §12.1): one registry per engine, so tests can run several engines. */
/** What the LP and price series read when they are scraped (the engine keeps these figures itself). */
export interface PriceFigures {
  lps(): { name: string; state: string; reconnects: number }[];
  /** Per symbol: the age of its platform quote (ms), null when it has none. */
  quoteAges(): Map<string, number | null>;
  failovers(): Map<string, number>;
  withdrawals(): number;
  ticks(): { written: number; dropped: number; spilled: number; spillPending: number; pending: number };
}

export const LP_STATES = ['CONNECTED', 'DEGRADED', 'CONNECTING', 'DISCONNECTED', 'UNAVAILABLE'] as const;

/** `beforeQuotesIn`: called when the quotes-in counter is collected (the engine counts in plain integers). */
export function createMetrics(beforeQuotesIn?: () => void, prices?: () => PriceFigures) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'engine_' });
  return {
    registry,
    orderLatency: new client.Histogram({
      name: 'engine_order_latency_seconds',
      help: 'Time from an order command entering the engine to its acknowledgement',
      labelNames: ['type', 'result'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers: [registry],
    }),
    quotesIn: new client.Counter({
      name: 'engine_quotes_in_total',
      help: 'Quotes received from liquidity providers, by what the pipeline made of them (ok = accepted; invalid, crossed, spike, stale, off_market, unknown_symbol = refused)',
      labelNames: ['lp', 'verdict'] as const,
      registers: [registry],
      collect: beforeQuotesIn,
    }),
    lpState: new client.Gauge({
      name: 'engine_lp_state',
      help: 'Each LP’s state: 1 for the state it is in, 0 for the others',
      labelNames: ['lp', 'state'] as const,
      registers: [registry],
      collect() {
        if (!prices) return;
        this.reset();
        for (const l of prices().lps()) for (const st of LP_STATES) this.set({ lp: l.name, state: st }, l.state === st ? 1 : 0);
      },
    }),
    lpReconnects: new client.Gauge({
      name: 'engine_lp_reconnects',
      help: 'Successful reconnects of each LP since it was started',
      labelNames: ['lp'] as const,
      registers: [registry],
      collect() {
        if (!prices) return;
        this.reset();
        for (const l of prices().lps()) this.set({ lp: l.name }, l.reconnects);
      },
    }),
    failovers: new client.Gauge({
      name: 'engine_quote_failovers',
      help: 'Changes of a symbol’s pricing LP since start',
      labelNames: ['symbol'] as const,
      registers: [registry],
      collect() {
        if (!prices) return;
        this.reset();
        for (const [symbol, n] of prices().failovers()) this.set({ symbol }, n);
      },
    }),
    withdrawals: new client.Gauge({
      name: 'engine_quote_withdrawals',
      help: 'Platform quotes withdrawn since start because their LP went down with no other to take over',
      registers: [registry],
      collect() {
        if (prices) this.set(prices().withdrawals());
      },
    }),
    ticks: new client.Gauge({
      name: 'engine_ticks',
      help: 'Tick history: rows written, dropped (could not be kept), spilled to disk, waiting in spill files, waiting in memory',
      labelNames: ['what'] as const,
      registers: [registry],
      collect() {
        if (!prices) return;
        const t = prices().ticks();
        for (const what of ['written', 'dropped', 'spilled', 'spillPending', 'pending'] as const) this.set({ what }, t[what]);
      },
    }),
    symbolsWithoutPrice: new client.Gauge({
      name: 'engine_symbols_without_price',
      help: 'Enabled symbols with no platform quote now',
      registers: [registry],
      collect() {
        if (!prices) return;
        let n = 0;
        for (const ms of prices().quoteAges().values()) if (ms === null) n++;
        this.set(n);
      },
    }),
    quoteAge: new client.Gauge({
      name: 'engine_quote_age_seconds',
      help: 'Age of each symbol’s platform quote (absent: the symbol has no price)',
      labelNames: ['symbol'] as const,
      registers: [registry],
      collect() {
        if (!prices) return;
        this.reset();
        for (const [symbol, ms] of prices().quoteAges()) if (ms !== null) this.set({ symbol }, ms / 1000);
      },
    }),
    socketsConnected: new client.Gauge({
      name: 'engine_sockets_connected',
      help: 'Socket.IO clients connected now',
      registers: [registry],
    }),
    groupCommitSeconds: new client.Histogram({
      name: 'engine_group_commit_seconds',
      help: 'Time one group-commit transaction (the write sets of several commands) takes to commit',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    groupCommitSize: new client.Histogram({
      name: 'engine_group_commit_write_sets',
      help: 'Commands whose writes one group-commit transaction carries',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
