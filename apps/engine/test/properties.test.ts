// Property-based: random sequences of orders, stops and quotes through the real engine (tRPC, desk, database).
// At every step the engine's account.summary is held against an oracle written here from trading-rules.md
// alone (no engine code): balance from the ledger rows; margin, equity, free margin and margin level from
// the position and trade rows, the symbol rows and the current quotes. Every fill, booked P&L and commission
// is checked on the way, and once a quote of a symbol it holds has been dealt with, no account may be left at
// or below the stop-out level.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

// The oracle's own arithmetic: more digits than the engine's Decimal, so it never shares its rounding.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type D = InstanceType<typeof D>;
const dec = (v: { toString(): string }) => new D(v.toString());
/** trading-rules.md: booked money is rounded to 2 places, half away from zero. */
const cents = (v: D) => v.toDecimalPlaces(2, D.ROUND_HALF_UP);
/** Stored values (a position's margin, averaged prices) are held at the database's 8 places. */
const stored = (v: D) => v.toDecimalPlaces(8, D.ROUND_HALF_UP);

let t: TestEngine;
let adminToken: string;
let stopOutLevel: D;
let marginCallLevel: D;
let specs: Map<string, { contractSize: D; marginPercent: D; commissionPerLot: D; quoteCurrency: string }>;
beforeAll(async () => {
  t = await startTestEngine();
  adminToken = (await t.login('superadmin@broker.local')).token;
  const prisma = t.database.db.prisma;
  const global = await prisma.riskSettings.findFirstOrThrow({ where: { accountId: null } });
  stopOutLevel = dec(global.stopOutLevel!);
  marginCallLevel = dec(global.marginCallLevel!);
  specs = new Map(
    (await prisma.symbol.findMany()).map((s) => [
      s.name,
      { contractSize: dec(s.contractSize), marginPercent: dec(s.marginPercent), commissionPerLot: dec(s.commissionPerLot), quoteCurrency: s.quoteCurrency },
    ]),
  );
});
afterAll(async () => {
  await t?.stop();
});

const SYMBOLS = {
  EURUSD: { mid: 1.1, digits: 5 },
  USDJPY: { mid: 150, digits: 3 },
  GBPUSD: { mid: 1.27, digits: 5 },
  XAUUSD: { mid: 2000, digits: 2 },
  EURGBP: { mid: 0.86, digits: 5 },
} as const;
type Sym = keyof typeof SYMBOLS;
type Side = 'BUY' | 'SELL';

type Step =
  | { kind: 'market'; symbol: Sym; side: Side; lots: number; slBps: number | null; tpBps: number | null }
  | { kind: 'close'; pick: number; fraction: number }
  | { kind: 'move'; symbol: Sym; bps: number }
  | { kind: 'jump'; pick: number; bps: number }
  | { kind: 'pending'; type: 'limit' | 'stop'; symbol: Sym; side: Side; lots: number; offsetBps: number }
  | { kind: 'stops'; pick: number; slBps: number | null; tpBps: number | null }
  | { kind: 'deposit'; cents: number };

const symbolArb = fc.constantFrom(...(Object.keys(SYMBOLS) as Sym[]));
const sideArb = fc.constantFrom<Side>('BUY', 'SELL');
const lotsArb = fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 31, max: 100 }));
// SL/TP on a third of orders: often enough to fire, rarely enough to leave stop outs something to do.
const bpsArb = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 300 }) });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('market' as const), symbol: symbolArb, side: sideArb, lots: lotsArb, slBps: bpsArb, tpBps: bpsArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat(), fraction: fc.constantFrom(1, 0.5, 0.3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), symbol: symbolArb, bps: fc.integer({ min: -150, max: 150 }) }) },
  // Against one of the account's positions, below the seeded 5% spike limit: enough to stop out a small
  // account in one quote or two.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('jump' as const), pick: fc.nat(), bps: fc.integer({ min: 250, max: 480 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pending' as const), type: fc.constantFrom('limit' as const, 'stop' as const), symbol: symbolArb, side: sideArb, lots: lotsArb, offsetBps: fc.integer({ min: 5, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stops' as const), pick: fc.nat(), slBps: bpsArb, tpBps: bpsArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deposit' as const), cents: fc.integer({ min: 1, max: 500_000 }) }) },
);

