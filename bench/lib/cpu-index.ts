// A yardstick for this machine's speed at the moment of a run. The 2-core VM's speed drifts by 2x and more
// within minutes (a fixed loop measured 1.6 to 7.3 ns per iteration in one session; the unchanged pure-CPU
// domain bench went 123k → 47k orders/s between two sessions), so a figure means little without the speed it
// was measured at. The workload is fixed — Decimal arithmetic and formatting like the order path's, and
// integer work like the quote path's — single-threaded, ~0.5 s.
import { performance } from 'node:perf_hooks';
import { Decimal } from 'decimal.js';

/** Thousands of fixed work units per second on one core (higher is faster). */
export function cpuIndex(ms = 500): number {
  const price = new Decimal('1.08437');
  const volume = new Decimal('0.10');
  const contract = new Decimal(100_000);
  let units = 0;
  let sink = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    for (let i = 0; i < 200; i++) {
      const notional = volume.times(contract).times(price.plus(i * 0.00001));
      sink += notional.div(100).toFixed(2).length;
      let x = i;
      for (let k = 0; k < 50; k++) x = (x * 1103515245 + 12345) % 2147483647;
      sink += x & 1;
    }
    units += 200;
  }
  if (sink === -1) console.log(sink); // keeps the work from being optimised away
  return Math.round(units / ms);
}

export const cpuIndexLine = (label: string) => `CPU index (${label}): ${cpuIndex().toLocaleString('en-US')} (fixed single-core work units/ms; compare figures only between runs at similar indexes)`;
