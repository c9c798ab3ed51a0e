// Issue 12 (low): a trader could tell another's account id from a missing one by timing (1.15 ms against
// 1.76 ms): the owner check answered another's account from memory (or loaded it, positions and all) and
// looked a missing id up in the database. Now both take the same path — the same query, by the trader's id —
// and get the same answer. Proved by the work, not by the clock: the database queries each probe makes are
// recorded at the driver and compared.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let recording: string[] | null = null;
const restore: (() => void)[] = [];

/** Records the text of every query any connection of this process sends while `recording` is set. */
function recordQueries(proto: Record<string, unknown>, method: string) {
  const original = proto[method] as (...args: unknown[]) => unknown;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : (q as { text?: string } | null)?.text;
    if (recording && typeof text === 'string') recording.push(text);
    return original.apply(this, args);
  };
  restore.push(() => {
    proto[method] = original;
  });
}

/** The queries a call makes that read accounts, positions or orders (other background work is left out). */
async function queriesOf(call: () => Promise<unknown>): Promise<{ queries: string[]; outcome: string }> {
  recording = [];
  let outcome: string;
  try {
    await call();
    outcome = 'OK';
  } catch (err) {
    const e = err as { data?: { appCode?: string }; message?: string; code?: string };
    outcome = `${e.data?.appCode ?? e.code ?? 'ERROR'}: ${e.message}`;
  }
  const queries = recording.filter((q) => /accounts|positions|orders/i.test(q) && !/^\s*(INSERT|WITH)/i.test(q));
  recording = null;
  return { queries, outcome };
}

beforeAll(async () => {
  recordQueries(pg.Client.prototype as unknown as Record<string, unknown>, 'query');
  recordQueries(PGlite.prototype as unknown as Record<string, unknown>, 'query');
  t = await startTestEngine();
}, 120_000);
afterAll(async () => {
  await t?.stop();
  for (const r of restore) r();
});

describe("another trader's account id and a missing one", () => {
  it('take the same path and get the same answer, through reads, trades and socket subscriptions', async () => {
    const prober = await t.createTrader();
    const other = await t.createTrader();
    const unloaded = await t.createTrader();
    // The other trader is active: their account is in the engine's memory, as a busy account would be.
    await t.client(other.token).account.summary.query({ accountId: other.accountId });
    const missing = 2_000_000_000;
    const api = t.client(prober.token);
    // The prober's own account is known: the check of the id asked about is all that differs below.
    await api.account.summary.query({ accountId: prober.accountId });

    for (const probe of [
      (accountId: number) => api.account.summary.query({ accountId }),
      (accountId: number) => api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.01' }),
    ]) {
      const foreign = await queriesOf(() => probe(other.accountId));
      const notLoaded = await queriesOf(() => probe(unloaded.accountId));
      const none = await queriesOf(() => probe(missing));
      expect(none.outcome).toMatch(/^ACCOUNT_NOT_FOUND/);
      expect(foreign.outcome).toBe(none.outcome);
      expect(notLoaded.outcome).toBe(none.outcome);
      // The same queries, in the same order, none of them by the id asked about.
      expect(foreign.queries).toEqual(none.queries);
      expect(notLoaded.queries).toEqual(none.queries);
      expect(none.queries.length).toBeGreaterThan(0);
    }
    // Probing did not load the unprobed-by-its-owner account into the engine's memory.
    expect(t.running.engine.book.peek(unloaded.accountId)).toBeUndefined();

    // Socket subscriptions: the same answer, by the same queries.
    const s = await t.socket(prober.token);
    const sub = (accountId: number) => queriesOf(async () => {
      const res = await s.timeout(5000).emitWithAck('subscribe', { type: 'account', accountId });
      if (!res.ok) throw Object.assign(new Error(res.message), { code: res.code });
    });
    const foreign = await sub(other.accountId);
    const none = await sub(missing);
    expect(foreign.outcome).toBe(none.outcome);
    expect(none.outcome).toMatch(/^ACCOUNT_NOT_FOUND/);
    expect(foreign.queries).toEqual(none.queries);
    expect(await sub(prober.accountId)).toEqual({ queries: [], outcome: 'OK' });
    s.disconnect();
  });
});
