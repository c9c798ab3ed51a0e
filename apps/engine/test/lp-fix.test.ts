// FIX 4.4 LP adapter: pure wire tests always; the session tests run against @broker/quickfix's LpSimulator on
// 127.0.0.1 and are skipped (with the reason in the title) where the QuickFIX addon is unavailable.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { LpSimulator, loadQuickfix, type ReceivedMessage } from '@broker/quickfix';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import type { RawQuote } from '../src/lp/adapter.ts';
import { createFixLp, type FixExecutionReport, type FixLp, type FixLpConfig } from '../src/lp/fix/fix-lp.ts';
import {
  applyMarketData,
  lpSymbolFor,
  parseEntryTime,
  parseExecutionReport,
  parseUtcTimestamp,
  platformSymbol,
  type BookTop,
} from '../src/lp/fix/wire.ts';

const silent = createLogger('test', { silent: true });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const msg = (header: Record<string, string>, tags: Record<string, string> = {}, groups?: ReceivedMessage['groups']): ReceivedMessage => ({
  header,
  tags,
  trailer: {},
  ...(groups ? { groups } : {}),
});

describe('FIX wire', () => {
  it('parses UTCTimestamp (ms, truncating finer fractions) and MDEntryTime on the SendingTime date', () => {
    expect(parseUtcTimestamp('20260118-10:00:00.123')).toBe(Date.UTC(2026, 0, 18, 10, 0, 0, 123));
    expect(parseUtcTimestamp('20260118-10:00:00')).toBe(Date.UTC(2026, 0, 18, 10, 0, 0));
    expect(parseUtcTimestamp('20260118-10:00:00.123999')).toBe(Date.UTC(2026, 0, 18, 10, 0, 0, 123));
    expect(parseUtcTimestamp('2026-01-18T10:00:00Z')).toBeUndefined();
    const ref = Date.UTC(2026, 0, 18, 10, 0, 1);
    expect(parseEntryTime('09:59:59.950', undefined, ref)).toBe(Date.UTC(2026, 0, 18, 9, 59, 59, 950));
    expect(parseEntryTime('12:00:00', '20260117', ref)).toBe(Date.UTC(2026, 0, 17, 12));
    // sent just after midnight, priced just before it
    expect(parseEntryTime('23:59:59.990', undefined, Date.UTC(2026, 0, 18, 0, 0, 0, 10))).toBe(Date.UTC(2026, 0, 17, 23, 59, 59, 990));
  });

  it('keeps a per-symbol top of book: W replaces it, X changes one side, delete empties a side', () => {
    const books = new Map<string, BookTop>();
    const w = msg({ 35: 'W', 52: '20260118-10:00:00.000' }, { 262: 'md1', 55: 'EUR/USD' }, {
      268: [
        { tags: { 269: '0', 270: '1.08450', 271: '1000000' } },
        { tags: { 269: '0', 270: '1.08440' } },
        { tags: { 269: '1', 270: '1.08452' } },
        { tags: { 269: '1', 270: '1.08460' } },
      ],
    });
    expect(applyMarketData(w, books)).toMatchObject({ kind: 'snapshot', touched: ['EUR/USD'], problems: [] });
    expect(books.get('EUR/USD')!.bid!.toFixed(5)).toBe('1.08450');
    expect(books.get('EUR/USD')!.ask!.toString()).toBe('1.08452');
    expect(books.get('EUR/USD')!.time).toBe(Date.UTC(2026, 0, 18, 10));

    // only the offer moves, with its own MDEntryTime
    const x = msg({ 35: 'X', 52: '20260118-10:00:01.000' }, { 262: 'md1' }, {
      268: [{ tags: { 279: '1', 269: '1', 55: 'EUR/USD', 270: '1.08455', 273: '10:00:00.990' } }],
    });
    applyMarketData(x, books);
    expect(books.get('EUR/USD')!.bid!.toFixed(5)).toBe('1.08450');
    expect(books.get('EUR/USD')!.ask!.toFixed(5)).toBe('1.08455');
    expect(books.get('EUR/USD')!.time).toBe(Date.UTC(2026, 0, 18, 10, 0, 0, 990));

    // an entry without 55 on a single-symbol request; a delete; a bad price is a problem, not a quote
    const x2 = msg({ 35: 'X', 52: '20260118-10:00:02.000' }, { 262: 'md1' }, {
      268: [
        { tags: { 279: '2', 269: '0' } },
        { tags: { 279: '1', 269: '1', 55: 'USD/JPY', 270: 'abc' } },
      ],
    });
    const u = applyMarketData(x2, books, (id) => (id === 'md1' ? 'EUR/USD' : undefined))!;
    expect(u.touched).toEqual(['EUR/USD']);
    expect(u.problems).toHaveLength(1);
    expect(books.get('EUR/USD')!.bid).toBeUndefined();
    expect(books.has('USD/JPY')).toBe(false);
  });

  it('reads execution reports with Decimal quantities and prices', () => {
    const r = parseExecutionReport(
      msg({ 35: '8' }, { 37: 'LP1', 17: 'E2', 11: 'c1', 55: 'EUR/USD', 54: '2', 150: 'F', 39: '1', 31: '1.08451', 32: '16666.66', 14: '16666.66', 151: '33333.34', 6: '1.08451', 60: '20260118-10:00:00.500' }),
    )!;
    expect(r).toMatchObject({ orderId: 'LP1', execId: 'E2', clOrdId: 'c1', side: 'SELL', kind: 'trade', terminal: false, possDup: false });
    expect(r.lastQty!.plus(r.leavesQty!).plus(r.cumQty!).toString()).toBe('66666.66');
    expect(r.lastPx!.toFixed(5)).toBe('1.08451');
    expect(r.transactTime).toBe(Date.UTC(2026, 0, 18, 10, 0, 0, 500));
    const rej = parseExecutionReport(msg({ 35: '8', 43: 'Y' }, { 37: 'NONE', 17: 'E3', 11: 'c2', 150: '8', 39: '8', 103: '1', 58: 'Unknown symbol' }))!;
    expect(rej).toMatchObject({ kind: 'rejected', terminal: true, possDup: true, ordRejReason: '1', text: 'Unknown symbol' });
  });

  it('maps symbols both ways', () => {
    const map = { 'XAU/USD': 'GOLD' };
    expect(platformSymbol('EUR/USD', map)).toBe('EURUSD');
    expect(platformSymbol('XAU/USD', map)).toBe('GOLD');
    expect(lpSymbolFor('GOLD', map, [])).toBe('XAU/USD');
    expect(lpSymbolFor('EURUSD', map, ['EUR/USD'])).toBe('EUR/USD');
    expect(lpSymbolFor('BTCUSD', map, ['EUR/USD'])).toBe('BTCUSD');
  });
});

