// Offline migration tooling: Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm),
// driven through a driver adapter instead of the native `schema-engine` binary that `prisma migrate`
// downloads at run time (unreachable here). The "databases" it talks to are in-memory PGlite instances:
// one it regards as the dev database (never written to by createMigration/diff) and a fresh one as the
// shadow database onto which it replays the committed migrations.
//
// Dev-time only (used by scripts/migrate-new.ts and the migrations-in-sync test); not exported from the
// package root, so the runtime client never loads the 5 MB wasm.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';

let wasmReady = false;

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}

/** Instantiates the wasm by hand: the package's entry does `import * as wasm from "./x.wasm"`, which Node 20
 *  only supports behind --experimental-wasm-modules. */
function initWasm(): void {
  if (wasmReady) return;
  const require = createRequire(import.meta.url);
  const jsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = path.join(path.dirname(jsPath), 'schema_engine_bg.wasm');
  // (lib has no DOM/WebAssembly value typings here; Node provides the global.)
  const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const module = new WA.Module(readFileSync(wasmPath));
  const instance = new WA.Instance(module, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  wasmReady = true;
}

/** Wraps pglite-prisma-adapter's connection: its executeScript does not await PGlite's exec (errors escape
 *  as unhandled rejections and the engine sees success), which matters when replaying migrations. */
function withAwaitedScript(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'executeScript') {
        return async (script: string) => {
          try {
            await db.exec(script);
          } catch (e) {
            // Re-throw through the adapter's own error conversion (DatabaseError → DriverAdapterError).
            (target as unknown as { onError(e: unknown): never }).onError(e);
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A migration-aware adapter factory whose dev and shadow databases are both throw-away in-memory PGlites. */
function memoryAdapterFactory(): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
} {
  const opened: PGlite[] = [];
  const open = async (): Promise<SqlDriverAdapter> => {
    const db = new PGlite('memory://');
    opened.push(db);
    const adapter = await new PrismaPGlite(db).connect();
    return withAwaitedScript(adapter, db);
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pglite',
    connect: open,
    connectToShadowDb: open,
  };
  return {
    factory,
    close: async () => {
      await Promise.all(opened.map((db) => (db.closed ? undefined : db.close())));
    },
  };
}

/** Reads the migrations folder the way the Prisma CLI does (sorted directory names, migration.sql each). */
export function readMigrationList(dir: string = MIGRATIONS_DIR): MigrationList {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const migrationDirectories = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort((a, b) => a.localeCompare(b))
        .map((name) => {
          const file = path.join(dir, name, 'migration.sql');
          let content: { tag: 'ok'; value: string } | { tag: 'error'; value: string };
          try {
            content = { tag: 'ok', value: readFileSync(file, 'utf8') };
          } catch (e) {
            content = { tag: 'error', value: (e as Error).message };
          }
          return { path: name, migrationFile: { path: 'migration.sql', content } };
        })
    : [];
  return {
    baseDir: dir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Exactly what the Prisma CLI writes as prisma/migrations/migration_lock.toml. */
export const MIGRATION_LOCK_TOML =
  '# Please do not edit this file manually\n' +
  '# It should be added in your version-control system (e.g., Git)\n' +
  'provider = "postgresql"\n';

export interface EngineSession {
  engine: SchemaEngine;
  schema: { path: string; content: string };
  logs: string[];
  close(): Promise<void>;
}

/** Starts the wasm schema engine on schema.prisma with in-memory PGlite dev/shadow databases. */
export async function openSchemaEngine(schemaPath: string = SCHEMA_PATH): Promise<EngineSession> {
  initWasm();
  const content = readFileSync(schemaPath, 'utf8');
  const logs: string[] = [];
  const { factory, close } = memoryAdapterFactory();
  const engine = await glue.SchemaEngine.new(
    { datamodels: [[schemaPath, content]] },
    (log: string) => logs.push(log),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    schema: { path: schemaPath, content },
    logs,
    close: async () => {
      engine.free();
      await close();
    },
  };
}

/**
 * SQL that brings a database migrated with the committed migrations to schema.prisma; '' when in sync.
 * Same engine call as `prisma migrate diff --from-migrations … --to-schema … --script`.
 */
export async function diffMigrationsToSchema(
  migrationsDir: string = MIGRATIONS_DIR,
  schemaPath: string = SCHEMA_PATH,
): Promise<string> {
  const session = await openSchemaEngine(schemaPath);
  try {
    const list = readMigrationList(migrationsDir);
    // Before the first migration there is no migration_lock.toml, which the engine reads the connector from;
    // supply the one the first migration will write. (Diffing from { tag: 'empty' } instead would also
    // emit `CREATE SCHEMA "public"`, which migrate dev's first migration does not contain.)
    if (list.lockfile.content === null) list.lockfile.content = MIGRATION_LOCK_TOML;
    const result = await session.engine.diff({
      from: { tag: 'migrations', ...list },
      to: { tag: 'schemaDatamodel', files: [session.schema] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    await session.close();
  }
}

/** The "script" the engine renders for an empty diff. */
export const EMPTY_MIGRATION = '-- This is an empty migration.';

/**
 * What `prisma migrate dev --create-only` would write as the next migration.sql, or null if nothing changed.
 * (The wasm engine's createMigration cannot reach a shadow database in this version, "PostgreSQL shadow DB
 * must be provided through an external factory", while diff is given the adapter factory; migrate dev's
 * createMigration renders the very same script for the same migrations → schema difference.)
 */
export async function draftMigration(
  migrationsDir: string = MIGRATIONS_DIR,
  schemaPath: string = SCHEMA_PATH,
): Promise<string | null> {
  const script = (await diffMigrationsToSchema(migrationsDir, schemaPath)).trim();
  return script === '' || script === EMPTY_MIGRATION ? null : script + '\n';
}
