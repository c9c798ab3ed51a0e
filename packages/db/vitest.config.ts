import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Creating a PGlite database runs initdb in wasm (~3-10 s); the schema-engine diff takes ~8 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
