import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, Decimal, Role, seed, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { BACKENDS } from './backends.ts';

async function snapshot(db: Db) {
  const p = db.prisma;
  return {
    users: await p.user.findMany({ orderBy: { id: 'asc' } }),
    accounts: await p.account.findMany({ orderBy: { id: 'asc' } }),
    ledger: await p.ledgerEntry.findMany({ orderBy: { id: 'asc' } }),
    symbols: await p.symbol.findMany({ orderBy: { id: 'asc' } }),
    risk: await p.riskSettings.findMany(),
    exec: await p.executionConfig.findMany(),
    lps: await p.liquidityProvider.findMany(),
  };
}

describe.each(BACKENDS)('seed on $name', ({ serverUrl }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ serverUrl: serverUrl ?? '' });
    await seed(t.db.prisma);
  });
  afterAll(() => t?.drop());

  it('is idempotent', async () => {
    const before = await snapshot(t.db);
    const second = await seed(t.db.prisma);
    expect(second.created).toEqual([]);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('creates the demo users with bcrypt(10) passwords', async () => {
    const users = await t.db.prisma.user.findMany({ orderBy: { id: 'asc' } });
    expect(users.map((u) => [u.email, u.role])).toEqual(DEMO_USERS.map((u) => [u.email, u.role]));
    const trader = users.find((u) => u.email === 'trader1@broker.local')!;
    expect(trader.role).toBe(Role.CLIENT);
    expect(trader.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(await bcrypt.compare('demo1234', trader.passwordHash)).toBe(true);
  });

  it('funds each demo account through the ledger: balance == sum(ledger.amount)', async () => {
    const accounts = await t.db.prisma.account.findMany({ include: { ledger: true, user: true }, orderBy: { accountNumber: 'asc' } });
    expect(accounts.map((a) => [a.accountNumber, a.user.email, a.marginMode, a.type, a.leverage, a.currency])).toEqual([
      ['RTX-000001', 'trader1@broker.local', 'HEDGING', 'DEMO', 100, 'USD'],
      ['RTX-000002', 'trader2@broker.local', 'NETTING', 'DEMO', 100, 'USD'],
    ]);
    for (const a of accounts) {
      const sum = a.ledger.reduce((s, e) => s.plus(e.amount), new Decimal(0));
      expect(a.balance.toFixed(8)).toBe('10000.00000000');
      expect(sum.equals(a.balance)).toBe(true);
      expect(a.ledger).toHaveLength(1);
      const dep = a.ledger[0]!;
      expect(dep.type).toBe('DEPOSIT');
      expect(dep.balanceBefore.toString()).toBe('0');
      expect(dep.balanceAfter.toString()).toBe('10000');
    }
  });

  it('creates the symbol specs, global risk row, execution config and simulated LP', async () => {
    const p = t.db.prisma;
    const symbols = await p.symbol.findMany();
    expect(symbols.map((s) => s.name).sort()).toEqual(
      ['AUDUSD', 'BTCUSD', 'ETHUSD', 'EURGBP', 'EURUSD', 'GBPUSD', 'USDCHF', 'USDJPY', 'XAUUSD'].sort(),
    );
    const jpy = symbols.find((s) => s.name === 'USDJPY')!;
    expect([jpy.digits, jpy.pipSize.toString(), jpy.contractSize.toString()]).toEqual([3, '0.01', '100000']);
    const eur = symbols.find((s) => s.name === 'EURUSD')!;
    expect(eur.marginPercent.toString()).toBe('3.33');
    expect(eur.swapLong.toString()).toBe('-6.5');
    expect((eur.tradingHours as unknown[])[0]).toEqual({ day: 'SUNDAY', open: '22:00', close: '24:00' });
    expect(symbols.find((s) => s.name === 'BTCUSD')!.tradingHours).toEqual([]);
    const risk = await p.riskSettings.findFirstOrThrow({ where: { accountId: null } });
    expect(risk.stopOutLevel?.toString()).toBe('50');
    expect(risk.negativeBalanceProtection).toBe(true);
    expect((await p.executionConfig.findUniqueOrThrow({ where: { id: 1 } })).globalMode).toBe('B_BOOK');
    expect((await p.liquidityProvider.findUniqueOrThrow({ where: { name: 'SIMULATED' } })).type).toBe('SIMULATED');
  });
});
