// Every suite of the repository, as vitest projects. `npm test` (scripts/test.mjs) runs this, then the
// end-to-end suite, and prints one line with the totals.
import { defineConfig } from 'vitest/config';

const INTEGRATION = ['test/trading-api.test.ts', 'test/access.test.ts', 'test/bad-input.test.ts', 'test/desk-api.test.ts', 'test/concurrency.test.ts', 'test/rollover.test.ts', 'test/backoffice-api.test.ts', 'test/dealing-api.test.ts', 'test/statements-api.test.ts', 'test/alerts-api.test.ts', 'test/credit-api.test.ts'];

export default defineConfig({
  test: {
    projects: [
      'packages/db',
      'packages/quickfix',
      { test: { name: 'ui', root: 'packages/ui', include: ['test/**/*.test.ts'] } },
      { test: { name: 'api', root: 'packages/api', include: ['test/**/*.test.ts'] } },
      { test: { name: 'trader-web', root: 'apps/trader-web', include: ['test/**/*.test.ts'] } },
      // Next keeps JSX as written (tsconfig jsx: preserve); the tests compile it with the automatic runtime.
      { test: { name: 'admin-web', root: 'apps/admin-web', include: ['test/**/*.test.ts'] }, oxc: { jsx: { runtime: 'automatic' } } },
      'apps/engine',
      // The engine's integration tests once more on the embedded database, whatever DATABASE_URL says.
      {
        test: {
          name: 'engine-embedded',
          root: 'apps/engine',
          include: INTEGRATION,
          env: { DATABASE_URL: '', REDIS_URL: '' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