const mids = new Map<Sym, number>(Object.entries(SYMBOLS).map(([s, v]) => [s as Sym, v.mid]));
/** The LP's bid and ask around the mid (the platform adds its markup on top). */
function lpQuote(symbol: Sym, mid = mids.get(symbol)!) {
  const { digits } = SYMBOLS[symbol];
  const spread = mid * 0.00004;
  return { bid: (mid - spread).toFixed(digits), ask: (mid + spread).toFixed(digits) };
}
function pushMid(symbol: Sym) {
  const q = lpQuote(symbol);
  t.lp.push(symbol, q.bid, q.ask);
}
/** A random walk kept within ±40% of where it started, so runs late in the test still trade sensible prices. */
function nextMid(symbol: Sym, bps: number): number {
  const mid = mids.get(symbol)!;
  const base = SYMBOLS[symbol].mid;
  const up = mid * (1 + Math.abs(bps) / 10000);
  const down = mid * (1 - Math.abs(bps) / 10000);
  if (up > base * 1.4) return down;
  if (down < base * 0.6) return up;
  return bps >= 0 ? up : down;
}

// ───────────────────────────── the oracle (trading-rules.md) ─────────────────────────────

type Quotes = Map<string, { bid: D; ask: D }>;

/** Currency conversion: 1 if equal; the mid of CCYACC (multiply) or ACCCCY (divide); else via USD. */
function conv(from: string, to: string, quotes: Quotes): D {
  if (from === to) return new D(1);
  const mid = (s: string) => {
    const q = quotes.get(s);
    return q && q.bid.plus(q.ask).div(2);
  };
  const direct = mid(from + to);
  if (direct) return direct;
  const inverse = mid(to + from);
  if (inverse) return new D(1).div(inverse);
  if (from !== 'USD' && to !== 'USD') return conv(from, 'USD', quotes).times(conv('USD', to, quotes));
  throw new Error(`no quote converts ${from} into ${to}`);
}

/** What the oracle knows of an open position: built from its trades, never read from the engine. */
interface Held {
  symbol: string;
  side: Side;
  volume: D;
  openPrice: D;
  margin: D;
}

interface Oracle {
  currency: string;
  leverage: number;
  netting: boolean;
  held: Map<string, Held>;
  seenTrades: Set<string>;
}

/** Price P&L of `volume` opened at `open` and valued at `price`, in account currency. */
function pnl(side: Side, volume: D, open: D, price: D, symbol: string, o: Oracle, quotes: Quotes): D {
  const spec = specs.get(symbol)!;
  const diff = side === 'BUY' ? price.minus(open) : open.minus(price);
  return diff.times(spec.contractSize).times(volume).times(conv(spec.quoteCurrency, o.currency, quotes));
}

