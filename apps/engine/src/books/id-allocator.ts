import type { Sql } from '@broker/db';

export type IdTable = 'orders' | 'positions' | 'trades' | 'ledger';

/** A block of ids handed out from `head` on (no shifting of the array per take). */
interface Block {
  ids: bigint[];
  head: number;
}

/**
 * Hands out 64-bit ids from the tables' own sequences in blocks, so a command can build all its rows
 * (order → position → trade → ledger, referencing one another) before it writes, and many commands'
 * rows can be written together (group commit). `nextval` over generate_series is atomic per call, so
 * several engines may share one database. Refills are plain SQL on the engine's pool (the ORM's raw query
 * cost more than the rest of a refill), a quarter of a block ahead, so the hot path rarely waits.
 */
export class IdAllocator {
  private readonly blocks = new Map<IdTable, Block[]>();
  private readonly refills = new Map<IdTable, Promise<void>>();

  constructor(
    private readonly sql: Sql,
    private readonly blockSize = 1024,
  ) {}

  private available(table: IdTable): number {
    let n = 0;
    for (const b of this.blocks.get(table) ?? []) n += b.ids.length - b.head;
    return n;
  }

  private refill(table: IdTable): Promise<void> {
    let p = this.refills.get(table);
    if (!p) {
      p = (async () => {
        const { rows } = await this.sql.query<{ id: string }>(
          `SELECT nextval('"${table}_id_seq"')::text AS id FROM generate_series(1, ${this.blockSize})`,
        );
        const list = this.blocks.get(table) ?? [];
        list.push({ ids: rows.map((r) => BigInt(r.id)), head: 0 });
        this.blocks.set(table, list);
      })().finally(() => this.refills.delete(table));
      this.refills.set(table, p);
    }
    return p;
  }

  /** `count` fresh ids of `table`. */
  async take(table: IdTable, count = 1): Promise<bigint[]> {
    while (this.available(table) < count) await this.refill(table);
    const list = this.blocks.get(table)!;
    const out: bigint[] = [];
    while (out.length < count) {
      const b = list[0]!;
      while (b.head < b.ids.length && out.length < count) out.push(b.ids[b.head++]!);
      if (b.head === b.ids.length) list.shift();
    }
    if (this.available(table) < this.blockSize / 4) void this.refill(table).catch(() => undefined);
    return out;
  }

  async one(table: IdTable): Promise<bigint> {
    return (await this.take(table, 1))[0]!;
  }
}
