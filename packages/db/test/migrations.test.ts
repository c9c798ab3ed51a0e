import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, listMigrations, migrate, MIGRATIONS_DIR, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { BACKENDS } from './backends.ts';

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const rowsOf = (db: Db) =>
  db.prisma.$queryRawUnsafe<MigrationRow[]>('SELECT * FROM "_prisma_migrations" ORDER BY started_at');

describe('migration files', () => {
  it('are laid out as prisma migrate expects', () => {
    const lock = readFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8');
    expect(lock).toContain('provider = "postgresql"');
    const files = listMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]!.name).toMatch(/^\d{14}_init$/);
    for (const f of files) expect(f.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });
});

describe.each(BACKENDS)('migrate on $name', ({ name, serverUrl }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    const started = performance.now();
    t = await createTestDatabase({ serverUrl: serverUrl ?? '' });
    console.log(`[${name}] fresh migrated test database in ${Math.round(performance.now() - started)} ms`);
  });
  afterAll(() => t?.drop());

  it('records every migration as prisma migrate deploy does', async () => {
    const files = listMigrations();
    const rows = await rowsOf(t.db);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const file = readFileSync(path.join(MIGRATIONS_DIR, files[i]!.name, 'migration.sql'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.started_at).toBeInstanceOf(Date);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it('has the schema tables and the _prisma_migrations columns of Prisma', async () => {
    const cols = await t.db.prisma.$queryRawUnsafe<{ column_name: string; data_type: string }[]>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = '_prisma_migrations' AND table_schema = current_schema() ORDER BY ordinal_position`,
    );
    expect(cols.map((c) => c.column_name)).toEqual([
      'id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count',
    ]);
    expect(await t.db.prisma.user.count()).toBe(0);
    expect(await t.db.prisma.symbol.count()).toBe(0);
  });

  it('is a no-op when applied again', async () => {
    const before = await rowsOf(t.db);
    const r = await migrate(t.db);
    expect(r.applied).toEqual([]);
    expect(r.alreadyApplied).toEqual(listMigrations().map((m) => m.name));
    expect(await rowsOf(t.db)).toEqual(before);
  });
});

describe.runIf(!!process.env.DATABASE_URL)('migrate on PostgreSQL, concurrency and schemas', () => {
  it('two processes migrating one fresh database at once apply each migration once', async () => {
    const t = await createTestDatabase();
    const url = t.url!;
    // Empty a second fresh database: drop everything the helper migrated, then race two clients on it.
    await t.db.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const a = await createDb({ databaseUrl: url });
    const b = await createDb({ databaseUrl: url });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(listMigrations().map((m) => m.name));
      expect((await rowsOf(a)).length).toBe(listMigrations().length);
    } finally {
      await a.close();
      await b.close();
      await t.drop();
    }
  });

  it('migrates into a non-public schema via search_path', async () => {
    const t = await createTestDatabase();
    const db = await createDb({ databaseUrl: t.url!, schema: 'tenant_a', migrate: true });
    try {
      await db.prisma.liquidityProvider.create({ data: { name: 'X', type: 'SIMULATED' } });
      const c = new pg.Client({ connectionString: t.url! });
      await c.connect();
      const r = await c.query(`SELECT count(*)::int AS n FROM tenant_a.liquidity_providers`);
      const m = await c.query(`SELECT count(*)::int AS n FROM tenant_a._prisma_migrations`);
      await c.end();
      expect(r.rows[0].n).toBe(1);
      expect(m.rows[0].n).toBe(listMigrations().length);
    } finally {
      await db.close();
      await t.drop();
    }
  });
});