describe('FIX LP without a usable session', () => {
  const base: FixLpConfig = {
    name: 'YOFX',
    settings: { host: '127.0.0.1', port: 9, senderCompId: 'B', targetCompId: 'L' },
    logger: silent,
  };

  it('is UNAVAILABLE with the loader reason when QuickFIX is missing, and start() does not throw', async () => {
    const lp = createFixLp({ ...base, loadQuickfix: () => ({ ok: false, reason: 'libquickfix-dev is not installed' }) });
    await expect(lp.start(() => {})).resolves.toBeUndefined();
    expect(lp.status()).toMatchObject({ name: 'YOFX', type: 'FIX', state: 'UNAVAILABLE', session: 'UNAVAILABLE' });
    expect(lp.status().reason).toContain('libquickfix-dev is not installed');
    const r = await lp.placeOrder({ clOrdId: 'c1', symbol: 'EURUSD', side: 'BUY', volume: '1' });
    expect(r).toMatchObject({ status: 'REJECTED', sent: false });
    await lp.stop();
    expect(lp.status().state).toBe('UNAVAILABLE');
  });

  it('is UNAVAILABLE when the configuration or a declared credential is missing', async () => {
    const ok = () => ({ ok: true as const, binding: {} as never });
    const noHost = createFixLp({ ...base, settings: { ...base.settings, host: '' }, loadQuickfix: ok });
    await noHost.start(() => {});
    expect(noHost.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'settings.host is not configured' });
    const noPass = createFixLp({ ...base, credentialEnv: { password: 'LP_TEST_PASSWORD' }, env: {}, loadQuickfix: ok });
    await noPass.start(() => {});
    expect(noPass.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'environment variable LP_TEST_PASSWORD (FIX password) is not set' });
  });
});

