import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRoute, type ExecutionMode, type LpHealth, type RoutingConfig, type RoutingInput } from '../src/domain/routing.ts';

const d = (v: Decimal.Value) => new Decimal(v);

const LP1: LpHealth = { id: 1, name: 'YOFX1', priority: 1, up: true, tradable: true, pricesSymbol: true };
const LP2: LpHealth = { id: 2, name: 'LMAX', priority: 2, up: true, tradable: true, pricesSymbol: true };

function config(overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  return {
    globalMode: 'B_BOOK',
    bbookMaxVolume: d(10),
    highVolatilityPercent: d(5),
    maxSymbolExposure: d(1_000_000),
    profitableAutoRoute: false,
    profitableThresholdPnl: d(10_000),
    profitableWinRate: d(65),
    cbookAbookShare: d(50),
    toxicFlowAutoRoute: false,
    toxicLatencyArbScore: d(30),
    toxicMarkoutPerLot: d(5),
    toxicMarkoutHorizon: '10s',
    flowMinFills: 20,
    ...overrides,
  };
}

/** An order of 1 lot EURUSD BUY that nothing but the global B-Book mode applies to. */
function input(overrides: Partial<RoutingInput> = {}, cfg: Partial<RoutingConfig> = {}): RoutingInput {
  return {
    config: config(cfg),
    override: null,
    symbolRule: null,
    order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(1) },
    volumeStep: d('0.01'),
    volatilityPercent: d(1),
    // House short 2 lots; one lot is worth 108,450 USD.
    exposure: { houseNetLots: d(-2), lotNotional: d(108_450) },
    flow: { fills: 50, closedTrades: 30, pnl: d(200), winRate: d(50), markoutPerLot: { '1s': d(-6), '10s': d(-4), '60s': d(1) }, latencyArbScore: d(2) },
    lps: [LP1, LP2],
    ...overrides,
  };
}

