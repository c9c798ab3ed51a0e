import { defineConfig } from 'vitest/config';

// Its own config, so running the package's tests does not pick up the root workspace's project list.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], environment: 'node' } });
