import type { Sql } from '@broker/db';
import { writeWriteSet } from './sql-writer.ts';
import type { Logger } from '../logger.ts';
import { isEmpty, mergeWriteSets, type WriteSet } from './write-set.ts';

export { BalanceConflict } from './sql-writer.ts';

/** Writes a write set in one transaction (the order respects the foreign keys). */
export async function writeInTransaction(sql: Sql, ws: WriteSet): Promise<void> {
  // One statement is one implicit transaction: no BEGIN/COMMIT round trips.
  await writeWriteSet(sql, ws);
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
  private inFlight = 0;
  private scheduled = false;
  batches = 0;
  writeSets = 0;

  /**
   * `maxInFlight` transactions may run at once (each on its own connection). That is safe because one
   * account never has two commands in flight (its queue waits for the commit), so concurrent batches touch
   * disjoint accounts, positions and orders.
   */
  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly opts: { maxBatch?: number; maxInFlight?: number; onCommit?: (ms: number, writeSets: number) => void } = {},
  ) {}

  commit(ws: WriteSet): Promise<void> {
    if (isEmpty(ws)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ ws, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || !this.queue.length || this.inFlight >= (this.opts.maxInFlight ?? 1)) return;
    this.scheduled = true;
    // One turn of the event loop lets the commands of this turn join the batch.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.queue.length || this.inFlight >= (this.opts.maxInFlight ?? 1)) return;
      const batch = this.queue.splice(0, this.opts.maxBatch ?? 256);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
      this.schedule();
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    this.batches++;
    this.writeSets += batch.length;
    const started = performance.now();
    try {
      await writeInTransaction(this.sql, batch.length === 1 ? batch[0]!.ws : mergeWriteSets(batch.map((b) => b.ws)));
      this.opts.onCommit?.(performance.now() - started, batch.length);
      for (const b of batch) b.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.log.warn('group commit failed; retrying its write sets one by one', { size: batch.length, error: (err as Error).message });
      for (const b of batch) {
        try {
          await writeInTransaction(this.sql, b.ws);
          b.resolve();
        } catch (e) {
          b.reject(e);
        }
      }
    }
  }
}