describe('routing rules one by one', () => {
  it('fills on the global mode when no rule applies, and says so', () => {
    const r = decideRoute(input());
    expect(r).toMatchObject({ venue: 'BBOOK', lp: null, hedgeVolume: null, rule: 'GLOBAL_MODE', reason: 'global mode B-Book' });
    expect(JSON.parse(JSON.stringify(r.figures))).toEqual(r.figures);
  });

  it('sends a global A-Book order to the LP with the lowest priority number', () => {
    const r = decideRoute(input({ lps: [LP2, LP1] }, { globalMode: 'A_BOOK' }));
    expect(r).toMatchObject({ venue: 'ABOOK', lp: { id: 1, name: 'YOFX1' }, rule: 'GLOBAL_MODE' });
  });

  it('applies a client override whatever the flow and limits say', () => {
    const r = decideRoute(
      input(
        { override: { mode: 'B_BOOK', reason: 'small volume' }, order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(50) }, volatilityPercent: d(20) },
        { profitableAutoRoute: true, globalMode: 'A_BOOK' },
      ),
    );
    expect(r).toMatchObject({ venue: 'BBOOK', rule: 'CLIENT_OVERRIDE', reason: 'client override B-Book: small volume' });
  });

  it('routes a client at the P&L threshold to A-Book, one below it not', () => {
    const at = decideRoute(input({ flow: { fills: 3, closedTrades: 3, pnl: d(10_000), winRate: d(40), markoutPerLot: {}, latencyArbScore: null } }, { profitableAutoRoute: true }));
    expect(at).toMatchObject({ venue: 'ABOOK', rule: 'PROFITABLE_CLIENT', lp: { name: 'YOFX1' } });
    expect(at.figures).toMatchObject({ clientPnl: '10000', profitableThresholdPnl: '10000' });
    const below = decideRoute(input({ flow: { fills: 3, closedTrades: 3, pnl: d('9999.99'), winRate: d(40), markoutPerLot: {}, latencyArbScore: null } }, { profitableAutoRoute: true }));
    expect(below.rule).toBe('GLOBAL_MODE');
  });

  it('routes on a win rate above the threshold only with enough closed trades, and not at the threshold', () => {
    const flow = (closedTrades: number, winRate: number) => ({ fills: 100, closedTrades, pnl: d(0), winRate: d(winRate), markoutPerLot: {}, latencyArbScore: null });
    expect(decideRoute(input({ flow: flow(20, 65.01) }, { profitableAutoRoute: true })).rule).toBe('PROFITABLE_CLIENT');
    expect(decideRoute(input({ flow: flow(20, 65) }, { profitableAutoRoute: true })).rule).toBe('GLOBAL_MODE');
    expect(decideRoute(input({ flow: flow(19, 90) }, { profitableAutoRoute: true })).rule).toBe('GLOBAL_MODE');
  });

  it('leaves profitable clients alone while the auto-route is off', () => {
    expect(decideRoute(input({ flow: { fills: 99, closedTrades: 99, pnl: d(50_000), winRate: d(90), markoutPerLot: {}, latencyArbScore: null } })).rule).toBe('GLOBAL_MODE');
  });

  it('routes toxic flow to A-Book on the latency-arbitrage score or the markout at the configured horizon', () => {
    const base = { fills: 30, closedTrades: 30, pnl: d(0), winRate: d(50) };
    const arb = decideRoute(input({ flow: { ...base, markoutPerLot: {}, latencyArbScore: d(30) } }, { toxicFlowAutoRoute: true }));
    expect(arb).toMatchObject({ venue: 'ABOOK', rule: 'TOXIC_FLOW' });
    expect(arb.figures).toMatchObject({ latencyArbScore: '30', toxicLatencyArbScore: '30' });
    const markout = decideRoute(input({ flow: { ...base, markoutPerLot: { '10s': d('5.5'), '60s': d(-1) }, latencyArbScore: d(1) } }, { toxicFlowAutoRoute: true }));
    expect(markout).toMatchObject({ rule: 'TOXIC_FLOW' });
    expect(markout.figures).toMatchObject({ markoutHorizon: '10s', markoutPerLot: '5.5' });
    // The same figures at another horizon do not count.
    const other = decideRoute(input({ flow: { ...base, markoutPerLot: { '10s': d('5.5') }, latencyArbScore: d(1) } }, { toxicFlowAutoRoute: true, toxicMarkoutHorizon: '60s' }));
    expect(other.rule).toBe('GLOBAL_MODE');
    const few = decideRoute(input({ flow: { ...base, fills: 5, markoutPerLot: {}, latencyArbScore: d(80) } }, { toxicFlowAutoRoute: true }));
    expect(few.rule).toBe('GLOBAL_MODE');
    const off = decideRoute(input({ flow: { ...base, markoutPerLot: {}, latencyArbScore: d(80) } }, { toxicFlowAutoRoute: true, toxicLatencyArbScore: null }));
    expect(off.rule).toBe('GLOBAL_MODE');
  });

  it('uses the symbol rule mode and its priority LP', () => {
    const r = decideRoute(input({ symbolRule: { mode: 'A_BOOK', maxBbookVolume: null, priorityLp: 'LMAX', fallbackMode: null } }));
    expect(r).toMatchObject({ venue: 'ABOOK', lp: { id: 2, name: 'LMAX' }, rule: 'SYMBOL_RULE', reason: 'EURUSD routes A-Book (LMAX)' });
  });

  it("sends an order above the symbol's max B-Book volume to A-Book, one at it stays", () => {
    const rule = { mode: 'B_BOOK' as const, maxBbookVolume: d(5), priorityLp: null, fallbackMode: null };
    const above = decideRoute(input({ symbolRule: rule, order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d('5.01') } }));
    expect(above).toMatchObject({ venue: 'ABOOK', rule: 'SYMBOL_MAX_BBOOK_VOLUME', reason: '5.01 lots is above the EURUSD B-Book maximum of 5 lots (YOFX1)' });
    const at = decideRoute(input({ symbolRule: rule, order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(5) } }));
    expect(at).toMatchObject({ venue: 'BBOOK', rule: 'SYMBOL_RULE' });
  });

  it('sends an order above the global B-Book maximum to A-Book when the symbol rule sets none', () => {
    const r = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'SELL', volume: d('10.5') }, exposure: null }));
    expect(r).toMatchObject({ venue: 'ABOOK', rule: 'MAX_BBOOK_VOLUME' });
    expect(r.figures.maxBbookVolume).toBe('10');
  });

  it('sends orders on a symbol whose volatility is above the threshold to A-Book', () => {
    expect(decideRoute(input({ volatilityPercent: d('5.01') }))).toMatchObject({ venue: 'ABOOK', rule: 'HIGH_VOLATILITY' });
    expect(decideRoute(input({ volatilityPercent: d(5) })).rule).toBe('GLOBAL_MODE');
    expect(decideRoute(input({ volatilityPercent: null })).rule).toBe('GLOBAL_MODE');
  });

  it('hedges through C-Book when keeping the order would take the house beyond its exposure limit', () => {
    // House short 8 lots (867,600 USD). A client BUY of 2 lots kept on B-Book: short 10 lots = 1,084,500 > 1,000,000.
    // C-Book keeps half: short 9 lots = 976,050, within the limit. Hedge 1 lot.
    const r = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(2) }, exposure: { houseNetLots: d(-8), lotNotional: d(108_450) } }));
    expect(r).toMatchObject({ venue: 'CBOOK', lp: { name: 'YOFX1' }, rule: 'MAX_SYMBOL_EXPOSURE' });
    expect(r.hedgeVolume!.toString()).toBe('1');
    expect(r.figures).toMatchObject({ houseNetNotional: '867600', houseNetNotionalAfter: '1084500', houseNetNotionalAfterCbook: '976050', maxSymbolExposure: '1000000' });
  });

  it('sends the order to A-Book when even C-Book would keep too much', () => {
    const r = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(6) }, exposure: { houseNetLots: d(-8), lotNotional: d(108_450) } }));
    expect(r).toMatchObject({ venue: 'ABOOK', rule: 'MAX_SYMBOL_EXPOSURE' });
  });

  it('keeps an order that brings the house back towards flat, even beyond the limit', () => {
    // House short 20 lots (2,169,000, beyond the limit); a client SELL of 3 leaves it short 17 (1,843,650): still
    // beyond, but nearer flat.
    const r = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'SELL', volume: d(3) }, exposure: { houseNetLots: d(-20), lotNotional: d(108_450) } }));
    expect(r).toMatchObject({ venue: 'BBOOK', rule: 'GLOBAL_MODE' });
    expect(r.figures.houseNetNotionalAfter).toBe('1843650');
    // A client BUY there would take it further: A-Book, as C-Book's kept half moves it further too.
    const buy = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(3) }, exposure: { houseNetLots: d(-20), lotNotional: d(108_450) } }));
    expect(buy).toMatchObject({ venue: 'ABOOK', rule: 'MAX_SYMBOL_EXPOSURE' });
  });

  it('fills C-Book orders internally and hedges the configured share, rounded down to the lot step', () => {
    const r = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d('0.35') } }, { globalMode: 'C_BOOK', cbookAbookShare: d(30) }));
    expect(r).toMatchObject({ venue: 'CBOOK', lp: { id: 1 }, rule: 'GLOBAL_MODE' });
    expect(r.hedgeVolume!.toString()).toBe('0.1'); // 0.105 rounded down to 0.01
  });

  it('keeps a C-Book order whose hedge is less than one lot step on B-Book', () => {
    const r = decideRoute(input({ order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d('0.01') } }, { globalMode: 'C_BOOK', cbookAbookShare: d(50) }));
    expect(r).toMatchObject({ venue: 'BBOOK', lp: null, hedgeVolume: null, rule: 'HEDGE_BELOW_STEP' });
    expect(r.figures.intendedRule).toBe('GLOBAL_MODE');
  });
});

