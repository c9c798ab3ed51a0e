import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  accountFigures,
  conversionRate,
  conversionSymbols,
  isMarketOpen,
  planClosePosition,
  planMarketOrder,
  positionsAfter,
  roundMoney,
  unrealizedPnl,
  type DealPlan,
  type PositionState,
  type RiskLimits,
  type SymbolSpec,
} from '../src/domain/index.ts';
import { account, forex, quoteBook } from './fixtures.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const NOW = 1_700_000_000_000;
const risk: RiskLimits = { marginCallLevel: d(100), stopOutLevel: d(50), maxOpenPositions: 200, maxPositionSize: d(100) };
const specs = new Map<string, SymbolSpec>([
  ['EURUSD', forex('EURUSD')],
  ['USDJPY', forex('USDJPY')],
  ['EURGBP', forex('EURGBP')],
  ['GBPUSD', forex('GBPUSD')],
]);
const symbols = (n: string) => specs.get(n);

function filled(plan: ReturnType<typeof planMarketOrder>): DealPlan {
  if (!plan.ok) throw new Error(`rejected: ${plan.code} ${plan.message}`);
  return plan;
}

function asPosition(plan: DealPlan, id = 1n): PositionState {
  return positionsAfter([], plan.closes, plan.open, plan.symbol, NOW, id)[0]!;
}

describe('trading-rules.md worked example', () => {
  it('buys 1 lot EURUSD at the ask with margin 1084.52 and commission 7.00, then shows +100.00', () => {
    const quotes = quoteBook({ EURUSD: ['1.08450', '1.08452'] }, NOW);
    const plan = filled(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { symbols, quotes, risk, now: NOW }));
    expect(plan.price.toString()).toBe('1.08452');
    expect(plan.open!.margin.toFixed(2)).toBe('1084.52');
    expect(plan.ledger).toHaveLength(1);
    expect(plan.ledger[0]!.type).toBe('COMMISSION');
    expect(plan.ledger[0]!.amount.toFixed(2)).toBe('-7.00');
    expect(plan.balanceAfter.toFixed(2)).toBe('9993.00');
    const later = quoteBook({ EURUSD: ['1.08552', '1.08554'] }, NOW);
    expect(unrealizedPnl(asPosition(plan), specs.get('EURUSD')!, 'USD', later)!.toFixed(2)).toBe('100.00');
  });

  it('sells 1 lot USDJPY at 150.000 and converts the P&L at the USDJPY mid: +334.45', () => {
    const quotes = quoteBook({ USDJPY: ['150.000', '150.002'] }, NOW);
    const plan = filled(planMarketOrder(account(), [], { symbol: 'USDJPY', side: 'SELL', volume: d(1) }, { symbols, quotes, risk, now: NOW }));
    expect(plan.price.toString()).toBe('150');
    const later = quoteBook({ USDJPY: ['149.498', '149.500'] }, NOW);
    expect(unrealizedPnl(asPosition(plan), specs.get('USDJPY')!, 'USD', later)!.toFixed(2)).toBe('334.45');
  });
});

describe('currency conversion', () => {
  const quotes = quoteBook({ EURUSD: ['1.1', '1.1'], USDJPY: ['150', '150'], GBPUSD: ['1.25', '1.25'] });
  it('is 1 for the same currency', () => expect(conversionRate('USD', 'USD', quotes)!.toString()).toBe('1'));
  it('gives the same rate again for the same quote (worked out once per quote)', () => {
    const a = conversionRate('USD', 'JPY', quotes);
    const b = conversionRate('JPY', 'USD', quotes);
    expect(conversionRate('USD', 'JPY', quotes)!.eq(a!)).toBe(true);
    expect(conversionRate('JPY', 'USD', quotes)!.eq(b!)).toBe(true);
  });
  it('multiplies by CCYACC', () => expect(conversionRate('EUR', 'USD', quotes)!.toString()).toBe('1.1'));
  it('divides by ACCCCY', () => expect(conversionRate('JPY', 'USD', quotes)!.times(150).toFixed(8)).toBe('1.00000000'));
  it('goes through USD when no direct pair exists', () => expect(conversionRate('GBP', 'EUR', quotes)!.toFixed(8)).toBe(d('1.25').div('1.1').toFixed(8)));
  it('is undefined when nothing converts', () => expect(conversionRate('CHF', 'USD', quotes)).toBeUndefined());
  it('names every symbol a conversion may read: the pair either way round, and the legs through USD', () => {
    const table = new Set(['EURUSD', 'GBPUSD', 'USDJPY', 'EURGBP', 'XAUUSD']);
    const exists = (s: string) => table.has(s);
    expect(conversionSymbols('USD', 'USD', exists)).toEqual([]);
    expect(conversionSymbols('JPY', 'USD', exists)).toEqual(['USDJPY']);
    expect(conversionSymbols('JPY', 'EUR', exists)).toEqual(['USDJPY', 'EURUSD']);
    // EURGBP is read first; GBPUSD and EURUSD only when it has no quote.
    expect(conversionSymbols('GBP', 'EUR', exists)).toEqual(['EURGBP', 'GBPUSD', 'EURUSD']);
    expect(conversionSymbols('CHF', 'USD', exists)).toEqual([]);
  });
});

