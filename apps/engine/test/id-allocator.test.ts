// Ids in blocks from the sequences: never twice, across block boundaries and concurrent takes.
import { describe, expect, it } from 'vitest';
import type { Sql } from '@broker/db';
import { IdAllocator } from '../src/books/id-allocator.ts';

/** A stand-in for the database's sequences: nextval over generate_series(1, n). */
function sequences(): { sql: Sql; queries: () => number } {
  const next = new Map<string, bigint>();
  let queries = 0;
  const sql = {
    async query(text: string) {
      queries++;
      const table = /nextval\('"(\w+)_id_seq"'\)/.exec(text)![1]!;
      const n = Number(/generate_series\(1, (\d+)\)/.exec(text)![1]);
      await new Promise((r) => setTimeout(r, 1));
      const rows: { id: string }[] = [];
      for (let i = 0; i < n; i++) {
        const v = (next.get(table) ?? 0n) + 1n;
        next.set(table, v);
        rows.push({ id: v.toString() });
      }
      return { rows, rowCount: rows.length };
    },
    transaction: () => Promise.reject(new Error('not used')),
  } as unknown as Sql;
  return { sql, queries: () => queries };
}

describe('IdAllocator', () => {
  it('hands out every id once, in order, across blocks', async () => {
    const { sql, queries } = sequences();
    const ids = new IdAllocator(sql, 8);
    const got: bigint[] = [];
    for (let i = 0; i < 10; i++) got.push(...(await ids.take('orders', 3)));
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i + 1)));
    expect(queries()).toBeLessThanOrEqual(6);
  });

  it('never gives two concurrent takes the same id, per table', async () => {
    const { sql } = sequences();
    const ids = new IdAllocator(sql, 16);
    const takes = await Promise.all(Array.from({ length: 200 }, (_, i) => ids.take(i % 2 ? 'trades' : 'ledger', 1 + (i % 5))));
    for (const table of ['trades', 'ledger'] as const) {
      const all = takes.filter((_, i) => (i % 2 ? 'trades' : 'ledger') === table).flat();
      expect(new Set(all.map(String)).size).toBe(all.length);
    }
    expect(await ids.one('positions')).toBe(1n);
  });

  it('takes more than a block at once', async () => {
    const { sql } = sequences();
    const ids = new IdAllocator(sql, 4);
    expect(await ids.take('positions', 10)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 1)));
  });
});
