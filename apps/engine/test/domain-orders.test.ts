import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  accountFigures,
  checkPendingPrice,
  isExpired,
  pendingTrigger,
  planClosePosition,
  planStopOut,
  riskState,
  stopHit,
  swapAccrual,
  trailedStop,
  type PendingOrderState,
  type PositionState,
  type RiskLimits,
  type SymbolSpec,
} from '../src/domain/index.ts';
import { catchUpDays, isTradingDay, lastDueTradingDay, nextRolloverMoment, rolloverMoment } from '../src/domain/rollover.ts';
import { account, forex, quoteBook } from './fixtures.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const NOW = 1_700_000_000_000;
const q = (bid: Decimal.Value, ask: Decimal.Value) => ({ bid: d(bid), ask: d(ask) });

function pending(type: PendingOrderState['type'], side: PendingOrderState['side'], price: Decimal.Value, stopPrice: Decimal.Value | null = null): PendingOrderState {
  return { id: 1n, accountId: 1, symbol: 'EURUSD', type, side, volume: d(1), price: d(price), stopPrice: stopPrice === null ? null : d(stopPrice), sl: null, tp: null, trailing: null, expiresAt: null, createdAt: NOW };
}

function position(side: 'BUY' | 'SELL', openPrice: Decimal.Value, extra: Partial<PositionState> = {}): PositionState {
  return { id: 1n, accountId: 1, symbol: 'EURUSD', side, volume: d(1), openPrice: d(openPrice), margin: d(1000), swap: d(0), commission: d(7), sl: null, tp: null, openTime: NOW, ...extra };
}

describe('pending order triggers (trading-rules.md table)', () => {
  it.each([
    // order, price, [bid, ask], expected
    ['BUY LIMIT fires when ask <= P', pending('LIMIT', 'BUY', '1.08000'), q('1.07998', '1.08000'), 'FILL'],
    ['BUY LIMIT waits while ask > P', pending('LIMIT', 'BUY', '1.08000'), q('1.07999', '1.08001'), null],
    ['SELL LIMIT fires when bid >= P', pending('LIMIT', 'SELL', '1.09000'), q('1.09000', '1.09002'), 'FILL'],
    ['SELL LIMIT waits while bid < P', pending('LIMIT', 'SELL', '1.09000'), q('1.08999', '1.09001'), null],
    ['BUY STOP fires when ask >= P', pending('STOP', 'BUY', '1.09000'), q('1.08998', '1.09000'), 'FILL'],
    ['BUY STOP waits while ask < P', pending('STOP', 'BUY', '1.09000'), q('1.08997', '1.08999'), null],
    ['SELL STOP fires when bid <= P', pending('STOP', 'SELL', '1.08000'), q('1.08000', '1.08002'), 'FILL'],
    ['SELL STOP waits while bid > P', pending('STOP', 'SELL', '1.08000'), q('1.08001', '1.08003'), null],
    ['BUY STOP-LIMIT becomes a limit when ask >= S', pending('STOP_LIMIT', 'BUY', '1.08900', '1.09000'), q('1.08998', '1.09000'), 'BECOME_LIMIT'],
    ['SELL STOP-LIMIT becomes a limit when bid <= S', pending('STOP_LIMIT', 'SELL', '1.08100', '1.08000'), q('1.08000', '1.08002'), 'BECOME_LIMIT'],
    ['a triggered STOP-LIMIT acts as a LIMIT', pending('STOP_LIMIT', 'BUY', '1.08900', null), q('1.08898', '1.08900'), 'FILL'],
    ['BUY STOP fires on a gap far through the stop', pending('STOP', 'BUY', '1.09000'), q('1.09500', '1.09502'), 'FILL'],
  ] as const)('%s', (_name, order, quote, expected) => {
    expect(pendingTrigger(order, quote)).toBe(expected);
  });

  it('refuses pending prices on the wrong side of the market', () => {
    const quote = q('1.08450', '1.08452');
    expect(checkPendingPrice(pending('LIMIT', 'BUY', '1.08460'), quote)?.code).toBe('INVALID_PRICE');
    expect(checkPendingPrice(pending('LIMIT', 'BUY', '1.08400'), quote)).toBeNull();
    expect(checkPendingPrice(pending('STOP', 'SELL', '1.08460'), quote)?.code).toBe('INVALID_PRICE');
    expect(checkPendingPrice(pending('STOP_LIMIT', 'BUY', '1.08600', '1.08500'), quote)?.code).toBe('INVALID_PRICE');
    expect(checkPendingPrice(pending('STOP_LIMIT', 'BUY', '1.08480', '1.08500'), quote)).toBeNull();
  });

  it('expires a GTD order at its time and never a GTC one', () => {
    expect(isExpired({ expiresAt: NOW }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: NOW + 1 }, NOW)).toBe(false);
    expect(isExpired({ expiresAt: null }, NOW + 1e12)).toBe(false);
  });
});

