// Initiator <-> LP simulator on loopback, through the ported addon and Debian's QuickFIX 1.15.1.
// Skipped (with the reason) where the addon is unavailable.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FixInitiator,
  LpSimulator,
  loadQuickfix,
  marketDataRequest,
  msgType,
  newOrderSingle,
  parseExecutionReport,
  parseMarketData,
  parseMarketDataReject,
  type ExecutionReport,
  type ReceivedMessage,
} from '../src/index.js';
import { Inbox, freePort, tmpDir } from './helpers.js';

const loaded = loadQuickfix();
const title = loaded.ok ? 'FIX 4.4 loopback' : `FIX 4.4 loopback (skipped: ${loaded.reason})`;

describe.skipIf(!loaded.ok)(title, () => {
  const dir = tmpDir();
  let port: number;
  let sim: LpSimulator;
  let ini: FixInitiator;
  const inbox = new Inbox();
  const logouts: number[] = [];

  beforeAll(async () => {
    port = await freePort();
    sim = new LpSimulator({
      port,
      username: 'broker-user',
      password: 's3cret',
      mdIntervalMs: 50,
      execDelayMs: 10,
      fileStorePath: path.join(dir, 'sim-store'),
    });
    await sim.start();
    ini = new FixInitiator(
      {
        senderCompId: 'BROKER',
        targetCompId: 'LPSIM',
        port,
        heartBtInt: 5,
        reconnectInterval: 1,
        fileStorePath: path.join(dir, 'ini-store'),
        fileLogPath: path.join(dir, 'ini-log'),
        credentials: { username: 'broker-user', password: 's3cret' },
      },
      { fromApp: inbox.push, onLogout: () => logouts.push(Date.now()) },
    );
    await ini.start();
  });

  afterAll(async () => {
    await ini?.stop();
    await sim?.stop();
  });

  it('logs on with Username 553 / Password 554', async () => {
    await ini.waitForLogon(15_000);
    expect(ini.isLoggedOn).toBe(true);
    expect(sim.stats.logons).toBe(1);
    expect(sim.stats.rejectedLogons).toBe(0);
  });

  it('rejects a logon with a wrong password', async () => {
    const p = await freePort();
    const sim2 = new LpSimulator({ port: p, senderCompId: 'LPSIM2', targetCompId: 'BROKER2', username: 'u', password: 'right', fileStorePath: path.join(dir, 'sim2') });
    await sim2.start();
    const bad = new FixInitiator({
      senderCompId: 'BROKER2',
      targetCompId: 'LPSIM2',
      port: p,
      reconnectInterval: 30,
      fileStorePath: path.join(dir, 'bad'),
      credentials: { username: 'u', password: 'wrong' },
    });
    await bad.start();
    const deadline = Date.now() + 10_000;
    while (sim2.stats.rejectedLogons === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sim2.stats.rejectedLogons).toBeGreaterThanOrEqual(1);
    expect(bad.isLoggedOn).toBe(false);
    await bad.stop({ force: true });
    await sim2.stop();
  });

  it('35=V -> 35=W snapshot, then 35=X incremental refreshes parsed into typed quotes', async () => {
    const from = inbox.mark;
    ini.send(marketDataRequest({ mdReqId: 'md-1', symbols: ['EUR/USD', 'USD/JPY'] }));
    const snapshots = await inbox.waitForCount((m) => msgType(m) === 'W' && m.tags?.['262'] === 'md-1', 2, 10_000, from);
    const snapQuotes = snapshots.flatMap(parseMarketData);
    expect(snapQuotes.map((q) => q.symbol).sort()).toEqual(['EUR/USD', 'USD/JPY']);
    for (const q of snapQuotes) {
      expect(q.kind).toBe('snapshot');
      expect(q.bid).toBeTypeOf('number');
      expect(q.ask!).toBeGreaterThan(q.bid!);
      expect(q.bidSize).toBeGreaterThan(0);
    }
    // the raw repeating group as the addon delivers it
    expect(snapshots[0]!.groups?.['268']).toHaveLength(2);

    const incs = await inbox.waitForCount((m) => msgType(m) === 'X' && m.tags?.['262'] === 'md-1', 3, 10_000, from);
    const firstW = inbox.messages.indexOf(snapshots[0]!);
    expect(inbox.messages.indexOf(incs[0]!)).toBeGreaterThan(firstW);
    for (const m of incs) {
      expect(m.groups?.['268']).toHaveLength(4);
      const quotes = parseMarketData(m);
      expect(quotes.map((q) => q.symbol).sort()).toEqual(['EUR/USD', 'USD/JPY']);
      for (const q of quotes) {
        expect(q.kind).toBe('incremental');
        expect(q.ask!).toBeGreaterThan(q.bid!);
      }
    }
    ini.send(marketDataRequest({ mdReqId: 'md-1', symbols: ['EUR/USD', 'USD/JPY'], unsubscribe: true }));
  });

  it('answers an unknown symbol with MarketDataRequestReject 35=Y', async () => {
    const from = inbox.mark;
    ini.send(marketDataRequest({ mdReqId: 'md-bad', symbols: ['NOPE/XXX'] }));
    const y = await inbox.waitFor((m) => msgType(m) === 'Y', 10_000, from);
    expect(parseMarketDataReject(y)).toMatchObject({ mdReqId: 'md-bad', reason: '0' });
    expect(parseMarketDataReject(y)?.text).toContain('NOPE/XXX');
  });

  async function order(clOrdId: string, symbol: string, qty: number, finalStatuses = ['2', '8']): Promise<ExecutionReport[]> {
    const from = inbox.mark;
    ini.send(newOrderSingle({ clOrdId, symbol, side: 'buy', qty }));
    const isMine = (m: ReceivedMessage) => msgType(m) === '8' && m.tags?.['11'] === clOrdId;
    await inbox.waitFor((m) => isMine(m) && finalStatuses.includes(m.tags?.['39'] ?? ''), 10_000, from);
    return inbox.messages.slice(from).filter(isMine).map((m) => parseExecutionReport(m)!);
  }

  it('35=D -> 35=8 new + fill', async () => {
    sim.setMode('fill');
    const ask = sim.quote('EUR/USD')!.ask;
    const reports = await order('ord-fill', 'EUR/USD', 100_000);
    expect(reports.map((r) => r.execType)).toEqual(['new', 'fill']);
    const fill = reports[1]!;
    expect(fill).toMatchObject({ ordStatus: '2', execTypeCode: 'F', cumQty: 100_000, leavesQty: 0, lastQty: 100_000, symbol: 'EUR/USD', side: 'buy' });
    expect(fill.orderId).toMatch(/^LP/);
    expect(fill.execId).not.toBe(reports[0]!.execId);
    expect(fill.avgPx).toBeCloseTo(ask, 2);
    expect(fill.lastPx).toBe(fill.avgPx);
  });

  it('35=D -> 35=8 partial fills then fill', async () => {
    sim.setMode('partial', 'GBP/USD');
    const reports = await order('ord-partial', 'GBP/USD', 300_000);
    expect(reports.map((r) => r.execType)).toEqual(['new', 'partial', 'partial', 'fill']);
    expect(reports.map((r) => r.ordStatus)).toEqual(['0', '1', '1', '2']);
    expect(reports.map((r) => r.cumQty)).toEqual([0, 100_000, 200_000, 300_000]);
    expect(reports.map((r) => r.leavesQty)).toEqual([300_000, 200_000, 100_000, 0]);
    expect(reports.slice(1).reduce((s, r) => s + r.lastQty!, 0)).toBe(300_000);
  });

  it('35=D -> 35=8 reject (configured, and unknown symbol)', async () => {
    sim.setMode('reject', 'USD/JPY');
    const [rej] = await order('ord-rej', 'USD/JPY', 1000);
    expect(rej).toMatchObject({ execType: 'rejected', execTypeCode: '8', ordStatus: '8', cumQty: 0, leavesQty: 0, ordRejReason: '0' });
    expect(rej!.text).toBeTruthy();
    const [unknown] = await order('ord-unknown', 'FOO/BAR', 1000);
    expect(unknown).toMatchObject({ execType: 'rejected', ordRejReason: '1' });
  });

  it('acceptor stop -> initiator logout; restart -> reconnect with continuing sequence numbers', async () => {
    await ini.waitForLogon();
    const before = ini.seqNums()!;
    expect(before.nextSender).toBeGreaterThan(5);
    const logoutsBefore = logouts.length;

    await sim.stop();
    await ini.waitForLogout(10_000);
    expect(logouts.length).toBeGreaterThan(logoutsBefore);
    expect(ini.isLoggedOn).toBe(false);

    await sim.start();
    await ini.waitForLogon(20_000);
    const after = ini.seqNums()!;
    // the Logout and the new Logon used the next numbers: no reset to 1
    expect(after.nextSender).toBeGreaterThan(before.nextSender);
    expect(sim.stats.lastLogonSeqNum).toBeGreaterThan(before.nextSender - 1);
    expect(sim.stats.logons).toBe(2);

    // and the session works after the reconnect
    sim.setMode('fill');
    const reports = await order('ord-after', 'EUR/USD', 1000);
    expect(reports.at(-1)!.execType).toBe('fill');
  });
});
