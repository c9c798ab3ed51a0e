// The OANDA and Binance fakes drive quotes through the engine's own pipeline (LP manager → per-LP validation
// → aggregation → markup → latest quote → Socket.IO): good quotes arrive, spikes and crossed quotes are dropped,
// and the spike rule's reference follows a move that persists, expires, and is dropped on a reconnect.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickEvent } from '@broker/api/socket';
import { startFakeBinance, type FakeBinance } from './fakes/fake-binance.ts';
import { startFakeOanda, type FakeOanda } from './fakes/fake-oanda.ts';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let oanda: FakeOanda;
let binance: FakeBinance;

beforeAll(async () => {
  oanda = await startFakeOanda({ token: 'tok-123', accountId: '101-004-1-001', heartbeatEveryMs: 200 });
  binance = await startFakeBinance();
  t = await startTestEngine({
    lpsFromDb: true,
    env: { ...process.env, LP_OANDA_FAKE_TOKEN: 'tok-123' },
    beforeStart: async (db) => {
      await db.prisma.liquidityProvider.createMany({
        data: [
          {
            name: 'OANDA',
            type: 'REST',
            priority: 1,
            settings: { streamUrl: oanda.url, accountId: '101-004-1-001', instruments: ['EUR_USD', 'USD_JPY'] },
            credentialEnv: { token: 'LP_OANDA_FAKE_TOKEN' },
            symbolMap: { EUR_USD: 'EURUSD', USD_JPY: 'USDJPY' },
          },
          // A new spike level must persist 400 ms here (5 s by default).
          { name: 'BINANCE', type: 'WEBSOCKET', priority: 1, settings: { wsUrl: binance.url, spikeConfirmMs: 400 }, symbolMap: { BTCUSDT: 'BTCUSD', ETHUSDT: 'ETHUSD' } },
        ],
      });
      // Only the real adapters: the simulated LP would compete for the same symbols.
      await db.prisma.liquidityProvider.updateMany({ where: { type: 'SIMULATED' }, data: { enabled: false } });
      // ETHUSD's spike reference expires after a second (staleAfterMs) in the expiry test.
      await db.prisma.symbol.update({ where: { name: 'ETHUSD' }, data: { staleAfterMs: 1000 } });
    },
  });
  await oanda.waitForStreams(1, 10_000);
  await binance.waitForConnections(1, 10_000);
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await oanda?.close();
  await binance?.close();
});

