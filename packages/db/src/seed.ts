// seed(prisma): demo users, accounts (funded through the ledger), symbols, global risk settings, execution
// config and the simulated LP. Idempotent: only creates what is missing, never updates what exists (so a
// second run changes nothing and admin edits made since are kept).
import bcrypt from 'bcryptjs';
import {
  AccountType,
  ExecutionMode,
  LedgerType,
  LpType,
  MarginMode,
  Role,
  SymbolCategory,
  Weekday,
  type PrismaClient,
} from './generated/prisma/client.ts';

export const DEMO_PASSWORD = 'demo1234';

export interface DemoUser {
  email: string;
  username: string;
  name: string;
  role: Role;
  password: string;
  /** Traders only: their DEMO USD account. */
  account?: { accountNumber: string; marginMode: MarginMode; leverage: number; deposit: string };
}

/** The seeded logins: tests, the README and the login page hints use these values. */
export const DEMO_USERS = [
  { email: 'superadmin@broker.local', username: 'superadmin', name: 'Super Admin', role: Role.SUPER_ADMIN, password: DEMO_PASSWORD },
  { email: 'admin@broker.local', username: 'admin', name: 'Admin', role: Role.ADMIN, password: DEMO_PASSWORD },
  { email: 'risk@broker.local', username: 'risk', name: 'Risk Manager', role: Role.RISK_MANAGER, password: DEMO_PASSWORD },
  { email: 'support@broker.local', username: 'support', name: 'Support', role: Role.SUPPORT, password: DEMO_PASSWORD },
  {
    email: 'trader1@broker.local',
    username: 'trader1',
    name: 'Demo Trader One',
    role: Role.CLIENT,
    password: DEMO_PASSWORD,
    account: { accountNumber: 'RTX-000001', marginMode: MarginMode.HEDGING, leverage: 100, deposit: '10000.00' },
  },
  {
    email: 'trader2@broker.local',
    username: 'trader2',
    name: 'Demo Trader Two',
    role: Role.CLIENT,
    password: DEMO_PASSWORD,
    account: { accountNumber: 'RTX-000002', marginMode: MarginMode.NETTING, leverage: 100, deposit: '10000.00' },
  },
] as const satisfies readonly DemoUser[];

/** Weekly sessions, UTC, close exclusive ("24:00" = end of day): Sunday 22:00 to Friday 22:00. */
export const FX_SESSIONS = [
  { day: Weekday.SUNDAY, open: '22:00', close: '24:00' },
  { day: Weekday.MONDAY, open: '00:00', close: '24:00' },
  { day: Weekday.TUESDAY, open: '00:00', close: '24:00' },
  { day: Weekday.WEDNESDAY, open: '00:00', close: '24:00' },
  { day: Weekday.THURSDAY, open: '00:00', close: '24:00' },
  { day: Weekday.FRIDAY, open: '00:00', close: '22:00' },
];

interface SymbolSpec {
  name: string;
  description: string;
  category: SymbolCategory;
  baseCurrency: string;
  quoteCurrency: string;
  contractSize: string;
  digits: number;
  pipSize: string;
  minVolume: string;
  maxVolume: string;
  volumeStep: string;
  marginPercent: string;
  markupPips: string;
  commissionPerLot: string;
  /** Account currency (USD) per lot per day; negative = charged. */
  swapLong: string;
  swapShort: string;
  tripleSwapDay: Weekday;
  tradingHours: typeof FX_SESSIONS | [];
}

const fx = (
  name: string,
  description: string,
  swapLong: string,
  swapShort: string,
): SymbolSpec => {
  const jpy = name.endsWith('JPY');
  return {
    name,
    description,
    category: SymbolCategory.FOREX,
    baseCurrency: name.slice(0, 3),
    quoteCurrency: name.slice(3),
    contractSize: '100000',
    digits: jpy ? 3 : 5,
    pipSize: jpy ? '0.01' : '0.0001',
    minVolume: '0.01',
    maxVolume: '100',
    volumeStep: '0.01',
    // ESMA retail limit for majors (1:30).
    marginPercent: '3.33',
    markupPips: '0.2',
    commissionPerLot: '7',
    swapLong,
    swapShort,
    tripleSwapDay: Weekday.WEDNESDAY,
    tradingHours: FX_SESSIONS,
  };
};

