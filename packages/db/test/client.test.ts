import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, Decimal, Prisma } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { BACKENDS } from './backends.ts';

describe.each(BACKENDS)('Decimal(20,8) on $name', ({ serverUrl }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ serverUrl: serverUrl ?? '' });
  });
  afterAll(() => t?.drop());

  it('round-trips exactly, from decimal.js, Prisma.Decimal and strings', async () => {
    const user = await t.db.prisma.user.create({
      data: { email: 'd@x', username: 'd', name: 'd', passwordHash: 'x' },
    });
    const inputs = [
      new Decimal('12345678.12345678'),
      new Prisma.Decimal('-99999999999.99999999'),
      '0.00000001',
    ];
    for (const [i, balance] of inputs.entries()) {
      const a = await t.db.prisma.account.create({
        data: { accountNumber: `D-${i}`, userId: user.id, balance },
      });
      const back = await t.db.prisma.account.findUniqueOrThrow({ where: { id: a.id } });
      expect(back.balance.toFixed(8)).toBe(new Decimal(balance.toString()).toFixed(8));
      // Prisma returns its own Decimal: decimal.js recognises it and converts losslessly.
      expect(Decimal.isDecimal(back.balance)).toBe(true);
      expect(new Decimal(back.balance).equals(balance.toString())).toBe(true);
    }
    const sum = await t.db.prisma.account.aggregate({ _sum: { balance: true }, where: { userId: user.id } });
    expect(sum._sum.balance!.toFixed(8)).toBe(
      new Decimal('12345678.12345678').plus('-99999999999.99999999').plus('0.00000001').toFixed(8),
    );
  });
});

describe('PGlite on a folder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'broker-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shares one instance per folder in a process and keeps data across reopen', async () => {
    let t0 = performance.now();
    const a = await createDb({ databaseUrl: '', dataDir: dir, migrate: true });
    const created = Math.round(performance.now() - t0);
    const b = await createDb({ databaseUrl: '', dataDir: dir });
    expect(a.kind).toBe('pglite');
    await a.prisma.liquidityProvider.create({ data: { name: 'LP1', type: 'SIMULATED' } });
    expect(await b.prisma.liquidityProvider.count()).toBe(1);
    await a.close();
    // b still works: the shared instance stays open until its last user closes.
    expect(await b.prisma.liquidityProvider.count()).toBe(1);
    await b.close();
    t0 = performance.now();
    const c = await createDb({ databaseUrl: '', dataDir: dir, migrate: true });
    const reopened = Math.round(performance.now() - t0);
    expect(await c.prisma.liquidityProvider.count()).toBe(1);
    await c.close();
    console.log(`[pglite folder] create+migrate ${created} ms, reopen+migrate check ${reopened} ms`);
  });
});
