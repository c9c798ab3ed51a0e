import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Quote } from '../src/domain/index.ts';
import { createLogger } from '../src/logger.ts';
import type { RawQuote } from '../src/lp/adapter.ts';
import { createBinanceLp, type BinanceLpConfig } from '../src/lp/binance/binance-lp.ts';
import { parseBinanceFrame } from '../src/lp/binance/wire.ts';
import { applyMarkup, validateQuote } from '../src/marketdata/markup.ts';
import { startFakeBinance, type FakeBinance } from './fakes/fake-binance.ts';
import { forex } from './fixtures.ts';

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

async function fake(): Promise<FakeBinance> {
  const f = await startFakeBinance();
  cleanups.push(() => f.close());
  return f;
}

function lp(f: FakeBinance, overrides: Partial<BinanceLpConfig> = {}) {
  const adapter = createBinanceLp({
    name: 'BINANCE',
    settings: { wsUrl: f.url, staleAfterMs: 2000, backoff: { baseMs: 20, maxMs: 100 } },
    logger: silent,
    ...overrides,
  });
  cleanups.push(() => adapter.stop());
  const quotes: RawQuote[] = [];
  return {
    adapter,
    quotes,
    async start() {
      await adapter.start((q) => quotes.push(q));
    },
  };
}

async function connected(f: FakeBinance, adapter: { status(): { state: string } }, n = 1): Promise<void> {
  await f.waitForConnections(n);
  await waitFor('connected', () => adapter.status().state === 'CONNECTED');
}

/** Crypto spec: 2 digits, pip 0.01; BTC moves far more than 5% in a day only in a crash. */
const btc = forex('BTCUSD', { digits: 2, pipSize: new Decimal('0.01'), contractSize: new Decimal(1), markupPips: new Decimal(200) });