describe('margin', () => {
  it('caps leverage with the symbol margin percent', () => {
    const quotes = quoteBook({ EURUSD: ['1.00000', '1.00000'] }, NOW);
    const plan = filled(planMarketOrder(account({ leverage: 500 }), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { symbols, quotes, risk, now: NOW }));
    // max(1/500, 1%) = 1%
    expect(plan.open!.margin.toFixed(2)).toBe('1000.00');
  });

  it('computes margin with the risk settings’ maxLeverage when it is below the account leverage', () => {
    const quotes = quoteBook({ EURUSD: ['1.00000', '1.00000'] }, NOW);
    const at = (leverage: number, maxLeverage: number | null) =>
      filled(planMarketOrder(account({ leverage }), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { symbols, quotes, risk: { ...risk, maxLeverage }, now: NOW })).open!.margin.toFixed(2);
    // 1 lot × 100,000 × 1.00000: 1:100 account capped at 1:50 → 2%; a cap above the account's leverage or none
    // changes nothing (1%); the symbol's 1% still binds a 1:500 account capped at 1:200.
    expect(at(100, 50)).toBe('2000.00');
    expect(at(100, 200)).toBe('1000.00');
    expect(at(100, null)).toBe('1000.00');
    expect(at(500, 200)).toBe('1000.00');
  });

  it('takes the larger leg on a hedging account', () => {
    const quotes = quoteBook({ EURUSD: ['1.00000', '1.00000'] }, NOW);
    const ctx = { symbols, quotes, risk, now: NOW };
    const buy = asPosition(filled(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(2) }, ctx)), 1n);
    const sell = filled(planMarketOrder(account(), [buy], { symbol: 'EURUSD', side: 'SELL', volume: d(1) }, ctx));
    const all = positionsAfter([buy], sell.closes, sell.open, 'EURUSD', NOW, 2n);
    const figures = accountFigures(account(), all, symbols, quotes);
    expect(figures.margin.toFixed(2)).toBe('2000.00');
  });

  it('passes a hedging order that adds no margin even with no free margin', () => {
    const quotes = quoteBook({ EURUSD: ['1.00000', '1.00000'] }, NOW);
    const ctx = { symbols, quotes, risk, now: NOW };
    const poor = account({ balance: d(1000) });
    const buy = asPosition(filled(planMarketOrder({ ...poor, balance: d(1100) }, [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, ctx)), 1n);
    const sell = planMarketOrder({ ...poor, balance: d(900) }, [buy], { symbol: 'EURUSD', side: 'SELL', volume: d(1), }, ctx);
    expect(sell.ok).toBe(true);
  });

  it('rejects with INSUFFICIENT_MARGIN when free margin after the fill would be negative', () => {
    const quotes = quoteBook({ EURUSD: ['1.08450', '1.08452'] }, NOW);
    const plan = planMarketOrder(account({ balance: d(1000) }), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { symbols, quotes, risk, now: NOW });
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.code).toBe('INSUFFICIENT_MARGIN');
  });
});

