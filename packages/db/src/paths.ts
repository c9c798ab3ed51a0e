import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/db */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The monorepo root (two levels above packages/db). */
export const REPO_ROOT = path.resolve(PACKAGE_DIR, '..', '..');
export const SCHEMA_PATH = path.join(PACKAGE_DIR, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(PACKAGE_DIR, 'prisma', 'migrations');
/** Default PGlite data folder when DATABASE_URL is unset. */
export const DEFAULT_PGLITE_DIR = path.join(REPO_ROOT, '.data', 'pglite');