describe('SL and TP', () => {
  it.each([
    ['BUY SL when bid <= SL', position('BUY', '1.08', { sl: d('1.07') }), q('1.07000', '1.07002'), 'SL_HIT'],
    ['BUY TP when bid >= TP', position('BUY', '1.08', { tp: d('1.09') }), q('1.09000', '1.09002'), 'TP_HIT'],
    ['SELL SL when ask >= SL', position('SELL', '1.08', { sl: d('1.09') }), q('1.08998', '1.09000'), 'SL_HIT'],
    ['SELL TP when ask <= TP', position('SELL', '1.08', { tp: d('1.07') }), q('1.06998', '1.07000'), 'TP_HIT'],
    ['BUY with the bid between SL and TP', position('BUY', '1.08', { sl: d('1.07'), tp: d('1.09') }), q('1.08', '1.08002'), null],
  ] as const)('%s', (_n, p, quote, expected) => expect(stopHit(p, quote)).toBe(expected));

  it('fills a gap through the SL at the gap price, not at the SL', () => {
    const spec = forex('EURUSD');
    const quotes = quoteBook({ EURUSD: ['1.06500', '1.06502'] }, NOW);
    const p = position('BUY', '1.08000', { sl: d('1.07000') });
    expect(stopHit(p, quotes('EURUSD')!)).toBe('SL_HIT');
    const plan = planClosePosition(account(), p, undefined, { symbols: (n) => (n === 'EURUSD' ? spec : undefined), quotes, risk: limits(), now: NOW });
    if (!plan.ok) throw new Error(plan.code);
    expect(plan.close.closePrice.toString()).toBe('1.065');
    expect(plan.close.realizedPnl.toFixed(2)).toBe('-1500.00');
  });
});

describe('trailing stop', () => {
  const spec = forex('EURUSD');
  const trail = { distancePips: d(20), stepPips: d(5) };
  it('stays off until the profit reaches the distance', () => {
    expect(trailedStop(position('BUY', '1.08000', { trailing: trail }), q('1.08199', '1.08201'), spec)).toBeNull();
  });
  it('sets SL at bid - D once it does, then moves only by whole steps, never down', () => {
    let p = position('BUY', '1.08000', { trailing: trail });
    const sl1 = trailedStop(p, q('1.08200', '1.08202'), spec)!;
    expect(sl1.toString()).toBe('1.08');
    p = { ...p, sl: sl1 };
    expect(trailedStop(p, q('1.08249', '1.08251'), spec)).toBeNull(); // 4.9 pips: less than a step
    const sl2 = trailedStop(p, q('1.08250', '1.08252'), spec)!;
    expect(sl2.toString()).toBe('1.0805');
    p = { ...p, sl: sl2 };
    expect(trailedStop(p, q('1.08100', '1.08102'), spec)).toBeNull(); // never down
  });
  it('mirrors for a SELL with the ask', () => {
    const p = position('SELL', '1.08000', { trailing: trail });
    expect(trailedStop(p, q('1.07798', '1.07800'), spec)!.toString()).toBe('1.08');
    expect(trailedStop({ ...p, sl: d('1.08') }, q('1.07748', '1.07750'), spec)!.toString()).toBe('1.0795');
  });
});

