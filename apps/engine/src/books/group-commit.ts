import type { PrismaClient } from '@broker/db';
import type { Logger } from '../logger.ts';
import { isEmpty, mergeWriteSets, type WriteSet } from './write-set.ts';

/** The stored balance was not what the single writer expected: nothing of the batch was written. */
export class BalanceConflict extends Error {
  constructor(readonly expected: number, readonly updated: number) {
    super(`balance check failed: ${updated} of ${expected} accounts matched`);
    this.name = 'BalanceConflict';
  }
}

async function writeBalances(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], balances: WriteSet['balances']) {
  if (!balances.length) return;
  const values: string[] = [];
  const params: unknown[] = [];
  for (const b of balances) {
    const i = params.length;
    values.push(`($${i + 1}::int, $${i + 2}::numeric, $${i + 3}::numeric)`);
    params.push(b.accountId, b.before.toString(), b.after.toString());
  }
  const updated = await tx.$executeRawUnsafe(
    `UPDATE accounts AS a SET balance = v.after, updated_at = now()
       FROM (VALUES ${values.join(', ')}) AS v(id, before, after)
      WHERE a.id = v.id AND a.balance = v.before`,
    ...params,
  );
  if (updated !== balances.length) throw new BalanceConflict(balances.length, updated);
}

/** Writes a write set in one transaction (the order respects the foreign keys). */
export async function writeInTransaction(prisma: PrismaClient, ws: WriteSet): Promise<void> {
  await prisma.$transaction(async (tx) => {
    if (ws.positions.length) await tx.position.createMany({ data: ws.positions });
    if (ws.orders.length) await tx.order.createMany({ data: ws.orders });
    for (const u of ws.orderUpdates) await tx.order.update({ where: { id: u.id }, data: u.data });
    for (const u of ws.positionUpdates) await tx.position.update({ where: { id: u.id }, data: u.data });
    if (ws.trades.length) await tx.trade.createMany({ data: ws.trades });
    if (ws.ledger.length) await tx.ledgerEntry.createMany({ data: ws.ledger });
    await writeBalances(tx, ws.balances);
    if (ws.audit.length) await tx.auditLog.createMany({ data: ws.audit });
  });
}

interface Waiting {
  ws: WriteSet;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: commands hand in their write sets; whatever arrives while a transaction is in flight goes
 * into the next one, so under load many commands share one transaction (and one fsync). A command is
 * acknowledged only after its transaction commits. If a shared transaction fails, each write set is retried
 * alone, so one bad command never fails the others.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  private running = false;
  batches = 0;
  writeSets = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    private readonly maxBatch = 256,
  ) {}

  commit(ws: WriteSet): Promise<void> {
    if (isEmpty(ws)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ ws, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.batches++;
        this.writeSets += batch.length;
        try {
          await writeInTransaction(this.prisma, batch.length === 1 ? batch[0]!.ws : mergeWriteSets(batch.map((b) => b.ws)));
          for (const b of batch) b.resolve();
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          this.log.warn('group commit failed; retrying its write sets one by one', { size: batch.length, error: (err as Error).message });
          for (const b of batch) {
            try {
              await writeInTransaction(this.prisma, b.ws);
              b.resolve();
            } catch (e) {
              b.reject(e);
            }
          }
        }
      }
    } finally {
      this.running = false;
      if (this.queue.length) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    }
  }
}
