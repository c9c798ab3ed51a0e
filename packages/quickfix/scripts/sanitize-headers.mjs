#!/usr/bin/env node
// Copies the QuickFIX headers (default /usr/include/quickfix, or $QUICKFIX_INCLUDE) into
// build/quickfix-include/quickfix with the C++98 dynamic exception specifications removed
// (`throw( ConfigError )`: ill-formed in C++17; `throw()` is kept, it still means noexcept), and adds an
// empty config.h (Debian does not ship one). Prints how many specifications it removed.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = process.env.QUICKFIX_INCLUDE ?? '/usr/include/quickfix';
const target = path.join(pkg, 'build', 'quickfix-include', 'quickfix');

// `throw` followed by a parenthesised, non-empty list of names (possibly over several lines), in a
// declaration context: after `)` or `const` (a function declarator), not a throw-expression such as
// `throw FieldNotFound( field )`.
const SPEC = /(\)|\bconst)(\s*)throw\s*\(\s*[A-Za-z_:][\w:\s,&*]*\)/g;

export function stripExceptionSpecs(text) {
  let count = 0;
  const out = text.replace(SPEC, (_m, before, space) => {
    count++;
    return before + space.replace(/[^\n]/g, '') + ' ';
  });
  return { text: out, count };
}

function copy(dir, rel = '') {
  let removed = 0;
  let files = 0;
  mkdirSync(path.join(target, rel), { recursive: true });
  for (const name of readdirSync(path.join(dir, rel))) {
    const from = path.join(dir, rel, name);
    if (statSync(from).isDirectory()) {
      const r = copy(dir, path.join(rel, name));
      removed += r.removed;
      files += r.files;
      continue;
    }
    let text = readFileSync(from, 'latin1');
    if (/\.(h|hpp)$/.test(name)) {
      const r = stripExceptionSpecs(text);
      text = r.text;
      removed += r.count;
    }
    writeFileSync(path.join(target, rel, name), text, 'latin1');
    files++;
  }
  return { removed, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  rmSync(target, { recursive: true, force: true });
  const { removed, files } = copy(source);
  writeFileSync(path.join(target, 'config.h'), '/* empty: Debian ships no quickfix/config.h (see @broker/quickfix README) */\n');
  const left = [];
  for (const name of readdirSync(target)) {
    if (!name.endsWith('.h')) continue;
    const t = readFileSync(path.join(target, name), 'latin1');
    if (/\)\s*throw\s*\(\s*\w/.test(t)) left.push(name);
  }
  console.log(`[quickfix] sanitized ${files} header files from ${source}: removed ${removed} exception specifications`);
  if (left.length) {
    console.error(`[quickfix] exception specifications left in: ${left.join(', ')}`);
    process.exit(1);
  }
}
