import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import type { RawQuote } from '../src/lp/adapter.ts';
import { Backoff, backoffDelay } from '../src/lp/backoff.ts';
import { createOandaLp, type OandaLpConfig } from '../src/lp/oanda/oanda-lp.ts';
import { parseOandaLine, parseOandaTime } from '../src/lp/oanda/wire.ts';
import { applyMarkup, validateQuote } from '../src/marketdata/markup.ts';
import type { Quote } from '../src/domain/index.ts';
import { startFakeOanda, type FakeOanda } from './fakes/fake-oanda.ts';
import { forex } from './fixtures.ts';

const ACCOUNT = '101-004-1234567-001';
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

async function fake(opts: Parameters<typeof startFakeOanda>[0] = {}): Promise<FakeOanda> {
  const f = await startFakeOanda({ token: 'secret-token', accountId: ACCOUNT, ...opts });
  cleanups.push(() => f.close());
  return f;
}

function lp(f: FakeOanda, overrides: Partial<OandaLpConfig> = {}) {
  const adapter = createOandaLp({
    name: 'OANDA',
    settings: { streamUrl: f.url, accountId: ACCOUNT, heartbeatTimeoutMs: 2000, backoff: { baseMs: 20, maxMs: 100 } },
    credentialEnv: { token: 'LP_OANDA_TOKEN' },
    symbolMap: { EUR_USD: 'EURUSD', USD_JPY: 'USDJPY' },
    env: { LP_OANDA_TOKEN: 'secret-token' },
    logger: silent,
    ...overrides,
  });
  cleanups.push(() => adapter.stop());
  const quotes: RawQuote[] = [];
  return { adapter, quotes, start: () => adapter.start((q) => quotes.push(q)) };
}

