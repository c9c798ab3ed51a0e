// Issue 13: prices a broker can trust when LPs fail. The engine runs on its LP table — OANDA and two Binance
// feeds against the project's fakes, and the seeded SIMULATED LP left enabled at priority 100 — and each
// fault is driven from the fakes: what the dealer sees (state, reason, counters, events) and what traders get
// (no stale or simulated price, NO_QUOTE at once, failover), and recovery when the fault clears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickEvent } from '@broker/api/socket';
import { startFakeBinance, type FakeBinance } from './fakes/fake-binance.ts';
import { startFakeOanda, type FakeOanda } from './fakes/fake-oanda.ts';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let oanda: FakeOanda;
let oandaPort: number;
let binance: FakeBinance;
let binance2: FakeBinance;
const OANDA_OPTS = { token: 'tok-13', accountId: '101-004-13-001', heartbeatEveryMs: 200 };

beforeAll(async () => {
  oanda = await startFakeOanda(OANDA_OPTS);
  oandaPort = Number(new URL(oanda.url).port);
  binance = await startFakeBinance();
  binance2 = await startFakeBinance();
  t = await startTestEngine({
    lpsFromDb: true,
    env: { ...process.env, LP_OANDA_13_TOKEN: 'tok-13' },
    beforeStart: async (db) => {
      await db.prisma.liquidityProvider.createMany({
        data: [
          {
            name: 'OANDA',
            type: 'REST',
            priority: 1,
            settings: { streamUrl: oanda.url, accountId: OANDA_OPTS.accountId, instruments: ['EUR_USD'], backoff: { baseMs: 100, maxMs: 200 } },
            credentialEnv: { token: 'LP_OANDA_13_TOKEN' },
            symbolMap: { EUR_USD: 'EURUSD' },
          },
          // Spike levels never move on time here (a minute): only another LP's agreement moves them.
          { name: 'BINANCE', type: 'WEBSOCKET', priority: 1, settings: { wsUrl: binance.url, spikeConfirmMs: 60_000, backoff: { baseMs: 400, maxMs: 400, jitter: 0 } }, symbolMap: { BTCUSDT: 'BTCUSD', ETHUSDT: 'ETHUSD' } },
          { name: 'BINANCE-2', type: 'WEBSOCKET', priority: 2, settings: { wsUrl: binance2.url, spikeConfirmMs: 60_000, quietAfterMs: 1500, backoff: { baseMs: 100, maxMs: 100 } }, symbolMap: { ETHUSDT: 'ETHUSD' } },
        ],
      });
      // The seeded SIMULATED LP stays enabled (priority 100), as on a demo server that got real LPs.
    },
  });
  await oanda.waitForStreams(1, 10_000);
  await binance.waitForConnections(1, 10_000);
  await binance2.waitForConnections(1, 10_000);
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await oanda?.close();
  await binance?.close();
  await binance2?.close();
});

const admin = async () => t.client((await t.login('admin@broker.local')).token);
const lpNamed = async (name: string) => (await (await admin()).admin.lps.list.query()).find((l) => l.name === name)!;