describe('swap', () => {
  const spec = forex('EURUSD');
  it('charges volume * swapLong for a BUY', () => {
    expect(swapAccrual(position('BUY', '1.08', { volume: d('0.5') }), spec, 'TUESDAY').toString()).toBe('-3.25');
  });
  it('charges three times on the triple-swap day', () => {
    expect(swapAccrual(position('SELL', '1.08'), spec, 'WEDNESDAY').toString()).toBe('3.6');
  });
  it('does not triple for a symbol that rolls every day, and charges it on weekends', () => {
    const crypto = { ...spec, dailyRollover: true };
    expect(swapAccrual(position('BUY', '1.08'), crypto, 'WEDNESDAY').toString()).toBe('-6.5');
    expect(swapAccrual(position('BUY', '1.08'), crypto, 'SATURDAY').toString()).toBe('-6.5');
  });
  it('charges forex nothing on Saturday and Sunday rollovers', () => {
    expect(swapAccrual(position('BUY', '1.08'), spec, 'SATURDAY').isZero()).toBe(true);
    expect(swapAccrual(position('BUY', '1.08'), spec, 'SUNDAY').isZero()).toBe(true);
  });
});

describe('rollover calendar', () => {
  const at = (iso: string) => Date.parse(iso);
  it("puts a trading day's rollover at 22:00 UTC of that day", () => {
    expect(new Date(rolloverMoment('2031-01-08')).toISOString()).toBe('2031-01-08T22:00:00.000Z');
    expect(new Date(nextRolloverMoment(at('2031-01-08T21:59:59.999Z'))).toISOString()).toBe('2031-01-08T22:00:00.000Z');
    expect(new Date(nextRolloverMoment(at('2031-01-08T22:00:00.000Z'))).toISOString()).toBe('2031-01-09T22:00:00.000Z');
  });
  it('agrees with the calendar across leap years and centuries, and knows 2031-02-31 is no day', () => {
    for (let ms = Date.UTC(1899, 11, 1); ms < Date.UTC(2101, 2, 1); ms += 86_400_000) {
      const day = new Date(ms).toISOString().slice(0, 10);
      expect(rolloverMoment(day)).toBe(ms + 22 * 3_600_000);
      expect(lastDueTradingDay(ms + 22 * 3_600_000)).toBe(day);
      expect(isTradingDay(day)).toBe(true);
    }
    expect(['2031-02-31', '2031-02-29', '2100-02-29', '2031-13-01', '2031-01-00', '31-01-01'].filter(isTradingDay)).toEqual([]);
    expect(isTradingDay('2032-02-29')).toBe(true);
  });
  it("makes yesterday the last due day until today's 22:00 UTC", () => {
    expect(lastDueTradingDay(at('2031-01-08T21:59:59.999Z'))).toBe('2031-01-07');
    expect(lastDueTradingDay(at('2031-01-08T22:00:00.000Z'))).toBe('2031-01-08');
    expect(lastDueTradingDay(at('2031-01-01T03:00:00.000Z'))).toBe('2030-12-31');
  });
  it('catches up the days after the last finished run, oldest first', () => {
    const days = catchUpDays({ nowMs: at('2031-01-09T12:00:00Z'), lastFinished: '2031-01-06', firstDay: '2031-01-01', startedAtMs: at('2031-01-09T11:00:00Z') });
    expect(days).toEqual(['2031-01-07', '2031-01-08']);
  });
  it('catches up at most the last 7 days', () => {
    const days = catchUpDays({ nowMs: at('2031-01-20T23:00:00Z'), lastFinished: '2031-01-02', firstDay: '2031-01-01', startedAtMs: at('2031-01-20T22:30:00Z') });
    expect(days).toEqual(['2031-01-14', '2031-01-15', '2031-01-16', '2031-01-17', '2031-01-18', '2031-01-19', '2031-01-20']);
  });
  it('runs nothing before the first rollover run, and nothing once the last due day is done', () => {
    expect(catchUpDays({ nowMs: at('2031-01-09T23:00:00Z'), lastFinished: null, firstDay: '2031-01-08', startedAtMs: at('2031-01-09T23:00:00Z') })).toEqual(['2031-01-08', '2031-01-09']);
    expect(catchUpDays({ nowMs: at('2031-01-09T23:00:00Z'), lastFinished: '2031-01-09', firstDay: '2031-01-01', startedAtMs: 0 })).toEqual([]);
  });
  it('invents no history on a database that has never rolled: only moments after the first start count', () => {
    const startedAtMs = at('2031-01-08T23:00:00Z');
    expect(catchUpDays({ nowMs: startedAtMs, lastFinished: null, firstDay: null, startedAtMs })).toEqual([]);
    expect(catchUpDays({ nowMs: at('2031-01-09T22:00:00Z'), lastFinished: null, firstDay: null, startedAtMs })).toEqual(['2031-01-09']);
  });
});