describe('pre-trade checks', () => {
  const quotes = quoteBook({ EURUSD: ['1.08450', '1.08452'] }, NOW);
  const ctx = { symbols, quotes, risk, now: NOW };
  const code = (p: ReturnType<typeof planMarketOrder>) => (p.ok ? 'FILLED' : p.code);
  it('refuses a suspended account', () => expect(code(planMarketOrder(account({ status: 'SUSPENDED' }), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, ctx))).toBe('ACCOUNT_INACTIVE'));
  it('refuses a read-only account', () => expect(code(planMarketOrder(account({ status: 'READ_ONLY' }), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, ctx))).toBe('ACCOUNT_READ_ONLY'));
  it('refuses an unknown symbol', () => expect(code(planMarketOrder(account(), [], { symbol: 'NOPE', side: 'BUY', volume: d(1) }, ctx))).toBe('UNKNOWN_SYMBOL'));
  it('refuses a symbol without a quote', () => expect(code(planMarketOrder(account(), [], { symbol: 'GBPUSD', side: 'BUY', volume: d(1) }, ctx))).toBe('NO_QUOTE'));
  it('refuses a stale quote', () => expect(code(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { ...ctx, now: NOW + 60_000 }))).toBe('NO_QUOTE'));
  it('refuses a volume off the step', () => expect(code(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d('0.015') }, ctx))).toBe('INVALID_VOLUME'));
  it('checks the step exactly, whether or not it is a power of ten', () => {
    const step = (volumeStep: string) => {
      const m = new Map(specs);
      m.set('EURUSD', forex('EURUSD', { volumeStep: d(volumeStep) }));
      return (v: string) => {
        const plan = planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(v) }, { ...ctx, symbols: (n) => m.get(n) });
        return plan.ok ? 'OK' : plan.code;
      };
    };
    const cent = step('0.01');
    expect([cent('0.01'), cent('0.010'), cent('1.23'), cent('1.235'), cent('2')]).toEqual(['OK', 'OK', 'OK', 'INVALID_VOLUME', 'OK']);
    const tenth = step('0.1');
    expect([tenth('0.1'), tenth('0.15'), tenth('3')]).toEqual(['OK', 'INVALID_VOLUME', 'OK']);
    const lot = step('1');
    expect([lot('1'), lot('1.5'), lot('7')]).toEqual(['OK', 'INVALID_VOLUME', 'OK']);
    const half = step('0.5');
    expect([half('0.5'), half('1.5'), half('0.25'), half('2')]).toEqual(['OK', 'OK', 'INVALID_VOLUME', 'OK']);
    const quarter = step('0.25');
    expect([quarter('0.75'), quarter('0.3')]).toEqual(['OK', 'INVALID_VOLUME']);
  });
  it('refuses a volume above the maximum', () => expect(code(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(101) }, ctx))).toBe('INVALID_VOLUME'));
  it('refuses a BUY stop loss above the price', () => expect(code(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1), sl: d('1.09') }, ctx))).toBe('INVALID_STOPS'));
  it('refuses a SELL take profit above the price', () => expect(code(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'SELL', volume: d(1), tp: d('1.09') }, ctx))).toBe('INVALID_STOPS'));
  it('refuses outside trading hours', () => {
    const closed = new Map(specs);
    closed.set('EURUSD', forex('EURUSD', { tradingHours: [{ day: 'MONDAY', open: '00:00', close: '23:59' }] }));
    // NOW is a Tuesday.
    expect(code(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { ...ctx, symbols: (n) => closed.get(n) }))).toBe('MARKET_CLOSED');
  });
  it('refuses past the maximum number of open positions', () => {
    const one = asPosition(filled(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d('0.1') }, ctx)));
    expect(code(planMarketOrder(account(), [one], { symbol: 'EURUSD', side: 'BUY', volume: d('0.1') }, { ...ctx, risk: { ...risk, maxOpenPositions: 1 } }))).toBe('MAX_OPEN_POSITIONS');
  });
});