describe('prices when LPs fail (issue 13)', () => {
  it('never lets the simulated LP price a symbol a real LP prices, and warns the dealer that it prices next to them', async () => {
    const engine = t.running.engine;
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['BTCUSD', 'ETHUSD', 'EURUSD', 'GBPUSD'] });
    const ticks: TickEvent[] = [];
    socket.on('tick', (e) => ticks.push(e));
    // Before the real LPs' first quotes the simulated LP streams (every 100 ms): it must not take their symbols.
    await eventually(() => expect(ticks.some((x) => x.symbol === 'GBPUSD' && x.lp === 'SIMULATED')).toBe(true));
    await new Promise((r) => setTimeout(r, 300));
    expect(ticks.filter((x) => x.symbol !== 'GBPUSD')).toEqual([]);
    expect(engine.quoteStore.get('BTCUSD')).toBeUndefined();
    const sim = await lpNamed('SIMULATED');
    expect(sim.warning).toMatch(/^simulated prices next to real LPs \(OANDA, BINANCE, BINANCE-2\) for .*GBPUSD/);
    expect(sim.pricing).toContain('GBPUSD');
    expect(sim.pricing).not.toContain('BTCUSD');
    socket.disconnect();
  });

  it('refuses orders with NO_QUOTE as soon as OANDA is down (not after staleAfterMs), and prices again from its first new quote', async () => {
    const engine = t.running.engine;
    const { token, accountIds } = await t.login('trader1@broker.local');
    const api = t.client(token);
    oanda.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    await eventually(() => expect(engine.quoteStore.get('EURUSD')?.lp).toBe('OANDA'));
    await oanda.close();
    const downAt = Date.now();
    await eventually(async () => expect(await errorCode(api.orders.market.mutate({ accountId: accountIds[0]!, symbol: 'EURUSD', side: 'BUY', volume: '0.01' }))).toBe('NO_QUOTE'));
    const refusedAfterMs = Date.now() - downAt;
    expect(refusedAfterMs).toBeLessThan(1500); // EURUSD's staleAfterMs is 30 s
    expect(engine.quoteStore.get('EURUSD')).toBeUndefined();
    await eventually(async () => expect(await lpNamed('OANDA')).toMatchObject({ state: expect.stringMatching(/DISCONNECTED|CONNECTING/), pricing: [] }));
    // Health and /metrics say so (they said `ok` whatever the LPs did); /health stays 200: the engine itself works.
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as { status: string; prices: string; core: string; lps: { name: string; state: string; reason: string | null }[]; symbolsWithoutPrice: string[] };
    expect(health).toMatchObject({ status: 'degraded', prices: 'degraded', core: 'ok' });
    expect(health.lps.find((l) => l.name === 'OANDA')).toMatchObject({ state: expect.stringMatching(/DISCONNECTED|CONNECTING/), reason: expect.any(String) });
    expect(health.symbolsWithoutPrice).toContain('EURUSD');
    // Tick history says what it could not keep (nothing here).
    expect((health as unknown as { ticks: { dropped: number; written: number } }).ticks).toMatchObject({ dropped: 0 });
    const viaApi = await (await admin()).admin.system.health.query();
    expect(viaApi.symbolsWithoutPrice).toContain('EURUSD');
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/engine_lp_state\{lp="OANDA",state="(DISCONNECTED|CONNECTING)"\} 1/);
    expect(metrics).toMatch(/engine_lp_state\{lp="OANDA",state="CONNECTED"\} 0/);
    expect(metrics).toMatch(/engine_quote_withdrawals [1-9]/);
    expect(metrics).toMatch(/engine_symbols_without_price [1-9]/);
    expect(metrics).not.toMatch(/engine_quote_age_seconds\{symbol="EURUSD"\}/);
    expect(metrics).toMatch(/engine_lp_reconnects\{lp="BINANCE"\} \d+/);
    expect(metrics).toContain('engine_ticks{what="dropped"} 0');
    expect(metrics).toMatch(/engine_ticks\{what="written"\} \d+/);
    // The simulated LP does not step in either.
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.quoteStore.get('EURUSD')).toBeUndefined();
    // OANDA comes back: nothing until its first new quote, then that quote.
    oanda = await startFakeOanda({ ...OANDA_OPTS, port: oandaPort });
    await oanda.waitForStreams(1, 10_000);
    await eventually(async () => expect((await lpNamed('OANDA')).state).toBe('CONNECTED'));
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.quoteStore.get('EURUSD')).toBeUndefined();
    oanda.price('EUR_USD', { bid: '1.08460', ask: '1.08462' });
    await eventually(() => expect(engine.quoteStore.get('EURUSD')?.bid.toString()).toBe('1.08459'));
    const filled = await api.orders.market.mutate({ accountId: accountIds[0]!, symbol: 'EURUSD', side: 'BUY', volume: '0.01' });
    expect(filled.order.filledPrice!.toString()).toBe('1.08463');
  });

  it('never re-publishes Binance’s pre-outage quote after a drop, and counts one reconnect', async () => {
    const engine = t.running.engine;
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['BTCUSD'] });
    const ticks: TickEvent[] = [];
    socket.on('tick', (e) => ticks.push(e));
    binance.bookTicker('BTCUSDT', '67000.10', '67000.20');
    await eventually(() => expect(ticks.at(-1)).toMatchObject({ bid: '67000.10', lp: 'BINANCE' }));
    const reconnectsBefore = (await lpNamed('BINANCE')).reconnects;
    const accepted = binance.accepted;
    const seen = ticks.length;
    binance.drop();
    await binance.waitForConnections(accepted + 1, 10_000);
    await eventually(async () => expect((await lpNamed('BINANCE')).state).toBe('CONNECTED'));
    await new Promise((r) => setTimeout(r, 400));
    // Reconnected, no quote yet: the quote from before the drop is neither current nor sent again.
    expect(ticks.slice(seen)).toEqual([]);
    expect(engine.quoteStore.get('BTCUSD')).toBeUndefined();
    binance.bookTicker('BTCUSDT', '67001.10', '67001.20');
    await eventually(() => expect(ticks.at(-1)).toMatchObject({ bid: '67001.10', lp: 'BINANCE' }));
    expect(ticks.slice(seen).map((x) => x.bid)).toEqual(['67001.10']);
    expect((await lpNamed('BINANCE')).reconnects).toBe(reconnectsBefore + 1);
    socket.disconnect();
  });

  it('pushes an LP’s refusals to the dealer live over lp_status, not only its state changes', async () => {
    const { token } = await t.login('admin@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'dealer' });
    const seen: { state: string; spikes: number }[] = [];
    socket.on('lp_status', (e) => {
      if (e.lp.name === 'BINANCE') seen.push({ state: e.lp.state, spikes: e.lp.rejects.spike });
    });
    binance.bookTicker('BTCUSDT', '67002.10', '67002.20');
    await eventually(() => expect(t.running.engine.quoteStore.get('BTCUSD')?.bid.toString()).toBe('67002.1'));
    const before = (await lpNamed('BINANCE')).rejects.spike;
    binance.bookTicker('BTCUSDT', '90000.00', '90000.10'); // a spike: refused, the LP stays CONNECTED
    await eventually(() => expect(seen.at(-1)).toEqual({ state: 'CONNECTED', spikes: before + 1 }), 3000);
    socket.disconnect();
  });

  it('fails over to the next healthy LP within a second when the primary drops, and back to the primary’s first new quote', async () => {
    const engine = t.running.engine;
    binance.bookTicker('ETHUSDT', '3500.00', '3500.10');
    binance2.bookTicker('ETHUSDT', '3500.20', '3500.30');
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')?.lp).toBe('BINANCE'));
    const accepted = binance.accepted;
    const failoversBefore = engine.aggregator.failoversBySymbol.get('ETHUSD') ?? 0;
    binance.drop();
    const droppedAt = Date.now();
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')?.lp).toBe('BINANCE-2'));
    expect(Date.now() - droppedAt).toBeLessThan(1000);
    expect(engine.quoteStore.get('ETHUSD')!.bid.toString()).toBe('3500.2');
    expect((await lpNamed('BINANCE-2')).pricing).toEqual(['ETHUSD']);
    await binance.waitForConnections(accepted + 1, 10_000);
    await eventually(async () => expect((await lpNamed('BINANCE')).state).toBe('CONNECTED'));
    binance2.bookTicker('ETHUSDT', '3500.40', '3500.50');
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.quoteStore.get('ETHUSD')?.lp).toBe('BINANCE-2'); // the primary's old quote does not count
    binance.bookTicker('ETHUSDT', '3500.60', '3500.70');
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')).toMatchObject({ lp: 'BINANCE' }));
    expect(engine.aggregator.failoversBySymbol.get('ETHUSD')).toBe(failoversBefore + 2);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain(`engine_quote_failovers{symbol="ETHUSD"} ${failoversBefore + 2}`);
    expect(metrics).toMatch(/engine_quote_age_seconds\{symbol="ETHUSD"\} \d/);
  });

  it('drops a feed far from the other healthy LP as off_market, counts it, shows it to the dealer, and takes it back when it agrees again', async () => {
    const engine = t.running.engine;
    binance.bookTicker('ETHUSDT', '3501.00', '3501.10');
    binance2.bookTicker('ETHUSDT', '3501.20', '3501.30');
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')?.bid.toString()).toBe('3501'));
    const before = (await lpNamed('BINANCE-2')).rejects;
    // BINANCE-2 goes +20% and stays there, while BINANCE quotes the market.
    for (let i = 0; i < 10; i++) {
      binance2.bookTicker('ETHUSDT', `420${i}.00`, `420${i}.10`);
      binance.bookTicker('ETHUSDT', `350${i}.00`, `350${i}.10`);
    }
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')?.bid.toString()).toBe('3509'));
    const lp2 = await lpNamed('BINANCE-2');
    expect(lp2.rejects.spike + lp2.rejects.off_market - before.spike - before.off_market).toBe(10);
    expect(lp2.recentEvents.some((e) => e.kind === 'spike' && e.symbol === 'ETHUSD')).toBe(true);
    expect(engine.quoteStore.get('ETHUSD')!.lp).toBe('BINANCE');
    // A reconnect forgets BINANCE-2's reference: its first quote is then judged against BINANCE alone.
    const accepted = binance2.accepted;
    const since = lp2.connectedSince!;
    binance2.drop();
    await binance2.waitForConnections(accepted + 1, 10_000);
    // Connected again (DEGRADED: most of its last 10 s of quotes were refused).
    await eventually(async () => expect((await lpNamed('BINANCE-2')).connectedSince).toBeGreaterThan(since));
    expect((await lpNamed('BINANCE-2')).state).toBe('DEGRADED');
    binance2.bookTicker('ETHUSDT', '4210.00', '4210.10');
    await eventually(async () => expect((await lpNamed('BINANCE-2')).rejects.off_market).toBe(before.off_market + 1));
    expect((await lpNamed('BINANCE-2')).recentEvents.at(-1)).toMatchObject({ kind: 'off_market', symbol: 'ETHUSD', bid: '4210.00' });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/engine_quotes_in_total\{lp="BINANCE-2",verdict="off_market"\} [1-9]/);
    // Back at the market: accepted.
    binance2.bookTicker('ETHUSDT', '3509.20', '3509.30');
    await eventually(async () => expect((await lpNamed('BINANCE-2')).lastAcceptedAt).toBeGreaterThan(Date.now() - 2000));
  });

  it('shows an LP whose quotes are all refused (crossed) as DEGRADED with the reason, and CONNECTED once they pass', async () => {
    for (let i = 0; i < 10; i++) binance2.bookTicker('ETHUSDT', '3510.00', '3509.00');
    await eventually(async () => {
      const lp = await lpNamed('BINANCE-2');
      expect(lp.state).toBe('DEGRADED');
      expect(lp.reason).toMatch(/of quotes in the last 10 s refused .*crossed 10/);
    });
    // Enough good quotes that the refused ones (these and the last test's) are under half of the last 10 s.
    for (let i = 0; i < 40; i++) binance2.bookTicker('ETHUSDT', `3509.${10 + i}`, `3509.${50 + i}`);
    await eventually(async () => expect((await lpNamed('BINANCE-2')).state).toBe('CONNECTED'));
  });

  it('shows a Binance feed that stops sending bookTicker while it answers pings as DEGRADED, live over lp_status', async () => {
    const { token } = await t.login('admin@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'dealer' });
    const states: string[] = [];
    socket.on('lp_status', (e) => {
      if (e.lp.name === 'BINANCE-2') states.push(e.lp.state);
    });
    binance2.bookTicker('ETHUSDT', '3509.20', '3509.30');
    const pongs = binance2.pongs;
    const timer = setInterval(() => binance2.ping(), 200);
    try {
      await eventually(() => expect(states).toContain('DEGRADED'), 5000);
      expect(binance2.pongs).toBeGreaterThan(pongs);
      const lp = await lpNamed('BINANCE-2');
      expect(lp.reason).toMatch(/no accepted quote for \d+ s while connected/);
      binance2.bookTicker('ETHUSDT', '3509.30', '3509.40');
      await eventually(() => expect(states.at(-1)).toBe('CONNECTED'), 5000);
    } finally {
      clearInterval(timer);
      socket.disconnect();
    }
  });

  it('takes every documented LP setting through admin.lps.upsert, the quickfix, backoff and contractSizes objects too', async () => {
    const api = t.client((await t.login('superadmin@broker.local')).token); // LP settings are SUPER_ADMIN's (docs/permissions.md)
    const lp = await api.admin.lps.upsert.mutate({
      name: 'FIX-SETTINGS',
      type: 'FIX',
      enabled: false,
      settings: { host: '127.0.0.1', port: 9, senderCompId: 'B', targetCompId: 'L', quickfix: { SocketNodelay: 'Y' }, backoff: { baseMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 }, contractSizes: { XAUUSD: 100 } },
      symbolMap: { 'XAU/USD': 'XAUUSD' },
    });
    expect(lp.settings).toMatchObject({ quickfix: { SocketNodelay: 'Y' }, backoff: { jitter: 0.5 }, contractSizes: { XAUUSD: 100 } });
    expect(await errorCode(api.admin.lps.upsert.mutate({ name: 'FIX-BAD', type: 'FIX', settings: { backoff: { jitter: 3 } } }))).toBe('VALIDATION_ERROR');
  });
});
