// An admin logs into admin-web and books a deposit; the trader's open page shows the new balance without a reload.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login, moneyText } from './browser.ts';

const { engineUrl, traderUrl, adminUrl } = inject('platform');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('admin deposit', () => {
  it('books a deposit in admin-web after its confirmation and the trader page shows the new balance live', async () => {
    const api = await engineLogin(engineUrl, 'trader2@broker.local');
    const account = api.accounts[0]!;
    const before = await engineClient(engineUrl, api.token).account.summary.query({ accountId: account.id });

    // The trader's terminal, open in its own browser context.
    const trader = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await login(trader, traderUrl, 'trader2@broker.local');
    await trader.getByTestId('account-balance').waitFor({ timeout: 30_000 });
    const balanceText = async () => moneyText(await trader.getByTestId('account-balance').textContent());
    await expect.poll(balanceText, { timeout: 15_000 }).toBe(before.balance.toFixed(2));

    // The admin, in another.
    const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await login(admin, adminUrl, 'admin@broker.local');
    await admin.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    await admin.goto(`${adminUrl}/money`);
    await admin.getByTestId('deposit-account-search').fill(account.accountNumber);
    await expect.poll(async () => admin.locator('[data-testid="deposit-account"] option').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await admin.getByTestId('deposit-account').selectOption(String(account.id));
    await admin.getByTestId('deposit-amount').fill('1234.56');
    await admin.getByTestId('deposit-reference').fill('E2E-WIRE-1');
    await admin.getByTestId('deposit-submit').click();
    // The confirmation step: the amount in words and the account, before anything is booked.
    expect(await admin.getByTestId('deposit-confirm-words').textContent()).toBe('One Thousand Two Hundred Thirty Four US Dollars And Fifty Six Cents');
    expect(moneyText(await trader.getByTestId('account-balance').textContent())).toBe(before.balance.toFixed(2));
    await admin.getByTestId('deposit-confirm-submit').click();
    await admin.getByTestId('deposit-result').waitFor({ timeout: 15_000 });
    const expected = before.balance.plus('1234.56').toFixed(2);
    await admin.screenshot({ path: new URL('../.test-results/admin-deposit.png', import.meta.url).pathname });

    // No reload: the socket's account_update moves the number.
    await expect.poll(balanceText, { timeout: 10_000 }).toBe(expected);
    await admin.goto(`${adminUrl}/accounts`);
    await expect.poll(async () => moneyText(await admin.getByTestId(`account-balance-${account.accountNumber}`).textContent()), { timeout: 15_000 }).toBe(expected);

    const ledger = await engineClient(engineUrl, api.token).account.ledger.query({ accountId: account.id, limit: 5 });
    expect(ledger[0]).toMatchObject({ type: 'DEPOSIT', method: 'BANK_TRANSFER' });
    expect(ledger[0]!.amount.toFixed(2)).toBe('1234.56');
    expect(ledger[0]!.balanceAfter.toFixed(2)).toBe(expected);
  });

  it('refuses a trader on the back office login', async () => {
    const page = await (await browser.newContext()).newPage();
    await login(page, adminUrl, 'trader1@broker.local');
    await page.getByTestId('login-error').waitFor({ timeout: 15_000 });
    expect(page.url()).toContain('/login');
  });
});