describe('real LP adapters through the engine pipeline', () => {
  it('streams OANDA and Binance quotes, marked up, and drops spikes and crossed quotes', async () => {
    const { token } = await t.login('trader1@broker.local');
    const socket = await t.socket(token);
    await socket.emitWithAck('subscribe', { type: 'quotes', symbols: ['EURUSD', 'BTCUSD'] });
    const ticks: TickEvent[] = [];
    socket.on('tick', (e) => ticks.push(e));
    const engine = t.running.engine;

    oanda.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    binance.bookTicker('BTCUSDT', '67000.10', '67000.20');
    // Seeded markup: EURUSD 0.2 pips → ±0.00001; BTCUSD none.
    await eventually(() => expect(engine.quoteStore.get('EURUSD')?.bid.toString()).toBe('1.08449'));
    await eventually(() => expect(engine.quoteStore.get('BTCUSD')?.ask.toString()).toBe('67000.2'));
    await eventually(() => expect(ticks.find((x) => x.symbol === 'EURUSD')).toMatchObject({ bid: '1.08449', ask: '1.08453', lp: 'OANDA' }));
    await eventually(() => expect(ticks.find((x) => x.symbol === 'BTCUSD')).toMatchObject({ lp: 'BINANCE' }));

    const rejectedBefore = engine.rejectedQuotes;
    oanda.price('EUR_USD', { bid: '1.08460', ask: '1.08440' }); // crossed
    oanda.price('EUR_USD', { bid: '1.25000', ask: '1.25002' }); // a 15% spike
    binance.bookTicker('BTCUSDT', '90000.00', '90000.10'); // a 34% spike
    await eventually(() => expect(engine.rejectedQuotes - rejectedBefore).toBe(3));
    expect(engine.quoteStore.get('EURUSD')!.bid.toString()).toBe('1.08449');
    expect(engine.quoteStore.get('BTCUSD')!.bid.toString()).toBe('67000.1');

    oanda.price('EUR_USD', { bid: '1.08470', ask: '1.08472' });
    await eventually(() => expect(engine.quoteStore.get('EURUSD')!.bid.toString()).toBe('1.08469'));
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/engine_quotes_in_total\{lp="OANDA",verdict="crossed"\} 1/);
    expect(metrics).toMatch(/engine_quotes_in_total\{lp="OANDA",verdict="spike"\} 1/);
    expect(metrics).toMatch(/engine_quotes_in_total\{lp="BINANCE",verdict="spike"\} 1/);

    const lps = await t.client((await t.login('admin@broker.local')).token).admin.lps.list.query();
    expect(lps.find((l) => l.name === 'OANDA')).toMatchObject({ state: 'CONNECTED', type: 'REST' });
    expect(lps.find((l) => l.name === 'BINANCE')).toMatchObject({ state: 'CONNECTED', type: 'WEBSOCKET' });
    // Quotes/min counts what the pipeline accepted (two of OANDA's four), refusals are counted per reason.
    const oandaLp = lps.find((l) => l.name === 'OANDA')!;
    expect(oandaLp.quotesPerMinute).toBe(2);
    expect(oandaLp.rejects).toMatchObject({ crossed: 1, spike: 1, off_market: 0 });
    expect(oandaLp.recentEvents.map((e) => e.kind)).toEqual(['crossed', 'spike']);
  });

  it('moves the spike reference to a level that persists for the LP’s spikeConfirmMs, however many quotes come first', async () => {
    const engine = t.running.engine;
    binance.bookTicker('BTCUSDT', '67000.10', '67000.20');
    await eventually(() => expect(engine.quoteStore.get('BTCUSD')!.bid.toString()).toBe('67000.1'));
    const rejectedBefore = engine.rejectedQuotes;
    const started = Date.now();
    // A 20% gap that stays: a burst of quotes at the new level is held back (three in a row moved it before).
    for (let i = 0; i < 5; i++) binance.bookTicker('BTCUSDT', `8000${i}.00`, `8000${i}.10`);
    await eventually(() => expect(engine.rejectedQuotes - rejectedBefore).toBe(5));
    expect(engine.quoteStore.get('BTCUSD')!.bid.toString()).toBe('67000.1');
    // Still there 400 ms after its first quote: the level is taken.
    await new Promise((r) => setTimeout(r, Math.max(0, 420 - (Date.now() - started))));
    binance.bookTicker('BTCUSDT', '80010.00', '80010.10');
    await eventually(() => expect(engine.quoteStore.get('BTCUSD')!.bid.toString()).toBe('80010'));
    expect(engine.rejectedQuotes - rejectedBefore).toBe(5);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/engine_quotes_in_total\{lp="BINANCE",verdict="spike"\} 6/);
    const lps = await t.client((await t.login('admin@broker.local')).token).admin.lps.list.query();
    expect(lps.find((l) => l.name === 'BINANCE')!.recentEvents).toContainEqual(expect.objectContaining({ kind: 'reanchored', symbol: 'BTCUSD', bid: '80010.00', message: 'new level persisted' }));
  });

  it('lets the spike reference expire after the symbol’s staleAfterMs', async () => {
    const engine = t.running.engine;
    binance.bookTicker('ETHUSDT', '3500.00', '3500.10');
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')!.bid.toString()).toBe('3500'));
    const rejectedBefore = engine.rejectedQuotes;
    binance.bookTicker('ETHUSDT', '4000.00', '4000.10'); // +14% within the second: a spike
    await eventually(() => expect(engine.rejectedQuotes - rejectedBefore).toBe(1));
    await new Promise((r) => setTimeout(r, 1100)); // ETHUSD's staleAfterMs here is 1000
    binance.bookTicker('ETHUSDT', '4000.00', '4000.10');
    await eventually(() => expect(engine.quoteStore.get('ETHUSD')!.bid.toString()).toBe('4000'));
    expect(engine.rejectedQuotes - rejectedBefore).toBe(1);
  });

  it('drops an LP’s spike references when it reconnects', async () => {
    const engine = t.running.engine;
    oanda.price('EUR_USD', { bid: '1.08480', ask: '1.08482' });
    await eventually(() => expect(engine.quoteStore.get('EURUSD')!.bid.toString()).toBe('1.08479'));
    const streams = oanda.accepted;
    oanda.drop();
    await oanda.waitForStreams(streams + 1, 10_000);
    const rejectedBefore = engine.rejectedQuotes;
    // The LP comes back 20% higher: its first quote on the new connection is taken as it is.
    oanda.price('EUR_USD', { bid: '1.30000', ask: '1.30002' });
    await eventually(() => expect(engine.quoteStore.get('EURUSD')!.bid.toString()).toBe('1.29999'));
    expect(engine.rejectedQuotes).toBe(rejectedBefore);
  });

  it('takes a dealer’s manual quote within the bound of the live price, beyond it only when confirmed, never a crossed one', async () => {
    const engine = t.running.engine;
    const admin = t.client((await t.login('superadmin@broker.local')).token);
    const d = (v: string) => new Decimal(v);
    await admin.admin.risk.pushQuote.mutate({ symbol: 'XAUUSD', bid: d('2000.00'), ask: d('2000.50') }); // no price yet: nothing to bound
    expect(await errorCode(admin.admin.risk.pushQuote.mutate({ symbol: 'XAUUSD', bid: d('2200.00'), ask: d('2200.50') }))).toBe('QUOTE_TOO_FAR'); // +10% > 5%
    const moved = await admin.admin.risk.pushQuote.mutate({ symbol: 'XAUUSD', bid: d('2200.00'), ask: d('2200.50'), confirm: true });
    expect(moved.bid.toString()).toBe('2200');
    // On the wire prices keep the symbol's digits (2 for XAUUSD), as the socket's ticks do.
    const { token } = await t.login('trader1@broker.local');
    const raw = await (await fetch(`${t.url}/trpc/market.quotes`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(raw).toContain('"bid":"2200.00"');
    expect(raw).toContain('"ask":"2200.50"');
    expect(engine.quoteStore.get('XAUUSD')!.ask.toString()).toBe('2200.5');
    // EURUSD has a live feed (OANDA): the bound is measured from it, whatever the manual quotes did.
    oanda.price('EUR_USD', { bid: '1.08470', ask: '1.08472' });
    await eventually(() => expect(engine.aggregator.feedQuote('EURUSD')?.lp).toBe('OANDA'));
    const err = await admin.admin.risk.pushQuote.mutate({ symbol: 'EURUSD', bid: d('3000.00'), ask: d('3000.01') }).catch((e: unknown) => e);
    expect((err as { data?: { appCode?: string } }).data?.appCode).toBe('QUOTE_TOO_FAR');
    expect(engine.quoteStore.get('EURUSD')!.bid.lt(2)).toBe(true);
    const audit = await t.database.db.prisma.auditLog.findMany({ where: { action: 'risk.push_quote' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.entityId, (a.details as { outcome: string }).outcome])).toEqual([
      ['XAUUSD', 'pushed'],
      ['XAUUSD', 'refused: too far'],
      ['XAUUSD', 'pushed (confirmed beyond the bound)'],
      ['EURUSD', 'refused: too far'],
    ]);
    expect(audit[3]!.details).toMatchObject({ reference: { lp: 'OANDA', from: 'feed' }, bound: '0.05', confirmed: false });
    expect(await errorCode(admin.admin.risk.pushQuote.mutate({ symbol: 'XAUUSD', bid: d('2300.00'), ask: d('2299.00') }))).toBe('VALIDATION_ERROR');
    // The pipeline itself still refuses a crossed quote from the manual LP.
    const rejectedBefore = engine.rejectedQuotes;
    engine.manual.push('XAUUSD', '2300.00', '2299.00');
    expect(engine.rejectedQuotes - rejectedBefore).toBe(1);
    expect(engine.quoteStore.get('XAUUSD')!.bid.toString()).toBe('2200');
  });
});
