// One lint setup for the whole repository (typescript-eslint, type-unaware for speed).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/generated/**', '**/next-env.d.ts', '.test-results/**', '.data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/generated/prisma/**'], message: 'Import Prisma types from @broker/db.' }] },
      ],
    },
  },
  { files: ['packages/db/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['apps/engine/src/domain/**/*.ts'],
    rules: {
      // architecture.md: the domain is pure — no I/O, no clock, no randomness.
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time comes in as an argument (now).' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'No randomness in the domain.' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', '@broker/db', 'ioredis', 'socket.io', '../books/*', '../marketdata/*', '../api/*'], message: 'The domain is pure (architecture.md).' }] },
      ],
    },
  },
);