/** `quotedHeld`: the step moved a quote, so the engine has revalued the accounts it touches for stop out. */
async function checkBooks(o: Oracle, accountId: number, token: string, quotedHeld: boolean) {
  const prisma = t.database.db.prisma;
  const api = t.client(token);
  const [row, ledger, positions, trades, orders, quoteList, summary] = await Promise.all([
    prisma.account.findUniqueOrThrow({ where: { id: accountId } }),
    prisma.ledgerEntry.findMany({ where: { accountId } }),
    prisma.position.findMany({ where: { accountId } }),
    prisma.trade.findMany({ where: { accountId }, orderBy: [{ executedAt: 'asc' }, { id: 'asc' }] }),
    prisma.order.findMany({ where: { accountId }, select: { id: true, positionId: true, status: true } }),
    api.market.quotes.query(),
    api.account.summary.query({ accountId }),
  ]);
  const quotes: Quotes = new Map(quoteList.map((q) => [q.symbol, { bid: dec(q.bid), ask: dec(q.ask) }]));

  // Ledger: each row chains, and the balance is their sum.
  let balance = new D(0);
  for (const l of ledger) {
    expect(dec(l.balanceBefore).plus(dec(l.amount)).eq(dec(l.balanceAfter))).toBe(true);
    balance = balance.plus(dec(l.amount));
  }
  expect(dec(row.balance).toFixed(8)).toBe(balance.toFixed(8));
  const orderIds = new Set(orders.map((x) => x.id));
  for (const p of positions) {
    expect(trades.some((tr) => tr.positionId === p.id && tr.entry === 'OPEN' && orderIds.has(tr.orderId))).toBe(true);
    expect(orders.some((x) => x.positionId === p.id)).toBe(true);
    if (p.status === 'CLOSED') expect(trades.some((tr) => tr.positionId === p.id && tr.entry === 'CLOSE')).toBe(true);
  }
  for (const x of orders.filter((y) => y.status === 'FILLED')) expect(trades.some((tr) => tr.orderId === x.id)).toBe(true);

  // This step's deals, in order, against the rules: fills at the current quote (BUY at the ask, SELL at
  // the bid; a close the other way), commission per lot opened, P&L booked to the cent, margin fixed at
  // open as notional * max(1 / leverage, marginPercent / 100) in account currency.
  let filledThisStep = false;
  const bookedFor = (tradeId: bigint, type: string) => ledger.filter((l) => l.referenceId === tradeId && l.type === type).map((l) => dec(l.amount).toFixed(8));
  for (const tr of trades) {
    const id = tr.id.toString();
    if (o.seenTrades.has(id)) continue;
    o.seenTrades.add(id);
    const q = quotes.get(tr.symbol)!;
    const spec = specs.get(tr.symbol)!;
    const volume = dec(tr.volume);
    const price = dec(tr.price);
    const positionId = tr.positionId!.toString();
    expect(price.toFixed(8)).toBe((tr.side === 'BUY' ? q.ask : q.bid).toFixed(8));
    if (tr.entry === 'OPEN') {
      filledThisStep = true;
      const commission = cents(volume.times(spec.commissionPerLot));
      expect(dec(tr.commission).toFixed(8)).toBe(commission.toFixed(8));
      expect(bookedFor(tr.id, 'COMMISSION')).toEqual(commission.isZero() ? [] : [commission.neg().toFixed(8)]);
      const ratio = D.max(new D(1).div(o.leverage), spec.marginPercent.div(100));
      const margin = stored(volume.times(spec.contractSize).times(price).times(conv(spec.quoteCurrency, o.currency, quotes)).times(ratio));
      const held = o.held.get(positionId);
      if (!held) {
        o.held.set(positionId, { symbol: tr.symbol, side: tr.side, volume, openPrice: price, margin });
      } else {
        // Netting: a same-side order adds volume at the volume-weighted price (docs/trading-rules-notes.md: 8 places).
        expect(o.netting && held.side === tr.side).toBe(true);
        const total = held.volume.plus(volume);
        o.held.set(positionId, { ...held, volume: total, openPrice: stored(held.openPrice.times(held.volume).plus(price.times(volume)).div(total)), margin: held.margin.plus(margin) });
      }
    } else {
      const held = o.held.get(positionId)!;
      expect(tr.side).not.toBe(held.side);
      const realized = cents(pnl(held.side, volume, held.openPrice, price, tr.symbol, o, quotes));
      expect(dec(tr.realizedPnl!).toFixed(8)).toBe(realized.toFixed(8));
      expect(bookedFor(tr.id, 'REALIZED_PNL')).toEqual(realized.isZero() ? [] : [realized.toFixed(8)]);
      const rest = held.volume.minus(volume);
      expect(rest.gte(0)).toBe(true);
      // A partial close keeps the open price; its margin is the fixed margin scaled by what remains.
      if (rest.isZero()) o.held.delete(positionId);
      else o.held.set(positionId, { ...held, volume: rest, margin: stored(held.margin.times(rest).div(held.volume)) });
    }
  }

  // The positions the database holds open are the ones the deals left, as the deals left them.
  const open = positions.filter((p) => p.status === 'OPEN');
  expect(open.map((p) => p.id.toString()).sort()).toEqual([...o.held.keys()].sort());
  for (const p of open) {
    const h = o.held.get(p.id.toString())!;
    expect([p.side, dec(p.volume).toFixed(8), dec(p.openPrice).toFixed(8), dec(p.margin).toFixed(8)]).toEqual([h.side, h.volume.toFixed(8), h.openPrice.toFixed(8), h.margin.toFixed(8)]);
  }

  // trading-rules.md, Margin: equity = balance + P&L (BUY at the bid, SELL at the ask) + swap; used margin
  // sums a netting account's positions and takes a hedging account's larger leg per symbol.
  let unrealized = new D(0);
  let swap = new D(0);
  for (const p of open) {
    const h = o.held.get(p.id.toString())!;
    const q = quotes.get(h.symbol)!;
    unrealized = unrealized.plus(pnl(h.side, h.volume, h.openPrice, h.side === 'BUY' ? q.bid : q.ask, h.symbol, o, quotes));
    swap = swap.plus(dec(p.swap));
  }
  let margin = new D(0);
  if (o.netting) for (const h of o.held.values()) margin = margin.plus(h.margin);
  else {
    const legs = new Map<string, { BUY: D; SELL: D }>();
    for (const h of o.held.values()) {
      const leg = legs.get(h.symbol) ?? { BUY: new D(0), SELL: new D(0) };
      leg[h.side] = leg[h.side].plus(h.margin);
      legs.set(h.symbol, leg);
    }
    for (const leg of legs.values()) margin = margin.plus(D.max(leg.BUY, leg.SELL));
  }
  const equity = balance.plus(unrealized).plus(swap);
  const level = margin.isZero() ? null : equity.div(margin).times(100);

  // The engine's running figures, against the oracle: balance exactly, floating figures far inside a cent.
  const near = (engine: { toString(): string }, oracle: D) => expect(dec(engine).minus(oracle).abs().toNumber()).toBeLessThan(1e-6);
  expect(dec(summary.balance).toFixed(8)).toBe(balance.toFixed(8));
  near(summary.unrealizedPnl, unrealized);
  near(summary.equity, equity);
  near(summary.margin, margin);
  near(summary.freeMargin, equity.minus(margin));
  if (level === null) expect(summary.marginLevel).toBeNull();
  else near(summary.marginLevel!, level);
  expect(summary.openPositions).toBe(open.length);
  if (level === null || level.minus(marginCallLevel).abs().gt('0.000001')) expect(summary.marginCall).toBe(level !== null && level.lte(marginCallLevel));
  // trading-rules.md, Stop out: once a quote has been dealt with, no account is left at or below the level
  // (unless that quote also filled an order: the engine checks again on the next quote), whether the quote was
  // of a symbol it holds or of a conversion rate its P&L goes through.
  if (quotedHeld && !filledThisStep && level !== null) expect(level.gt(stopOutLevel)).toBe(true);
}

