// npm run migrate:new -w @broker/db -- <name>
// Writes the next migration (prisma/migrations/<UTC timestamp>_<name>/migration.sql) offline: the wasm schema
// engine replays the committed migrations onto an in-memory PGlite shadow database and diffs the result
// against prisma/schema.prisma, as `prisma migrate dev --create-only --name <name>` would.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../src/paths.ts';
import { MIGRATION_LOCK_TOML, draftMigration } from '../src/schema-engine.ts';

function migrationTimestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

async function main(): Promise<void> {
  const raw = process.argv.slice(2).filter((a) => a !== '--').join('_');
  const name = raw.trim().toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) {
    console.error('usage: npm run migrate:new -w @broker/db -- <name>');
    process.exit(2);
  }
  const started = Date.now();
  const script = await draftMigration();
  if (script === null) {
    console.log('no changes: prisma/schema.prisma matches the committed migrations');
    return;
  }
  mkdirSync(MIGRATIONS_DIR, { recursive: true });
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  if (!existsSync(lockPath)) writeFileSync(lockPath, MIGRATION_LOCK_TOML);
  const dirName = `${migrationTimestamp()}_${name}`;
  const dir = path.join(MIGRATIONS_DIR, dirName);
  if (existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration.sql'), script);
  console.log(
    `wrote prisma/migrations/${dirName}/migration.sql (${script.split('\n').length} lines, ${Date.now() - started} ms)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
