// Every figure explains itself, and the statement comes as the engine's own CSV and PDF (issue 15), at 1280 px
// and at 390 px. A fresh EUR account per width trades EURUSD while a dealer holds EURUSD with the manual LP's
// quote (it overrides the feed while fresh), so the books stand still and the page's breakdown must equal
// account.summary and account.positions exactly; then the statement on the page, and the CSV and the PDF saved
// through the browser's download, are checked against the ledger.
import { mkdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login, moneyText } from './browser.ts';

const { engineUrl, traderUrl } = inject('platform');
const SHOTS = new URL('../.test-results/screenshots/', import.meta.url).pathname;
let browser: Browser;
let admin: ReturnType<typeof engineClient>;
let holding: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  admin = engineClient(engineUrl, (await engineLogin(engineUrl, 'superadmin@broker.local')).token);
});
afterAll(async () => {
  if (holding) clearInterval(holding);
  await browser?.close();
});

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const out: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    out.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  return out.join('\n');
}

/** Keeps EURUSD at its current quote through the manual LP (re-pushed well inside its staleness window). */
async function holdEurusd() {
  const [q] = await admin.market.quotes.query({ symbols: ['EURUSD'] });
  const push = () => admin.admin.risk.pushQuote.mutate({ symbol: 'EURUSD', bid: q!.bid, ask: q!.ask });
  await push();
  holding = setInterval(() => void push().catch(() => undefined), 250);
  return q!;
}
function release() {
  if (holding) clearInterval(holding);
  holding = undefined;
}