describe('LP health', () => {
  const down = (lp: LpHealth) => ({ ...lp, up: false });

  it('takes the next healthy LP when the priority LP is down and the rule has no fallback', () => {
    const r = decideRoute(input({ symbolRule: { mode: 'A_BOOK', maxBbookVolume: null, priorityLp: 'YOFX1', fallbackMode: null }, lps: [down(LP1), LP2] }));
    expect(r).toMatchObject({ venue: 'ABOOK', lp: { name: 'LMAX' }, rule: 'SYMBOL_RULE' });
    expect(r.figures.lpUnavailable).toBe('YOFX1');
  });

  it("applies the symbol's fallback mode when its priority LP is down", () => {
    const b = decideRoute(input({ symbolRule: { mode: 'A_BOOK', maxBbookVolume: null, priorityLp: 'YOFX1', fallbackMode: 'B_BOOK' }, lps: [down(LP1), LP2] }));
    expect(b).toMatchObject({ venue: 'BBOOK', lp: null, rule: 'LP_DOWN_FALLBACK', reason: 'EURUSD routes A-Book; YOFX1 is not available, fallback B-Book' });
    expect(b.figures).toMatchObject({ intendedRule: 'SYMBOL_RULE', fallbackMode: 'B_BOOK' });
    const c = decideRoute(input({ symbolRule: { mode: 'A_BOOK', maxBbookVolume: null, priorityLp: 'YOFX1', fallbackMode: 'C_BOOK' }, lps: [down(LP1), LP2] }));
    expect(c).toMatchObject({ venue: 'CBOOK', lp: { name: 'LMAX' }, rule: 'LP_DOWN_FALLBACK' });
    expect(c.hedgeVolume!.toString()).toBe('0.5');
  });

  it('fills on B-Book when no LP is up, takes orders and prices the symbol', () => {
    const lps = [down(LP1), { ...LP2, tradable: false }, { ...LP2, id: 3, name: 'OANDA', pricesSymbol: false }];
    const r = decideRoute(input({ lps }, { globalMode: 'A_BOOK' }));
    expect(r).toMatchObject({ venue: 'BBOOK', rule: 'LP_DOWN_FALLBACK', reason: 'global mode A-Book; no LP is available for EURUSD, filled on B-Book' });
    expect(r.figures).toMatchObject({ intendedRule: 'GLOBAL_MODE', healthyLps: '' });
    // A fallback that needs an LP cannot help either.
    const f = decideRoute(input({ lps, symbolRule: { mode: 'C_BOOK', maxBbookVolume: null, priorityLp: null, fallbackMode: 'A_BOOK' } }));
    expect(f).toMatchObject({ venue: 'BBOOK', rule: 'LP_DOWN_FALLBACK' });
  });

  it('never needs an LP for a B-Book decision', () => {
    expect(decideRoute(input({ lps: [] }))).toMatchObject({ venue: 'BBOOK', rule: 'GLOBAL_MODE' });
  });
});

