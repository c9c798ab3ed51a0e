// Issue 12: a property-based fuzz (fast-check) over every procedure of the router, over real HTTP, as a
// trader and as the super admin: whatever the input, the answer is a stable code (never a 500), it comes
// within a bound (no hang), and afterwards every account's balance equals the sum of its ledger's balance
// entries and its credit the sum of its CREDIT entries (no partial write). The inputs mix the plausible (the
// trader's own account, a real symbol, near-valid figures) with the hostile (figures ≥ 1e12, huge exponents, control characters, lone surrogates, ids beyond Int32/Int64,
// wrong types, extra keys).
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '@broker/api';
import { eventually, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let trader: { token: string; accountId: number };
let admin: string;

beforeAll(async () => {
  t = await startTestEngine();
  trader = await t.createTrader({ balance: '5000' });
  admin = (await t.login('superadmin@broker.local')).token;
  t.lp.push('EURUSD', '1.08450', '1.08452');
  t.lp.push('GBPUSD', '1.26500', '1.26503');
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

type ProcType = 'query' | 'mutation' | 'subscription';
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcType } }> } })._def.procedures)
  .map(([path, p]) => ({ path, type: p._def.type }))
  .filter((p) => p.type !== 'subscription')
  // Logout revokes the fuzzing tokens, and the rest of the run would be unauthenticated (revocation.test.ts covers it).
  .filter((p) => p.path !== 'auth.logout');

// ── values ──
const hostileNumber = fc.constantFrom(2147483648, -1, 0, 1e12, 1e300, Number.MAX_SAFE_INTEGER, 0.5, -0);
const hostileDecimal = fc.constantFrom('1e12', '1000000000000', '1e1000000000', '1e-1000000000', '-1', '0', 'NaN', 'Infinity', '0.000000001', '1'.repeat(39), '', ' ', '1,5', '0x10');
const niceDecimal = fc.oneof(
  fc.constantFrom('0.01', '0.1', '1', '1.0845', '1.2', '50', '100'),
  fc.double({ min: 0.00001, max: 1e6, noNaN: true }).map((d) => new Decimal(d).toDecimalPlaces(5).toString()),
);
const hostileText = fc.oneof(
  fc.constantFrom('a\u0000b', '\ud800', 'x\udc00', '\u007f', 'ok', '', 'x'.repeat(5000), '<script>', "'; drop table users; --"),
  fc.string({ maxLength: 30, unit: 'binary' }),
);
const anyLeaf = fc.oneof(hostileNumber, hostileDecimal, niceDecimal, hostileText, fc.boolean(), fc.constant(null), fc.integer(), fc.constant({}), fc.constant([]));
const id = fc.oneof(fc.constantFrom('1', '2', '9223372036854775807', '9223372036854775808', '99999999999999999999', '0', '-1', 'abc'), fc.bigInt({ min: 1n, max: 10n }).map(String), hostileNumber);

const field = (own: number) => ({
  accountId: fc.oneof(fc.constant(own), fc.constant(own), fc.constantFrom(1, 2, 2147483647, 2147483648, 0, -5), hostileNumber),
  symbol: fc.oneof(fc.constantFrom('EURUSD', 'GBPUSD', 'eurusd', 'NOPE', 'EUR\u0000USD', ''), hostileText),
  side: fc.constantFrom('BUY', 'SELL', 'HOLD', 1),
  volume: fc.oneof(niceDecimal, hostileDecimal, hostileNumber),
  price: fc.oneof(niceDecimal, hostileDecimal),
  stopPrice: fc.oneof(niceDecimal, hostileDecimal),
  sl: fc.oneof(niceDecimal, hostileDecimal, fc.constant(null)),
  tp: fc.oneof(niceDecimal, hostileDecimal, fc.constant(null)),
  amount: fc.oneof(niceDecimal, hostileDecimal, fc.constantFrom('10.00', '999999999.99', '1000000000.01')),
  orderId: id,
  positionId: id,
  id: fc.oneof(fc.integer({ min: -2, max: 5 }), hostileNumber),
  comment: hostileText,
  note: hostileText,
  // A valid reason now and then lets credit in/out and adjustments reach the engine (and the ledger check).
  reason: fc.oneof(fc.constant('goodwill credit'), hostileText),
  reference: hostileText,
  idempotencyKey: hostileText,
  search: hostileText,
  email: fc.oneof(fc.constantFrom('trader1@broker.local', 'nobody@x.io', 'a@b', ''), hostileText),
  password: hostileText,
  limit: fc.oneof(fc.integer({ min: -1, max: 6000 }), hostileNumber),
  offset: fc.oneof(fc.integer({ min: -1, max: 100 }), hostileNumber),
  timeframe: fc.constantFrom('1m', '1h', '2d', ''),
  tradingDay: fc.constantFrom('2026-01-01', '2026-02-31', '1900-01-01', 'x', '9999-12-31'),
  before: fc.oneof(id, fc.constantFrom('2026-01-01T00:00:00Z', 'not a date')),
  cursor: fc.oneof(fc.constantFrom('1:SIM', '99999999999999999:x', '1:\u0000'), hostileText),
  expiresAt: fc.constantFrom('2030-01-01T00:00:00Z', '1970-01-01T00:00:00Z', 'soon', 1e15),
  trailing: fc.oneof(fc.record({ distancePips: fc.oneof(niceDecimal, hostileDecimal) }), fc.constant(null), anyLeaf),
  symbols: fc.oneof(fc.array(fc.constantFrom('EURUSD', 'X', '\u0000'), { maxLength: 5 }), anyLeaf),
  marginCallLevel: fc.oneof(niceDecimal, hostileDecimal, fc.constant(null)),
  stopOutLevel: fc.oneof(niceDecimal, hostileDecimal, fc.constant(null)),
  maxLeverage: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(null)),
  maxPositionSize: fc.oneof(niceDecimal, hostileDecimal, fc.constant(null)),
  maxDailyVolume: fc.oneof(niceDecimal, hostileDecimal, fc.constant(null)),
  bid: fc.oneof(niceDecimal, hostileDecimal),
  ask: fc.oneof(niceDecimal, hostileDecimal),
  name: hostileText,
  type: fc.constantFrom('REST', 'FIX', 'SIMULATED', 'NOPE'),
  settings: fc.oneof(fc.record({ streamUrl: fc.constantFrom('https://x.example', 'http://evil.example', 'https://u:p@x.example'), accountId: fc.constant('a') }), anyLeaf),
  credentialEnv: fc.oneof(fc.record({ token: fc.constantFrom('LP_T', 'DATABASE_URL', 'ENGINE_JWT_SECRET') }), anyLeaf),
  method: fc.constantFrom('CARD', 'CASH', 'INTERNAL'),
});