export const SEED_SYMBOLS: readonly SymbolSpec[] = [
  fx('EURUSD', 'Euro vs US Dollar', '-6.5', '1.2'),
  fx('GBPUSD', 'Great Britain Pound vs US Dollar', '-3.8', '-0.9'),
  fx('USDJPY', 'US Dollar vs Japanese Yen', '12.4', '-24.6'),
  fx('USDCHF', 'US Dollar vs Swiss Franc', '5.3', '-11.8'),
  fx('AUDUSD', 'Australian Dollar vs US Dollar', '-2.7', '-0.8'),
  fx('EURGBP', 'Euro vs Great Britain Pound', '-4.6', '0.7'),
  {
    name: 'XAUUSD',
    description: 'Gold vs US Dollar',
    category: SymbolCategory.METAL,
    baseCurrency: 'XAU',
    quoteCurrency: 'USD',
    contractSize: '100',
    digits: 2,
    pipSize: '0.01',
    minVolume: '0.01',
    maxVolume: '20',
    volumeStep: '0.01',
    marginPercent: '5',
    markupPips: '0',
    commissionPerLot: '15',
    swapLong: '-38.5',
    swapShort: '19.2',
    tripleSwapDay: Weekday.WEDNESDAY,
    tradingHours: FX_SESSIONS,
  },
  ...(['BTCUSD', 'ETHUSD'] as const).map(
    (name): SymbolSpec => ({
      name,
      description: name === 'BTCUSD' ? 'Bitcoin vs US Dollar' : 'Ethereum vs US Dollar',
      category: SymbolCategory.CRYPTO,
      baseCurrency: name.slice(0, 3),
      quoteCurrency: 'USD',
      contractSize: '1',
      digits: 2,
      pipSize: '0.01',
      minVolume: '0.01',
      maxVolume: name === 'BTCUSD' ? '10' : '50',
      volumeStep: '0.01',
      marginPercent: '50',
      markupPips: '0',
      commissionPerLot: '10',
      // Crypto financing is charged every day of the week (no weekend roll-over, so no triple day in effect).
      swapLong: name === 'BTCUSD' ? '-20.5' : '-1.4',
      swapShort: name === 'BTCUSD' ? '-10.2' : '-0.7',
      tripleSwapDay: Weekday.WEDNESDAY,
      // Empty = always open (24/7).
      tradingHours: [],
    }),
  ),
];

export const GLOBAL_RISK_SETTINGS = {
  marginCallLevel: '100',
  stopOutLevel: '50',
  maxLeverage: 500,
  maxOpenPositions: 200,
  maxPositionSize: '100',
  maxDailyVolume: '1000',
  negativeBalanceProtection: true,
} as const;

export interface SeedOptions {
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
  /** bcrypt cost for the demo passwords (default 10). */
  bcryptCost?: number;
}

export interface SeedResult {
  /** Names of the things created by this run (empty on a second run). */
  created: string[];
}

export async function seed(prisma: PrismaClient, opts: SeedOptions = {}): Promise<SeedResult> {
  const log = opts.log ?? (() => undefined);
  const cost = opts.bcryptCost ?? 10;
  const created: string[] = [];
  const note = (what: string) => {
    created.push(what);
    log(`created ${what}`);
  };

  for (const spec of SEED_SYMBOLS) {
    if (await prisma.symbol.findUnique({ where: { name: spec.name }, select: { id: true } })) continue;
    await prisma.symbol.create({ data: { ...spec, enabled: true } });
    note(`symbol ${spec.name}`);
  }

  for (const u of DEMO_USERS as readonly DemoUser[]) {
    let user = await prisma.user.findUnique({ where: { email: u.email }, select: { id: true } });
    if (!user) {
      user = await prisma.user.create({
        data: {
          email: u.email,
          username: u.username,
          name: u.name,
          role: u.role,
          passwordHash: await bcrypt.hash(u.password, cost),
        },
        select: { id: true },
      });
      note(`user ${u.email}`);
    }
    const acc = u.account;
    if (!acc) continue;
    if (await prisma.account.findUnique({ where: { accountNumber: acc.accountNumber }, select: { id: true } })) continue;
    const userId = user.id;
    // The opening deposit goes through the ledger: account and DEPOSIT entry commit together.
    await prisma.$transaction(async (tx) => {
      const account = await tx.account.create({
        data: {
          accountNumber: acc.accountNumber,
          userId,
          type: AccountType.DEMO,
          currency: 'USD',
          leverage: acc.leverage,
          marginMode: acc.marginMode,
          balance: '0',
        },
      });
      await tx.ledgerEntry.create({
        data: {
          accountId: account.id,
          type: LedgerType.DEPOSIT,
          amount: acc.deposit,
          balanceBefore: '0',
          balanceAfter: acc.deposit,
          method: 'DEMO',
          note: 'Opening demo deposit',
        },
      });
      await tx.account.update({
        where: { id: account.id },
        data: { balance: acc.deposit },
      });
    });
    note(`account ${acc.accountNumber} (${u.email}, deposit ${acc.deposit} USD)`);
  }

  if (!(await prisma.riskSettings.findFirst({ where: { accountId: null }, select: { id: true } }))) {
    await prisma.riskSettings.create({ data: { accountId: null, ...GLOBAL_RISK_SETTINGS } });
    note('global risk settings');
  }

  if (!(await prisma.executionConfig.findUnique({ where: { id: 1 }, select: { id: true } }))) {
    await prisma.executionConfig.create({ data: { id: 1, globalMode: ExecutionMode.B_BOOK } });
    note('execution config (B_BOOK)');
  }

  if (!(await prisma.liquidityProvider.findUnique({ where: { name: 'SIMULATED' }, select: { id: true } }))) {
    await prisma.liquidityProvider.create({
      data: { name: 'SIMULATED', type: LpType.SIMULATED, enabled: true, priority: 100 },
    });
    note('liquidity provider SIMULATED');
  }

  return { created };
}
