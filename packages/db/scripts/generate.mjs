// `npm run generate -w @broker/db`: runs `prisma generate` offline (also the root postinstall hook).
// The CLI insists on locating a native schema engine even though generate never starts it (Prisma 7 has no
// query engine; the client is TypeScript + a wasm query compiler). The engine download is unreachable here,
// so PRISMA_SCHEMA_ENGINE_BINARY points at any existing file; it is never executed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  PRISMA_HIDE_PREVIEW_FLAG_WARNINGS: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
};
const started = Date.now();
const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], {
  cwd: packageDir,
  env,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error(`prisma generate failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
console.log(`@broker/db: client generated in ${Date.now() - started} ms`);
