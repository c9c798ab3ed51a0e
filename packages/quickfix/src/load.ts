import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QuickfixBinding } from './binding.js';

export type LoadResult = { ok: true; binding: QuickfixBinding } | { ok: false; reason: string };

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the install script puts the addon. */
export const addonPath = path.join(pkgDir, 'build', 'Release', 'NodeQuickfix.node');

let cached: LoadResult | undefined;

function libraryInstalled(): boolean {
  const headers = existsSync('/usr/include/quickfix/Application.h');
  const lib = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'].some((d) =>
    existsSync(path.join(d, 'libquickfix.so')),
  );
  return headers && lib;
}

/**
 * Loads the QuickFIX addon. Never throws: where the library or the build is missing it says why, so the
 * platform can start and show FIX liquidity providers as unavailable with that reason.
 */
export function loadQuickfix(): LoadResult {
  if (cached) return cached;
  cached = load();
  return cached;
}

function load(): LoadResult {
  if (process.env.QUICKFIX_DISABLE === '1') return { ok: false, reason: 'disabled by QUICKFIX_DISABLE=1' };
  if (!existsSync(addonPath)) {
    if (!libraryInstalled()) return { ok: false, reason: 'libquickfix-dev is not installed' };
    let why = 'the native addon was not built';
    try {
      const status = JSON.parse(readFileSync(path.join(pkgDir, 'build', 'install-status.json'), 'utf8')) as { ok: boolean; reason: string };
      if (!status.ok) why = `the native addon was not built: ${status.reason}`;
    } catch {
      /* no status: install script did not run */
    }
    return { ok: false, reason: `${why} (run: npm run build:native -w @broker/quickfix)` };
  }
  try {
    const binding = createRequire(import.meta.url)(addonPath) as QuickfixBinding;
    return { ok: true, binding };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/libquickfix\.so/.test(message)) return { ok: false, reason: `the QuickFIX runtime library is missing (apt-get install libquickfix17): ${message}` };
    return { ok: false, reason: `the QuickFIX addon failed to load: ${message}` };
  }
}