describe('Binance bookTicker stream', () => {
  it('subscribes to the default pairs on the combined-stream endpoint and streams normalized quotes', async () => {
    const f = await fake();
    let now = 1_768_730_400_000;
    const { adapter, quotes, start } = lp(f, { clock: () => now });
    await start();
    await connected(f, adapter);
    expect(f.subscriptions).toEqual([['btcusdt@bookTicker', 'ethusdt@bookTicker']]);

    f.bookTicker('BTCUSDT', '67012.35190000', '67012.36520000');
    await waitFor('BTC quote', () => quotes.length === 1);
    now += 7;
    f.bookTicker('ETHUSDT', '3500.01000000', '3500.02000000');
    await waitFor('ETH quote', () => quotes.length === 2);

    expect(quotes[0]!.symbol).toBe('BTCUSD');
    expect(quotes[0]!.bid.toFixed(8)).toBe('67012.35190000');
    expect(quotes[0]!.ask.equals('67012.3652')).toBe(true);
    expect(quotes[0]!).toMatchObject({ time: 1_768_730_400_000, receivedAt: 1_768_730_400_000, lp: 'BINANCE' });
    expect(quotes[1]!).toMatchObject({ symbol: 'ETHUSD', time: 1_768_730_400_007 });
    expect(quotes[1]!.bid.toString()).toBe('3500.01');
    expect(adapter.status()).toMatchObject({
      name: 'BINANCE',
      type: 'WEBSOCKET',
      state: 'CONNECTED',
      lastQuoteAt: 1_768_730_400_007,
      latencyMs: null,
      reconnects: 0,
      recentErrors: [],
    });
  });

  it('subscribes to exactly the configured symbol map', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f, { symbolMap: { solusdt: 'SOLUSD' } });
    await start();
    await connected(f, adapter);
    expect(f.subscriptions[0]).toEqual(['solusdt@bookTicker']);
    f.bookTicker('SOLUSDT', '150.10', '150.11');
    await waitFor('SOL quote', () => quotes.length === 1);
    expect(quotes[0]!.symbol).toBe('SOLUSD');
  });

  it('answers server pings, and pings count as liveness', async () => {
    const f = await fake();
    const { adapter, start } = lp(f, { settings: { wsUrl: f.url, staleAfterMs: 250, backoff: { baseMs: 20 } } });
    await start();
    await connected(f, adapter);
    const pinger = setInterval(() => f.ping(), 50);
    await new Promise((r) => setTimeout(r, 700));
    clearInterval(pinger);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.pongs).toBeGreaterThan(5);
    expect(adapter.counts.pings).toBe(f.pongs);
    expect(f.accepted).toBe(1);
    expect(adapter.status()).toMatchObject({ state: 'CONNECTED', reconnects: 0 });
  });

  it('reconnects a stale connection (no frame, no ping)', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f, { settings: { wsUrl: f.url, staleAfterMs: 200, backoff: { baseMs: 20, maxMs: 50 } } });
    await start();
    await connected(f, adapter);
    await f.waitForConnections(2);
    expect(adapter.status().recentErrors.map((e) => e.message)).toContain('stale: no frame or ping for 200 ms');
    await connected(f, adapter, 2);
    f.bookTicker('BTCUSDT', '67000.00', '67000.10');
    await waitFor('a quote on the new connection', () => quotes.length === 1);
  });

  it('reconnects with backoff after a dropped connection and after the 24 h close, and quotes continue', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f, { settings: { wsUrl: f.url, backoff: { baseMs: 150, maxMs: 1000, jitter: 0 } } });
    await start();
    await connected(f, adapter);
    f.bookTicker('BTCUSDT', '67000.00', '67000.10');
    await waitFor('first quote', () => quotes.length === 1);

    const droppedAt = Date.now();
    f.drop();
    await waitFor('disconnected', () => adapter.status().state !== 'CONNECTED');
    await f.waitForConnections(2);
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(140);
    await connected(f, adapter, 2);
    f.bookTicker('BTCUSDT', '67001.00', '67001.10');
    await waitFor('second quote', () => quotes.length === 2);

    // Binance closes every connection at 24 h with a close frame.
    f.closeAll(1001);
    await connected(f, adapter, 3);
    f.bookTicker('BTCUSDT', '67002.00', '67002.10');
    await waitFor('third quote', () => quotes.length === 3);
    expect(quotes.map((q) => q.bid.toFixed(2))).toEqual(['67000.00', '67001.00', '67002.00']);
    expect(adapter.status().reconnects).toBe(2);
    expect(adapter.status().recentErrors.map((e) => e.message)).toContain('closed by server: 1001 connection lifetime reached');
  });

  it('rolls over to a fresh connection before the 24 h cut without a gap', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f, { settings: { wsUrl: f.url, maxConnectionAgeMs: 300 } });
    await start();
    await connected(f, adapter);
    await f.waitForConnections(2);
    await waitFor('old connection closed', () => f.open === 1);
    expect(adapter.status().state).toBe('CONNECTED');
    f.bookTicker('BTCUSDT', '67000.00', '67000.10');
    await waitFor('quote on the successor', () => quotes.length === 1);
    expect(adapter.status().recentErrors).toEqual([]);
  });

  it('reconnects at once on a serverShutdown notice (no backoff delay, no gap), counting one reconnect and no failure', async () => {
    const f = await fake();
    // A 10 s backoff: only an immediate reconnect passes (it waited the backoff before).
    const { adapter, quotes, start } = lp(f, { settings: { wsUrl: f.url, backoff: { baseMs: 10_000, maxMs: 10_000 } } });
    await start();
    await connected(f, adapter);
    const states = new Set<string>();
    const watch = setInterval(() => states.add(adapter.status().state), 2);
    const noticeAt = Date.now();
    f.shutdownNotice();
    await f.waitForConnections(2, 2000);
    await waitFor('old connection closed', () => f.open === 1, 2000);
    clearInterval(watch);
    expect(Date.now() - noticeAt).toBeLessThan(2000);
    expect(states.has('DISCONNECTED')).toBe(false);
    expect(adapter.status()).toMatchObject({ state: 'CONNECTED', reconnects: 1, failedAttempts: 0 });
    f.bookTicker('BTCUSDT', '67000.00', '67000.10');
    await waitFor('a quote on the new connection', () => quotes.length === 1);
  });

  it('is UNAVAILABLE with a reason when a declared credential variable is not set, or the URL is missing', async () => {
    const f = await fake();
    const withKey = lp(f, { credentialEnv: { apiKey: 'LP_BINANCE_API_KEY' }, env: {} });
    await expect(withKey.start()).resolves.toBeUndefined();
    expect(withKey.adapter.status()).toMatchObject({
      state: 'UNAVAILABLE',
      reason: 'environment variable LP_BINANCE_API_KEY (apiKey) is not set',
    });
    const noUrl = lp(f, { settings: {} });
    await noUrl.start();
    expect(noUrl.adapter.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'settings.wsUrl is not configured' });
    await new Promise((r) => setTimeout(r, 50));
    expect(f.accepted).toBe(0);
  });

  it('counts garbage frames as errors and skips them, out-of-order and unmapped updates too', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f);
    await start();
    await connected(f, adapter);
    f.frame('not json');
    f.frame('[1,2,3]');
    f.frame(JSON.stringify({ stream: 'btcusdt@bookTicker', data: { u: 1, s: 'BTCUSDT', b: 67000, a: '67000.1' } }));
    f.frame(JSON.stringify({ error: { code: 2, msg: 'Invalid request' } }));
    f.frame(JSON.stringify({ result: null, id: 1 }));
    f.bookTicker('BTCUSDT', '67000.00', '67000.10', { updateId: 500 });
    f.bookTicker('BTCUSDT', '66999.00', '66999.10', { updateId: 499 });
    f.frame(JSON.stringify({ stream: 'xrpusdt@bookTicker', data: { u: 9, s: 'XRPUSDT', b: '0.5', a: '0.6' } }));
    f.bookTicker('ETHUSDT', '3500.01', '3500.02');
    await waitFor('two good quotes', () => quotes.length === 2);
    expect(quotes.map((q) => q.symbol)).toEqual(['BTCUSD', 'ETHUSD']);
    expect(adapter.counts).toMatchObject({ errors: 4, skipped: 2, quotes: 2 });
    expect(adapter.status().recentErrors.map((e) => e.message)).toContain('Binance error 2: Invalid request');
    expect(adapter.status()).toMatchObject({ state: 'CONNECTED', reconnects: 0 });
    expect(f.accepted).toBe(1);
  });

  it('feeds the quote pipeline: spikes and crossed quotes are dropped, good quotes are marked up', async () => {
    const f = await fake();
    const { quotes, start, adapter } = lp(f);
    await start();
    await connected(f, adapter);
    f.bookTicker('BTCUSDT', '67000.00000000', '67000.10000000');
    f.bookTicker('BTCUSDT', '67000.20000000', '66999.90000000'); // crossed
    f.bookTicker('BTCUSDT', '74000.00000000', '74000.10000000'); // +10.4%: past maxDeviation 5%
    f.bookTicker('BTCUSDT', '67010.00000000', '67010.10000000');
    await waitFor('four quotes', () => quotes.length === 4);

    let last: Quote | undefined;
    const verdicts: string[] = [];
    const published: Quote[] = [];
    for (const raw of quotes) {
      const q: Quote = { symbol: raw.symbol, bid: raw.bid, ask: raw.ask, time: raw.time, lp: raw.lp };
      const verdict = validateQuote(q, last, btc, raw.receivedAt ?? raw.time);
      verdicts.push(verdict);
      if (verdict !== 'ok') continue;
      last = q;
      published.push(applyMarkup(q, btc));
    }
    expect(verdicts).toEqual(['ok', 'crossed', 'spike', 'ok']);
    // 200 pips of 0.01 = 2.00, half on each side.
    expect(published.map((q) => [q.bid.toFixed(2), q.ask.toFixed(2)])).toEqual([
      ['66999.00', '67001.10'],
      ['67009.00', '67011.10'],
    ]);
  });

  it('stops cleanly: the socket closes and nothing reconnects', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f);
    await start();
    await connected(f, adapter);
    await adapter.stop();
    await waitFor('server saw the close', () => f.open === 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(f.accepted).toBe(1);
    expect(quotes).toEqual([]);
    expect(adapter.status()).toMatchObject({ state: 'DISCONNECTED', reconnects: 0 });
  });

  it('decodes a combined-stream bookTicker frame exactly as documented', () => {
    const frame = parseBinanceFrame(
      '{"stream":"btcusdt@bookTicker","data":{"u":400900217,"s":"BTCUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}',
    );
    expect(frame.kind).toBe('bookTicker');
    if (frame.kind !== 'bookTicker') return;
    expect(frame).toMatchObject({ symbol: 'BTCUSDT', updateId: 400900217 });
    expect(frame.bid.toFixed(8)).toBe('25.35190000');
    expect(frame.ask.toFixed(8)).toBe('25.36520000');
  });
});
