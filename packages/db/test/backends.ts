// Which backends the tests run on: PGlite always, PostgreSQL too when DATABASE_URL is set.
export const BACKENDS: { name: 'pglite' | 'postgres'; serverUrl?: string }[] = [
  { name: 'pglite' },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, serverUrl: process.env.DATABASE_URL }] : []),
];
