// TimescaleDB when the server has it (design.md §3.2; architecture.md: "ticks use TimescaleDB hypertables
// when the extension is present"): ticks and ohlc become hypertables (1-day / 7-day chunks) and a continuous
// aggregate builds 1-minute bars from ticks. Without the extension (or on PGlite) the plain tables the
// migrations created stay as they are and everything works the same, only without chunking.
import type { DbKind, PrismaClient } from '@broker/db';
import type { Logger } from '../logger.ts';

export interface TimescaleResult {
  enabled: boolean;
  reason?: string;
}

export const CAGG_NAME = 'ohlc_1m_cagg';

/**
 * The statements of the "present" path, in order. Each runs on its own (CREATE MATERIALIZED VIEW … WITH
 * (timescaledb.continuous) refuses to run inside a transaction block). All are idempotent.
 */
export function timescaleStatements(): string[] {
  return [
    `CREATE EXTENSION IF NOT EXISTS timescaledb`,
    // The primary keys (time, symbol, lp) and (time, symbol, timeframe) include the partitioning column, as
    // hypertables require; migrate_data moves rows already there into chunks.
    `SELECT create_hypertable('ticks', 'time', chunk_time_interval => INTERVAL '1 day', if_not_exists => TRUE, migrate_data => TRUE)`,
    `SELECT create_hypertable('ohlc', 'time', chunk_time_interval => INTERVAL '7 days', if_not_exists => TRUE, migrate_data => TRUE)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${CAGG_NAME} WITH (timescaledb.continuous) AS ` +
      `SELECT time_bucket(INTERVAL '1 minute', ticks.time) AS bucket, ticks.symbol AS symbol, ` +
      `first(ticks.bid, ticks.time) AS open, max(ticks.bid) AS high, min(ticks.bid) AS low, ` +
      `last(ticks.bid, ticks.time) AS close, count(*) AS volume ` +
      `FROM ticks GROUP BY time_bucket(INTERVAL '1 minute', ticks.time), ticks.symbol WITH NO DATA`,
    `SELECT add_continuous_aggregate_policy('${CAGG_NAME}', start_offset => INTERVAL '1 hour', end_offset => INTERVAL '1 minute', ` +
      `schedule_interval => INTERVAL '1 minute', if_not_exists => TRUE)`,
  ];
}

/**
 * Turns on TimescaleDB if the server offers it. `kind` (Db.kind) short-cuts PGlite, which never has it.
 * Never throws: a failure leaves the plain tables and returns enabled:false with the reason.
 */
export async function enableTimescale(
  prisma: Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>,
  log: Logger,
  opts: { kind?: DbKind } = {},
): Promise<TimescaleResult> {
  if (opts.kind === 'pglite') return report(log, { enabled: false, reason: 'embedded database (PGlite): plain tables' });
  let available: { name: string; installed_version: string | null }[];
  try {
    available = await prisma.$queryRawUnsafe(`SELECT name, installed_version FROM pg_available_extensions WHERE name = 'timescaledb'`);
  } catch (e) {
    return report(log, { enabled: false, reason: `cannot list extensions: ${(e as Error).message}` });
  }
  if (available.length === 0) return report(log, { enabled: false, reason: 'timescaledb extension not available on this server: plain tables' });
  for (const sql of timescaleStatements()) {
    try {
      await prisma.$executeRawUnsafe(sql);
    } catch (e) {
      // Typically: timescaledb not in shared_preload_libraries, or no permission to create the extension.
      return report(log, { enabled: false, reason: `${(e as Error).message} (while: ${sql.slice(0, 60)}…)` });
    }
  }
  return report(log, { enabled: true });
}

function report(log: Logger, r: TimescaleResult): TimescaleResult {
  if (r.enabled) log.info('timescaledb enabled', { hypertables: ['ticks', 'ohlc'], continuousAggregate: CAGG_NAME });
  else log.info('timescaledb not used', { reason: r.reason });
  return r;
}
