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
function manager() {
  const m = new LpManager({ prisma: null as unknown as PrismaClient, log: silent, clock: Date.now, onQuote: () => undefined });
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