/** This month in UTC, as the page's default period and the engine's file name have it. */
function thisMonth(now = new Date()) {
  return {
    from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

const sum = (xs: Decimal[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0));

const WIDTHS: { name: string; phone: boolean; context: BrowserContextOptions }[] = [
  { name: 'desktop', phone: false, context: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', phone: true, context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true } },
];

describe.each(WIDTHS)('figures and statement ($name)', ({ name, phone, context }) => {
  let page: Page;
  let client: ReturnType<typeof engineClient>;
  let accountId: number;
  let email: string;
  let password: string;
  const shot = (what: string) => page.screenshot({ path: `${SHOTS}${name}-${what}.png` });
  const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
  const dialog = () => page.getByTestId('breakdown');
  /** The breakdown shown for `figure`, as the page rendered it from account.explain. */
  async function shown(figure: string) {
    await page.locator(`[data-testid="breakdown-body"][data-figure="${figure}"]`).waitFor({ timeout: 15_000 });
    const value = await page.getByTestId('breakdown-value').getAttribute('data-value');
    const parts = await page
      .getByTestId('breakdown-part')
      .evaluateAll((els) => els.map((e) => ({ value: e.getAttribute('data-value')!, positionId: e.getAttribute('data-position-id') })));
    return { value: value!, parts };
  }

  beforeAll(async () => {
    email = `e2e-explain-${name}-${Date.now()}@broker.local`;
    const created = await admin.admin.accounts.create.mutate({
      email,
      name: `E2E ${name}`,
      currency: 'EUR',
      leverage: 100,
      marginMode: 'HEDGING',
      initialDeposit: '10000.00',
    });
    password = created.password!;
    accountId = created.account.id;
    client = engineClient(engineUrl, (await engineClient(engineUrl).auth.login.mutate({ email, password })).token);
    page = await (await browser.newContext({ ...context, acceptDownloads: true })).newPage();
  });
  afterAll(async () => {
    release();
    if (client)
      for (const p of await client.account.positions.query({ accountId }))
        await client.positions.close.mutate({ accountId, positionId: p.id });
  });

  it('a figure’s breakdown is the engine’s books: equity and its parts equal account.summary and the positions', async () => {
    const spec = await client.account.symbolSpec.query({ accountId, symbol: 'EURUSD' });
    expect(spec.staleAfterMs).toBeGreaterThan(1000);
    await holdEurusd();
    // One closed round trip (realized P&L and commissions in the ledger) and one position left open.
    const trip = await client.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2' });
    await client.positions.close.mutate({ accountId, positionId: trip.position!.id });
    const open = await client.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' });
    const positionId = open.position!.id;

    await login(page, traderUrl, email, password);
    await page.getByTestId(phone ? 'phone-panel' : 'desktop-grid').waitFor({ timeout: 30_000 });
    await expect.poll(() => text('account-balance').then(moneyText), { timeout: 15_000 }).toMatch(/^\d+\.\d{2}$/);

    // The equity figure is a button: the dialog shows the engine's value, and parts that add up to it.
    await page.getByTestId('explain-equity').click();
    const equity = await shown('equity');
    const summary = await client.account.summary.query({ accountId });
    const positions = await client.account.positions.query({ accountId });
    expect(equity.value).toBe(summary.equity.toString());
    expect(equity.parts.map((p) => p.positionId)).toEqual(positions.map((p) => p.id));
    for (const part of equity.parts) {
      const p = positions.find((x) => x.id === part.positionId)!;
      expect(part.value).toBe(p.unrealizedPnl.plus(p.swap).toString());
    }
    expect(summary.balance.plus(summary.credit).plus(sum(equity.parts.map((p) => new Decimal(p.value)))).toString()).toBe(equity.value);
    // A EUR account's USD P&L goes through EURUSD: the pair and the mid it read are on screen.
    expect(await text('breakdown-conversions')).toMatch(/USD → EUR \(inverse pair\): EURUSD mid \d\.\d+/);
    expect(await text('breakdown-formula')).toBe('balance + credit + Σ unrealized P&L + Σ accrued swap');
    const box = (await dialog().boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(phone ? 390 : 1280);
    await shot('breakdown-equity');

    // The other account figures are one tab away, each equal to the summary.
    for (const [figure, want] of [
      ['balance', summary.balance],
      ['margin', summary.margin],
      ['freeMargin', summary.freeMargin],
      ['marginLevel', summary.marginLevel],
    ] as const) {
      await page.getByTestId(`breakdown-tab-${figure}`).click();
      expect((await shown(figure)).value).toBe(want!.toString());
    }
    // Esc closes, and the focus is back on the figure it was opened from.
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('explain-equity');

    // A position's P&L, and from there its margin with the leverage line and its swap.
    if (phone) await page.getByTestId('phone-tab-positions').click();
    await page.getByTestId(`explain-positionPnl-${positionId}`).click();
    const pos = (await client.account.positions.query({ accountId })).find((p) => p.id === positionId)!;
    expect((await shown('positionPnl')).value).toBe(pos.unrealizedPnl.toString());
    await page.getByTestId('breakdown-tab-positionMargin').click();
    expect((await shown('positionMargin')).value).toBe(pos.margin.toString());
    expect(await text('breakdown-leverage')).toBe('EURUSD needs 3.33 %: 1:30.03 although the account is 1:100');
    await shot('breakdown-position-margin');
    await page.getByTestId('breakdown-tab-positionSwap').click();
    expect((await shown('positionSwap')).value).toBe(pos.swap.toString());
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    // From the keyboard alone: the swap cell is a button too, Enter opens it.
    await page.getByTestId(`explain-positionSwap-${positionId}`).focus();
    await page.keyboard.press('Enter');
    await shown('positionSwap');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    release();
  });

  it('shows the statement of this month and saves the engine’s CSV and PDF, matching the ledger', async () => {
    const period = thisMonth();
    const s = await client.account.statement.query({ accountId, ...period });
    const ledger = (await client.account.ledger.query({ accountId })).reverse();
    expect(s.lines.map((l) => l.id)).toEqual(ledger.map((l) => l.id));
    expect(ledger.length).toBeGreaterThanOrEqual(4);

    // The history tab's totals are the engine's (account.history), and so are its close reasons.
    const history = await client.account.history.query({ accountId, from: new Date(0), to: new Date(Date.now() + 60_000), limit: 1000 });
    await page.getByTestId('tab-history').click();
    await page.getByTestId('history-period-all').click();
    await expect.poll(() => text('history-total-deals'), { timeout: 10_000 }).toBe(String(history.totals.trades));
    expect(moneyText(await text('history-total-net'))).toBe(history.totals.net.toFixed(2));
    expect(moneyText(await text('history-total-commission'))).toBe(history.totals.commissions.toFixed(2));
    const closed = history.trades.find((t) => t.entry === 'CLOSE')!;
    expect(await page.getByTestId(`trade-reason-${closed.id}`).locator('[data-reason]').getAttribute('data-reason')).toBe(
      closed.closeReason,
    );

    await page.getByTestId('tab-statement').click();
    await page.getByTestId('statement-period-thisMonth').click();
    await page.getByTestId('statement-body').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('statement-body').getAttribute('data-lines')).toBe(String(ledger.length));
    expect(moneyText(await text('statement-opening'))).toBe(s.openingBalance.toFixed(2));
    expect(moneyText(await text('statement-closing'))).toBe(s.closingBalance.toFixed(2));
    expect(s.closingBalance.toString()).toBe((await client.account.summary.query({ accountId })).balance.toString());
    for (const l of ledger) {
      const row = page.getByTestId(`statement-line-${l.id}`);
      expect(await row.getAttribute('data-amount')).toBe(l.amount.toFixed(2));
      expect(await row.getAttribute('data-balance')).toBe(l.balanceAfter.toFixed(2));
    }
    for (const t of s.trades) await page.getByTestId(`statement-trade-${t.id}`).waitFor();
    expect(moneyText(await text('statement-commissions'))).toBe(s.summary.commissions.toFixed(2));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone ? 390 : 1280);
    await shot('statement');

    // The CSV, saved by the browser under the engine's name.
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const base = `statement-${s.accountNumber}-${day(period.from)}-${day(new Date(period.to.getTime() - 1))}`;
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-download-csv').click()]);
    expect(csvDl.suggestedFilename()).toBe(`${base}.csv`);
    const rows = parse(readFileSync((await csvDl.path())!, 'utf8'), { relax_column_count: true }) as string[][];
    for (const l of ledger)
      expect(rows.some((r) => r[1] === l.id && r[4] === l.amount.toFixed(2) && r[5] === l.balanceAfter.toFixed(2))).toBe(true);
    expect(rows.find((r) => r[0] === 'Opening balance')![1]).toBe(s.openingBalance.toFixed(2));
    expect(rows.find((r) => r[0] === 'Closing balance')![1]).toBe(s.closingBalance.toFixed(2));

    // The PDF: opened and its text read back.
    const [pdfDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-download-pdf').click()]);
    expect(pdfDl.suggestedFilename()).toBe(`${base}.pdf`);
    const bytes = new Uint8Array(readFileSync((await pdfDl.path())!));
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const pdf = await pdfText(bytes);
    expect(pdf).toContain(`Opening balance: ${s.openingBalance.toFixed(2)}`);
    expect(pdf).toContain(`Closing balance: ${s.closingBalance.toFixed(2)}`);
    expect(pdf).toContain(s.accountNumber);
    for (const l of ledger) {
      expect(pdf).toContain(l.amount.toFixed(2));
      expect(pdf).toContain(l.balanceAfter.toFixed(2));
    }

    // A custom period the engine would refuse is refused on the page, before asking.
    await page.getByTestId('statement-period-custom').click();
    await page.getByTestId('statement-from').fill('2026-12-10');
    await page.getByTestId('statement-to').fill('2026-12-01');
    expect(await text('statement-period-error')).toBe('The last day must not be before the first');
    await page.getByTestId('statement-period-thisMonth').click();
  });
});
