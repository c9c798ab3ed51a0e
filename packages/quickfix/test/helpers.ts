import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ReceivedMessage } from '../src/index.js';

export function tmpDir(prefix = 'quickfix-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Collects received messages; waitFor resolves with the first (from `from`) matching message. */
export class Inbox {
  readonly messages: ReceivedMessage[] = [];
  private waiters: Array<{ pred: (m: ReceivedMessage) => boolean; resolve: (m: ReceivedMessage) => void; from: number }> = [];

  push = (m: ReceivedMessage): void => {
    this.messages.push(m);
    this.waiters = this.waiters.filter((w) => {
      if (w.pred(m)) {
        w.resolve(m);
        return false;
      }
      return true;
    });
  };

  get mark(): number {
    return this.messages.length;
  }

  waitFor(pred: (m: ReceivedMessage) => boolean, timeoutMs = 10_000, from = 0): Promise<ReceivedMessage> {
    const found = this.messages.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (m: ReceivedMessage) => (clearTimeout(t), resolve(m)), from };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits until `count` messages (from `from`) match. */
  async waitForCount(pred: (m: ReceivedMessage) => boolean, count: number, timeoutMs = 10_000, from = 0): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.messages.slice(from).filter(pred);
      if (got.length >= count) return got.slice(0, count);
      if (Date.now() > deadline) throw new Error(`only ${got.length}/${count} matching messages within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
