// The trigger index pops, per symbol and side, the levels a quote reaches — in exact price order even where
// two levels are the same double.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { TriggerIndex, type TriggerEntry } from '../src/books/trigger-index.ts';

const entry = (id: number, price: string, direction: 'down' | 'up', side: 'bid' | 'ask' = 'bid'): TriggerEntry => ({
  key: `O${id}`,
  kind: 'ORDER',
  id: BigInt(id),
  accountId: 1,
  symbol: 'BIG',
  side,
  direction,
  price: new Decimal(price),
});

describe('TriggerIndex', () => {
  it('fires falling levels highest first and stops at the first that the price does not reach', () => {
    const idx = new TriggerIndex();
    for (const [id, p] of [[1, '1.1000'], [2, '1.0990'], [3, '1.0980']] as const) idx.upsert(entry(id, p, 'down'));
    expect(idx.fire('BIG', new Decimal('1.0990'), new Decimal('1.0992')).map((e) => e.id)).toEqual([1n, 2n]);
    expect(idx.size).toBe(1);
    expect(idx.firePoints('BIG', 10980, 10982, 4).map((e) => e.id)).toEqual([3n]);
  });

  it('orders levels that are one double exactly (Decimal(20,8) with 12 integer digits)', () => {
    const low = '123456789012.12345678';
    const high = '123456789012.12345679';
    expect(new Decimal(low).toNumber()).toBe(new Decimal(high).toNumber());
    for (const order of [[low, high], [high, low]]) {
      // Falling: a bid at `high` reaches the level at `high`, not the one at `low`.
      const down = new TriggerIndex();
      order.forEach((p, i) => down.upsert(entry(i + 1, p, 'down')));
      expect(down.fire('BIG', new Decimal(high), new Decimal(high)).map((e) => e.price.toFixed(8))).toEqual([high]);
      // Rising: an ask at `low` reaches the level at `low` only.
      const up = new TriggerIndex();
      order.forEach((p, i) => up.upsert(entry(i + 1, p, 'up', 'ask')));
      expect(up.fire('BIG', new Decimal(low), new Decimal(low)).map((e) => e.price.toFixed(8))).toEqual([low]);
      // Through the points path (a quote at 2 decimals, 123456789012.13, reaches both): lower level first.
      const both = new TriggerIndex();
      order.forEach((p, i) => both.upsert(entry(i + 1, p, 'up', 'ask')));
      expect(both.firePoints('BIG', 0, 12345678901213, 2).map((e) => e.price.toFixed(8))).toEqual([low, high]);
    }
  });
});
