// The terminal at 1280 × 800: every column of the positions and orders tables visible (none under the action
// buttons), nothing moving as prices tick, the pending-order confirmation on screen, SL/TP cleared after
// placing, the chart's indicators, the layout and the light theme remembered across a reload.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { engineClient, engineLogin, launchBrowser, login, moneyText } from './browser.ts';

const { engineUrl, traderUrl } = inject('platform');
const SHOTS = new URL('../.test-results/screenshots/', import.meta.url).pathname;
const EMAIL = 'trader1@broker.local';
let browser: Browser;
let page: Page;
let client: ReturnType<typeof engineClient>;
let accountId: number;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const api = await engineLogin(engineUrl, EMAIL);
  client = engineClient(engineUrl, api.token);
  accountId = api.accounts[0]!.id;
});
afterAll(async () => {
  // Leave the account as it was found for the other suites.
  if (client) {
    for (const p of await client.account.positions.query({ accountId })) await client.positions.close.mutate({ accountId, positionId: p.id });
    for (const o of await client.account.orders.query({ accountId })) await client.orders.cancel.mutate({ accountId, orderId: o.id });
  }
  await browser?.close();
});

const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png` });
const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

/** The table fits its panel, and no cell of the row lies under the sticky actions cell. */
async function columnsVisible(rowTestId: string) {
  return page.getByTestId(rowTestId).evaluate((row) => {
    const cells = [...row.children] as HTMLElement[];
    const actions = cells.at(-1)!.getBoundingClientRect();
    const scroller = row.closest('table')!.parentElement!;
    return {
      overflow: scroller.scrollWidth - scroller.clientWidth,
      hidden: cells.slice(0, -1).filter((c) => c.getBoundingClientRect().right > actions.left + 0.5).map((c) => c.textContent),
    };
  });
}

/** Where the panels and the table columns are: compared across ticks, nothing may move. */
const geometry = () =>
  page.evaluate(() => {
    const rect = (el: Element | null) => (el ? [el.getBoundingClientRect().x, el.getBoundingClientRect().width].map(Math.round).join(':') : '-');
    return {
      chart: rect(document.querySelector('[data-testid="chart"]')),
      ticket: rect(document.querySelector('[data-testid="ticket"]')),
      // Each figure's fixed box (its value grows and shrinks inside it as digits come and go: 999.99% → 1,000.01%).
      figures: [...document.querySelectorAll('[data-testid^="account-"]')].map((el) => rect(el.closest('.flex-col') ?? el)).join(' '),
      columns: [...document.querySelectorAll('[data-testid="positions-table"] th')].map(rect).join(' '),
    };
  });

describe('trader terminal at 1280 × 800', () => {
  it('shows every column of positions and orders, and nothing moves as prices tick', async () => {
    await login(page, traderUrl, EMAIL);
    await page.getByTestId('desktop-grid').waitFor({ timeout: 30_000 });
    await page.getByTestId('quote-bid-EURUSD').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    // The watchlist's four columns (with the specification button) fit its 16rem column.
    await expect
      .poll(() => page.getByTestId('watchlist-row-BTCUSD').evaluate((row) => row.closest('table')!.parentElement!.scrollWidth - row.closest('table')!.parentElement!.clientWidth))
      .toBe(0);

    // Two positions and a pending order with SL/TP, placed with one-click trading on.
    await page.getByTestId('ticket-one-click').check();
    await page.getByTestId('watchlist-row-EURUSD').click();
    await page.getByTestId('ticket-volume').fill('0.10');
    await page.getByTestId('ticket-buy').click();
    await expect.poll(() => text('ticket-result'), { timeout: 15_000 }).toMatch(/^Bought/);
    await page.getByTestId('watchlist-row-GBPUSD').click();
    await page.getByTestId('ticket-volume').fill('0.20');
    await page.getByTestId('ticket-sell').click();
    await expect.poll(() => text('ticket-result'), { timeout: 15_000 }).toMatch(/^Sold/);
    const positions = await client.account.positions.query({ accountId });
    expect(positions).toHaveLength(2);
    for (const p of positions) await page.getByTestId(`position-row-${p.id}`).waitFor({ timeout: 10_000 });

    // A BUY LIMIT with SL/TP: the confirmation is on screen at 800 px, and SL/TP are cleared for the next order.
    await page.getByTestId('watchlist-row-EURUSD').click();
    await page.getByTestId('ticket-type').selectOption('LIMIT');
    const price = Number(await page.getByTestId('ticket-price').inputValue());
    await page.getByTestId('ticket-sl').fill((price - 0.005).toFixed(5));
    await page.getByTestId('ticket-tp').fill((price + 0.005).toFixed(5));
    await page.getByTestId('ticket-place').click();
    const result = page.getByTestId('ticket-result');
    await expect.poll(() => text('ticket-result'), { timeout: 15_000 }).toMatch(/^BUY LIMIT #\d+ 0\.01 EURUSD @ \d\.\d{5} placed$/);
    const box = (await result.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect(await page.getByTestId('ticket-sl').inputValue()).toBe('');
    expect(await page.getByTestId('ticket-tp').inputValue()).toBe('');
    await shot('desktop-pending-placed');

    for (const p of positions) expect(await columnsVisible(`position-row-${p.id}`)).toEqual({ overflow: 0, hidden: [] });
    const start = await geometry();
    await page.waitForTimeout(4000);
    expect(await geometry()).toEqual(start);
    await shot('desktop-positions');

    await page.getByTestId('tab-orders').click();
    const [order] = await client.account.orders.query({ accountId });
    await page.getByTestId(`order-row-${order!.id}`).waitFor();
    expect(await columnsVisible(`order-row-${order!.id}`)).toEqual({ overflow: 0, hidden: [] });
    expect(await text(`order-sl-${order!.id}`)).toBe(order!.sl!.toFixed(5));
    await shot('desktop-orders');

    // The chart (EURUSD) draws the EURUSD position's entry (it has no SL/TP) and the BUY LIMIT's price; not GBPUSD's.
    await expect.poll(() => page.getByTestId('chart').getAttribute('data-price-lines'), { timeout: 10_000 }).toBe('2');
  });

  it('draws MA(20), MA(50), RSI(14) and MACD on every timeframe, and remembers the choice', async () => {
    for (const ind of ['ma20', 'ma50', 'rsi', 'macd'] as const) {
      const b = page.getByTestId(`chart-ind-${ind}`);
      if ((await b.getAttribute('aria-pressed')) !== 'true') await b.click();
    }
    const chart = page.getByTestId('chart');
    for (const tf of ['1m', '5m', '15m', '1h', '4h', '1d']) {
      await page.getByTestId(`chart-tf-${tf}`).click();
      await expect.poll(() => page.getByTestId('chart').getAttribute('data-bars'), { timeout: 15_000 }).toMatch(/^\d+$/);
      expect(await page.getByTestId(`chart-tf-${tf}`).getAttribute('aria-pressed')).toBe('true');
      const bars = Number(await chart.getAttribute('data-bars'));
      console.info(`chart ${tf}: ${bars} bars`);
      // Too little history for an indicator is said on the chart, not left as an empty pane.
      if (bars < 50) await expect.poll(() => text('chart-short-history')).toContain('MA 50 needs 50');
      else await expect.poll(() => page.getByTestId('chart-short-history').count()).toBe(0);
    }
    await page.getByTestId('chart-tf-1m').click();
    await expect.poll(() => chart.getAttribute('data-panes'), { timeout: 10_000 }).toBe('3');
    await expect.poll(() => chart.getAttribute('data-indicators')).toMatch(/^ma20:\d+ ma50:\d+ rsi:\d+ macd:\d+$/);
    await shot('desktop-chart-indicators');
    await page.reload();
    await page.getByTestId('desktop-grid').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('chart-ind-macd').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('ticket-one-click').isChecked()).toBe(true);
  });

  it('explains the symbol from the watchlist: contract, margin %, the leverage that applies and why', async () => {
    const spec = (await client.market.symbols.query()).find((x) => x.name === 'EURUSD')!;
    const account = (await engineLogin(engineUrl, EMAIL)).accounts[0]!;
    await page.getByTestId('watchlist-info-EURUSD').click();
    await page.getByTestId('symbol-spec').waitFor();
    const leverage = Decimal.min(account.leverage, new Decimal(100).div(spec.marginPercent));
    // The engine's account.symbolSpec says which leverage applies and when the symbol trades.
    const engineSpec = await client.account.symbolSpec.query({ accountId, symbol: 'EURUSD' });
    expect(engineSpec.effectiveLeverage.toString()).toBe(leverage.toDecimalPlaces(2).toString());
    await expect.poll(() => text('spec-effective-leverage'), { timeout: 10_000 }).toBe(`1:${leverage.toDecimalPlaces(2).toString()}`);
    expect(await text('spec-account-leverage')).toBe(`1:${account.leverage}`);
    expect(await text('spec-hours')).toContain('Mon–Thu 00:00–24:00');
    expect(await text('spec-triple-swap')).toBe('Wednesday');
    expect(await text('spec-margin-percent')).toBe(`${spec.marginPercent.toString()} % of notional`);
    // The margin for one lot is the engine's own figure.
    const preview = await client.risk.marginPreview.query({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '1' });
    await expect.poll(() => text('spec-margin-one-lot').then(moneyText), { timeout: 10_000 }).toMatch(/^\d+\.\d{2}$/);
    const shown = new Decimal(moneyText(await text('spec-margin-one-lot')));
    // Prices tick between the two reads: within 0.5 % of the engine's figure.
    expect(shown.minus(preview.margin).abs().lte(preview.margin.mul('0.005'))).toBe(true);
    expect(await text('spec-leverage-why')).toContain(`margined at 1:${leverage.toDecimalPlaces(2).toString()}`);
    await shot('desktop-symbol-spec');
    await page.keyboard.press('Escape');
  });

  it('has a light theme and a phone layout, both remembered', async () => {
    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-theme-light').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="ticket"]')!).backgroundColor);
    expect(bg).toBe('rgb(255, 255, 255)');
    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('tab-positions').click();
    await shot('desktop-light');
    await page.reload();
    await page.getByTestId('desktop-grid').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');

    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-layout').selectOption('phone');
    await page.getByTestId('phone-tab-trade').waitFor();
    await page.reload();
    await page.getByTestId('phone-tab-trade').waitFor({ timeout: 30_000 });
    // Back to the defaults for whoever logs in next in this browser.
    await page.evaluate(() => localStorage.clear());
  });

  it('lists the keyboard shortcuts on "?", and B then Enter buys', async () => {
    await page.reload();
    await page.getByTestId('desktop-grid').waitFor({ timeout: 30_000 });
    await page.getByTestId('quote-bid-EURUSD').waitFor({ timeout: 15_000 });
    await page.getByTestId('chart').click();
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-dialog').waitFor();
    await shot('desktop-shortcuts');
    await page.keyboard.press('Escape');
    const before = (await client.account.positions.query({ accountId })).length;
    await page.keyboard.press('b');
    await page.getByTestId('ticket-confirm').waitFor();
    // Enter confirms even when the focus has left the confirm button (a click on the chart).
    await page.getByTestId('chart').click();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await client.account.positions.query({ accountId })).length, { timeout: 15_000 }).toBe(before + 1);
  });
});
