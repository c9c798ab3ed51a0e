// CandleBook (marketdata/candles.ts): OHLC of the bid per timeframe, checked against a table worked out by
// hand from a tick sequence that crosses minute, 5-minute and hour boundaries (edges at .000 and .999).
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { CandleBook } from '../src/marketdata/candles.ts';

const T = (hhmmss: string) => Date.parse(`2024-03-04T${hhmmss}Z`);
const S = (hhmm: string) => Date.parse(`2024-03-04T${hhmm}:00Z`) / 1000;

const TICKS: [string, string][] = [
  ['09:58:30.000', '1.10000'],
  ['09:58:45.500', '1.10050'],
  ['09:59:10.000', '1.09980'],
  ['09:59:59.999', '1.10020'], // last ms of the 09:55 5m bar and of the 09:00 hour
  ['10:00:00.000', '1.10100'], // first ms of a new minute, 5 minutes and hour
  ['10:00:20.000', '1.10080'],
  ['10:04:59.999', '1.10150'],
  ['10:05:00.000', '1.10030'], // new 5m bar, same hour
  ['10:05:30.000', '1.10200'],
  ['10:06:00.000', '1.10010'],
];

// time (bar start), open, high, low, close, ticks — by hand.
type Row = [string, string, string, string, string, number];
const EXPECTED: Record<'1m' | '5m' | '1h', Row[]> = {
  '1m': [
    ['09:58', '1.10000', '1.10050', '1.10000', '1.10050', 2],
    ['09:59', '1.09980', '1.10020', '1.09980', '1.10020', 2],
    ['10:00', '1.10100', '1.10100', '1.10080', '1.10080', 2],
    ['10:04', '1.10150', '1.10150', '1.10150', '1.10150', 1],
    ['10:05', '1.10030', '1.10200', '1.10030', '1.10200', 2],
    ['10:06', '1.10010', '1.10010', '1.10010', '1.10010', 1],
  ],
  '5m': [
    ['09:55', '1.10000', '1.10050', '1.09980', '1.10020', 4],
    ['10:00', '1.10100', '1.10150', '1.10080', '1.10150', 3],
    ['10:05', '1.10030', '1.10200', '1.10010', '1.10010', 3],
  ],
  '1h': [
    ['09:00', '1.10000', '1.10050', '1.09980', '1.10020', 4],
    ['10:00', '1.10100', '1.10200', '1.10010', '1.10010', 6],
  ],
};

const table = (book: CandleBook, tf: '1m' | '5m' | '1h') =>
  book.get('EURUSD', tf, 100).map((b) => ({ time: b.time, o: b.open.toFixed(5), h: b.high.toFixed(5), l: b.low.toFixed(5), c: b.close.toFixed(5), ticks: b.ticks }));
const expected = (tf: '1m' | '5m' | '1h') => EXPECTED[tf].map(([t, o, h, l, c, ticks]) => ({ time: S(t), o, h, l, c, ticks }));

describe('CandleBook', () => {
  it('Candles built from a known tick sequence match a hand-computed OHLC table', () => {
    const book = new CandleBook();
    for (const [t, bid] of TICKS) book.addTick('EURUSD', new Decimal(bid), T(t));
    expect(table(book, '1m')).toEqual(expected('1m'));
    expect(table(book, '5m')).toEqual(expected('5m'));
    expect(table(book, '1h')).toEqual(expected('1h'));
    // 15m splits at 10:00 like the hour; 4h and 1d hold one bar with the whole sequence.
    expect(book.get('EURUSD', '15m', 10).map((b) => [b.time, b.open.toFixed(5), b.close.toFixed(5), b.ticks])).toEqual([
      [S('09:45'), '1.10000', '1.10020', 4],
      [S('10:00'), '1.10100', '1.10010', 6],
    ]);
    for (const tf of ['4h', '1d'] as const) {
      const bars = book.get('EURUSD', tf, 10);
      expect(bars.map((b) => [b.open.toFixed(5), b.high.toFixed(5), b.low.toFixed(5), b.close.toFixed(5), b.ticks])).toEqual([
        ['1.10000', '1.10200', '1.09980', '1.10010', 10],
      ]);
    }
    // Other symbols are untouched.
    expect(book.get('GBPUSD', '1m', 10)).toEqual([]);
  });

  it('limit returns the newest bars, oldest first, as copies', () => {
    const book = new CandleBook();
    for (const [t, bid] of TICKS) book.addTick('EURUSD', new Decimal(bid), T(t));
    const last2 = book.get('EURUSD', '1m', 2);
    expect(last2.map((b) => b.time)).toEqual([S('10:05'), S('10:06')]);
    last2[1]!.ticks = 99;
    expect(book.get('EURUSD', '1m', 1)[0]!.ticks).toBe(1);
  });
});

describe('history backfilled behind live bars', () => {
  it('puts older bars in front, widens a shared one, and keeps the live close', () => {
    const book = new CandleBook();
    const t0 = 1_800_000_000; // a minute boundary (unix s)
    book.addTick('EURUSD', new Decimal('1.1000'), (t0 + 120) * 1000 + 5);
    book.addTick('EURUSD', new Decimal('1.1002'), (t0 + 120) * 1000 + 900);
    const past = [0, 60, 120].map((dt, i) => ({
      time: t0 + dt,
      open: new Decimal('1.09').plus(i / 1000),
      high: new Decimal('1.2'),
      low: new Decimal('1.08'),
      close: new Decimal('1.0995'),
      ticks: 10,
    }));
    book.backfill('EURUSD', past);
    const bars = book.get('EURUSD', '1m', 10);
    expect(bars.map((b) => b.time)).toEqual([t0, t0 + 60, t0 + 120]);
    const live = bars[2]!;
    expect([live.open.toString(), live.high.toString(), live.low.toString(), live.close.toString(), live.ticks]).toEqual(['1.092', '1.2', '1.08', '1.1002', 12]);
    expect(book.get('EURUSD', '5m', 10)).toHaveLength(1);
  });
});

describe('CandleBook in points', () => {
  it('builds the same bars from points as from Decimals, whatever mix of the two and backfill came first', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 5),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400_000 }), px: fc.integer({ min: 100_000, max: 100_500 }), points: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        (digits, ticks) => {
          const k = new Decimal(10).pow(digits);
          const plain = new CandleBook();
          const mixed = new CandleBook();
          let time = Date.parse('2024-03-04T09:58:00Z');
          for (const t of ticks) {
            time += t.dt;
            plain.addTick('EURUSD', new Decimal(t.px).div(k), time);
            if (t.points) mixed.addTickPoints('EURUSD', t.px, digits, time);
            else mixed.addTick('EURUSD', new Decimal(t.px).div(k), time);
          }
          for (const tf of ['1m', '5m', '15m', '1h', '4h', '1d'] as const) {
            const show = (b: CandleBook) => b.get('EURUSD', tf, 100).map((x) => [x.time, x.open.toString(), x.high.toString(), x.low.toString(), x.close.toString(), x.ticks]);
            expect(show(mixed)).toEqual(show(plain));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
