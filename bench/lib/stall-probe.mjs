// Preloaded into a process under test (node --import <this file>): its event-loop stalls, measured from
// inside by perf_hooks' monitorEventLoopDelay at 1 ms resolution (a libuv timer every 1 ms; how late each one
// ran). Plain JavaScript, so it loads before tsx and runs with any commit's engine: the same probe measures
// the old code and the new. SIGUSR2 writes what was seen since the last signal to STALL_PROBE_FILE (JSON, ms:
// max, p99, p50, mean, the sample count, and about how many samples were later than 4/10/20/50 ms) and
// starts over.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.STALL_PROBE_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const ms = (ns) => Number(ns) / 1e6;
  process.on('SIGUSR2', () => {
    // Samples later than X: from the histogram's percentile table (the first percentile whose value exceeds X).
    const table = [...h.percentiles].sort((a, b) => a[0] - b[0]);
    const over = {};
    for (const x of [4, 10, 20, 50]) {
      const first = table.find(([, v]) => ms(v) > x);
      over[x] = first ? Math.round(((100 - first[0]) / 100) * h.count) : 0;
    }
    const report = { max: ms(h.max), p99: ms(h.percentile(99)), p50: ms(h.percentile(50)), mean: h.count ? h.mean / 1e6 : 0, samples: h.count, over, at: Date.now() };
    h.reset();
    writeFileSync(file, JSON.stringify(report));
  });
}
