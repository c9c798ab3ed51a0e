import { Decimal } from 'decimal.js';
import type { AccountState, Quote, QuoteLookup, SymbolSpec } from '../src/domain/index.ts';

const d = (v: Decimal.Value) => new Decimal(v);

export function forex(name: string, overrides: Partial<SymbolSpec> = {}): SymbolSpec {
  const jpy = name.endsWith('JPY');
  return {
    name,
    baseCurrency: name.slice(0, 3),
    quoteCurrency: name.slice(3, 6),
    contractSize: d(100000),
    digits: jpy ? 3 : 5,
    pipSize: d(jpy ? '0.01' : '0.0001'),
    minVolume: d('0.01'),
    maxVolume: d(100),
    volumeStep: d('0.01'),
    marginPercent: d(1),
    markupPips: d(0),
    commissionPerLot: d(7),
    swapLong: d('-6.5'),
    swapShort: d('1.2'),
    tripleSwapDay: 'WEDNESDAY',
    maxDeviation: d('0.05'),
    staleAfterMs: 30_000,
    tradingHours: [],
    enabled: true,
    ...overrides,
  };
}

export function account(overrides: Partial<AccountState> = {}): AccountState {
  return { id: 1, userId: 1, currency: 'USD', leverage: 100, marginMode: 'HEDGING', status: 'ACTIVE', balance: d(10000), credit: d(0), ...overrides };
}

export function quoteBook(entries: Record<string, [Decimal.Value, Decimal.Value]>, time = 1_700_000_000_000): QuoteLookup {
  const map = new Map<string, Quote>(
    Object.entries(entries).map(([symbol, [bid, ask]]) => [symbol, { symbol, bid: d(bid), ask: d(ask), time, lp: 'TEST' }]),
  );
  return (s) => map.get(s);
}