describe('OANDA v20 pricing stream', () => {
  it('streams quotes mapped to platform symbols with exact decimals and the LP time truncated to ms', async () => {
    const f = await fake();
    const lpTime = Date.UTC(2026, 0, 18, 10, 0, 0, 123);
    const { adapter, quotes, start } = lp(f, {
      symbolMap: { EUR_USD: 'EURUSD' },
      settings: { streamUrl: f.url, accountId: ACCOUNT, instruments: ['EUR_USD', 'USD_JPY'] },
      clock: () => lpTime + 25,
    });
    await start();
    await f.waitForStreams(1);
    await waitFor('connected', () => adapter.status().state === 'CONNECTED');
    expect(f.requests[0]).toEqual({
      url: `/v3/accounts/${ACCOUNT}/pricing/stream?instruments=EUR_USD%2CUSD_JPY`,
      authorization: 'Bearer secret-token',
    });

    f.price('EUR_USD', { bid: '1.08450', ask: '1.08452', time: '2026-01-18T10:00:00.123999999Z' });
    f.price('USD_JPY', { bid: '150.201', ask: '150.209', time: '2026-01-18T10:00:00.123000001Z' });
    await waitFor('two quotes', () => quotes.length === 2);

    expect(quotes[0]!.symbol).toBe('EURUSD');
    expect(quotes[0]!.bid).toBeInstanceOf(Decimal);
    expect(quotes[0]!.bid.toFixed(5)).toBe('1.08450');
    expect(quotes[0]!.ask.equals('1.08452')).toBe(true);
    expect(quotes[0]!.time).toBe(lpTime);
    expect(quotes[0]!.receivedAt).toBe(lpTime + 25);
    expect(quotes[0]!.lp).toBe('OANDA');
    // Not in the map: the underscore goes.
    expect(quotes[1]!.symbol).toBe('USDJPY');
    expect(quotes[1]!.bid.toString()).toBe('150.201');
    expect(quotes[1]!.time).toBe(lpTime);

    const s = adapter.status();
    expect(s).toMatchObject({ name: 'OANDA', type: 'REST', state: 'CONNECTED', lastQuoteAt: lpTime + 25, latencyMs: 25, reconnects: 0 });
    expect(s.recentErrors).toEqual([]);
  });

  it('uses the best of several liquidity tiers', () => {
    const line = JSON.stringify({
      type: 'PRICE',
      instrument: 'EUR_USD',
      time: '2026-01-18T10:00:00.000000000Z',
      tradeable: true,
      bids: [{ price: '1.08440', liquidity: 10_000_000 }, { price: '1.08450', liquidity: 1_000_000 }],
      asks: [{ price: '1.08460', liquidity: 10_000_000 }, { price: '1.08452', liquidity: 1_000_000 }],
    });
    const parsed = parseOandaLine(line);
    expect(parsed.kind).toBe('price');
    if (parsed.kind !== 'price') return;
    expect(parsed.bid.toString()).toBe('1.0845');
    expect(parsed.ask.toString()).toBe('1.08452');
  });

  it('parses v20 DateTimes in RFC3339 with an offset and in UNIX form, truncating nanoseconds', () => {
    const t = Date.UTC(2026, 0, 18, 10, 0, 0, 999);
    expect(parseOandaTime('2026-01-18T10:00:00.999999999Z')).toBe(t);
    expect(parseOandaTime('2026-01-18T12:00:00.999999999+02:00')).toBe(t);
    expect(parseOandaTime('2026-01-18T10:00:00Z')).toBe(t - 999);
    expect(parseOandaTime(`${(t - 999) / 1000}.999999999`)).toBe(t);
    expect(parseOandaTime('yesterday')).toBeNull();
    expect(parseOandaTime(1768730400)).toBeNull();
  });

  it('stays connected on heartbeats alone past the heartbeat timeout', async () => {
    const f = await fake({ heartbeatEveryMs: 40 });
    const { adapter, start } = lp(f, {
      settings: { streamUrl: f.url, accountId: ACCOUNT, heartbeatTimeoutMs: 250, backoff: { baseMs: 20 } },
    });
    await start();
    await f.waitForStreams(1);
    await new Promise((r) => setTimeout(r, 800));
    expect(f.accepted).toBe(1);
    expect(adapter.status()).toMatchObject({ state: 'CONNECTED', reconnects: 0 });
    expect(adapter.counts.heartbeats).toBeGreaterThan(5);
  });

  it('reconnects when the stream goes silent past the heartbeat timeout', async () => {
    const f = await fake({ heartbeatEveryMs: 40 });
    const { adapter, quotes, start } = lp(f, {
      settings: { streamUrl: f.url, accountId: ACCOUNT, heartbeatTimeoutMs: 250, backoff: { baseMs: 20, maxMs: 50 } },
    });
    await start();
    await f.waitForStreams(1);
    f.silence();
    await f.waitForStreams(2);
    expect(adapter.status().recentErrors.map((e) => e.message)).toContain('no data for 250 ms (heartbeat timeout)');
    // A reconnect counts once the new stream is up (the fake accepting it can come first).
    await waitFor('reconnected', () => adapter.status().state === 'CONNECTED' && adapter.status().reconnects >= 1);
    f.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    await waitFor('a quote on the new stream', () => quotes.length === 1);
  });

  it('reconnects after a dropped connection, waiting the backoff delay, and quotes continue', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f, {
      settings: { streamUrl: f.url, accountId: ACCOUNT, backoff: { baseMs: 150, maxMs: 1000, jitter: 0 } },
    });
    await start();
    await f.waitForStreams(1);
    f.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    await waitFor('first quote', () => quotes.length === 1);

    const droppedAt = Date.now();
    f.drop();
    await waitFor('disconnected', () => adapter.status().state !== 'CONNECTED');
    expect(adapter.status().reason).toMatch(/stream|connection/);
    await f.waitForStreams(2);
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(140);
    await waitFor('reconnected', () => adapter.status().state === 'CONNECTED');

    f.price('EUR_USD', { bid: '1.08460', ask: '1.08462' });
    await waitFor('second quote', () => quotes.length === 2);
    expect(quotes[1]!.bid.toFixed(5)).toBe('1.08460');
    expect(adapter.status().reconnects).toBe(1);
    expect(adapter.status().connectedSince).not.toBeNull();
  });

  it('keeps retrying with backoff while the server is down, then recovers', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f);
    await start();
    await f.waitForStreams(1);
    const url = f.url;
    await f.close();
    cleanups.pop();
    await waitFor('a few failed attempts', () => adapter.status().failedAttempts! >= 3);
    // Failed attempts are not reconnects; while it retries, the reason says why.
    expect(adapter.status().reconnects).toBe(0);
    expect(adapter.status().state).not.toBe('CONNECTED');
    await waitFor('CONNECTING', () => adapter.status().state === 'CONNECTING');
    expect(adapter.status().reason).toMatch(/^reconnecting \(after \d+ failed attempts; last: connection error/);
    expect(adapter.status().recentErrors.some((e) => e.message.startsWith('connection error'))).toBe(true);
    // Same port again: the adapter's next retry finds it.
    const port = Number(new URL(url).port);
    const again = await startFakeOandaOn(port);
    await again.waitForStreams(1);
    again.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    await waitFor('a quote after recovery', () => quotes.length === 1);
    expect(adapter.status().reconnects).toBe(1);
  });

  it('is UNAVAILABLE with a reason, and never connects, when the token variable is not set', async () => {
    const f = await fake();
    const { adapter, start } = lp(f, { env: {} });
    await expect(start()).resolves.toBeUndefined();
    expect(adapter.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'environment variable LP_OANDA_TOKEN (OANDA API token) is not set' });
    const noName = lp(f, { credentialEnv: {} });
    await noName.start();
    expect(noName.adapter.status().state).toBe('UNAVAILABLE');
    expect(noName.adapter.status().reason).toMatch(/credentialEnv\.token/);
    const noUrl = lp(f, { settings: { accountId: ACCOUNT } });
    await noUrl.start();
    expect(noUrl.adapter.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'settings.streamUrl is not configured' });
    await new Promise((r) => setTimeout(r, 50));
    expect(f.requests).toEqual([]);
  });

  it('reports a rejected token as UNAVAILABLE with OANDA’s message', async () => {
    const f = await fake();
    const { adapter, start } = lp(f, { env: { LP_OANDA_TOKEN: 'wrong' } });
    await start();
    await waitFor('rejected', () => adapter.status().state === 'UNAVAILABLE');
    expect(adapter.status().reason).toBe('HTTP 401: Insufficient authorization to perform request.');
    expect(f.requests[0]!.authorization).toBe('Bearer wrong');
  });

  it('counts garbage lines as errors and skips them and non-tradeable prices without dropping the stream', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f);
    await start();
    await f.waitForStreams(1);
    f.line('{"type":"PRICE","instrument":"EUR_USD"');
    f.line('<html>502 Bad Gateway</html>');
    f.line('{"type":"PRICE","instrument":"EUR_USD","time":"2026-01-18T10:00:00Z","tradeable":true,"bids":[{"price":1.0845}],"asks":[{"price":"1.08452"}]}');
    f.line('{"type":"PRICE","instrument":"EUR_USD","time":"2026-01-18T10:00:00Z","tradeable":true,"bids":[{"price":"0x10"}],"asks":[{"price":"1.08452"}]}');
    f.price('EUR_USD', { bid: '1.08450', ask: '1.08452', tradeable: false });
    f.line('{"type":"SOMETHING_NEW","time":"2026-01-18T10:00:00Z"}');
    f.heartbeat();
    // A line split across two chunks still parses.
    const split = JSON.stringify({
      type: 'PRICE',
      instrument: 'EUR_USD',
      time: '2026-01-18T10:00:01.000000000Z',
      tradeable: true,
      bids: [{ price: '1.08451', liquidity: 1 }],
      asks: [{ price: '1.08453', liquidity: 1 }],
    });
    f.raw(split.slice(0, 40));
    await new Promise((r) => setTimeout(r, 30));
    f.raw(split.slice(40) + '\n');
    await waitFor('the good quote', () => quotes.length === 1);
    expect(quotes[0]!.bid.toString()).toBe('1.08451');
    expect(adapter.counts).toMatchObject({ errors: 4, skipped: 1, heartbeats: 1, quotes: 1 });
    expect(adapter.status().recentErrors).toHaveLength(4);
    expect(adapter.status()).toMatchObject({ state: 'CONNECTED', reconnects: 0 });
    expect(f.accepted).toBe(1);
  });

  it('feeds the quote pipeline: spikes and crossed quotes are dropped, good quotes are marked up', async () => {
    const f = await fake();
    const { quotes, start } = lp(f);
    await start();
    await f.waitForStreams(1);
    const spec = forex('EURUSD', { markupPips: new Decimal('0.4') });
    f.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    f.price('EUR_USD', { bid: '1.08460', ask: '1.08440' }); // crossed
    f.price('EUR_USD', { bid: '1.19000', ask: '1.19002' }); // +9.7%: a spike past maxDeviation 5%
    f.price('EUR_USD', { bid: '1.08455', ask: '1.08457' });
    await waitFor('four quotes', () => quotes.length === 4);

    let last: Quote | undefined;
    const verdicts: string[] = [];
    const published: Quote[] = [];
    for (const raw of quotes) {
      const q: Quote = { symbol: raw.symbol, bid: raw.bid, ask: raw.ask, time: raw.time, lp: raw.lp };
      const verdict = validateQuote(q, last, spec, raw.receivedAt ?? raw.time);
      verdicts.push(verdict);
      if (verdict !== 'ok') continue;
      last = q;
      published.push(applyMarkup(q, spec));
    }
    expect(verdicts).toEqual(['ok', 'crossed', 'spike', 'ok']);
    expect(published.map((q) => [q.bid.toFixed(5), q.ask.toFixed(5)])).toEqual([
      ['1.08448', '1.08454'],
      ['1.08453', '1.08459'],
    ]);
  });

  it('stops cleanly: no further quotes, no reconnects', async () => {
    const f = await fake();
    const { adapter, quotes, start } = lp(f);
    await start();
    await f.waitForStreams(1);
    await adapter.stop();
    await waitFor('stream closed on the server', () => f.open === 0);
    f.price('EUR_USD', { bid: '1.08450', ask: '1.08452' });
    await new Promise((r) => setTimeout(r, 150));
    expect(quotes).toEqual([]);
    expect(f.accepted).toBe(1);
    expect(adapter.status()).toMatchObject({ state: 'DISCONNECTED', reconnects: 0 });
  });
});

async function startFakeOandaOn(port: number): Promise<FakeOanda> {
  // The adapter keeps retrying the old address, so the server comes back on the same port.
  const f = await startFakeOanda({ token: 'secret-token', accountId: ACCOUNT, port });
  cleanups.push(() => f.close());
  return f;
}

describe('backoff', () => {
  it('grows exponentially to the cap, with jitter taking at most the configured fraction', () => {
    const opts = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 10, 5000].map((n) => backoffDelay(n, opts, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    // random → 1 is the largest cut: half the delay.
    expect(backoffDelay(3, opts, () => 0.999999)).toBe(400);
    expect(backoffDelay(3, { ...opts, jitter: 0 }, () => 0.7)).toBe(800);
  });

  it('counts attempts and starts over after reset', () => {
    const b = new Backoff({ baseMs: 10, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next()]).toEqual([10, 20, 40]);
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.next()).toBe(10);
  });
});
