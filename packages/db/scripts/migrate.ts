// npm run migrate -w @broker/db: applies pending prisma/migrations to DATABASE_URL or the embedded PGlite,
// recording them in _prisma_migrations like `prisma migrate deploy`.
import { createDb } from '../src/client.ts';
import { migrate } from '../src/migrate.ts';

const t0 = Date.now();
const db = await createDb();
const opened = Date.now() - t0;
try {
  const r = await migrate(db);
  console.log(
    `migrate (${db.kind}, opened in ${opened} ms): ${r.applied.length ? `applied ${r.applied.join(', ')}` : 'already up to date'} (${r.alreadyApplied.length} already applied) in ${r.ms} ms`,
  );
} finally {
  await db.close();
}
