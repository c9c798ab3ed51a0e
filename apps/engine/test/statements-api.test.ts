// The terminal's explanations and statements through tRPC (issue 15): every figure's breakdown equals the
// books' figure and explains it (rule, inputs, conversion, leverage); the statement of a period from the
// ledger, as data, CSV and a PDF whose text is read back; history with filters and totals; the symbol spec.
import { Decimal } from 'decimal.js';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let admin: ReturnType<TestEngine['client']>;
beforeAll(async () => {
  t = await startTestEngine();
  admin = t.client((await t.login('admin@broker.local')).token);
});
afterAll(async () => {
  await t?.stop();
});

const d = (v: Decimal.Value) => new Decimal(v);

async function pdfText(base64: string): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(Buffer.from(base64, 'base64')), useSystemFonts: false, isEvalSupported: false }).promise;
  const out: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    out.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  return out.join('\n');
}

describe('figure breakdowns', () => {
  it('each figure of a EUR account with EURUSD and XAUUSD equals the summary and says how it was computed', async () => {
    t.quoteTo('EURUSD', '1.08000', '1.08010');
    t.quoteTo('XAUUSD', '2400.00', '2400.50');
    const { token, accountId } = await t.createTrader({ balance: '20000', currency: 'EUR' });
    const api = t.client(token);
    const eu = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.5' });
    await api.orders.market.mutate({ accountId, symbol: 'XAUUSD', side: 'SELL', volume: '0.2' });
    await api.orders.market.mutate({ accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.1' });
    t.quoteTo('EURUSD', '1.08200', '1.08210');
    const s = await api.account.summary.query({ accountId });
    const ex = (figure: 'balance' | 'equity' | 'margin' | 'freeMargin' | 'marginLevel') => api.account.explain.query({ accountId, figure });

    const balance = await ex('balance');
    expect(balance.value!.toString()).toBe(s.balance.toString());
    expect(balance.parts.reduce((x, p) => x.plus(p.value), d(0)).toString()).toBe(s.balance.toString());
    expect(balance.parts.map((p) => p.label).sort()).toEqual(['Commission', 'Deposit']);

    const equity = await ex('equity');
    expect(equity.value!.toString()).toBe(s.equity.toString());
    expect(s.balance.plus(equity.parts.reduce((x, p) => x.plus(p.value), d(0))).toString()).toBe(s.equity.toString());
    // USD P&L into EUR: through EURUSD, divided by its mid.
    expect(equity.conversions).toEqual([expect.objectContaining({ from: 'USD', to: 'EUR', how: 'inverse pair', steps: [expect.objectContaining({ symbol: 'EURUSD', use: 'divide' })] })]);
    const mid = equity.conversions[0]!.steps[0]!.mid;
    expect(equity.conversions[0]!.rate.toString()).toBe(d(1).div(mid).toString());

    const margin = await ex('margin');
    expect(margin.value!.toString()).toBe(s.margin.toString());
    expect(margin.parts.reduce((x, p) => x.plus(p.value), d(0)).toString()).toBe(s.margin.toString());
    const gold = margin.parts.find((p) => p.symbol === 'XAUUSD')!;
    expect(gold.detail).toContain('the larger of BUY legs');

    expect((await ex('freeMargin')).value!.toString()).toBe(s.freeMargin.toString());
    const level = await ex('marginLevel');
    expect(level.value!.toString()).toBe(s.marginLevel!.toString());
    expect(level.rule).toContain('100 %');

    const pos = (await api.account.positions.query({ accountId })).find((p) => p.id === eu.position!.id)!;
    const pnl = await api.account.explain.query({ accountId, figure: 'positionPnl', positionId: pos.id });
    expect(pnl.value!.toDecimalPlaces(2).toString()).toBe(pos.unrealizedPnl.toDecimalPlaces(2).toString());
    expect(pnl.inputs.find((i) => i.label === 'Bid now')!.value).toBe(pos.currentPrice!.toString());
    const pm = await api.account.explain.query({ accountId, figure: 'positionMargin', positionId: pos.id });
    expect(pm.value!.toString()).toBe(pos.margin.toString());
    // EURUSD needs 3.33 %: at 1:100 the symbol's margin decides, 1:30.03.
    expect(pm.leverage).toMatchObject({ account: 100, effective: 100, limitedBy: 'symbol margin percent' });
    expect(pm.leverage!.symbolLeverage.toString()).toBe('30.03');
    expect(pm.notes[0]).toContain('1:30.03');
    const sw = await api.account.explain.query({ accountId, figure: 'positionSwap', positionId: pos.id });
    expect(sw.value!.toString()).toBe(pos.swap.toString());

    expect(await errorCode(api.account.explain.query({ accountId, figure: 'positionPnl' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(api.account.explain.query({ accountId, figure: 'positionPnl', positionId: '999999999' }))).toBe('POSITION_NOT_FOUND');
  });
});

describe('statement', () => {
  it('opens and closes on the ledger, lists every line the client may see, and comes as CSV and as a PDF whose text matches', async () => {
    const { token, accountId } = await t.createTrader({ balance: '5000' });
    const api = t.client(token);
    // The period starts after the harness's funding entry.
    await new Promise((r) => setTimeout(r, 5));
    const from = new Date();
    await admin.admin.finance.deposit.mutate({ accountId, amount: '750.25', reference: 'SEPA-42', note: 'internal: VIP desk' });
    t.quoteTo('GBPUSD', '1.27000', '1.27010');
    const o = await api.orders.market.mutate({ accountId, symbol: 'GBPUSD', side: 'BUY', volume: '0.3' });
    t.quoteTo('GBPUSD', '1.27300', '1.27310');
    await api.positions.close.mutate({ accountId, positionId: o.position!.id });
    const to = new Date(Date.now() + 1000);
    const s = await api.account.statement.query({ accountId, from, to });
    const ledger = (await api.account.ledger.query({ accountId })).filter((l) => l.createdAt >= from).reverse();
    expect(s.openingBalance.toFixed(2)).toBe('5000.00');
    expect(s.lines.map((l) => [l.id, l.amount.toString()])).toEqual(ledger.map((l) => [l.id, l.amount.toString()]));
    expect(s.closingBalance.toString()).toBe((await api.account.summary.query({ accountId })).balance.toString());
    expect(s.summary.net.toString()).toBe(s.closingBalance.minus(s.openingBalance).toString());
    expect(s.summary.deposits.toFixed(2)).toBe('750.25');
    expect(s.summary.trades).toBe(2);
    expect(JSON.stringify(s)).not.toContain('VIP desk');
    expect(s.lines[0]!.description).toContain('SEPA-42');

    const csv = await api.account.statementFile.query({ accountId, from, to, format: 'csv' });
    expect(csv.filename).toMatch(/^statement-T-.+\.csv$/);
    const rows = parse(Buffer.from(csv.base64, 'base64').toString('utf8'), { relax_column_count: true }) as string[][];
    for (const l of s.lines) expect(rows.some((r) => r[1] === l.id && r[4] === l.amount.toFixed(2) && r[5] === l.balance.toFixed(2))).toBe(true);
    expect(rows.find((r) => r[0] === 'Closing balance')![1]).toBe(s.closingBalance.toFixed(2));

    const pdf = await api.account.statementFile.query({ accountId, from, to, format: 'pdf' });
    expect(pdf.contentType).toBe('application/pdf');
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.base64);
    expect(text).toContain(`Opening balance: ${s.openingBalance.toFixed(2)}`);
    expect(text).toContain(`Closing balance: ${s.closingBalance.toFixed(2)}`);
    for (const l of s.lines) {
      expect(text).toContain(l.amount.toFixed(2));
      expect(text).toContain(l.balance.toFixed(2));
    }
    expect(text).not.toContain('VIP desk');
  });

  it('a period with nothing in it opens and closes on the balance before it', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1234.56' });
    const later = new Date(Date.now() + 3_600_000);
    const s = await t.client(token).account.statement.query({ accountId, from: later, to: new Date(later.getTime() + 86_400_000) });
    expect([s.openingBalance.toFixed(2), s.closingBalance.toFixed(2), s.lines.length]).toEqual(['1234.56', '1234.56', 0]);
  });
});

describe('history and symbol spec', () => {
  it('filters trades by period and symbol and totals them; the venue and close reason come from the engine', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const api = t.client(token);
    t.quoteTo('EURUSD', '1.08000', '1.08010');
    t.quoteTo('USDJPY', '150.000', '150.010');
    const from = new Date(Date.now() - 1000);
    const a = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2' });
    await api.positions.close.mutate({ accountId, positionId: a.position!.id, volume: '0.1' });
    await api.orders.market.mutate({ accountId, symbol: 'USDJPY', side: 'SELL', volume: '0.1' });
    const to = new Date(Date.now() + 1000);
    const all = await api.account.history.query({ accountId, from, to });
    expect(all.totals.trades).toBe(3);
    const eur = await api.account.history.query({ accountId, from, to, symbol: 'EURUSD' });
    expect(eur.trades.map((x) => [x.entry, x.closeReason, x.venue])).toEqual([
      ['CLOSE', 'PARTIAL', 'BBOOK'],
      ['OPEN', null, 'BBOOK'],
    ]);
    expect(eur.totals.volumeLots.toString()).toBe('0.3');
    expect(eur.totals.net.toString()).toBe(eur.totals.realizedPnl.plus(eur.totals.swaps).minus(eur.totals.commissions).toString());
  });

  it('gives the symbol specification with the leverage this account gets on it', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000', leverage: 20 });
    const spec = await t.client(token).account.symbolSpec.query({ accountId, symbol: 'EURUSD' });
    expect(spec).toMatchObject({ name: 'EURUSD', quoteCurrency: 'USD', accountLeverage: 20, tripleSwapDay: 'WEDNESDAY' });
    // 1:20 is below the symbol's 1:30: the account's leverage decides.
    expect(spec.effectiveLeverage.toString()).toBe('20');
    expect(spec.tradingHours.length).toBeGreaterThan(0);
    expect(await errorCode(t.client(token).account.symbolSpec.query({ accountId, symbol: 'NOPE' }))).toBe('UNKNOWN_SYMBOL');
  });
});
