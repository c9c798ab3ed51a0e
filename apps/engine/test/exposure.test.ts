import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { applyCoverageFill, symbolExposure, type ClientPositionView, type CoveragePositionView, type ExposureSymbolSpec } from '../src/domain/exposure.ts';
import { quoteBook } from './fixtures.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const specs: Record<string, ExposureSymbolSpec> = {
  EURUSD: { baseCurrency: 'EUR', quoteCurrency: 'USD', contractSize: d(100_000) },
  USDJPY: { baseCurrency: 'USD', quoteCurrency: 'JPY', contractSize: d(100_000) },
};
const symbols = (s: string) => specs[s];
const quotes = quoteBook({ EURUSD: ['1.10000', '1.10020'], USDJPY: ['150.00', '150.02'] });

function cover(lpId: number, symbol: string, fills: [side: 'BUY' | 'SELL', volume: string, price: string][]): CoveragePositionView {
  let p = { netVolume: d(0), avgPrice: d(0), realizedPnl: d(0) };
  for (const [side, volume, price] of fills) p = applyCoverageFill(p, { side, volume: d(volume), price: d(price) }, specs[symbol]!.contractSize);
  return { lpId, symbol, ...p };
}

const fixed = (v: Decimal | null) => (v === null ? null : v.toFixed(2));

describe('coverage positions', () => {
  it('averages hedges in one direction and realizes P&L on what the other direction closes', () => {
    const p1 = applyCoverageFill({ netVolume: d(0), avgPrice: d(0), realizedPnl: d(0) }, { side: 'BUY', volume: d('0.5'), price: d('1.09810') }, d(100_000));
    const p2 = applyCoverageFill(p1, { side: 'BUY', volume: d(1), price: d('1.09900') }, d(100_000));
    // (0.5 × 1.09810 + 1 × 1.09900) / 1.5 = 1.09870
    expect(p2).toEqual({ netVolume: d('1.5'), avgPrice: d('1.0987'), realizedPnl: d(0) });
    const p3 = applyCoverageFill(p2, { side: 'SELL', volume: d('0.5'), price: d('1.10100') }, d(100_000));
    // (1.10100 − 1.09870) × 0.5 × 100,000 = 115
    expect(p3.netVolume.toString()).toBe('1');
    expect(p3.avgPrice.toString()).toBe('1.0987');
    expect(p3.realizedPnl.toString()).toBe('115');
  });

  it('reverses through flat: closes the old volume, opens the rest at the fill price', () => {
    const flip = applyCoverageFill({ netVolume: d(1), avgPrice: d('1.0987'), realizedPnl: d(115) }, { side: 'SELL', volume: d('1.5'), price: d('1.1010') }, d(100_000));
    expect(flip.netVolume.toString()).toBe('-0.5');
    expect(flip.avgPrice.toString()).toBe('1.101');
    expect(flip.realizedPnl.toString()).toBe('345'); // 115 + 0.0023 × 100,000
    const flat = applyCoverageFill(flip, { side: 'BUY', volume: d('0.5'), price: d('1.1020') }, d(100_000));
    expect(flat).toEqual({ netVolume: d(0), avgPrice: d(0), realizedPnl: d(295) }); // short 0.5 closed 0.001 higher: −50
  });
});