describe('precedence', () => {
  const everything = (cfg: Partial<RoutingConfig> = {}, over: Partial<RoutingInput> = {}) =>
    decideRoute(
      input(
        {
          override: { mode: 'C_BOOK', reason: 'dealer' },
          symbolRule: { mode: 'B_BOOK', maxBbookVolume: d(5), priorityLp: 'LMAX', fallbackMode: null },
          order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(6) },
          volatilityPercent: d(9),
          exposure: { houseNetLots: d(-9), lotNotional: d(108_450) },
          flow: { fills: 40, closedTrades: 40, pnl: d(20_000), winRate: d(80), markoutPerLot: { '10s': d(9) }, latencyArbScore: d(60) },
          ...over,
        },
        { profitableAutoRoute: true, toxicFlowAutoRoute: true, globalMode: 'B_BOOK', ...cfg },
      ),
    );

  it('client override > profitable > toxic > symbol volume > volatility > exposure > symbol mode', () => {
    expect(everything().rule).toBe('CLIENT_OVERRIDE');
    expect(everything().venue).toBe('CBOOK');
    expect(everything({}, { override: null }).rule).toBe('PROFITABLE_CLIENT');
    expect(everything({ profitableAutoRoute: false }, { override: null }).rule).toBe('TOXIC_FLOW');
    expect(everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, { override: null }).rule).toBe('SYMBOL_MAX_BBOOK_VOLUME');
    const small = { override: null, order: { accountId: 7, symbol: 'EURUSD', side: 'BUY' as const, volume: d(2) } };
    expect(everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, small).rule).toBe('HIGH_VOLATILITY');
    expect(everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, { ...small, volatilityPercent: d(1) }).rule).toBe('MAX_SYMBOL_EXPOSURE');
    expect(everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, { ...small, volatilityPercent: d(1), exposure: null }).rule).toBe('SYMBOL_RULE');
  });

  it("the symbol's own max B-Book volume replaces the global one, even when larger", () => {
    const r = everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, {
      override: null,
      symbolRule: { mode: 'B_BOOK', maxBbookVolume: d(20), priorityLp: null, fallbackMode: null },
      order: { accountId: 7, symbol: 'EURUSD', side: 'SELL', volume: d(15) },
      volatilityPercent: d(1),
    });
    expect(r).toMatchObject({ venue: 'BBOOK', rule: 'SYMBOL_RULE' });
  });

  it('limits never move an A-Book symbol towards the house', () => {
    const r = everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, { override: null, symbolRule: { mode: 'A_BOOK', maxBbookVolume: null, priorityLp: null, fallbackMode: null } });
    expect(r).toMatchObject({ venue: 'ABOOK', rule: 'SYMBOL_RULE' });
  });

  it('a symbol rule in C-Book goes to A-Book, not C-Book, when its kept share breaks the exposure limit', () => {
    const r = everything({ profitableAutoRoute: false, toxicFlowAutoRoute: false }, {
      override: null,
      symbolRule: { mode: 'C_BOOK', maxBbookVolume: null, priorityLp: null, fallbackMode: null },
      order: { accountId: 7, symbol: 'EURUSD', side: 'BUY', volume: d(4) },
      volatilityPercent: d(1),
    });
    // Short 9 lots; C-Book keeps 2 of 4: short 11 lots = 1,192,950 > 1,000,000.
    expect(r).toMatchObject({ venue: 'ABOOK', rule: 'MAX_SYMBOL_EXPOSURE' });
  });

  it('LP health comes last: an A-Book decision with every LP down falls back', () => {
    const r = everything({}, { override: null, lps: [] });
    expect(r).toMatchObject({ venue: 'BBOOK', rule: 'LP_DOWN_FALLBACK' });
    expect(r.figures.intendedRule).toBe('PROFITABLE_CLIENT');
  });
});

