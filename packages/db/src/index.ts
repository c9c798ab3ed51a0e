// @broker/db: the Prisma client factory, migrations runner, seed and the generated types.
// Other packages import from here only, never from src/generated.
export { createDb, type Db, type DbKind, type CreateDbOptions } from './client.ts';
export { sqlOf, type Sql, type SqlTx, type SqlResult } from './sql.ts';
export { migrate, listMigrations, type MigrateResult, type MigrationFile } from './migrate.ts';
export { seed, DEMO_USERS, DEMO_PASSWORD, SEED_SYMBOLS, type SeedOptions, type SeedResult } from './seed.ts';
export { PACKAGE_DIR, REPO_ROOT, SCHEMA_PATH, MIGRATIONS_DIR, DEFAULT_PGLITE_DIR } from './paths.ts';

// Generated client: PrismaClient, the Prisma namespace (Prisma.Decimal, Prisma.TransactionClient, input
// types…), every enum (Role, Side, OrderType…) as value and type, and the model types (User, Account…).
export * from './generated/prisma/client.ts';

// decimal.js, the library Prisma.Decimal is built from. Values read through Prisma are Prisma.Decimal
// instances (a bundled copy of decimal.js): same API and Decimal.isDecimal() accepts both, but not
// `instanceof` across the two; Prisma accepts either (or strings) as input.
export { default as Decimal } from 'decimal.js';
