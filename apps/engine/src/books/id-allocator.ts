import type { PrismaClient } from '@broker/db';

export type IdTable = 'orders' | 'positions' | 'trades' | 'ledger';

/**
 * Hands out 64-bit ids from the tables' own sequences in blocks, so a command can build all its rows
 * (order → position → trade → ledger, referencing one another) before it writes, and many commands'
 * rows can be written together (group commit). `nextval` over generate_series is atomic per call, so
 * several engines may share one database.
 */
export class IdAllocator {
  private readonly blocks = new Map<IdTable, bigint[]>();
  private readonly refills = new Map<IdTable, Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly blockSize = 512,
  ) {}

  private refill(table: IdTable): Promise<void> {
    let p = this.refills.get(table);
    if (!p) {
      p = (async () => {
        const rows = await this.prisma.$queryRawUnsafe<{ id: bigint | string | number }[]>(
          `SELECT nextval('"${table}_id_seq"') AS id FROM generate_series(1, ${this.blockSize})`,
        );
        const list = this.blocks.get(table) ?? [];
        for (const r of rows) list.push(BigInt(r.id));
        this.blocks.set(table, list);
      })().finally(() => this.refills.delete(table));
      this.refills.set(table, p);
    }
    return p;
  }

  /** `count` fresh ids of `table`. */
  async take(table: IdTable, count = 1): Promise<bigint[]> {
    let list = this.blocks.get(table);
    while (!list || list.length < count) {
      await this.refill(table);
      list = this.blocks.get(table)!;
    }
    const out = list.splice(0, count);
    // Keep a block ahead so the hot path rarely waits.
    if (list.length < this.blockSize / 4) void this.refill(table).catch(() => undefined);
    return out;
  }

  async one(table: IdTable): Promise<bigint> {
    return (await this.take(table, 1))[0]!;
  }
}
