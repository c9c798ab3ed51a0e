// createDb(): one PrismaClient over either PostgreSQL (DATABASE_URL set, @prisma/adapter-pg on a pg.Pool) or
// an embedded PGlite (no DATABASE_URL; data in <repo>/.data/pglite, or memory:// for tests).
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.ts';
import { DEFAULT_PGLITE_DIR } from './paths.ts';

export type DbKind = 'postgres' | 'pglite';

export interface Db {
  prisma: PrismaClient;
  kind: DbKind;
  /** Disconnects Prisma and releases the pool / PGlite instance (idempotent). */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** PostgreSQL URL; default process.env.DATABASE_URL. Unset/empty → embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder (default <repo root>/.data/pglite); 'memory://' for a throw-away database. */
  dataDir?: string;
  /** PostgreSQL schema (default 'public'): set as the connection's search_path and used in queries. */
  schema?: string;
  /** Apply pending migrations (prisma/migrations) before returning. */
  migrate?: boolean;
  /** Max pool size for PostgreSQL (pg default 10). */
  poolSize?: number;
}

/** The raw driver behind a Db, used by migrate() (kept off the public Db shape). */
export type RawDriver =
  | { kind: 'postgres'; pool: pg.Pool; schema: string }
  | { kind: 'pglite'; pglite: PGlite; schema: string };

const rawDrivers = new WeakMap<Db, RawDriver>();

/** @internal */
export function rawDriverOf(db: Db): RawDriver {
  const raw = rawDrivers.get(db);
  if (!raw) throw new Error('not a Db created by createDb()');
  return raw;
}

// ───────────────────────── PGlite registry: one instance per folder per process ─────────────────────────
// PGlite does not lock its folder; two instances on one folder corrupt it. Every createDb() on the same
// folder shares one instance, closed when the last Db using it closes.
interface PgliteEntry {
  pglite: Promise<PGlite>;
  refs: number;
}
const pgliteRegistry = new Map<string, PgliteEntry>();

function isMemory(dataDir: string): boolean {
  return dataDir.startsWith('memory://');
}

async function acquirePglite(dataDir: string): Promise<{ pglite: PGlite; release(): Promise<void> }> {
  if (isMemory(dataDir)) {
    // Every memory:// database is its own (what tests want).
    const pglite = new PGlite('memory://');
    await pglite.waitReady;
    return { pglite, release: () => pglite.close() };
  }
  const key = path.resolve(dataDir);
  let entry = pgliteRegistry.get(key);
  if (!entry) {
    mkdirSync(key, { recursive: true });
    const instance = new PGlite(key);
    entry = { pglite: instance.waitReady.then(() => instance), refs: 0 };
    pgliteRegistry.set(key, entry);
    entry.pglite.catch(() => pgliteRegistry.delete(key));
  }
  entry.refs++;
  const held = entry;
  const pglite = await held.pglite;
  let released = false;
  return {
    pglite,
    release: async () => {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs === 0) {
        pgliteRegistry.delete(key);
        await pglite.close();
      }
    },
  };
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export async function createDb(opts: CreateDbOptions = {}): Promise<Db> {
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  const schema = opts.schema ?? 'public';
  let db: Db;

  if (databaseUrl) {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: opts.poolSize,
      // The adapter's `schema` option only qualifies Prisma's own queries; raw SQL and migrations rely on
      // search_path, set per connection at startup.
      ...(schema !== 'public' ? { options: `-c search_path=${quoteIdent(schema)},public` } : {}),
    });
    pool.on('error', () => {
      /* idle client errors (server restart) surface on the next query instead of crashing the process */
    });
    const adapter = new PrismaPg(pool, schema !== 'public' ? { schema } : undefined);
    const prisma = new PrismaClient({ adapter });
    let closed: Promise<void> | undefined;
    db = {
      prisma,
      kind: 'postgres',
      close: () =>
        (closed ??= (async () => {
          await prisma.$disconnect();
          await pool.end();
        })()),
    };
    rawDrivers.set(db, { kind: 'postgres', pool, schema });
  } else {
    const dataDir = opts.dataDir ?? DEFAULT_PGLITE_DIR;
    const { pglite, release } = await acquirePglite(dataDir);
    if (schema !== 'public') {
      await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)}, public;`);
    }
    const adapter = new PrismaPGlite(pglite);
    const prisma = new PrismaClient({ adapter });
    let closed: Promise<void> | undefined;
    db = {
      prisma,
      kind: 'pglite',
      close: () =>
        (closed ??= (async () => {
          await prisma.$disconnect();
          await release();
        })()),
    };
    rawDrivers.set(db, { kind: 'pglite', pglite, schema });
  }

  if (opts.migrate) {
    try {
      const { migrate } = await import('./migrate.ts');
      await migrate(db);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}
