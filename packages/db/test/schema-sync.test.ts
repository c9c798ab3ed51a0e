import { describe, expect, it } from 'vitest';
import { EMPTY_MIGRATION, diffMigrationsToSchema } from '../src/schema-engine.ts';

describe('committed migrations', () => {
  it('are in sync with prisma/schema.prisma (run `npm run db:migrate:new -- <name>` if not)', async () => {
    const started = performance.now();
    const diff = (await diffMigrationsToSchema()).trim();
    console.log(`[schema-engine-wasm] migrations → schema diff in ${Math.round(performance.now() - started)} ms`);
    expect(diff === '' || diff === EMPTY_MIGRATION ? '' : diff).toBe('');
  });
});
