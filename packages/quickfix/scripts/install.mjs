#!/usr/bin/env node
// `install` script of @broker/quickfix: builds the native addon (build/Release/NodeQuickfix.node) when
// Debian's QuickFIX library is installed, else prints one line saying why not. It never fails the install:
// the platform runs without FIX (the loader reports the reason, see src/index.ts).
//
// Steps: node-gyp configure -> scripts/sanitize-headers.mjs -> node-gyp build. The outcome is written to
// build/install-status.json ({ ok, reason }) for the loader.
// QUICKFIX_SKIP_BUILD=1 skips the build; QUICKFIX_INCLUDE / QUICKFIX_LIB override the search paths.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = '[@broker/quickfix]';
const statusFile = path.join(pkg, 'build', 'install-status.json');

function record(ok, reason) {
  mkdirSync(path.dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, JSON.stringify({ ok, reason, at: new Date().toISOString(), node: process.version }) + '\n');
}

function skip(reason) {
  // no stale addon from an earlier build: the loader then reports this reason
  rmSync(path.join(pkg, 'build', 'Release'), { recursive: true, force: true });
  record(false, reason);
  console.log(`${tag} FIX adapter not built: ${reason}`);
  process.exit(0);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function findQuickfix() {
  const include = process.env.QUICKFIX_INCLUDE ?? '/usr/include/quickfix';
  const headers = existsSync(path.join(include, 'Application.h'));
  const libDirs = [process.env.QUICKFIX_LIB, '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'].filter(Boolean);
  let lib = libDirs.map((d) => path.join(d, 'libquickfix.so')).find((f) => existsSync(f));
  if (!lib && has('gcc')) {
    const r = spawnSync('gcc', ['-print-file-name=libquickfix.so'], { encoding: 'utf8' });
    const p = r.stdout?.trim();
    if (p && p.startsWith('/') && existsSync(p)) lib = p;
  }
  return { headers, lib, include };
}

if (process.env.QUICKFIX_SKIP_BUILD === '1') skip('QUICKFIX_SKIP_BUILD=1');

const { headers, lib } = findQuickfix();
if (!headers || !lib) {
  skip(`libquickfix-dev is not installed (${!headers ? 'no /usr/include/quickfix headers' : 'no libquickfix.so'}); apt-get install libquickfix-dev`);
}
const missingTools = ['g++', 'make', 'python3'].filter((t) => !has(t));
if (missingTools.length) skip(`no C++ toolchain (${missingTools.join(', ')} not found); apt-get install g++ make python3`);

let nan;
try {
  nan = createRequire(path.join(pkg, 'package.json')).resolve('nan');
} catch {
  skip('the nan package is not installed (a dependency of @broker/quickfix)');
}

const npmGyp = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const nodeGyp = [process.env.npm_config_node_gyp, npmGyp].find((p) => p && existsSync(p));
if (!nodeGyp) skip('node-gyp not found (it ships with npm)');

// Node's headers: the installed ones (offline), unless npm already says where they are.
const gypArgs = [];
const nodedir = process.env.npm_config_nodedir ?? path.resolve(path.dirname(process.execPath), '..');
if (existsSync(path.join(nodedir, 'include', 'node', 'node.h'))) gypArgs.push(`--nodedir=${nodedir}`);

function step(name, args) {
  const r = spawnSync(process.execPath, args, { cwd: pkg, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.dirname(path.dirname(nan)) } });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
    console.log(out.filter((l) => /error|Error/.test(l)).slice(0, 15).join('\n') || out.slice(-15).join('\n'));
    skip(`${name} failed (exit ${r.status}); the output is above`);
  }
  return r;
}

console.log(`${tag} building the QuickFIX addon (${lib})`);
const started = Date.now();
rmSync(path.join(pkg, 'build'), { recursive: true, force: true });
step('node-gyp configure', [nodeGyp, 'configure', ...gypArgs]);
const s = step('sanitizing the QuickFIX headers', [path.join(pkg, 'scripts', 'sanitize-headers.mjs')]);
process.stdout.write(s.stdout);
step('node-gyp build', [nodeGyp, 'build', '-j', 'max', ...gypArgs]);
record(true, 'built');
console.log(`${tag} built build/Release/NodeQuickfix.node in ${((Date.now() - started) / 1000).toFixed(1)} s`);
