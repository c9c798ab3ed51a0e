// Shared by bench/quotes.ts and its server process: a fresh PostgreSQL database with the seed, a tenth symbol,
// and (optionally) many accounts with open positions (SL/TP) and pending orders priced away from the market,
// inserted with set-based SQL so 10,000 of each take a second, not minutes.
import { Decimal } from 'decimal.js';
import { SEED_SYMBOLS, seed, type PrismaClient } from '@broker/db';
import { createTestDatabase, type TestDatabase } from '@broker/db/testing';

export const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Mid prices the benchmark quotes around. */
export const MIDS: Record<string, string> = {
  EURUSD: '1.08450',
  GBPUSD: '1.26500',
  USDJPY: '150.000',
  USDCHF: '0.90100',
  AUDUSD: '0.65500',
  EURGBP: '0.85700',
  XAUUSD: '2300.00',
  BTCUSD: '67000.00',
  ETHUSD: '3500.00',
  NZDUSD: '0.60100',
};

export interface BenchSymbol {
  name: string;
  digits: number;
  mid: Decimal;
  /** One point (10^-digits). */
  point: Decimal;
}

export async function createBenchDatabase(): Promise<{ database: TestDatabase; symbols: BenchSymbol[] }> {
  const database = await createTestDatabase({ serverUrl: SERVER_URL });
  const prisma = database.db.prisma;
  await seed(prisma);
  const aud = SEED_SYMBOLS.find((s) => s.name === 'AUDUSD')!;
  await prisma.symbol.create({ data: { ...aud, name: 'NZDUSD', description: 'New Zealand Dollar vs US Dollar', baseCurrency: 'NZD', enabled: true } });
  const rows = await prisma.symbol.findMany({ orderBy: { id: 'asc' } });
  const symbols = rows.map((r) => ({ name: r.name, digits: r.digits, mid: new Decimal(MIDS[r.name]!), point: new Decimal(1).div(new Decimal(10).pow(r.digits)) }));
  return { database, symbols };
}

/**
 * `accounts` HEDGING USD accounts with a balance margin never binds; `positions` open positions and `orders`
 * PENDING LIMIT orders spread round-robin over the symbols. SL/TP sit 5% away from the open price, limit
 * prices 5% away from the market: quotes moving a few points never fire them.
 */
export async function insertBook(prisma: PrismaClient, symbols: BenchSymbol[], opts: { accounts: number; positions: number; orders: number }): Promise<void> {
  const names = symbols.map((s) => s.name);
  const mids = symbols.map((s) => s.mid.toString());
  const digits = symbols.map((s) => s.digits);
  await prisma.$executeRawUnsafe(
    `INSERT INTO users (email, username, name, password_hash, role, updated_at)
     SELECT 'bench' || g || '@bench.local', 'bench' || g, 'Bench ' || g, 'x', 'CLIENT', now() FROM generate_series(1, $1::int) g`,
    opts.accounts,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO accounts (account_number, user_id, currency, leverage, margin_mode, balance, updated_at)
     SELECT 'BN-' || u.id, u.id, 'USD', 100, 'HEDGING', 10000000, now() FROM users u WHERE u.email LIKE 'bench%@bench.local'`,
  );
  // Position i: account (i mod accounts), symbol (i mod symbols), BUY for even i, SELL for odd.
  await prisma.$executeRawUnsafe(
    `WITH a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM accounts WHERE account_number LIKE 'BN-%'),
          s AS (SELECT * FROM unnest($2::text[], $3::numeric[], $4::int[]) WITH ORDINALITY AS s(name, mid, digits, k))
     INSERT INTO positions (account_id, symbol, side, volume, open_price, current_price, sl, tp, margin, updated_at)
     SELECT a.id, s.name, CASE WHEN g % 2 = 0 THEN 'BUY' ELSE 'SELL' END::"Side", 0.01, s.mid, s.mid,
            round(s.mid * CASE WHEN g % 2 = 0 THEN 0.95 ELSE 1.05 END, s.digits),
            round(s.mid * CASE WHEN g % 2 = 0 THEN 1.05 ELSE 0.95 END, s.digits),
            1, now()
     FROM generate_series(0, $1::int - 1) g
     JOIN a ON a.k = g % (SELECT count(*) FROM a)
     JOIN s ON s.k = g % array_length($2::text[], 1) + 1`,
    opts.positions,
    names,
    mids,
    digits,
  );
  await prisma.$executeRawUnsafe(
    `WITH a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM accounts WHERE account_number LIKE 'BN-%'),
          s AS (SELECT * FROM unnest($2::text[], $3::numeric[], $4::int[]) WITH ORDINALITY AS s(name, mid, digits, k))
     INSERT INTO orders (account_id, symbol, type, side, volume, price, status, updated_at)
     SELECT a.id, s.name, 'LIMIT', CASE WHEN g % 2 = 0 THEN 'BUY' ELSE 'SELL' END::"Side", 0.01,
            round(s.mid * CASE WHEN g % 2 = 0 THEN 0.95 ELSE 1.05 END, s.digits), 'PENDING', now()
     FROM generate_series(0, $1::int - 1) g
     JOIN a ON a.k = g % (SELECT count(*) FROM a)
     JOIN s ON s.k = (g + 3) % array_length($2::text[], 1) + 1`,
    opts.orders,
    names,
    mids,
    digits,
  );
}

/** A cheap deterministic random walk of a few points around each mid: bids and asks as Decimals. */
export function quoteTape(symbols: BenchSymbol[], perSymbol: number): { symbol: string; bid: Decimal; ask: Decimal }[][] {
  return symbols.map((s) => {
    const out: { symbol: string; bid: Decimal; ask: Decimal }[] = [];
    let x = 0;
    let seedN = s.name.length * 7919;
    for (let i = 0; i < perSymbol; i++) {
      seedN = (seedN * 1103515245 + 12345) & 0x7fffffff;
      x = Math.max(-20, Math.min(20, x + ((seedN >> 8) % 3) - 1));
      const bid = s.mid.plus(s.point.times(x));
      out.push({ symbol: s.name, bid, ask: bid.plus(s.point.times(2 + ((seedN >> 4) % 3))) });
    }
    return out;
  });
}
