// domain/stop-out-screen.ts: the quote path's screen never calls an account safe when the exact Decimal
// figures (accountFigures + riskState, trading-rules.md) put it at or below the margin-call or stop-out level.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountFigures, riskState, type PositionState, type Quote, type SymbolSpec } from '../src/domain/index.ts';
import { PointsQuote } from '../src/domain/points.ts';
import { certainlyAbove } from '../src/domain/stop-out-screen.ts';
import { account, forex } from './fixtures.ts';

const NOW = 1_700_000_000_000;
const specs = new Map<string, SymbolSpec>([
  ['EURUSD', forex('EURUSD')],
  ['USDJPY', forex('USDJPY')],
  ['EURGBP', forex('EURGBP')],
  ['GBPUSD', forex('GBPUSD')],
  ['XAUUSD', forex('XAUUSD', { digits: 2, pipSize: new Decimal('0.01'), contractSize: new Decimal(100) })],
]);
const symbols = (n: string) => specs.get(n);
const names = [...specs.keys()];
const mids: Record<string, [number, number]> = { EURUSD: [110000, 5], USDJPY: [150000, 3], EURGBP: [86000, 5], GBPUSD: [127000, 5], XAUUSD: [230000, 2] };

describe('stop-out screen', () => {
  it('never says "certainly above" when the exact margin level is at or below the level', () => {
    let safe = 0;
    let near = 0;
    fc.assert(
      fc.property(
        fc.record({
          netting: fc.boolean(),
          currency: fc.constantFrom('USD', 'EUR', 'GBP', 'JPY'),
          balance: fc.integer({ min: -5_000, max: 200_000 }),
          cents: fc.integer({ min: 0, max: 99 }),
          // The broker's credit counts in equity (docs/trading-rules-notes.md, Credit); often none.
          credit: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5_000_000 })),
          open: fc.array(
            fc.record({ s: fc.nat(4), buy: fc.boolean(), lots: fc.integer({ min: 1, max: 500 }), px: fc.integer({ min: -3000, max: 3000 }), swap: fc.integer({ min: -5000, max: 5000 }), m: fc.integer({ min: 0, max: 500_000 }) }),
            { maxLength: 12 },
          ),
          move: fc.integer({ min: -3000, max: 3000 }),
          level: fc.constantFrom('100', '50', '120', '0', '75.5'),
          points: fc.boolean(),
        }),
        (c) => {
          const quotes = new Map<string, Quote>();
          for (const [name, [mid, digits]] of Object.entries(mids)) {
            const bid = mid + c.move;
            const ask = bid + 3;
            const q = new PointsQuote(name, bid, ask, digits, NOW, 'T');
            quotes.set(name, c.points ? q : { symbol: name, bid: q.bid, ask: q.ask, time: NOW, lp: 'T' });
          }
          const lookup = (s: string) => quotes.get(s);
          const positions: PositionState[] = c.open.map((o, i) => {
            const name = names[o.s]!;
            const [mid, digits] = mids[name]!;
            return {
              id: BigInt(i + 1),
              accountId: 1,
              symbol: name,
              side: o.buy ? 'BUY' : 'SELL',
              volume: new Decimal(o.lots).div(100),
              openPrice: new Decimal(mid + o.px).div(10 ** digits),
              margin: new Decimal(o.m).div(100),
              swap: new Decimal(o.swap).div(100),
              commission: new Decimal(0),
              sl: null,
              tp: null,
              openTime: NOW,
            };
          });
          const acc = account({ currency: c.currency, marginMode: c.netting ? 'NETTING' : 'HEDGING', balance: new Decimal(c.balance).plus(new Decimal(c.cents).div(100)), credit: new Decimal(c.credit).div(100) });
          const level = new Decimal(c.level);
          const f = accountFigures(acc, positions, symbols, lookup);
          const atOrBelow = f.marginLevel !== null && f.marginLevel.lte(level);
          const said = certainlyAbove(acc, positions, level, symbols, lookup);
          if (said) safe++;
          else near++;
          if (atOrBelow) expect(said).toBe(false);
          // And it agrees with riskState for the default levels.
          if (said && level.eq(100)) expect(riskState(f.marginLevel, { risk: { marginCallLevel: level, stopOutLevel: new Decimal(50), maxOpenPositions: null, maxPositionSize: null } })).toBe('OK');
        },
      ),
      { numRuns: 5000 },
    );
    // The screen is useful: it settles most accounts by itself.
    expect(safe).toBeGreaterThan(near / 4);
  });

  it('is exact at the boundary: a level exactly at the line is not "above"', () => {
    const spec = specs.get('EURUSD')!;
    const q = new PointsQuote('EURUSD', 110000, 110002, 5, NOW, 'T');
    const lookup = (s: string) => (s === 'EURUSD' ? q : undefined);
    // BUY 1 lot at 1.10000, bid 1.10000: P&L 0. Equity = balance; margin 1000 → level = balance / 10.
    const p: PositionState = { id: 1n, accountId: 1, symbol: 'EURUSD', side: 'BUY', volume: new Decimal(1), openPrice: new Decimal('1.1'), margin: new Decimal(1000), swap: new Decimal(0), commission: new Decimal(0), sl: null, tp: null, openTime: NOW };
    const sym = (n: string) => (n === 'EURUSD' ? spec : undefined);
    expect(certainlyAbove(account({ balance: new Decimal(1000) }), [p], new Decimal(100), sym, lookup)).toBe(false);
    expect(certainlyAbove(account({ balance: new Decimal('1000.01') }), [p], new Decimal(100), sym, lookup)).toBe(true);
    expect(certainlyAbove(account({ balance: new Decimal(1000) }), [], new Decimal(100), sym, lookup)).toBe(true);
    // Unpriced: not proven.
    expect(certainlyAbove(account({ balance: new Decimal(1e9) }), [p], new Decimal(100), sym, () => undefined)).toBe(false);
  });
});
