// The LP manager's part in trustworthy prices: which LP may price a symbol (the simulated LP is no fallback
// for a real LP's symbol unless the dealer says so) and where each LP's current session begins (quotes from
// before a reconnect never price again).
import { afterEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@broker/db';
import { createLogger } from '../src/logger.ts';
import { createBinanceLp } from '../src/lp/binance/binance-lp.ts';
import { LpManager } from '../src/lp/manager.ts';
import { ManualLp } from '../src/lp/manual.ts';
import { SimulatedLp } from '../src/lp/simulated.ts';
import { startFakeBinance, type FakeBinance } from './fakes/fake-binance.ts';

const silent = createLogger('test', { silent: true });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A manager whose LPs are added in code (add() never touches the database). */
function manager(opts: { clock?: () => number; sources?: () => Map<string, string> } = {}) {
  const m = new LpManager({ prisma: null as unknown as PrismaClient, log: silent, clock: opts.clock ?? Date.now, onQuote: () => undefined, sources: opts.sources });
  cleanups.push(() => m.stop());
  return m;
}

async function binance(): Promise<FakeBinance> {
  const f = await startFakeBinance();
  cleanups.push(() => f.close());
  return f;
}

describe('LP manager: who may price a symbol', () => {
  it('keeps the simulated LP off every symbol a real LP maps, and on the others', async () => {
    const f = await binance();
    const m = manager();
    await m.add(new SimulatedLp({ seed: 1 }), { type: 'SIMULATED', priority: 100 });
    expect(m.mayPrice('SIMULATED', 'BTCUSD')).toBe(true);
    await m.add(createBinanceLp({ name: 'BINANCE', settings: { wsUrl: f.url }, symbolMap: { BTCUSDT: 'BTCUSD' }, logger: silent }), { type: 'WEBSOCKET', priority: 1, symbolMap: { BTCUSDT: 'BTCUSD' } });
    expect(m.mayPrice('SIMULATED', 'BTCUSD')).toBe(false);
    expect(m.mayPrice('SIMULATED', 'EURUSD')).toBe(true);
    expect(m.mayPrice('BINANCE', 'BTCUSD')).toBe(true);
  });

  it('lets the simulated LP stand in for a real LP only when its row says settings.fallback: true', async () => {
    const f = await binance();
    const m = manager();
    await m.add(new SimulatedLp({ seed: 1 }), { type: 'SIMULATED', priority: 100, settings: { fallback: true } });
    await m.add(createBinanceLp({ name: 'BINANCE', settings: { wsUrl: f.url }, symbolMap: { BTCUSDT: 'BTCUSD' }, logger: silent }), { type: 'WEBSOCKET', priority: 1, symbolMap: { BTCUSDT: 'BTCUSD' } });
    expect(m.mayPrice('SIMULATED', 'BTCUSD')).toBe(true);
  });

  it('says where an LP’s current session began: a new start on every reconnect, none for LPs without sessions', async () => {
    const f = await binance();
    const m = manager();
    await m.add(new ManualLp(), { type: 'MANUAL', priority: 0 });
    expect(m.sessionStart('MANUAL')).toBeNull();
    await m.add(createBinanceLp({ name: 'BINANCE', settings: { wsUrl: f.url, backoff: { baseMs: 20, maxMs: 50 } }, symbolMap: { BTCUSDT: 'BTCUSD' }, logger: silent }), { type: 'WEBSOCKET', priority: 1 });
    await waitFor('connected', () => m.healthy('BINANCE'));
    const first = m.sessionStart('BINANCE');
    expect(first).not.toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    f.drop();
    await waitFor('reconnected', () => m.healthy('BINANCE') && m.sessionStart('BINANCE') !== first);
    expect(m.sessionStart('BINANCE')!).toBeGreaterThan(first!);
  });
});

describe('LP manager: health from what the pipeline accepted', () => {
  it('shows an LP whose quotes are all refused as DEGRADED with the reasons, counting accepted quotes only, and CONNECTED again once they pass', async () => {
    const f = await binance();
    let now = Date.now();
    const m = manager({ clock: () => now });
    await m.add(createBinanceLp({ name: 'BINANCE', settings: { wsUrl: f.url }, symbolMap: { BTCUSDT: 'BTCUSD' }, logger: silent }), { type: 'WEBSOCKET', priority: 1 });
    await waitFor('connected', () => m.healthy('BINANCE'));
    for (let i = 0; i < 20; i++) m.verdict('BINANCE', 'crossed', now);
    m.verdict('BINANCE', 'spike', now);
    let h = m.status().find((l) => l.name === 'BINANCE')!;
    expect(h).toMatchObject({ state: 'DEGRADED', quotesPerMinute: 0, rejectedPercent: 100, lastAcceptedAt: null });
    expect(h.rejects).toMatchObject({ crossed: 20, spike: 1, off_market: 0 });
    expect(h.reason).toMatch(/100% of quotes in the last 10 s refused.*crossed 20, spike 1/);
    // The feed recovers: after the window only accepted quotes remain.
    now += 11_000;
    for (let i = 0; i < 10; i++) m.verdict('BINANCE', 'ok', now);
    h = m.status().find((l) => l.name === 'BINANCE')!;
    expect(h).toMatchObject({ state: 'CONNECTED', quotesPerMinute: 10, rejectedPercent: 0, lastAcceptedAt: now });
    // A few refusals among many accepted quotes are not a degraded feed.
    for (let i = 0; i < 4; i++) m.verdict('BINANCE', 'spike', now);
    expect(m.status().find((l) => l.name === 'BINANCE')!.state).toBe('CONNECTED');
  });

  it('shows a connected LP that stopped sending usable quotes as DEGRADED after quietAfterMs', async () => {
    const f = await binance();
    let now = Date.now();
    const m = manager({ clock: () => now });
    await m.add(createBinanceLp({ name: 'BINANCE', settings: { wsUrl: f.url }, symbolMap: { BTCUSDT: 'BTCUSD' }, logger: silent }), { type: 'WEBSOCKET', priority: 1, settings: { quietAfterMs: 2000 } });
    await waitFor('connected', () => m.healthy('BINANCE'));
    m.verdict('BINANCE', 'ok', now);
    expect(m.status()[0]!.state).toBe('CONNECTED');
    now += 2500;
    const h = m.status()[0]!;
    expect(h.state).toBe('DEGRADED');
    expect(h.reason).toMatch(/no accepted quote for [23] s while connected/);
    m.verdict('BINANCE', 'ok', now);
    expect(m.status()[0]!.state).toBe('CONNECTED');
  });

  it('lists the symbols each LP prices now, keeps its recent quote events, and warns while the simulated LP prices next to real LPs', async () => {
    const f = await binance();
    const sources = new Map([['BTCUSD', 'BINANCE'], ['EURUSD', 'SIMULATED']]);
    const m = manager({ sources: () => sources });
    await m.add(new SimulatedLp({ seed: 1 }), { type: 'SIMULATED', priority: 100 });
    await m.add(createBinanceLp({ name: 'BINANCE', settings: { wsUrl: f.url }, symbolMap: { BTCUSDT: 'BTCUSD' }, logger: silent }), { type: 'WEBSOCKET', priority: 1, symbolMap: { BTCUSDT: 'BTCUSD' } });
    await waitFor('simulated quotes', () => m.status().find((l) => l.name === 'SIMULATED')!.symbols.includes('EURUSD'), 5000);
    m.event({ at: 1, lp: 'BINANCE', symbol: 'BTCUSD', kind: 'off_market', bid: '90000', ask: '90001', message: '1 of 1 other LP(s) quote more than 5% away' });
    const [bin, sim] = ['BINANCE', 'SIMULATED'].map((n) => m.status().find((l) => l.name === n)!);
    expect(bin!.pricing).toEqual(['BTCUSD']);
    expect(bin!.recentEvents).toEqual([expect.objectContaining({ kind: 'off_market', symbol: 'BTCUSD' })]);
    expect(bin!.warning).toBeNull();
    expect(sim!.pricing).toEqual(['EURUSD']);
    expect(sim!.warning).toMatch(/^simulated prices next to real LPs \(BINANCE\) for .*EURUSD/);
  });
});