describe('books under random sequences', () => {
  it('match an oracle written from trading-rules.md at every step: hedging and netting, USD, EUR and GBP accounts', async () => {
    const admin = t.client(adminToken);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          netting: fc.boolean(),
          currency: fc.constantFrom('USD', 'EUR', 'GBP'),
          leverage: fc.constantFrom(30, 100, 200),
          balance: fc.constantFrom('1000', '2000', '20000'),
          steps: fc.array(stepArb, { minLength: 5, maxLength: 25 }),
        }),
        async ({ netting, currency, leverage, balance, steps }) => {
          // Every symbol priced afresh (quotes go stale after 30 s; a stale one would refuse orders).
          for (const s of Object.keys(SYMBOLS) as Sym[]) pushMid(s);
          const { token, accountId } = await t.createTrader({ balance, marginMode: netting ? 'NETTING' : 'HEDGING', currency, leverage });
          const api = t.client(token);
          const o: Oracle = { currency, leverage, netting, held: new Map(), seenTrades: new Set() };
          const openPositions = () => api.account.positions.query({ accountId });
          const quoteOf = async (symbol: string) => (await api.market.quotes.query({ symbols: [symbol] }))[0]!;
          const at = (price: Decimal, bps: number, digits: number) => price.times(1 + bps / 10000).toFixed(digits);
          for (const step of steps) {
            const held = new Set([...o.held.values()].map((h) => h.symbol));
            let quotedHeld = false;
            if (step.kind === 'move') {
              // Held, or a rate its P&L converts through (trading-rules.md, Currency conversion: CCYACC, ACCCCY,
              // or the legs through USD): either revalues the account.
              quotedHeld =
                held.has(step.symbol) ||
                [...held].some((s) => {
                  const q = specs.get(s)!.quoteCurrency;
                  return q !== currency && [q + currency, currency + q, q + 'USD', 'USD' + q, currency + 'USD', 'USD' + currency].includes(step.symbol);
                });
              mids.set(step.symbol, nextMid(step.symbol, step.bps));
              pushMid(step.symbol);
            } else if (step.kind === 'jump') {
              // Through the dealers' manual quote procedure; a refused quote leaves the price where it was.
              const open = await openPositions();
              if (open.length) {
                const p = open[step.pick % open.length]!;
                const symbol = p.symbol as Sym;
                const mid = nextMid(symbol, p.side === 'BUY' ? -step.bps : step.bps);
                const q = lpQuote(symbol, mid);
                if ((await errorCode(admin.admin.risk.pushQuote.mutate({ symbol, bid: q.bid, ask: q.ask }))) === 'OK') {
                  mids.set(symbol, mid);
                  quotedHeld = true;
                }
              }
            } else if (step.kind === 'market') {
              const { digits } = SYMBOLS[step.symbol];
              const q = await quoteOf(step.symbol);
              const price = step.side === 'BUY' ? q.ask : q.bid;
              const sign = step.side === 'BUY' ? 1 : -1;
              await errorCode(
                api.orders.market.mutate({
                  accountId,
                  symbol: step.symbol,
                  side: step.side,
                  volume: (step.lots / 100).toFixed(2),
                  ...(step.slBps !== null ? { sl: at(price, -sign * step.slBps, digits) } : {}),
                  ...(step.tpBps !== null ? { tp: at(price, sign * step.tpBps, digits) } : {}),
                }),
              );
            } else if (step.kind === 'pending') {
              const { digits } = SYMBOLS[step.symbol];
              const q = await quoteOf(step.symbol);
              // A LIMIT waits for a better price (BUY below the ask), a STOP for a worse one (BUY above it).
              const below = (step.type === 'limit') === (step.side === 'BUY');
              const price = at(step.side === 'BUY' ? q.ask : q.bid, below ? -step.offsetBps : step.offsetBps, digits);
              const input = { accountId, symbol: step.symbol, side: step.side, volume: (step.lots / 100).toFixed(2), price };
              await errorCode(step.type === 'limit' ? api.orders.limit.mutate(input) : api.orders.stop.mutate(input));
            } else if (step.kind === 'stops') {
              const open = await openPositions();
              if (open.length) {
                const p = open[step.pick % open.length]!;
                const { digits } = SYMBOLS[p.symbol as Sym];
                const sign = p.side === 'BUY' ? 1 : -1;
                await errorCode(
                  api.positions.modify.mutate({
                    accountId,
                    positionId: p.id,
                    sl: step.slBps === null ? null : at(p.currentPrice!, -sign * step.slBps, digits),
                    tp: step.tpBps === null ? null : at(p.currentPrice!, sign * step.tpBps, digits),
                  }),
                );
              }
            } else if (step.kind === 'close') {
              const open = await openPositions();
              if (open.length) {
                const p = open[step.pick % open.length]!;
                const volume = p.volume.times(step.fraction).toDecimalPlaces(2, Decimal.ROUND_DOWN);
                await errorCode(api.positions.close.mutate({ accountId, positionId: p.id, ...(step.fraction < 1 && volume.gte('0.01') ? { volume: volume.toFixed(2) } : {}) }));
              }
            } else {
              await admin.admin.finance.deposit.mutate({ accountId, amount: (step.cents / 100).toFixed(2) });
            }
            // Triggers (pending orders, SL/TP) are queued on the quote; the margin check runs on the next turn
            // and queues any stop out: let all of it finish.
            await new Promise((r) => setImmediate(r));
            await t.running.engine.desk['d'].queue.submit(accountId, async () => undefined);
            await checkBooks(o, accountId, token, quotedHeld);
          }
        },
      ),
      // Measured: 60 runs (~700 steps) reach about 6 stop outs, 12 pending fills and 10 SL/TP hits; ~12 s here.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60), endOnFailure: true },
    );
  });
});