describe('symbol exposure after a mixed sequence of client trades and hedges', () => {
  // Clients: EURUSD  A BUY 2 B-Book @1.09000, B SELL 0.5 B-Book @1.10500, C BUY 3 A-Book @1.09500 (LP 3 filled
  //                  BUY 3 @1.09490: the markup is the house's), D BUY 1 C-Book @1.09800 (half hedged with LP 1:
  //                  BUY 0.5 @1.09810);
  //          USDJPY  E SELL 1 B-Book @151.00.
  // Dealer hedges: LP 1 EURUSD BUY 1 @1.09900, then SELL 0.5 @1.10100; LP 2 USDJPY SELL 0.3 @150.50.
  const clientPositions: ClientPositionView[] = [
    { accountId: 1, symbol: 'EURUSD', side: 'BUY', volume: d(2), openPrice: d('1.09000') },
    { accountId: 2, symbol: 'EURUSD', side: 'SELL', volume: d('0.5'), openPrice: d('1.10500') },
    { accountId: 3, symbol: 'EURUSD', side: 'BUY', volume: d(3), openPrice: d('1.09500') },
    { accountId: 4, symbol: 'EURUSD', side: 'BUY', volume: d(1), openPrice: d('1.09800') },
    { accountId: 5, symbol: 'USDJPY', side: 'SELL', volume: d(1), openPrice: d('151.00') },
  ];
  const coverage = [
    cover(1, 'EURUSD', [['BUY', '0.5', '1.09810'], ['BUY', '1', '1.09900'], ['SELL', '0.5', '1.10100']]),
    cover(2, 'USDJPY', [['SELL', '0.3', '150.50']]),
    cover(3, 'EURUSD', [['BUY', '3', '1.09490']]),
  ];
  const { rows, totals } = symbolExposure({ clientPositions, coverage, symbols, reportingCurrency: 'USD', quotes });

  it('equals the hand-computed table', () => {
    const table = rows.map((r) => ({
      symbol: r.symbol,
      long: r.clientLongLots.toString(),
      short: r.clientShortLots.toString(),
      clientNet: r.clientNetLots.toString(),
      coverage: r.coverageNetLots.toString(),
      house: r.houseNetLots.toString(),
      lotNotional: fixed(r.lotNotional),
      houseNotional: fixed(r.houseNetNotional),
      clientPnl: fixed(r.clientUnrealizedPnl),
      coveragePnl: fixed(r.coverageUnrealizedPnl),
      housePnl: fixed(r.housePnl),
      positions: r.positions,
      accounts: r.accounts,
    }));
    expect(table).toEqual([
      // EURUSD: clients 2 − 0.5 + 3 + 1 = 5.5; coverage LP 1 (1 @1.09870) + LP 3 (3 @1.09490) = 4; house 4 − 5.5 =
      // −1.5 lots; a lot is 100,000 EUR at the EURUSD mid 1.10010 = 110,010 USD. Clients' P&L (closing at bid
      // 1.10000 / ask 1.10020): A 0.01 × 200,000 = 2,000; B (1.10500 − 1.10020) × 50,000 = 240; C 0.005 × 300,000
      // = 1,500; D 0.002 × 100,000 = 200 → 3,940. Coverage at the bid: LP 1 0.0013 × 100,000 = 130, LP 3 0.0051 ×
      // 300,000 = 1,530 → 1,660. House 1,660 − 3,940 = −2,280 (the B-Book side −2,440, LP 1's hedge +130, the
      // A-Book markup 0.0001 × 300,000 = +30).
      { symbol: 'EURUSD', long: '6', short: '0.5', clientNet: '5.5', coverage: '4', house: '-1.5', lotNotional: '110010.00', houseNotional: '-165015.00', clientPnl: '3940.00', coveragePnl: '1660.00', housePnl: '-2280.00', positions: 4, accounts: 4 },
      // USDJPY: house −0.3 − (−1) = +0.7 lots = 70,000 USD. Client E (151.00 − 150.02) × 100,000 = 98,000 JPY =
      // 653.2898 USD at 1 / 150.01; coverage short 0.3 @150.50 at the ask 150.02: 0.48 × 30,000 = 14,400 JPY =
      // 95.9936 USD; house 95.9936 − 653.2898 = −557.2962.
      { symbol: 'USDJPY', long: '0', short: '1', clientNet: '-1', coverage: '-0.3', house: '0.7', lotNotional: '100000.00', houseNotional: '70000.00', clientPnl: '653.29', coveragePnl: '95.99', housePnl: '-557.30', positions: 1, accounts: 1 },
    ]);
    expect(rows[0]!.coverageByLp).toEqual([
      { lpId: 1, netLots: d(1) },
      { lpId: 3, netLots: d(3) },
    ]);
    // Totals: 3,940 + 653.2898 = 4,593.2898; 1,660 + 95.9936 = 1,755.9936; house −2,837.2962.
    expect([fixed(totals.clientUnrealizedPnl), fixed(totals.coverageUnrealizedPnl), fixed(totals.housePnl)]).toEqual(['4593.29', '1755.99', '-2837.30']);
  });

  it('reports in another currency through the conversion rates', () => {
    const eur = symbolExposure({ clientPositions, coverage, symbols, reportingCurrency: 'EUR', quotes }).rows;
    // A EURUSD lot is 100,000 EUR; a USDJPY lot 100,000 USD = 100,000 / 1.10010 EUR.
    expect(fixed(eur[0]!.houseNetNotional)).toBe('-150000.00');
    expect(fixed(eur[1]!.lotNotional)).toBe('90900.83');
    // −2,280 USD / 1.10010
    expect(fixed(eur[0]!.housePnl)).toBe('-2072.54');
  });

  it('leaves figures it cannot value unknown, not zero, and then the totals too', () => {
    const partial = symbolExposure({ clientPositions, coverage, symbols, reportingCurrency: 'USD', quotes: quoteBook({ EURUSD: ['1.10000', '1.10020'] }) });
    expect(partial.rows[1]!.houseNetLots.toString()).toBe('0.7');
    expect(partial.rows[1]!.clientUnrealizedPnl).toBeNull();
    expect(partial.rows[1]!.housePnl).toBeNull();
    expect(partial.rows[1]!.lotNotional!.toString()).toBe('100000');
    expect(fixed(partial.rows[0]!.housePnl)).toBe('-2280.00');
    expect(partial.totals.housePnl).toBeNull();
  });
});
