#!/usr/bin/env node
// `npm test`: every suite of the repository. Builds the web apps (end-to-end tests drive the built apps),
// runs the static checks (typecheck, lint: one test each), the vitest projects (units and integration: real
// PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, the embedded database always), then the end-to-end
// suite in headless Chromium, and ends with one line that totals them all: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';

function run(cmd, cmdArgs) {
  console.log(`\n$ ${[path.basename(cmd), ...cmdArgs].join(' ')}`);
  return spawnSync(cmd, cmdArgs, { cwd: root, env, stdio: 'inherit' }).status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
function collect(name, file, status) {
  if (!existsSync(file)) {
    console.log(`${name}: no report (runner exited ${status}); counted as one failure`);
    totals.failed += 1;
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  // A suite that failed to load has no failed test but a failed file: count it.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed')).length;
  totals.failed += brokenFiles;
  if (status !== 0 && r.numFailedTests === 0 && brokenFiles === 0) totals.failed += 1;
}

// Static checks, each counted as one test: the TypeScript of every workspace and the benchmarks, and the one
// eslint config (which also keeps the engine's domain free of I/O).
if (only !== 'e2e' && !process.env.SKIP_STATIC) {
  for (const [name, cmd, cmdArgs] of [
    ['typecheck', bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only']],
    ['typecheck (bench)', bin('tsc'), ['-p', 'bench']],
    ['lint', bin('turbo'), ['run', 'lint', '--output-logs=errors-only']],
  ]) {
    if (run(cmd, cmdArgs) === 0) totals.passed += 1;
    else {
      console.log(`${name} failed; counted as one failure`);
      totals.failed += 1;
    }
  }
}

let buildFailed = false;
if (only !== 'unit' && !process.env.SKIP_BUILD) {
  buildFailed = run(bin('turbo'), ['run', 'build', '--filter=@broker/trader-web', '--filter=@broker/admin-web', '--output-logs=errors-only']) !== 0;
}

if (only !== 'e2e') {
  const file = path.join(results, 'unit.json');
  const status = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  collect('unit and integration', file, status);
}

if (only !== 'unit') {
  if (buildFailed) {
    console.log('web app build failed: end-to-end suite not run; counted as one failure');
    totals.failed += 1;
  } else {
    const file = path.join(results, 'e2e.json');
    const status = run(bin('vitest'), ['run', '--config', 'e2e/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
    collect('end-to-end', file, status);
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
