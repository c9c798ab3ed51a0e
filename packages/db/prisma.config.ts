// Prisma 7 reads connection URLs from here, not from schema.prisma. Offline, only `prisma generate` (and
// `prisma validate` / `format`) run through the CLI; migrations go through scripts/migrate-new.ts and
// src/migrate.ts (see README.md). The URL is optional so generate works with DATABASE_URL unset.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