const loaded = loadQuickfix();
const title = loaded.ok ? 'FIX LP against the LP simulator' : `FIX LP against the LP simulator (skipped: ${loaded.reason})`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe.skipIf(!loaded.ok)(title, () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lp-fix-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  /** A simulator and an adapter with their own comp IDs (QuickFIX keeps one registry of sessions per process). */
  async function setup(opts: { password?: string; sim?: Partial<ConstructorParameters<typeof LpSimulator>[0]>; settings?: FixLpConfig['settings'] } = {}) {
    const id = ++n;
    const dir = path.join(root, `case-${id}`);
    const port = await freePort();
    const sender = `BROKER${id}`;
    const target = `LPSIM${id}`;
    const simOptions = {
      port,
      senderCompId: target,
      targetCompId: sender,
      username: 'broker-user',
      password: 's3cret',
      mdIntervalMs: 50,
      execDelayMs: 10,
      fileStorePath: path.join(dir, 'sim-store'),
      ...opts.sim,
    };
    let sim = new LpSimulator(simOptions);
    await sim.start();
    /** The LP restarts; `resetSeqNums`: with a fresh store (its sequence numbers back at 1). */
    const restartSim = async (o: { resetSeqNums?: boolean } = {}) => {
      await sim.stop({ force: true });
      if (o.resetSeqNums) rmSync(simOptions.fileStorePath, { recursive: true, force: true });
      sim = new LpSimulator(simOptions);
      await sim.start();
      return sim;
    };
    const quotes: RawQuote[] = [];
    const reports: FixExecutionReport[] = [];
    const config: FixLpConfig = {
      name: `FIXSIM${id}`,
      settings: {
        host: '127.0.0.1',
        port,
        senderCompId: sender,
        targetCompId: target,
        heartBtInt: 1,
        logonTimeoutMs: 1000,
        symbols: ['EUR/USD', 'USD/JPY'],
        fileStorePath: path.join(dir, 'lp-store'),
        backoff: { baseMs: 200, factor: 2, maxMs: 5000, jitter: 0 },
        ...opts.settings,
      },
      credentialEnv: { username: 'LP_FIX_USER', password: 'LP_FIX_PASSWORD' },
      env: { LP_FIX_USER: 'broker-user', LP_FIX_PASSWORD: opts.password ?? 's3cret' },
      symbolMap: { 'EUR/USD': 'EURUSD', 'GBP/USD': 'GBPUSD' },
      logger: silent,
      onExecutionReport: (r) => reports.push(r),
    };
    const adapters: FixLp[] = [];
    const make = () => {
      const lp = createFixLp(config);
      adapters.push(lp);
      return lp;
    };
    const lp = make();
    cleanups.push(async () => {
      // no Logout handshake (QuickFIX waits for the answer in whole seconds); the restart test logs out
      for (const a of adapters) await a.stop({ logout: false });
      await sim.stop({ force: true });
    });
    return { sim, lp, quotes, reports, make, restartSim, port, start: () => lp.start((q) => quotes.push(q)) };
  }

  it('logs on with 553/554, subscribes with 35=V and normalizes W/X into exact-decimal quotes', async () => {
    const { sim, lp, quotes, start } = await setup();
    // before the subscription the simulator's book has not moved: the snapshot carries these
    const eur = sim.quote('EUR/USD')!;
    const jpy = sim.quote('USD/JPY')!;
    const t0 = Date.now();
    await start();
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(sim.stats.logons).toBe(1);
    expect(sim.stats.marketDataRequests).toBe(1);
    const s = lp.status();
    expect(s).toMatchObject({ state: 'CONNECTED', reconnects: 0 });
    expect(s.connectedSince).toBeGreaterThanOrEqual(t0);

    await waitFor('incremental quotes for both symbols', () => quotes.filter((q) => q.symbol === 'USDJPY').length >= 3 && quotes.filter((q) => q.symbol === 'EURUSD').length >= 3);
    // the snapshot comes first: the simulator's starting book (mid 1.085, spread 0.0001 → 1.08495 / 1.08505)
    const firstEur = quotes.find((q) => q.symbol === 'EURUSD')!;
    expect(firstEur.bid).toBeInstanceOf(Decimal);
    expect(firstEur.bid.toString()).toBe('1.08495');
    expect(firstEur.ask.toString()).toBe('1.08505');
    expect(firstEur.bid.toString()).toBe(String(eur.bid));
    const firstJpy = quotes.find((q) => q.symbol === 'USDJPY')!;
    expect(firstJpy.bid.toString()).toBe(String(jpy.bid));
    expect(firstJpy.ask.toString()).toBe(String(jpy.ask));
    for (const q of quotes) {
      expect(['EURUSD', 'USDJPY']).toContain(q.symbol);
      expect(q.lp).toBe(lp.name);
      expect(q.ask.gt(q.bid)).toBe(true);
      // SendingTime has ms precision; receipt is after it (same clock)
      expect(q.receivedAt! - q.time).toBeGreaterThanOrEqual(-5);
      expect(q.receivedAt! - q.time).toBeLessThan(5000);
      // no binary-float artefacts survive: at most the simulator's digits
      expect(q.bid.decimalPlaces()).toBeLessThanOrEqual(q.symbol === 'USDJPY' ? 3 : 5);
    }
    const st = lp.status();
    expect(st.lastQuoteAt).not.toBeNull();
    expect(st.latencyMs).not.toBeNull();
    expect(st.seqNums!.nextSender).toBeGreaterThan(2);
    expect(lp.counts.snapshots).toBe(2);
  });

  it('records a MarketDataRequestReject (35=Y) and stays logged on', async () => {
    const { lp, quotes, start } = await setup({ settings: { symbols: ['NOPE/XXX'] } as FixLpConfig['settings'] });
    await start();
    await waitFor('35=Y recorded', () => lp.counts.mdRejects === 1);
    expect(lp.status()).toMatchObject({ state: 'CONNECTED', session: 'LOGGED_ON' });
    expect(lp.status().reason).toMatch(/MarketDataRequest .* rejected \(unknown symbol\): Unknown symbol: NOPE\/XXX/);
    expect(lp.status().recentErrors.at(-1)!.message).toContain('NOPE/XXX');
    expect(quotes).toHaveLength(0);
  });

  it('reports a rejected logon (wrong password) and keeps retrying with backoff', async () => {
    const { sim, lp, start } = await setup({ password: 'wrong' });
    await start();
    await waitFor('a rejected logon and a retry', () => sim.stats.rejectedLogons >= 1 && lp.status().failedAttempts! >= 1);
    const s = lp.status();
    // like a rejected API token elsewhere: a configuration problem for the dealer, while retries go on
    expect(['UNAVAILABLE', 'CONNECTING']).toContain(s.state);
    expect(s.recentErrors[0]!.message).toMatch(/^logon rejected by LP/);
    await waitFor('UNAVAILABLE between attempts', () => lp.status().state === 'UNAVAILABLE');
    expect(lp.status().reason).toMatch(/^logon rejected by LP/);
    expect(sim.stats.logons).toBe(0);
  });

  it('placeOrder: market fill, partial fills then fill (exact decimals), reject, timeout, not connected', async () => {
    const { sim, lp, reports, start } = await setup();
    const notYet = await lp.placeOrder({ clOrdId: 'early', symbol: 'EURUSD', side: 'BUY', volume: '1' });
    expect(notYet).toMatchObject({ status: 'REJECTED', sent: false });
    expect(notYet.text).toMatch(/not connected/);

    await start();
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');

    sim.setMode('fill');
    const ask = sim.quote('EUR/USD')!.ask;
    const fill = await lp.placeOrder({ clOrdId: 'ord-fill', symbol: 'EURUSD', side: 'BUY', volume: '1.5' });
    expect(fill).toMatchObject({ status: 'FILLED', sent: true, lpSymbol: 'EUR/USD', symbol: 'EURUSD', side: 'BUY', type: 'MARKET', reports: 2 });
    expect(fill.orderQty.toString()).toBe('150000');
    expect(fill.filledQty.toString()).toBe('150000');
    expect(fill.filledVolume.toString()).toBe('1.5');
    expect(fill.fills).toHaveLength(1);
    expect(fill.orderId).toMatch(/^LP/);
    // the simulator fills at its quote when the order arrives: within a few ticks of `ask`
    expect(Math.abs(fill.avgPrice!.toNumber() - ask)).toBeLessThan(0.001);
    expect(fill.avgPrice!.equals(fill.fills[0]!.price)).toBe(true);
    const mine = reports.filter((r) => r.clOrdId === 'ord-fill');
    expect(mine.map((r) => r.kind)).toEqual(['new', 'trade']);
    expect(mine[1]!.symbol).toBe('EURUSD');
    expect(mine[1]!.lastVolume!.toString()).toBe('1.5');

    // partial: 0.5 lot = 50000 units in three fills of 16666.66 / 16666.66 / 16666.68; an IOC LIMIT fills at the
    // market when the market is at or better than its limit (a SELL at or above 1.26)
    sim.setMode('partial', 'GBP/USD');
    const partial = await lp.placeOrder({ clOrdId: 'ord-partial', symbol: 'GBPUSD', side: 'SELL', volume: '0.5', type: 'LIMIT', price: '1.26', timeInForce: 'IOC' });
    expect(partial.status).toBe('FILLED');
    expect(partial.lpSymbol).toBe('GBP/USD');
    expect(partial.fills.map((f) => f.qty.toString())).toEqual(['16666.66', '16666.66', '16666.68']);
    expect(partial.fills.reduce((s, f) => s.plus(f.qty), new Decimal(0)).toString()).toBe('50000');
    expect(partial.filledQty.toString()).toBe('50000');
    expect(partial.filledVolume.toString()).toBe('0.5');
    expect(partial.avgPrice!.gte('1.26')).toBe(true);
    expect(partial.fills.every((f) => f.price.equals(partial.avgPrice!))).toBe(true);
    expect(partial.reports).toBe(4);
    expect(reports.filter((r) => r.clOrdId === 'ord-partial').map((r) => r.ordStatus)).toEqual(['0', '1', '1', '2']);

    // XAU/USD with its contract size from the order
    const gold = await lp.placeOrder({ clOrdId: 'ord-gold', symbol: 'XAU/USD', side: 'BUY', volume: '0.01', contractSize: 100 });
    expect(gold.status).toBe('FILLED');
    expect(gold.orderQty.toString()).toBe('1');

    sim.setMode('reject', 'USD/JPY');
    const rej = await lp.placeOrder({ clOrdId: 'ord-rej', symbol: 'USDJPY', side: 'BUY', volume: '0.1' });
    expect(rej).toMatchObject({ status: 'REJECTED', sent: true, rejectReason: '0', text: 'Rejected by LP simulator' });
    expect(rej.filledQty.toString()).toBe('0');
    expect(rej.avgPrice).toBeNull();
    const unknown = await lp.placeOrder({ clOrdId: 'ord-unknown', symbol: 'FOOBAR', side: 'BUY', volume: '1' });
    expect(unknown).toMatchObject({ status: 'REJECTED', sent: true, rejectReason: '1' });

    const dup = lp.placeOrder({ clOrdId: 'ord-slow', symbol: 'EURUSD', side: 'BUY', volume: '1', timeoutMs: 1 });
    const again = await lp.placeOrder({ clOrdId: 'ord-slow', symbol: 'EURUSD', side: 'BUY', volume: '1' });
    expect(again).toMatchObject({ status: 'REJECTED', sent: false });
    const slow = await dup;
    expect(slow.status).toBe('TIMEOUT');
    expect(slow.text).toMatch(/no terminal execution report within 1 ms/);

    const bad = await lp.placeOrder({ clOrdId: 'ord-bad', symbol: 'EURUSD', side: 'BUY', volume: '1', type: 'LIMIT' });
    expect(bad).toMatchObject({ status: 'REJECTED', sent: false });
    expect(lp.status().pendingOrders).toBe(0);
  });

  it('LP down → DISCONNECTED fast, reconnect attempts back off exponentially; LP up → re-subscribes, sequence numbers continue', async () => {
    const { sim, lp, quotes, start } = await setup();
    await start();
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');
    await waitFor('quotes', () => quotes.length >= 4);
    const before = lp.status().seqNums!;
    expect(before.nextSender).toBeGreaterThan(2);

    const downAt = Date.now();
    await sim.stop();
    // the simulator logs out; a silent drop would be caught by the TestRequest (1.2 × HeartBtInt + 1 s here)
    await waitFor('DISCONNECTED', () => lp.status().state === 'DISCONNECTED', 5000);
    expect(Date.now() - downAt).toBeLessThan(5000);
    // The first error after the stop is the disconnect; under load the first retry (200 ms) can already have
    // failed and replaced the current reason by the time this line runs.
    const firstError = lp.status().recentErrors!.find((e) => e.at >= downAt);
    expect(firstError?.message).toMatch(/logged out by LP|connection lost/);
    expect(lp.status().connectedSince).toBeNull();

    const attemptsBefore = lp.history.attempts.length;
    await waitFor('four reconnect delays', () => lp.history.retryDelaysMs.length >= 4, 30_000);
    // jitter 0: the delays double from the base, and the attempts (each refused or reset at once) spread out with them
    expect(lp.history.retryDelaysMs.slice(0, 4)).toEqual([200, 400, 800, 1600]);
    const attempts = lp.history.attempts.slice(attemptsBefore);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(400);
    expect(lp.status().state).not.toBe('CONNECTED');
    expect(lp.status().nextRetryAt === null || lp.status().nextRetryAt! >= downAt).toBe(true);
    // Failed attempts, not reconnects: none succeeded yet.
    expect(lp.status().failedAttempts).toBeGreaterThanOrEqual(4);
    const reconnects = lp.status().reconnects;

    await sim.start();
    const quotesBefore = quotes.length;
    await waitFor('SUBSCRIBED again', () => lp.status().session === 'SUBSCRIBED', 30_000);
    await waitFor('quotes flow again', () => quotes.length >= quotesBefore + 4);
    expect(sim.stats.logons).toBe(2);
    expect(lp.status().reconnects).toBe(reconnects + 1);
    // 2, or more when a 35=V lost to the resend gap fill was sent again
    expect(sim.stats.marketDataRequests).toBeGreaterThanOrEqual(2);
    const after = lp.status().seqNums!;
    // Logout, Logon and the new 35=V used the next numbers: nothing reset to 1
    expect(after.nextSender).toBeGreaterThan(before.nextSender + 1);
    expect(after.nextTarget).toBeGreaterThan(before.nextTarget);
    expect(sim.stats.lastLogonSeqNum).toBeGreaterThanOrEqual(before.nextSender);
    const r = await lp.placeOrder({ clOrdId: 'after-reconnect', symbol: 'EURUSD', side: 'BUY', volume: '0.01' });
    expect(r.status).toBe('FILLED');
  });

  it('a restarted adapter continues the sequence numbers from its file store', async () => {
    const { sim, lp, make } = await setup();
    await lp.start(() => {});
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');
    await lp.stop();
    expect(lp.status()).toMatchObject({ state: 'DISCONNECTED', session: 'STOPPED', reason: 'stopped' });
    const stored = lp.status().seqNums!;
    expect(stored.nextSender).toBeGreaterThan(3);

    const second = make();
    // read from the file store before any session exists
    expect(second.status().seqNums).toEqual(stored);
    const q: RawQuote[] = [];
    await second.start((x) => q.push(x));
    await waitFor('SUBSCRIBED', () => second.status().session === 'SUBSCRIBED');
    await waitFor('quotes', () => q.length >= 2);
    expect(sim.stats.logons).toBe(2);
    expect(sim.stats.lastLogonSeqNum).toBe(stored.nextSender);
  });

  it('reports a refused TCP connection as such (not "closed during logon"), with the reason while it retries', async () => {
    // A port nothing listens on (the simulator's own may still be closing).
    const port = await freePort();
    const { lp, start } = await setup({ settings: { port } as FixLpConfig['settings'] });
    await start();
    await waitFor('a refused attempt', () => lp.status().recentErrors.some((e) => e.message === `TCP connection to 127.0.0.1:${port} refused`));
    expect(lp.status().recentErrors.map((e) => e.message)).not.toContain('connection closed by the LP during logon');
    await waitFor('CONNECTING again', () => lp.status().session === 'CONNECTING');
    expect(lp.status().reason).toMatch(/^reconnecting \(after \d+ failed attempts?; last: TCP connection to 127\.0\.0\.1:\d+ refused\)$/);
  });

  it('after the LP resets its sequence numbers, reports the real cause, and the dealer’s reset action recovers the session', async () => {
    const { lp, quotes, restartSim, start } = await setup();
    await start();
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');
    await waitFor('quotes', () => quotes.length >= 2);
    const before = lp.status().seqNums!;
    expect(before.nextTarget).toBeGreaterThan(3);
    // The LP comes back with a fresh store: its Logon carries MsgSeqNum 1, below what this side expects.
    const sim = await restartSim({ resetSeqNums: true });
    await waitFor('a refused logon', () => lp.status().recentErrors.some((e) => /MsgSeqNum too low/.test(e.message)), 20_000);
    const failure = lp.status().recentErrors.find((e) => /MsgSeqNum too low/.test(e.message))!.message;
    expect(failure).toMatch(/^(logon failed: )?we logged out: MsgSeqNum too low, expecting \d+ but received 1 \(the LP restarted its sequence numbers below ours: a dealer can reset them\)$/);
    expect(lp.status().recentErrors.map((e) => e.message)).not.toContain('connection closed by the LP during logon');
    // It does not recover by itself…
    await new Promise((r) => setTimeout(r, 1000));
    expect(lp.status().session).not.toBe('SUBSCRIBED');
    // …the dealer resets the sequence numbers: both sides start again from 1 and quotes flow.
    const quotesBefore = quotes.length;
    const reset = await lp.resetSeqNums();
    expect(reset).toEqual({ nextSender: 1, nextTarget: 1 });
    await waitFor('SUBSCRIBED after the reset', () => lp.status().session === 'SUBSCRIBED', 20_000);
    await waitFor('quotes after the reset', () => quotes.length >= quotesBefore + 2);
    expect(sim.stats.logons).toBeGreaterThanOrEqual(1);
    expect(lp.status().recentErrors.at(-1)!.message).toBe('sequence numbers reset to 1 by a dealer');
  });

  it('logs out on a dealer’s action and stays down, saying so, until started again', async () => {
    const { sim, lp, quotes, start } = await setup();
    await start();
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');
    await lp.logout();
    expect(lp.status()).toMatchObject({ state: 'DISCONNECTED', session: 'STOPPED', reason: 'logged out by a dealer' });
    expect(sim.stats.logons).toBe(1);
    const n = quotes.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(quotes.length).toBe(n);
    await lp.start((q) => quotes.push(q));
    await waitFor('SUBSCRIBED again', () => lp.status().session === 'SUBSCRIBED');
  });

  it('never writes the logon password to fileLogPath, and logs the messages there with 554 masked', async () => {
    const logDir = path.join(root, `log-${n + 1}`);
    const { lp, start } = await setup({ settings: { fileLogPath: logDir } as FixLpConfig['settings'] });
    await start();
    await waitFor('SUBSCRIBED', () => lp.status().session === 'SUBSCRIBED');
    await new Promise((r) => setTimeout(r, 300));
    await lp.stop({ logout: false });
    const files = readdirSync(logDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(path.join(f.parentPath, f.name), 'utf8')).join('\n');
    expect(text).not.toContain('s3cret');
    expect(text).toMatch(/ out 8=FIX\.4\.4\|.*35=A\|/);
    expect(text).toMatch(/ in .*35=W\|/);
  });
});
