// The storage of routing and the LP side of A-Book/C-Book (issue 11): the migration applies on top of a
// seeded database as well as to a fresh one, and the constraints that make LP traffic safe hold on both
// backends (a ClOrdID once, an ExecID once per LP, one coverage row per LP and symbol).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, Decimal, listMigrations, migrate, MIGRATIONS_DIR, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { BACKENDS } from './backends.ts';

const ROUTING_MIGRATION = /_routing_lp_orders_coverage$/;

async function emptyDatabase(serverUrl: string | undefined): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (!serverUrl) {
    const db = await createDb({ databaseUrl: '', dataDir: 'memory://' });
    return { db, drop: () => db.close() };
  }
  const name = `broker_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const u = new URL(serverUrl);
  u.pathname = '/' + name;
  const db = await createDb({ databaseUrl: u.toString() });
  return {
    db,
    drop: async () => {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

describe.each(BACKENDS)('routing storage on $name', ({ serverUrl }) => {
  it('applies on top of a database with data from the migrations before it, giving the config row its defaults', async () => {
    const before = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    const all = listMigrations();
    const index = all.findIndex((m) => ROUTING_MIGRATION.test(m.name));
    expect(index).toBeGreaterThan(0);
    cpSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(before, 'migration_lock.toml'));
    for (const m of all.slice(0, index)) cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(before, m.name), { recursive: true });
    const t = await emptyDatabase(serverUrl);
    try {
      await migrate(t.db, { migrationsDir: before });
      // This schema's client knows columns the old tables lack: the data from before is written in SQL.
      for (const sql of [
        `INSERT INTO execution_config (id, global_mode, updated_at) VALUES (1, 'C_BOOK', now())`,
        `INSERT INTO users (email, username, name, password_hash, updated_at) VALUES ('o@x', 'o', 'O', 'x', now())`,
        `INSERT INTO accounts (account_number, user_id, updated_at) SELECT 'RTX-O', id, now() FROM users`,
        `INSERT INTO orders (account_id, symbol, type, side, volume, status, venue, updated_at) SELECT id, 'EURUSD', 'MARKET', 'BUY', 1, 'FILLED', 'BBOOK', now() FROM accounts`,
      ])
        await t.db.prisma.$executeRawUnsafe(sql);
      const r = await migrate(t.db);
      expect(r.applied).toEqual(all.slice(index).map((m) => m.name));
      const config = await t.db.prisma.executionConfig.findUniqueOrThrow({ where: { id: 1 } });
      expect(config).toMatchObject({ globalMode: 'C_BOOK', toxicFlowAutoRoute: false, toxicMarkoutPerLot: null, toxicMarkoutHorizon: '10s', flowMinFills: 20, latencyArbWindowMs: 500, reportingCurrency: 'USD' });
      expect(config.toxicLatencyArbScore!.toString()).toBe('30');
      const [old] = await t.db.prisma.order.findMany();
      expect(old).toMatchObject({ status: 'FILLED', venue: 'BBOOK', routeRule: null, routeReason: null, routeFigures: null, routeLpId: null });
    } finally {
      await t.drop();
      rmSync(before, { recursive: true, force: true });
    }
  });

  describe('on a fresh database', () => {
    let t: TestDatabase;
    let accountId: number;
    let lp1: number;
    let lp2: number;
    beforeAll(async () => {
      t = await createTestDatabase({ serverUrl: serverUrl ?? '' });
      const p = t.db.prisma;
      const user = await p.user.create({ data: { email: 'r@x', username: 'r', name: 'R', passwordHash: 'x' } });
      accountId = (await p.account.create({ data: { accountNumber: 'RTX-R', userId: user.id } })).id;
      lp1 = (await p.liquidityProvider.create({ data: { name: 'YOFX1', type: 'FIX' } })).id;
      lp2 = (await p.liquidityProvider.create({ data: { name: 'LMAX', type: 'FIX' } })).id;
    });
    afterAll(() => t?.drop());

    const order = (extra: object = {}) =>
      t.db.prisma.order.create({ data: { accountId, symbol: 'EURUSD', type: 'MARKET', side: 'BUY', volume: '1.5', ...extra } });

    it("keeps the router's decision on the order, figures as JSON", async () => {
      const figures = { symbol: 'EURUSD', volume: '1.5', houseNetNotional: '867600', lp: 'YOFX1', flowFills: 40, priorityLp: null };
      const o = await order({ venue: 'CBOOK', routeRule: 'MAX_SYMBOL_EXPOSURE', routeReason: 'beyond 1000000; C-Book instead', routeFigures: figures, routeLpId: lp1 });
      const back = await t.db.prisma.order.findUniqueOrThrow({ where: { id: o.id } });
      expect(back).toMatchObject({ venue: 'CBOOK', routeRule: 'MAX_SYMBOL_EXPOSURE', routeLpId: lp1 });
      expect(back.routeFigures).toEqual(figures);
      // An order written without a decision (every order before routing) has none.
      expect(await order()).toMatchObject({ routeRule: null, routeReason: null, routeFigures: null, routeLpId: null });
    });

    it('records an LP order as SENT with nothing filled, at full precision, and refuses its ClOrdID a second time', async () => {
      const o = await order();
      const lpOrder = await t.db.prisma.lpOrder.create({
        data: { orderId: o.id, lpId: lp1, kind: 'CLIENT', clOrdId: `A-${o.id}`, symbol: 'EURUSD', side: 'BUY', volume: '0.12345678', sentAt: new Date(), quoteBid: '1.08450', quoteAsk: '1.08452' },
      });
      expect(lpOrder).toMatchObject({ status: 'SENT', answeredAt: null, avgPrice: null, lpOrderId: null });
      expect(lpOrder.filledVolume.toString()).toBe('0');
      expect(new Decimal(lpOrder.volume.toString()).eq('0.12345678')).toBe(true);
      await expect(
        t.db.prisma.lpOrder.create({ data: { orderId: o.id, lpId: lp2, kind: 'CLIENT', clOrdId: `A-${o.id}`, symbol: 'EURUSD', side: 'BUY', volume: '1', sentAt: new Date() } }),
      ).rejects.toMatchObject({ code: 'P2002' });
      // A dealer's hedge has no client order.
      const hedge = await t.db.prisma.lpOrder.create({ data: { lpId: lp2, kind: 'COVERAGE', clOrdId: 'H-1', symbol: 'EURUSD', side: 'SELL', volume: '2', sentAt: new Date() } });
      expect(hedge.orderId).toBeNull();
      // The LP side is the evidence of what was sent: its order cannot be deleted.
      await expect(t.db.prisma.order.delete({ where: { id: o.id } })).rejects.toThrow();
    });

    it('stores an ExecID once per LP, so a resend is recognised and skipped', async () => {
      const report = { lpId: lp1, execId: 'E-100', clOrdId: 'A-1', fields: { '35': '8', '150': 'F', '43': 'N' } };
      expect((await t.db.prisma.executionReport.createMany({ data: [report], skipDuplicates: true })).count).toBe(1);
      const resend = { ...report, fields: { ...report.fields, '43': 'Y' } };
      expect((await t.db.prisma.executionReport.createMany({ data: [resend], skipDuplicates: true })).count).toBe(0);
      await expect(t.db.prisma.executionReport.create({ data: resend })).rejects.toMatchObject({ code: 'P2002' });
      // Another LP may use the same ExecID; a report for a ClOrdID nobody sent is kept too.
      expect((await t.db.prisma.executionReport.createMany({ data: [{ ...report, lpId: lp2, clOrdId: 'UNKNOWN-9' }], skipDuplicates: true })).count).toBe(1);
      const kept = await t.db.prisma.executionReport.findUniqueOrThrow({ where: { lpId_execId: { lpId: lp1, execId: 'E-100' } } });
      expect(kept.fields).toEqual(report.fields);
    });

    it('keeps one coverage position per LP and symbol, short as negative volume', async () => {
      await t.db.prisma.coveragePosition.create({ data: { lpId: lp1, symbol: 'USDJPY', netVolume: '-0.3', avgPrice: '150.5' } });
      await expect(t.db.prisma.coveragePosition.create({ data: { lpId: lp1, symbol: 'USDJPY' } })).rejects.toMatchObject({ code: 'P2002' });
      await t.db.prisma.coveragePosition.create({ data: { lpId: lp2, symbol: 'USDJPY' } });
      const row = await t.db.prisma.coveragePosition.findUniqueOrThrow({ where: { lpId_symbol: { lpId: lp1, symbol: 'USDJPY' } } });
      expect(row.netVolume.toString()).toBe('-0.3');
      expect(row.realizedPnl.toString()).toBe('0');
    });
  });
});