describe('risk limits (trading-rules.md, Opening: max position size, max symbol exposure)', () => {
  const quotes = quoteBook({ EURUSD: ['1.10000', '1.10002'], USDJPY: ['150.000', '150.010'] }, NOW);
  const ctx = (limits: Partial<RiskLimits>) => ({ symbols, quotes, risk: { ...risk, ...limits }, now: NOW });
  const code = (p: ReturnType<typeof planMarketOrder>) => (p.ok ? 'FILLED' : p.code);
  const order = (side: 'BUY' | 'SELL', volume: string, symbol = 'EURUSD') => ({ symbol, side, volume: d(volume) });

  it('refuses a position larger than maxPositionSize with MAX_POSITION_SIZE and lets one at the limit through', () => {
    const limited = ctx({ maxPositionSize: d(1) });
    expect(code(planMarketOrder(account(), [], order('BUY', '1.01'), limited))).toBe('MAX_POSITION_SIZE');
    expect(code(planMarketOrder(account(), [], order('BUY', '1'), limited))).toBe('FILLED');
  });

  it('measures a netting position after the order: adding past the limit is refused, reducing and reversing within it pass', () => {
    const netting = account({ marginMode: 'NETTING' });
    const long = asPosition(filled(planMarketOrder(netting, [], order('BUY', '0.6'), ctx({}))));
    const limited = ctx({ maxPositionSize: d(1) });
    expect(code(planMarketOrder(netting, [long], order('BUY', '0.5'), limited))).toBe('MAX_POSITION_SIZE'); // 0.6 + 0.5 = 1.1
    expect(code(planMarketOrder(netting, [long], order('BUY', '0.4'), limited))).toBe('FILLED'); // 0.6 + 0.4 = 1.0
    expect(code(planMarketOrder(netting, [long], order('SELL', '1.6'), limited))).toBe('FILLED'); // closes 0.6, opens 1.0 short
    expect(code(planMarketOrder(netting, [long], order('SELL', '1.7'), limited))).toBe('MAX_POSITION_SIZE'); // opens 1.1 short
    // A limit lowered below a position already held never stops the trader reducing it.
    expect(code(planMarketOrder(netting, [long], order('SELL', '0.3'), ctx({ maxPositionSize: d('0.5') })))).toBe('FILLED');
  });

  it('refuses with MAX_SYMBOL_EXPOSURE when the gross notional of the symbol at the fill price would pass the limit (hedged legs add up)', () => {
    const buy = asPosition(filled(planMarketOrder(account(), [], order('BUY', '1'), ctx({}))));
    // SELL fills at the bid 1.10000; gross lots 1 + 0.8 = 1.8: 1.8 * 100000 * 1.10000 = 198000.00, the limit itself.
    expect(code(planMarketOrder(account(), [buy], order('SELL', '0.8'), ctx({ maxSymbolExposure: d(198000) })))).toBe('FILLED');
    // 1.81 * 100000 * 1.10000 = 199100.00 > 198000 (netted it would be only 0.19 lot).
    expect(code(planMarketOrder(account(), [buy], order('SELL', '0.81'), ctx({ maxSymbolExposure: d(198000) })))).toBe('MAX_SYMBOL_EXPOSURE');
  });

  it('takes the exposure in the account currency', () => {
    // USDJPY BUY 1 at the ask 150.010, JPY -> USD divides by the mid 150.005:
    // 1 * 100000 * 150.010 / 150.005 = 100003.33 USD.
    expect(code(planMarketOrder(account(), [], order('BUY', '1', 'USDJPY'), ctx({ maxSymbolExposure: d(100003) })))).toBe('MAX_SYMBOL_EXPOSURE');
    expect(code(planMarketOrder(account(), [], order('BUY', '1', 'USDJPY'), ctx({ maxSymbolExposure: d(100004) })))).toBe('FILLED');
  });

  it('lets a netting order that only reduces the position through whatever the exposure', () => {
    const netting = account({ marginMode: 'NETTING' });
    const long = asPosition(filled(planMarketOrder(netting, [], order('BUY', '2'), ctx({}))));
    // 2 lots are already 220000 USD, above a limit of 100000.
    expect(code(planMarketOrder(netting, [long], order('SELL', '0.5'), ctx({ maxSymbolExposure: d(100000) })))).toBe('FILLED');
    expect(code(planMarketOrder(netting, [long], order('BUY', '0.01'), ctx({ maxSymbolExposure: d(100000) })))).toBe('MAX_SYMBOL_EXPOSURE');
  });

  it('checks max position size, then symbol exposure, before free margin', () => {
    const poor = account({ balance: d(100) }); // 1 lot needs 1100.02 of margin
    expect(code(planMarketOrder(poor, [], order('BUY', '1'), ctx({})))).toBe('INSUFFICIENT_MARGIN');
    expect(code(planMarketOrder(poor, [], order('BUY', '1'), ctx({ maxSymbolExposure: d(1000) })))).toBe('MAX_SYMBOL_EXPOSURE');
    expect(code(planMarketOrder(poor, [], order('BUY', '1'), ctx({ maxSymbolExposure: d(1000), maxPositionSize: d('0.5') })))).toBe('MAX_POSITION_SIZE');
  });
});

