// @broker/db/testing: a database of one's own for each test run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from './client.ts';
import { migrate } from './migrate.ts';

export interface TestDatabase {
  db: Db;
  /** Connection URL of the fresh PostgreSQL database; null for in-memory PGlite. */
  url: string | null;
  /** Closes db and (PostgreSQL) drops the database. Idempotent. */
  drop(): Promise<void>;
}

/**
 * DATABASE_URL set (or opts.serverUrl): creates broker_test_<pid>_<random> on that server, migrates it and
 * connects to it. Otherwise: a migrated in-memory PGlite.
 */
export async function createTestDatabase(opts: { serverUrl?: string } = {}): Promise<TestDatabase> {
  const serverUrl = opts.serverUrl ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await createDb({ databaseUrl: '', dataDir: 'memory://', migrate: true });
    let dropped: Promise<void> | undefined;
    return { db, url: null, drop: () => (dropped ??= db.close()) };
  }
  const name = `broker_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = '/' + name;
  const url = u.toString();
  const dropDatabase = async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
  let db: Db;
  try {
    db = await createDb({ databaseUrl: url });
    await migrate(db).catch(async (e) => {
      await db.close();
      throw e;
    });
  } catch (e) {
    await dropDatabase();
    throw e;
  }
  let dropped: Promise<void> | undefined;
  return {
    db,
    url,
    drop: () =>
      (dropped ??= (async () => {
        await db.close();
        await dropDatabase();
      })()),
  };
}
