// A demo trader logs in, sees prices move, buys 0.10 EURUSD, watches the P&L move, closes, and the balance
// changes by exactly commission + realized P&L; the ledger rows prove it.
import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login, moneyText } from './browser.ts';

const { engineUrl, traderUrl } = inject('platform');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
});

async function textOf(testId: string) {
  return (await page.getByTestId(testId).first().textContent())?.trim() ?? '';
}

async function waitForChange(testId: string, from: string, timeoutMs = 20_000) {
  await expect.poll(() => textOf(testId), { timeout: timeoutMs, interval: 100 }).not.toBe(from);
  return textOf(testId);
}

describe('trader journey', () => {
  it('logs in, trades 0.10 EURUSD and the books reconcile to the cent', async () => {
    const api = await engineLogin(engineUrl, 'trader1@broker.local');
    const client = engineClient(engineUrl, api.token);
    const accountId = api.accounts[0]!.id;
    const before = await client.account.summary.query({ accountId });

    await login(page, traderUrl, 'trader1@broker.local');
    await page.getByTestId('account-balance').waitFor({ timeout: 30_000 });
    await expect.poll(() => textOf('account-balance').then(moneyText), { timeout: 15_000 }).toBe(before.balance.toFixed(2));

    // Prices move.
    await page.getByTestId('quote-bid-EURUSD').waitFor();
    await expect.poll(() => textOf('quote-bid-EURUSD'), { timeout: 15_000 }).toMatch(/\d\.\d{5}/);
    const firstBid = await textOf('quote-bid-EURUSD');
    await waitForChange('quote-bid-EURUSD', firstBid);
    await page.screenshot({ path: new URL('../.test-results/screenshots/trader-terminal.png', import.meta.url).pathname });

    // Buy 0.10 EURUSD from the ticket.
    await page.getByTestId('watchlist-row-EURUSD').click();
    await page.getByTestId('ticket-volume').fill('0.10');
    await page.getByTestId('ticket-buy').click();
    // One-click trading is opt-in: the order waits for its confirmation.
    await page.getByTestId('ticket-confirm').click();
    const row = page.locator('[data-testid^="position-row-"]').first();
    await row.waitFor({ timeout: 15_000 });
    const positionId = (await row.getAttribute('data-testid'))!.replace('position-row-', '');
    const opened = (await client.account.positions.query({ accountId })).find((p) => p.id === positionId)!;
    expect(opened.symbol).toBe('EURUSD');
    expect(opened.volume.toString()).toBe('0.1');

    // The P&L moves with the market.
    const pnlId = `position-pnl-${positionId}`;
    const firstPnl = await textOf(pnlId);
    await waitForChange(pnlId, firstPnl, 30_000);
    await page.screenshot({ path: new URL('../.test-results/screenshots/trader-position.png', import.meta.url).pathname });

    // Close it.
    await page.getByTestId(`position-close-${positionId}`).click();
    await page.getByTestId(`position-row-${positionId}`).waitFor({ state: 'detached', timeout: 15_000 });

    const after = await client.account.summary.query({ accountId });
    const ledger = await client.account.ledger.query({ accountId, limit: 50 });
    const trades = await client.account.trades.query({ accountId, limit: 50 });
    const openTrade = trades.find((t) => t.positionId === positionId && t.entry === 'OPEN')!;
    const closeTrade = trades.find((t) => t.positionId === positionId && t.entry === 'CLOSE')!;
    const commission = ledger.find((l) => l.type === 'COMMISSION' && l.referenceId === openTrade.id)!;
    const realized = ledger.find((l) => l.type === 'REALIZED_PNL' && l.referenceId === closeTrade.id);
    expect(commission.amount.toFixed(2)).toBe('-0.70');
    const realizedAmount = realized ? realized.amount : new Decimal(0);
    expect(realizedAmount.toFixed(2)).toBe(closeTrade.realizedPnl!.toFixed(2));
    // The balance changed by exactly commission + realized P&L…
    expect(after.balance.minus(before.balance).toFixed(2)).toBe(commission.amount.plus(realizedAmount).toFixed(2));
    // …and the page shows it without a reload.
    await expect.poll(() => textOf('account-balance').then(moneyText), { timeout: 10_000 }).toBe(after.balance.toFixed(2));
    // Every ledger row chains: before + amount = after; the newest after is the balance.
    for (const l of ledger) expect(l.balanceBefore.plus(l.amount).eq(l.balanceAfter)).toBe(true);
    expect(ledger[0]!.balanceAfter.eq(after.balance)).toBe(true);
  });
});
