// npm run seed -w @broker/db: applies pending migrations, then seeds (idempotent).
// DATABASE_URL set → that PostgreSQL database; unset → the embedded PGlite in <repo>/.data/pglite.
import { createDb } from '../src/client.ts';
import { seed } from '../src/seed.ts';

const started = Date.now();
const db = await createDb({ migrate: true });
try {
  const { created } = await seed(db.prisma, { log: (l) => console.log(l) });
  console.log(
    `seed (${db.kind}): ${created.length === 0 ? 'nothing to do, already seeded' : `${created.length} rows/groups created`} in ${Date.now() - started} ms`,
  );
} finally {
  await db.close();
}
