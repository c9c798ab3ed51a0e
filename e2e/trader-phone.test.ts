// The whole trader journey at phone width (390 × 844): the page fits the screen, every action is one tab away,
// the ticket checks as the trader types, the chart draws its indicators and the position's lines, and a
// position is opened, modified (SL/TP) and closed with the books reconciling.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login, moneyText } from './browser.ts';

const { engineUrl, traderUrl } = inject('platform');
const SHOTS = new URL('../.test-results/screenshots/', import.meta.url).pathname;
const EMAIL = 'trader2@broker.local';
let browser: Browser;
let page: Page;
let client: ReturnType<typeof engineClient>;
let accountId: number;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true })).newPage();
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
const tab = (t: 'watch' | 'chart' | 'trade' | 'positions') => page.getByTestId(`phone-tab-${t}`).click();
/** Nothing wider than the screen: no sideways scrolling of the page. */
const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

describe('trader terminal at 390 px', () => {
  it('fits the phone and puts every panel one tab away', async () => {
    await login(page, traderUrl, EMAIL);
    await page.getByTestId('phone-tab-trade').waitFor({ timeout: 30_000 });
    await expect.poll(() => text('account-balance').then(moneyText), { timeout: 15_000 }).toMatch(/^\d+\.\d{2}$/);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    for (const t of ['watch', 'chart', 'positions', 'trade'] as const) {
      await tab(t);
      expect(await page.getByTestId('phone-panel').getAttribute('data-tab')).toBe(t);
      expect(await pageWidth()).toBeLessThanOrEqual(390);
    }
    await tab('watch');
    await page.getByTestId('quote-bid-EURUSD').waitFor({ timeout: 15_000 });
    await shot('phone-watchlist');
    // The symbol specification is one tap away and fits the screen.
    await page.getByTestId('watchlist-info-EURUSD').click();
    const spec = page.getByTestId('symbol-spec');
    await spec.waitFor();
    const box = (await spec.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await expect.poll(() => text('spec-margin-one-lot')).toMatch(/\d/);
    await shot('phone-symbol-spec');
    await page.keyboard.press('Escape');
    // Choosing a symbol in the watchlist goes to the ticket.
    await page.getByTestId('watchlist-row-EURUSD').click();
    expect(await page.getByTestId('phone-panel').getAttribute('data-tab')).toBe('trade');
    await shot('phone-ticket');
  });

  it('checks the ticket as the trader types, in words next to the field', async () => {
    const spec = (await client.market.symbols.query()).find((s) => s.name === 'EURUSD')!;
    const volume = page.getByTestId('ticket-volume');
    await volume.fill('100000');
    await expect.poll(() => text('ticket-volume-error')).toBe(`At most ${spec.maxVolume.toString()} lots per order on EURUSD`);
    await volume.fill('0.001');
    await expect.poll(() => text('ticket-volume-error')).toBe(`The smallest volume for EURUSD is ${spec.minVolume.toString()} lots`);
    await volume.fill('0.015');
    await expect.poll(() => text('ticket-volume-error')).toBe(`Volume goes in steps of ${spec.volumeStep.toString()} lots`);
    // Within the symbol's limits but beyond the free margin: the largest volume, not a negative margin level.
    await volume.fill(spec.maxVolume.toString());
    await expect.poll(() => text('ticket-volume-error'), { timeout: 10_000 }).toMatch(/^Free margin allows at most \d+\.\d{2} lots$/);
    expect(await text('ticket-margin-level-after')).toBe('—');
    const max = (await text('ticket-volume-error')).match(/(\d+\.\d{2})/)![1]!;
    await shot('phone-ticket-max-volume');
    await page.getByTestId('ticket-use-max').click();
    expect(await volume.inputValue()).toBe(max);
    await expect.poll(() => page.getByTestId('ticket-volume-error').count()).toBe(0);
    // The engine agrees: its preview of that volume leaves free margin >= 0.
    const preview = await client.risk.marginPreview.query({ accountId, symbol: 'EURUSD', side: 'BUY', volume: max });
    expect(preview.freeMarginAfter.isNegative()).toBe(false);

    // A stop in junk is said as such; a stop that suits one side only says which.
    await volume.fill('0.10');
    await page.getByTestId('ticket-sl').fill('1,08');
    await expect.poll(() => page.locator('[data-testid="ticket-sl"] ~ p[role="alert"]').textContent()).toBe('Stop loss must be a number like 1.2345');
    await page.getByTestId('ticket-sl').fill('0.5');
    await expect.poll(() => page.locator('[data-testid="ticket-sl"] ~ p').textContent()).toBe('For a BUY only');
    expect(await page.getByTestId('ticket-sell').getAttribute('data-blocked')).toBe('true');
    // Clicking the side it does not suit shows why, next to the field, and sends nothing.
    await page.getByTestId('ticket-sell').click();
    await expect.poll(() => page.locator('[data-testid="ticket-sl"] ~ p[role="alert"]').textContent()).toMatch(/^For a SELL the stop loss must be above \d\.\d{5}$/);
    expect(await page.getByTestId('ticket-confirm-box').count()).toBe(0);
    await shot('phone-ticket-validation');
    await page.getByTestId('ticket-sl').fill('');

    // A pending order through the market: the engine's rule, before sending.
    await page.getByTestId('ticket-type').selectOption('LIMIT');
    const ask = (await client.market.quotes.query({ symbols: ['EURUSD'] }))[0]!.ask;
    await page.getByTestId('ticket-price').fill(ask.plus('0.01').toFixed(5));
    await expect.poll(() => page.locator('[data-testid="ticket-price"] ~ p[role="alert"]').textContent()).toMatch(/^A BUY LIMIT must be below the ask \d\.\d{5}$/);
    await page.getByTestId('ticket-type').selectOption('MARKET');
  });

  it('opens a position, modifies its SL/TP and closes it, all at phone width', async () => {
    const before = await client.account.summary.query({ accountId });
    await page.getByTestId('ticket-volume').fill('0.10');
    await page.getByTestId('ticket-buy').click();
    // One-click trading is off by default: the order waits for a confirmation.
    await page.getByTestId('ticket-confirm').click();
    await expect.poll(() => text('ticket-result'), { timeout: 15_000 }).toMatch(/^Bought 0\.10 EURUSD @ \d\.\d{5}$/);
    const [position] = await client.account.positions.query({ accountId });
    expect(position?.symbol).toBe('EURUSD');
    const id = position!.id;

    await tab('positions');
    await page.getByTestId(`position-row-${id}`).waitFor({ timeout: 15_000 });
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await shot('phone-positions');

    // Modify: SL 50 pips below and TP 50 pips above the open price.
    const sl = position!.openPrice.minus('0.0050').toFixed(5);
    const tp = position!.openPrice.plus('0.0050').toFixed(5);
    await page.getByTestId(`position-modify-${id}`).click();
    await page.getByTestId('position-modal').waitFor();
    const box = await page.getByTestId('position-modal').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.getByTestId('modify-sl').fill(sl);
    await page.getByTestId('modify-tp').fill(tp);
    await shot('phone-modify');
    await page.getByTestId('modify-save').click();
    await expect.poll(() => text(`position-sl-${id}`), { timeout: 10_000 }).toBe(sl);
    expect(await text(`position-tp-${id}`)).toBe(tp);
    const modified = (await client.account.positions.query({ accountId })).find((p) => p.id === id)!;
    expect([modified.sl?.toFixed(5), modified.tp?.toFixed(5)]).toEqual([sl, tp]);
    await page.keyboard.press('Escape');

    // The chart draws MA, RSI and MACD, and the position's entry, SL and TP lines.
    await tab('chart');
    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-bars'), { timeout: 15_000 }).toMatch(/^\d+$/);
    for (const ind of ['rsi', 'macd'] as const) {
      if ((await page.getByTestId(`chart-ind-${ind}`).getAttribute('aria-pressed')) !== 'true') await page.getByTestId(`chart-ind-${ind}`).click();
    }
    await expect.poll(() => chart.getAttribute('data-panes')).toBe('3');
    await expect.poll(() => chart.getAttribute('data-price-lines'), { timeout: 10_000 }).toBe('3');
    const drawn = (await chart.getAttribute('data-indicators')) ?? '';
    expect(drawn).toMatch(/ma20:\d+/);
    expect(drawn).toMatch(/rsi:\d+/);
    expect(drawn).toMatch(/macd:\d+/);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await shot('phone-chart');

    // Close it from the phone.
    await tab('positions');
    await page.getByTestId(`position-close-${id}`).click();
    await page.getByTestId(`position-row-${id}`).waitFor({ state: 'detached', timeout: 15_000 });
    const after = await client.account.summary.query({ accountId });
    const trades = await client.account.trades.query({ accountId, limit: 20 });
    const closeTrade = trades.find((t) => t.positionId === id && t.entry === 'CLOSE')!;
    const openTrade = trades.find((t) => t.positionId === id && t.entry === 'OPEN')!;
    // The balance moved by exactly the ledger rows of the two deals (commission, realized P&L, swap).
    const ledger = await client.account.ledger.query({ accountId, limit: 20 });
    const booked = ledger.filter((l) => l.referenceId === openTrade.id || l.referenceId === closeTrade.id);
    expect(booked.map((l) => l.type).sort()).toContain('COMMISSION');
    expect(after.balance.minus(before.balance).toFixed(2)).toBe(booked.reduce((a, l) => a.plus(l.amount), before.balance.minus(before.balance)).toFixed(2));
    await expect.poll(() => text('account-balance').then(moneyText), { timeout: 10_000 }).toBe(after.balance.toFixed(2));

    // History: the close reason from the engine, and totals for the period.
    await page.getByTestId('tab-history').click();
    await page.getByTestId(`trade-row-${closeTrade.id}`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`trade-reason-${closeTrade.id}`).locator('[data-reason]').getAttribute('data-reason')).toBe(closeTrade.closeReason);
    await page.getByTestId('history-period-today').click();
    await page.getByTestId('history-symbol').selectOption('EURUSD');
    await expect.poll(() => text('history-total-deals')).toMatch(/^\d+$/);
    // The account's only deals today are this round trip: the net total is what the ledger booked for it.
    expect(await text('history-total-deals')).toBe('2');
    const net = booked.reduce((a, l) => a.plus(l.amount), before.balance.minus(before.balance));
    expect(moneyText(await text('history-total-net'))).toBe(net.toFixed(2));
    await shot('phone-history');
  });

  it('places, modifies and cancels a pending order at phone width, and switches to the light theme', async () => {
    await tab('trade');
    await page.getByTestId('ticket-type').selectOption('LIMIT');
    const price = await page.getByTestId('ticket-price').inputValue();
    await page.getByTestId('ticket-place').click();
    await page.getByTestId('ticket-confirm').click();
    const result = page.getByTestId('ticket-result');
    await expect.poll(() => text('ticket-result'), { timeout: 15_000 }).toMatch(/^BUY LIMIT #\d+ 0\.01 EURUSD @ \d\.\d{5} placed$/);
    // The confirmation is on screen (above the tab bar), not below the fold.
    const box = (await result.boundingBox())!;
    const bar = (await page.getByTestId('phone-tab-trade').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(bar.y);
    await shot('phone-pending-placed');

    const [order] = await client.account.orders.query({ accountId });
    expect(order!.price.toFixed(5)).toBe(price);
    await tab('positions');
    await page.getByTestId('tab-orders').click();
    await page.getByTestId(`order-row-${order!.id}`).waitFor({ timeout: 10_000 });
    const lower = order!.price.minus('0.0010').toFixed(5);
    await page.getByTestId(`order-modify-${order!.id}`).click();
    await page.getByTestId('modify-price').fill(lower);
    await page.getByTestId('modify-save').click();
    await expect.poll(() => text(`order-price-${order!.id}`), { timeout: 10_000 }).toBe(lower);
    expect((await client.account.orders.query({ accountId }))[0]!.price.toFixed(5)).toBe(lower);
    await shot('phone-orders');
    await page.getByTestId(`order-cancel-${order!.id}`).click();
    await page.getByTestId(`order-row-${order!.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await client.account.orders.query({ accountId })).toEqual([]);

    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-theme-light').click();
    await page.getByTestId('settings-toggle').click();
    await tab('trade');
    await shot('phone-light');
    await page.evaluate(() => localStorage.clear());
  });
});