describe('EUR and GBP accounts to the cent (trading-rules.md, Currency conversion)', () => {
  // XAUUSD as seeded: 100 oz, 2 digits, 5% margin, 15 per lot.
  const fx = new Map<string, SymbolSpec>([
    ...specs,
    ['XAUUSD', forex('XAUUSD', { contractSize: d(100), digits: 2, pipSize: d('0.01'), marginPercent: d(5), commissionPerLot: d(15) })],
  ]);
  const fxSymbols = (n: string) => fx.get(n);
  // Mids: EURUSD 1.25, GBPUSD 1.6, USDJPY 160, EURGBP 0.8.
  const atOpen = quoteBook(
    { EURUSD: ['1.24990', '1.25010'], GBPUSD: ['1.59990', '1.60010'], USDJPY: ['159.990', '160.010'], EURGBP: ['0.79990', '0.80010'], XAUUSD: ['2000.00', '2000.50'] },
    NOW,
  );

  function open(acc: ReturnType<typeof account>, orders: { symbol: string; side: 'BUY' | 'SELL'; volume: string }[]) {
    let positions: PositionState[] = [];
    let balance = acc.balance;
    orders.forEach((o, i) => {
      const plan = filled(planMarketOrder({ ...acc, balance }, positions, { ...o, volume: d(o.volume) }, { symbols: fxSymbols, quotes: atOpen, risk, now: NOW }));
      positions = positionsAfter(positions, plan.closes, plan.open, plan.symbol, NOW, BigInt(i + 1));
      balance = plan.balanceAfter;
    });
    return { positions, account: { ...acc, balance } };
  }

  it('EUR account: margins through EURGBP (divide), EURUSD (divide) and USD (two legs), P&L at the later rates', () => {
    const eur = account({ currency: 'EUR' });
    const { positions, account: after } = open(eur, [
      { symbol: 'EURGBP', side: 'BUY', volume: '1' },
      { symbol: 'XAUUSD', side: 'SELL', volume: '0.1' },
      { symbol: 'USDJPY', side: 'BUY', volume: '1' },
    ]);
    // EURGBP BUY 1 at 0.80010; GBP -> EUR = 1 / mid(EURGBP) = 1 / 0.8: 100000 * 0.80010 / 0.8 * 1% = 1000.125
    // XAUUSD SELL 0.1 at 2000.00; USD -> EUR = 1 / mid(EURUSD) = 0.8: 0.1 * 100 * 2000.00 * 0.8 * 5% = 800.00
    // USDJPY BUY 1 at 160.010; JPY -> EUR via USD = 1 / 160 * 1 / 1.25 = 0.005: 100000 * 160.010 * 0.005 * 1% = 800.05
    expect(positions.map((p) => p.margin.toFixed(8))).toEqual(['1000.12500000', '800.00000000', '800.05000000']);
    // Commissions 7.00 + 1.50 + 7.00.
    expect(after.balance.toFixed(2)).toBe('9984.50');

    // Later every rate moves: EURUSD mid 1.26, USDJPY mid 160.5, EURGBP mid 0.805. Margins stay fixed.
    const later = quoteBook(
      { EURUSD: ['1.25990', '1.26010'], GBPUSD: ['1.59990', '1.60010'], USDJPY: ['160.490', '160.510'], EURGBP: ['0.80490', '0.80510'], XAUUSD: ['2012.34', '2012.84'] },
      NOW,
    );
    const pnl = positions.map((p) => unrealizedPnl(p, fx.get(p.symbol)!, 'EUR', later)!);
    // EURGBP: (0.80490 - 0.80010) * 100000 / 0.805 = 596.2733 -> 596.27
    // XAUUSD: (2000.00 - 2012.84) * 100 * 0.1 / 1.26 = -101.9048 -> -101.90
    // USDJPY: (160.490 - 160.010) * 100000 / 160.5 / 1.26 = 237.3535 -> 237.35
    expect(pnl.map((x) => x.toFixed(2))).toEqual(['596.27', '-101.90', '237.35']);
    const f = accountFigures(after, positions, fxSymbols, later);
    // Equity 9984.50 + 731.72203840 = 10716.22203840; margin 1000.125 + 800 + 800.05 = 2600.175;
    // free 8116.04703840; level 10716.22203840 / 2600.175 * 100 = 412.1346%.
    expect([f.equity, f.margin, f.freeMargin, f.marginLevel!, f.unrealizedPnl].map((x) => x.toFixed(2))).toEqual(['10716.22', '2600.18', '8116.05', '412.13', '731.72']);
    // Floating figures keep full precision (rounded for display only).
    expect(f.equity.toFixed(6)).toBe('10716.222038');

    const close = planClosePosition(after, positions[1]!, undefined, { symbols: fxSymbols, quotes: later, risk, now: NOW });
    if (!close.ok) throw new Error(close.code);
    expect(close.close.closePrice.toString()).toBe('2012.84');
    expect(close.close.realizedPnl.toFixed(2)).toBe('-101.90');
    expect(close.balanceAfter.toFixed(2)).toBe('9882.60');
  });

  it('GBP account: EURGBP needs no conversion, XAUUSD divides by GBPUSD, USDJPY goes through USD; booked P&L rounds half away from zero', () => {
    const gbp = account({ currency: 'GBP' });
    const { positions, account: after } = open(gbp, [
      { symbol: 'EURGBP', side: 'SELL', volume: '1' },
      { symbol: 'XAUUSD', side: 'SELL', volume: '0.01' },
      { symbol: 'USDJPY', side: 'BUY', volume: '0.5' },
    ]);
    // EURGBP SELL 1 at 0.79990 (GBP = account): 100000 * 0.79990 * 1% = 799.90
    // XAUUSD SELL 0.01 at 2000.00; USD -> GBP = 1 / 1.6 = 0.625: 0.01 * 100 * 2000.00 * 0.625 * 5% = 62.50
    // USDJPY BUY 0.5 at 160.010; JPY -> GBP = 1 / 160 / 1.6 = 1/256: 50000 * 160.010 / 256 * 1% = 312.51953125
    expect(positions.map((p) => p.margin.toFixed(8))).toEqual(['799.90000000', '62.50000000', '312.51953125']);
    // Commissions 7.00 + 0.15 + 3.50.
    expect(after.balance.toFixed(2)).toBe('9989.35');

    const later = quoteBook(
      { EURUSD: ['1.24990', '1.25010'], GBPUSD: ['1.59990', '1.60010'], USDJPY: ['160.490', '160.510'], EURGBP: ['0.80500', '0.80510'], XAUUSD: ['2019.22', '2019.72'] },
      NOW,
    );
    // EURGBP: (0.79990 - 0.80510) * 100000 = -520.00
    // XAUUSD: (2000.00 - 2019.72) * 100 * 0.01 / 1.6 = -12.325 (exactly)
    // USDJPY: (160.490 - 160.010) * 50000 / 160.5 / 1.6 = 93.4579
    const f = accountFigures(after, positions, fxSymbols, later);
    expect(f.unrealizedPnl.toFixed(8)).toBe('-438.86705607');
    // Equity 9989.35 - 438.86705607 = 9550.48294393; margin 799.90 + 62.50 + 312.51953125 = 1174.91953125;
    // level 9550.48294393 / 1174.91953125 * 100 = 812.8627%.
    expect([f.equity, f.margin, f.freeMargin, f.marginLevel!].map((x) => x.toFixed(2))).toEqual(['9550.48', '1174.92', '8375.56', '812.86']);

    // Booked: -12.325 becomes -12.33 (half away from zero; half-even or half-up toward +inf would give -12.32).
    const close = planClosePosition(after, positions[1]!, undefined, { symbols: fxSymbols, quotes: later, risk, now: NOW });
    if (!close.ok) throw new Error(close.code);
    expect(close.close.closePrice.toString()).toBe('2019.72');
    expect(close.close.realizedPnl.toFixed(8)).toBe('-12.33000000');
    expect(close.ledger.map((l) => [l.type, l.amount.toFixed(8)])).toEqual([['REALIZED_PNL', '-12.33000000']]);
    expect(close.balanceAfter.toFixed(2)).toBe('9977.02');
  });
});