function limits(extra: Partial<RiskLimits> = {}): RiskLimits {
  return { marginCallLevel: d(100), stopOutLevel: d(50), maxOpenPositions: null, maxPositionSize: null, negativeBalanceProtection: true, ...extra };
}

describe('stop out', () => {
  const specs = new Map<string, SymbolSpec>([
    ['EURUSD', forex('EURUSD')],
    ['GBPUSD', forex('GBPUSD')],
  ]);
  const symbols = (n: string) => specs.get(n);

  it('closes the largest loss first and stops once the level is above stop out', () => {
    const positions = [
      position('BUY', '1.10000', { id: 1n, margin: d(1000) }),
      { ...position('BUY', '1.30000', { id: 2n, margin: d(1000) }), symbol: 'GBPUSD' },
      position('BUY', '1.09500', { id: 3n, margin: d(1000) }),
    ];
    // EURUSD bid 1.09000: #1 -1000, #3 -500. GBPUSD bid 1.28500: #2 -1500. Balance 3900 → equity 900,
    // used 3000 → 30%. Close #2 (-1500): balance 2400, equity 900, used 2000 → 45%. Close #1 (-1000):
    // balance 1400, equity 900, used 1000 → 90%: stop.
    const quotes = quoteBook({ EURUSD: ['1.09000', '1.09000'], GBPUSD: ['1.28500', '1.28500'] }, NOW);
    const plan = planStopOut(account({ balance: d(3900) }), positions, { symbols, quotes, risk: limits(), now: NOW })!;
    expect(plan.closes.map((c) => c.positionId)).toEqual([2n, 1n]);
    expect(plan.closes.map((c) => c.realizedPnl.toFixed(2))).toEqual(['-1500.00', '-1000.00']);
    expect(plan.balanceAfter.toFixed(2)).toBe('1400.00');
    expect(plan.protection).toBeNull();
    expect(plan.marginLevelAfter!.toFixed(2)).toBe('90.00');
  });

  it('uses the levels it is given: an account with its own 150% / 120% is in margin call and stopped out where 100% / 50% see nothing', () => {
    const own = limits({ marginCallLevel: d(150), stopOutLevel: d(120) });
    const held = [position('BUY', '1.10000', { margin: d(1000) })];
    // Bid 1.09910: -90.00, equity 1300 - 90 = 1210, used 1000: 121%.
    const at121 = quoteBook({ EURUSD: ['1.09910', '1.09910'] }, NOW);
    const level121 = accountFigures(account({ balance: d(1300) }), held, symbols, at121).marginLevel;
    expect(level121!.toFixed(2)).toBe('121.00');
    expect(riskState(level121, { risk: own })).toBe('MARGIN_CALL');
    expect(riskState(level121, { risk: limits() })).toBe('OK');
    expect(planStopOut(account({ balance: d(1300) }), held, { symbols, quotes: at121, risk: own, now: NOW })).toBeNull();
    // Bid 1.09900: -100.00, equity 1200: exactly 120%, at the level: stop out.
    const at120 = quoteBook({ EURUSD: ['1.09900', '1.09900'] }, NOW);
    expect(planStopOut(account({ balance: d(1300) }), held, { symbols, quotes: at120, risk: limits(), now: NOW })).toBeNull();
    const plan = planStopOut(account({ balance: d(1300) }), held, { symbols, quotes: at120, risk: own, now: NOW })!;
    expect(plan.marginLevelBefore.toFixed(2)).toBe('120.00');
    expect(plan.closes.map((c) => c.realizedPnl.toFixed(2))).toEqual(['-100.00']);
    expect(plan.balanceAfter.toFixed(2)).toBe('1200.00');
  });

  it('does nothing above the stop-out level', () => {
    const quotes = quoteBook({ EURUSD: ['1.10000', '1.10000'] }, NOW);
    expect(planStopOut(account(), [position('BUY', '1.10000')], { symbols, quotes, risk: limits(), now: NOW })).toBeNull();
  });

  it('brings a negative balance back to 0 with a protection entry', () => {
    const quotes = quoteBook({ EURUSD: ['1.05000', '1.05000'] }, NOW);
    const plan = planStopOut(account({ balance: d(3000) }), [position('BUY', '1.10000')], { symbols, quotes, risk: limits(), now: NOW })!;
    expect(plan.closes[0]!.realizedPnl.toFixed(2)).toBe('-5000.00');
    expect(plan.protection!.toFixed(2)).toBe('2000.00');
    expect(plan.balanceAfter.toFixed(2)).toBe('0.00');
    expect(plan.ledger.map((l) => l.type)).toEqual(['REALIZED_PNL', 'NEGATIVE_BALANCE_PROTECTION']);
  });

  it('credits no protection while a position stays open, even with the balance below 0', () => {
    const positions = [
      position('BUY', '1.10000', { id: 1n, margin: d(1000) }),
      { ...position('SELL', '1.40000', { id: 2n, margin: d(100), volume: d('0.1') }), symbol: 'GBPUSD' },
    ];
    // EURUSD bid 1.05: #1 −5000. GBPUSD ask 1.35: #2 +500. Balance 4600 → equity 100 on 1100 (9%). Closing #1
    // leaves balance −400, equity 100 on 100 (100%): the stop out ends with #2 open and nothing is owed.
    const quotes = quoteBook({ EURUSD: ['1.05000', '1.05000'], GBPUSD: ['1.35000', '1.35000'] }, NOW);
    const plan = planStopOut(account({ balance: d(4600) }), positions, { symbols, quotes, risk: limits(), now: NOW })!;
    expect(plan.closes.map((c) => c.positionId)).toEqual([1n]);
    expect(plan.protection).toBeNull();
    expect(plan.balanceAfter.toFixed(2)).toBe('-400.00');
    expect(plan.ledger.map((l) => l.type)).toEqual(['REALIZED_PNL']);
  });

  it('leaves a negative balance when protection is off', () => {
    const quotes = quoteBook({ EURUSD: ['1.05000', '1.05000'] }, NOW);
    const plan = planStopOut(account({ balance: d(3000) }), [position('BUY', '1.10000')], { symbols, quotes, risk: limits({ negativeBalanceProtection: false }), now: NOW })!;
    expect(plan.balanceAfter.toFixed(2)).toBe('-2000.00');
  });
});
