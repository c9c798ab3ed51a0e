// Revaluation in slices (issue 13): a quote over many accounts queues their margin checks and runs them a
// slice at a time (REVALUE_SLICE_MS), yielding the event loop between slices, each account once, at the
// newest prices. A fake book counts the checks; each check is made to cost ~20 µs.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { QuoteFlow } from '../src/engine/quote-flow.ts';
import type { EngineCore } from '../src/engine/core.ts';

function fakeCore(accounts: number) {
  const checked: number[] = [];
  const holders = new Set(Array.from({ length: accounts }, (_, i) => i + 1));
  const core = {
    book: {
      holdersOf: () => holders,
      dependentsOf: () => new Set<number>(),
      peek: (id: number) => {
        checked.push(id);
        const until = performance.now() + 0.02;
        while (performance.now() < until);
        return undefined;
      },
    },
  } as unknown as EngineCore;
  return { core, checked };
}

describe('revaluation slices', () => {
  it('checks every account once, in several turns, and lets other work run between them', async () => {
    const { core, checked } = fakeCore(1000);
    const flow = new QuoteFlow(core);
    const internals = flow as unknown as { revalueSymbols: Set<string>; revalueAccounts: () => void };
    internals.revalueSymbols.add('EURUSD');
    internals.revalueAccounts();
    const afterFirstTurn = checked.length;
    // Other work (an order) gets the loop between slices.
    let turns = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        turns++;
        // A second quote while the first burst drains: accounts already queued are not queued twice.
        if (turns === 2) {
          internals.revalueSymbols.add('EURUSD');
          internals.revalueAccounts();
        }
        if (checked.length >= 1000 && !(flow as unknown as { draining: boolean }).draining) resolve();
        else setImmediate(tick);
      };
      setImmediate(tick);
    });
    expect(afterFirstTurn).toBeLessThan(1000);
    expect(flow.slices).toBeGreaterThan(5);
    expect(turns).toBeGreaterThan(5);
    // Every account once, plus at most the accounts the second quote re-queued after they had been checked.
    expect(new Set(checked).size).toBe(1000);
    expect(checked.length).toBeLessThan(2000);
  });
});