describe('closing', () => {
  const open = quoteBook({ EURUSD: ['1.08450', '1.08452'] }, NOW);
  const ctx = { symbols, quotes: open, risk, now: NOW };
  const buy = asPosition(filled(planMarketOrder(account(), [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, ctx)));

  it('books realized P&L at the bid and the balance changes by exactly commission + P&L', () => {
    const later = quoteBook({ EURUSD: ['1.08552', '1.08554'] }, NOW);
    const plan = planClosePosition(account({ balance: d('9993') }), buy, undefined, { ...ctx, quotes: later });
    if (!plan.ok) throw new Error(plan.code);
    expect(plan.close.closePrice.toString()).toBe('1.08552');
    expect(plan.close.realizedPnl.toFixed(2)).toBe('100.00');
    expect(plan.balanceAfter.toFixed(2)).toBe('10093.00');
  });

  it('splits the swap on a partial close and keeps the open price', () => {
    const withSwap: PositionState = { ...buy, swap: d('-13.01') };
    const plan = planClosePosition(account(), withSwap, d('0.3'), ctx);
    if (!plan.ok) throw new Error(plan.code);
    expect(plan.close.swap.toFixed(2)).toBe('-3.90');
    expect(plan.close.remaining!.swap.toFixed(2)).toBe('-9.11');
    expect(plan.close.remaining!.volume.toString()).toBe('0.7');
    expect(plan.close.remaining!.openPrice.toString()).toBe('1.08452');
    expect(plan.close.remaining!.margin.toFixed(4)).toBe(buy.margin.times('0.7').toFixed(4));
  });

  it('refuses to close more than the position holds', () => {
    const plan = planClosePosition(account(), buy, d(2), ctx);
    expect(plan.ok ? 'FILLED' : plan.code).toBe('INVALID_VOLUME');
  });
});

describe('netting', () => {
  const quotes = quoteBook({ EURUSD: ['1.10000', '1.10000'] }, NOW);
  const ctx = { symbols, quotes, risk, now: NOW };
  const netting = account({ marginMode: 'NETTING' });
  const long = asPosition(filled(planMarketOrder(netting, [], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, ctx)));

  it('adds a same-side order at the volume-weighted price', () => {
    const q2 = quoteBook({ EURUSD: ['1.20000', '1.20000'] }, NOW);
    const plan = filled(planMarketOrder(netting, [long], { symbol: 'EURUSD', side: 'BUY', volume: d(1) }, { ...ctx, quotes: q2 }));
    expect(plan.open!.mergeInto!.volume.toString()).toBe('2');
    expect(plan.open!.mergeInto!.openPrice.toString()).toBe('1.15');
  });

  it('reverses: closes the position and opens the rest the other way', () => {
    const q2 = quoteBook({ EURUSD: ['1.10100', '1.10100'] }, NOW);
    const plan = filled(planMarketOrder(netting, [long], { symbol: 'EURUSD', side: 'SELL', volume: d(3) }, { ...ctx, quotes: q2 }));
    expect(plan.closes).toHaveLength(1);
    expect(plan.closes[0]!.realizedPnl.toFixed(2)).toBe('100.00');
    expect(plan.open!.side).toBe('SELL');
    expect(plan.open!.volume.toString()).toBe('2');
    expect(plan.open!.commission.toFixed(2)).toBe('14.00');
    expect(plan.balanceAfter.toFixed(2)).toBe(d(10000).plus(100).minus(14).toFixed(2));
  });
});

describe('rounding and sessions', () => {
  it('rounds booked money half away from zero', () => {
    expect(roundMoney(d('2.345')).toFixed(2)).toBe('2.35');
    expect(roundMoney(d('-2.345')).toFixed(2)).toBe('-2.35');
  });
  it('opens forex from Sunday 22:00 to Friday 22:00 UTC', () => {
    const fx = [
      { day: 'SUNDAY', open: '22:00', close: '23:59' },
      ...(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'] as const).map((day) => ({ day, open: '00:00', close: '23:59' })),
      { day: 'FRIDAY', open: '00:00', close: '22:00' },
    ] as const;
    expect(isMarketOpen([...fx], Date.UTC(2026, 10, 22, 21, 59))).toBe(false); // Sunday
    expect(isMarketOpen([...fx], Date.UTC(2026, 10, 22, 22, 0))).toBe(true);
    expect(isMarketOpen([...fx], Date.UTC(2026, 10, 27, 21, 59))).toBe(true); // Friday
    expect(isMarketOpen([...fx], Date.UTC(2026, 10, 27, 22, 0))).toBe(false);
    expect(isMarketOpen([...fx], Date.UTC(2026, 10, 28, 12, 0))).toBe(false); // Saturday
  });
});
