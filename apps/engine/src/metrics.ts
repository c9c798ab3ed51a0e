import client from 'prom-client';

/** Prometheus metrics (design.md §12.1): one registry per engine, so tests can run several engines. */
/** `beforeQuotesIn`: called when the quotes-in counter is collected (the engine counts in plain integers). */
export function createMetrics(beforeQuotesIn?: () => void) {
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
      help: 'Quotes received from liquidity providers',
      labelNames: ['lp', 'verdict'] as const,
      registers: [registry],
      collect: beforeQuotesIn,
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
