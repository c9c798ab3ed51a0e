import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'quickfix',
    include: ['test/**/*.test.ts'],
    // The addon is a classic (non context-aware) Node addon: one process per test file, no worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
