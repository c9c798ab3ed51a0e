// Plain SQL on the same connection pool (or PGlite instance) as Prisma, for the engine's hot write path:
// one multi-row statement per table per group commit, without the ORM's per-query cost.
import { rawDriverOf, type Db } from './client.ts';

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

export interface SqlTx {
  /**
   * `name`: run it as a named prepared statement (PostgreSQL parses and plans a statement text once per
   * connection instead of on every call). Give the same name only to the same text. PGlite ignores it.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], opts?: { name?: string }): Promise<SqlResult<T>>;
}

export interface Sql extends SqlTx {
  /** Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}

const cache = new WeakMap<Db, Sql>();

export function sqlOf(db: Db): Sql {
  const known = cache.get(db);
  if (known) return known;
  const raw = rawDriverOf(db);
  let sql: Sql;
  if (raw.kind === 'postgres') {
    const pool = raw.pool;
    sql = {
      async query<T>(text: string, params: unknown[] = [], opts?: { name?: string }) {
        const r = opts?.name ? await pool.query({ name: opts.name, text, values: params }) : await pool.query(text, params);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
      },
      async transaction<T>(fn: (tx: SqlTx) => Promise<T>) {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query('BEGIN');
          const tx: SqlTx = {
            async query<R>(text: string, params: unknown[] = [], opts?: { name?: string }) {
              const r = opts?.name ? await client.query({ name: opts.name, text, values: params }) : await client.query(text, params);
              return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
            },
          };
          const out = await fn(tx);
          await client.query('COMMIT');
          return out;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          throw err;
        } finally {
          client.release(broken);
        }
      },
    };
  } else {
    const pglite = raw.pglite;
    sql = {
      async query<T>(text: string, params: unknown[] = []) {
        const r = await pglite.query<T>(text, params);
        return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
      },
      async transaction<T>(fn: (tx: SqlTx) => Promise<T>) {
        return pglite.transaction(async (t) =>
          fn({
            async query<R>(text: string, params: unknown[] = []) {
              const r = await t.query<R>(text, params);
              return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
            },
          }),
        );
      },
    };
  }
  cache.set(db, sql);
  return sql;
}