describe('properties over random configurations and figures', () => {
  const mode = fc.constantFrom<ExecutionMode>('A_BOOK', 'B_BOOK', 'C_BOOK');
  const hundredths = (min: number, max: number) => fc.integer({ min, max }).map((n) => d(n).div(100));
  const arbitraryInput = fc.record({
    globalMode: mode,
    rule: fc.option(fc.record({ mode, maxBbookVolume: fc.option(hundredths(1, 3000), { nil: null }), fallbackMode: fc.option(mode, { nil: null }), priorityLp: fc.constantFrom(null, 'YOFX1', 'LMAX') }), { nil: null }),
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    volume: hundredths(1, 3000),
    houseNetLots: hundredths(-3000, 3000),
    lotNotional: fc.constantFrom(d(100_000), d(108_450), d(2_350)),
    maxSymbolExposure: fc.integer({ min: 0, max: 3_000_000 }).map((n) => d(n)),
    share: fc.integer({ min: 0, max: 100 }).map((n) => d(n)),
    volatility: fc.option(hundredths(0, 1000), { nil: null }),
    up: fc.tuple(fc.boolean(), fc.boolean()),
  });
  type Drawn = typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never;
  const build = (a: Drawn): RoutingInput =>
    input(
      {
        symbolRule: a.rule,
        order: { accountId: 7, symbol: 'EURUSD', side: a.side, volume: a.volume },
        volatilityPercent: a.volatility,
        exposure: { houseNetLots: a.houseNetLots, lotNotional: a.lotNotional },
        flow: null,
        lps: [{ ...LP1, up: a.up[0] }, { ...LP2, up: a.up[1] }],
      },
      { globalMode: a.globalMode, maxSymbolExposure: a.maxSymbolExposure, cbookAbookShare: a.share },
    );
  const RISK: Record<string, number> = { ABOOK: 0, CBOOK: 1, BBOOK: 2 };

  it('limits never move an order towards the house: the venue keeps no more risk than the base mode, unless no LP can take it', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const r = decideRoute(build(a));
        const base = { A_BOOK: 'ABOOK', B_BOOK: 'BBOOK', C_BOOK: 'CBOOK' }[a.rule?.mode ?? a.globalMode];
        if (r.rule !== 'LP_DOWN_FALLBACK' && r.rule !== 'HEDGE_BELOW_STEP') expect(RISK[r.venue]).toBeLessThanOrEqual(RISK[base]!);
      }),
      { numRuns: 2000 },
    );
  });

  it('what the house keeps never takes it beyond the exposure limit and further from flat', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const r = decideRoute(build(a));
        if (r.venue === 'ABOOK' || r.rule === 'LP_DOWN_FALLBACK' || r.rule === 'HEDGE_BELOW_STEP') return;
        const signed = a.side === 'BUY' ? a.volume : a.volume.neg();
        const kept = r.venue === 'BBOOK' ? signed : signed.times(d(100).minus(a.share)).div(100);
        const after = a.houseNetLots.minus(kept);
        const ok = after.abs().times(a.lotNotional).lte(a.maxSymbolExposure) || after.abs().lte(a.houseNetLots.abs());
        expect(ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('an LP exactly when an LP is needed; a hedge that is a positive multiple of the step within the share', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const r = decideRoute(build(a));
        expect(r.lp === null).toBe(r.venue === 'BBOOK');
        if (r.lp) expect([a.up[0] && 'YOFX1', a.up[1] && 'LMAX']).toContain(r.lp.name);
        expect(r.hedgeVolume === null).toBe(r.venue !== 'CBOOK');
        if (r.hedgeVolume) {
          expect(r.hedgeVolume.gt(0)).toBe(true);
          expect(r.hedgeVolume.mod('0.01').isZero()).toBe(true);
          expect(r.hedgeVolume.lte(a.volume.times(a.share).div(100))).toBe(true);
        }
        expect(JSON.parse(JSON.stringify(r.figures))).toEqual(r.figures);
      }),
      { numRuns: 2000 },
    );
  });
});
