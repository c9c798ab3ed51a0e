// migrate(db): applies prisma/migrations/*/migration.sql in order, recording each in _prisma_migrations the way
// `prisma migrate deploy` does, so a database migrated here can later be handled by the real Prisma CLI
// (and vice versa). Runs on PostgreSQL and PGlite; needs no schema engine.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { PGlite, Transaction as PgliteTx } from '@electric-sql/pglite';
import { rawDriverOf, type Db } from './client.ts';
import { MIGRATIONS_DIR } from './paths.ts';

/** Prisma's own advisory lock key (schema-engine, postgres connector): also serialises against the CLI. */
export const MIGRATION_ADVISORY_LOCK = 72707369;

/** The table exactly as Prisma's schema engine creates it on PostgreSQL. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  /** Directory name, e.g. 20260101120000_init. */
  name: string;
  sql: string;
  /** sha256 (hex) of the file's bytes, as Prisma computes it. */
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  ms: number;
}

export function listMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b))
    .flatMap((name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) return [];
      const bytes = readFileSync(file);
      return [{ name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') }];
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/** What a migration run needs from a backend. */
interface Runner {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn in one transaction. */
  transaction(fn: (tx: { query: Runner['query']; exec(script: string): Promise<void> }) => Promise<void>): Promise<void>;
}

function pgRunner(client: pg.PoolClient): Runner {
  const query = async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];
  return {
    query,
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        await fn({ query, exec: async (script) => void (await client.query(script)) });
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    },
  };
}

function pgliteRunner(db: PGlite): Runner {
  const wrap = (q: PGlite | PgliteTx): Runner['query'] => async (sql, params) =>
    (await q.query(sql, params as unknown[])).rows as never;
  return {
    query: wrap(db),
    async transaction(fn) {
      await db.transaction(async (tx) => {
        await fn({ query: wrap(tx), exec: async (script) => void (await tx.exec(script)) });
      });
    },
  };
}

async function run(runner: Runner, schema: string, migrations: MigrationFile[]): Promise<Omit<MigrateResult, 'ms'>> {
  if (schema !== 'public') await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
  await runner.query(CREATE_MIGRATIONS_TABLE);
  const rows = await runner.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
  // Like migrate deploy (P3009): refuse to go on while a failed migration is recorded and not rolled back.
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    throw new Error(
      `migrate found failed migrations in the target database: ${failed.map((r) => r.migration_name).join(', ')}. ` +
        'Resolve them (prisma migrate resolve) before applying new ones.',
    );
  }
  const done = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) {
      alreadyApplied.push(m.name);
      continue;
    }
    // One transaction per migration: the row, the script and its completion commit together or not at all.
    await runner.transaction(async (tx) => {
      const id = randomUUID();
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, clock_timestamp(), 0)`,
        [id, m.checksum, m.name],
      );
      try {
        await tx.exec(m.sql);
      } catch (e) {
        throw new Error(`migration ${m.name} failed to apply: ${(e as Error).message}`, { cause: e });
      }
      await tx.query(
        `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1
         WHERE id = $1`,
        [id],
      );
    });
    applied.push(m.name);
  }
  return { applied, alreadyApplied };
}

/**
 * Applies the pending migrations to db (PostgreSQL or PGlite). Idempotent. On PostgreSQL it holds Prisma's
 * migration advisory lock for the whole run, so processes starting together apply each migration once.
 */
export async function migrate(db: Db, opts: { migrationsDir?: string } = {}): Promise<MigrateResult> {
  const started = performance.now();
  const migrations = listMigrations(opts.migrationsDir);
  const raw = rawDriverOf(db);
  let result: Omit<MigrateResult, 'ms'>;
  if (raw.kind === 'postgres') {
    const client = await raw.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_ADVISORY_LOCK]);
      try {
        result = await run(pgRunner(client), raw.schema, migrations);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK]);
      }
    } finally {
      client.release();
    }
  } else {
    result = await run(pgliteRunner(raw.pglite), raw.schema, migrations);
  }
  return { ...result, ms: Math.round(performance.now() - started) };
}
