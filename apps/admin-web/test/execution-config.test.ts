import type { ExecutionConfigDto, LpOrderDto } from '@broker/api';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, CONFIG_SECTIONS, configChanges, draftOf, lpOrdersForDealer } from '../src/execution/config-fields.ts';
import { pushedLink } from '../src/dashboard/alert-links.ts';
import { permissionsOf } from '../src/staff/permissions.ts';

const loaded: ExecutionConfigDto = {
  globalMode: 'B_BOOK',
  bbookMaxVolume: new Decimal('10'),
  highVolatilityPercent: new Decimal('2.5'),
  maxSymbolExposure: new Decimal('1000000'),
  profitableAutoRoute: false,
  profitableThresholdPnl: new Decimal('10000'),
  profitableWinRate: new Decimal('65'),
  cbookAbookShare: new Decimal('50'),
  toxicFlowAutoRoute: false,
  toxicLatencyArbScore: null,
  toxicMarkoutPerLot: new Decimal('5'),
  toxicMarkoutHorizon: '10s',
  flowMinFills: 20,
  slippageControl: true,
  maxSlippagePips: new Decimal('2'),
  lpOrderTimeoutMs: 5000,
  updatedAt: null,
};

describe('execution configuration form', () => {
  it('lists every configuration field once, in the router’s precedence', () => {
    const keys = CONFIG_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Object.keys(loaded).filter((k) => k !== 'updatedAt').sort());
    const rules = CONFIG_SECTIONS.map((s) => s.title);
    expect(rules.indexOf('Client overrides')).toBeLessThan(rules.indexOf('Profitable-trader auto-route'));
    expect(rules.indexOf('Profitable-trader auto-route')).toBeLessThan(rules.indexOf('Toxic-flow auto-route'));
    expect(rules.indexOf('Toxic-flow auto-route')).toBeLessThan(rules.indexOf('Base mode'));
    for (const f of CONFIG_FIELDS) expect(f.help.length, f.key).toBeGreaterThan(20);
  });

  it('sends nothing when nothing changed, and a decimal written differently is no change', () => {
    const d = draftOf(loaded);
    expect(configChanges(loaded, d)).toEqual({ ok: true, input: {}, changed: [] });
    expect(configChanges(loaded, { ...d, highVolatilityPercent: '2.50' })).toMatchObject({ ok: true, changed: [] });
  });

  it('sends only the changed fields, typed as the engine takes them', () => {
    const d = draftOf(loaded);
    const r = configChanges(loaded, { ...d, globalMode: 'A_BOOK', profitableAutoRoute: 'on', lpOrderTimeoutMs: '8000', toxicMarkoutPerLot: '' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.changed.sort()).toEqual(['globalMode', 'lpOrderTimeoutMs', 'profitableAutoRoute', 'toxicMarkoutPerLot']);
    expect(r.input.globalMode).toBe('A_BOOK');
    expect(r.input.profitableAutoRoute).toBe(true);
    expect(r.input.lpOrderTimeoutMs).toBe(8000);
    expect(r.input.toxicMarkoutPerLot).toBeNull();
  });

  it('puts each schema error next to its field', () => {
    const d = draftOf(loaded);
    const r = configChanges(loaded, { ...d, profitableWinRate: '150', lpOrderTimeoutMs: '5.5', bbookMaxVolume: '1e9' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.profitableWinRate).toMatch(/Between 0 and 100/);
    expect(r.errors.lpOrderTimeoutMs).toBe('A whole number');
    expect(r.errors.bbookMaxVolume).toBeTruthy();
    expect(r.errors.globalMode).toBeUndefined();
  });
});

const lpOrder = (id: string, status: string, sentAt: number): LpOrderDto => ({
  id,
  orderId: id,
  lp: 'FIX-SIM',
  kind: 'CLIENT',
  clOrdId: `A${id}`,
  symbol: 'EURUSD',
  side: 'BUY',
  volume: new Decimal(1),
  status,
  filledVolume: new Decimal(0),
  avgPrice: null,
  lpOrderId: null,
  rejectReason: null,
  sentAt: new Date(sentAt),
  answeredAt: null,
  quoteBid: null,
  quoteAsk: null,
});

describe('LP orders for the dealer', () => {
  it('puts every order whose outcome is unknown first, then the rest newest first, each once', () => {
    const oldUnknown = lpOrder('1', 'UNKNOWN', 1_000);
    const recentUnknown = lpOrder('5', 'UNKNOWN', 5_000);
    const recent = [lpOrder('6', 'FILLED', 6_000), recentUnknown, lpOrder('4', 'REJECTED', 4_000), lpOrder('7', 'EXPIRED', 7_000)];
    const out = lpOrdersForDealer([oldUnknown, recentUnknown], recent);
    expect(out.map((o) => o.id)).toEqual(['5', '1', '7', '6', '4']);
  });
});

describe('who changes the execution model', () => {
  it('is SUPER_ADMIN and RISK_MANAGER, as the engine’s router says; everyone else reads', () => {
    expect(permissionsOf('SUPER_ADMIN').editExecution).toBe(true);
    expect(permissionsOf('RISK_MANAGER').editExecution).toBe(true);
    expect(permissionsOf('ADMIN').editExecution).toBe(false);
    expect(permissionsOf('SUPPORT').editExecution).toBe(false);
  });
});

describe('pushed alerts on the dashboard', () => {
  it('sends the LP fill and coverage alerts to the LP orders and a reconciliation difference to its account', () => {
    expect(pushedLink({ kind: 'LP_FILL_UNBOOKED', accountIds: [7] })).toBe('/execution#lp-orders');
    expect(pushedLink({ kind: 'LATE_LP_FILL', accountIds: [] })).toBe('/execution#lp-orders');
    expect(pushedLink({ kind: 'COVERAGE_NOT_OFFSET', accountIds: [7] })).toBe('/execution#lp-orders');
    expect(pushedLink({ kind: 'LP_ORDER_UNKNOWN', accountIds: [] })).toBe('/execution#lp-orders');
    expect(pushedLink({ kind: 'RECONCILIATION_MISMATCH', accountIds: [7] })).toBe('/accounts/7');
  });
});