/** An input: an object of some of the known fields (each plausible or hostile), sometimes a wrong-typed value, sometimes an extra key. */
const inputArb = (own: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record(field(own), { requiredKeys: [] }) },
    { weight: 1, arbitrary: anyLeaf },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), anyLeaf, { maxKeys: 4 }) },
  );

async function call(path: string, type: ProcType, input: unknown, token: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const body = JSON.stringify({ json: input });
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 5000);
  try {
    const res =
      type === 'query'
        ? await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers, signal: ac.signal })
        : await fetch(`${t.url}/trpc/${path}`, { method: 'POST', headers, body, signal: ac.signal });
    return { status: res.status, text: await res.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Accounts whose balance is not the sum of their balance entries, or whose credit is not the sum of their CREDIT entries. */
async function ledgerMismatches() {
  const rows = await t.database.db.prisma.$queryRawUnsafe<{ id: number; balance: string; sum: string; credit: string; creditSum: string }[]>(
    `SELECT a.id, a.balance::text AS balance, COALESCE(SUM(l.amount) FILTER (WHERE l.type <> 'CREDIT'), 0)::text AS sum,
            a.credit::text AS credit, COALESCE(SUM(l.amount) FILTER (WHERE l.type = 'CREDIT'), 0)::text AS "creditSum"
       FROM accounts a LEFT JOIN ledger l ON l.account_id = a.id GROUP BY a.id, a.balance, a.credit`,
  );
  return rows.filter((r) => !new Decimal(r.balance).eq(r.sum) || !new Decimal(r.credit).eq(r.creditSum));
}

describe('fuzz: every procedure, every input', () => {
  it('answers every input with a stable code, never a 500 or a hang, and leaves the ledger whole', async () => {
    expect(procedures.length).toBeGreaterThan(20);
    expect(await ledgerMismatches()).toEqual([]);
    const failures: string[] = [];
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...procedures), fc.boolean(), inputArb(trader.accountId), async (proc, asAdmin, input) => {
        const res = await call(proc.path, proc.type, input, asAdmin ? admin : trader.token);
        const code = res.status === 200 ? 'OK' : (/"appCode":"([A-Z_]+)"/.exec(res.text)?.[1] ?? String(res.status));
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${proc.path} ${JSON.stringify(input)} → ${res.status} ${res.text.slice(0, 200)}`);
        expect(res.status, `${proc.path} ${JSON.stringify(input)}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 600), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(failures).toEqual([]);
    if (process.env.FUZZ_REPORT) console.log('fuzz answers', Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])));
    // The run reached past validation: some calls succeeded and some were refused by the engine's own rules.
    expect(codes.get('OK') ?? 0).toBeGreaterThan(0);
    // Writes reach the database through the group commit: the ledger check waits for them.
    await eventually(async () => expect(await ledgerMismatches()).toEqual([]), 10_000);
    // And the engine still answers (the fuzz may have used up the trader's margin: any stable code will do).
    expect((await call('market.quotes', 'query', undefined, trader.token)).status).toBe(200);
    const order = await call('orders.market', 'mutation', { accountId: trader.accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.01' }, trader.token);
    expect(order.status, order.text).toBeLessThan(500);
  }, 300_000);
});
