/**
 * One writer per account (architecture.md): commands for an account run one at a time, in arrival order,
 * so two simultaneous orders can never spend the same free margin. In one process this is a promise chain
 * per account; across machines the same interface sits on RabbitMQ partitions with a single consumer each.
 */
export interface CommandQueue {
  submit<T>(accountId: number, command: () => Promise<T>): Promise<T>;
  /** Resolves when every queued command has finished. */
  drain(): Promise<void>;
}

export class InProcessCommandQueue implements CommandQueue {
  private readonly tails = new Map<number, Promise<unknown>>();

  submit<T>(accountId: number, command: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(accountId) ?? Promise.resolve();
    const run = previous.then(command, command);
    const tail = run.catch(() => undefined);
    this.tails.set(accountId, tail);
    void tail.then(() => {
      if (this.tails.get(accountId) === tail) this.tails.delete(accountId);
    });
    return run;
  }

  async drain(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
