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

  it('shows credit in the trader\'s bar live, apart from the balance, and explains it', async () => {
    // A fresh account: credit on a seeded one would add a figure to other tests' bars.
    const staff = engineClient(engineUrl, (await engineLogin(engineUrl, 'admin@broker.local')).token);
    const email = `credit-${Date.now()}@example.com`;
    const created = await staff.admin.accounts.create.mutate({ email, name: 'Credit Client', initialDeposit: '1000' });
    const accountId = created.account.id;
    const trader = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await login(trader, traderUrl, email, created.password!);
    await trader.getByTestId('account-balance').waitFor({ timeout: 30_000 });
    await expect.poll(async () => moneyText(await trader.getByTestId('account-balance').textContent()), { timeout: 15_000 }).toBe('1000.00');
    // No credit, no credit figure (as MT5's terminal).
    expect(await trader.getByTestId('account-credit').count()).toBe(0);
    await staff.admin.finance.creditIn.mutate({ accountId, amount: '500', reason: 'introductory credit', clientNote: 'Trading credit' });
    await expect.poll(async () => moneyText(await trader.getByTestId('account-credit').first().textContent().catch(() => '')), { timeout: 15_000 }).toBe('500.00');
    expect(moneyText(await trader.getByTestId('account-balance').textContent())).toBe('1000.00');
    await expect.poll(async () => moneyText(await trader.getByTestId('account-equity').textContent()), { timeout: 15_000 }).toBe('1500.00');
    const shots = new URL('../.test-results/screenshots/', import.meta.url).pathname;
    await trader.screenshot({ path: `${shots}trader-credit-1280.png` });
    await trader.getByTestId('explain-equity').click();
    await expect.poll(async () => (await trader.getByTestId('breakdown-formula').first().textContent().catch(() => ''))?.trim(), { timeout: 15_000 }).toBe('balance + credit + Σ unrealized P&L + Σ accrued swap');
    await trader.screenshot({ path: `${shots}trader-credit-explain-1280.png` });
    // With credit the breakdown has a credit tab: the sum of the credit entries.
    await trader.getByTestId('breakdown-tab-credit').click();
    await expect.poll(async () => (await trader.getByTestId('breakdown-formula').first().textContent().catch(() => ''))?.trim(), { timeout: 15_000 }).toBe('Σ credit entries');
    await trader.keyboard.press('Escape');
    await trader.setViewportSize({ width: 390, height: 844 });
    await trader.getByTestId('account-credit').first().waitFor({ timeout: 15_000 });
    await trader.waitForTimeout(400);
    await trader.screenshot({ path: `${shots}trader-credit-390.png` });
  });

  it('refuses a trader on the back office login', async () => {
    const page = await (await browser.newContext()).newPage();
    await login(page, adminUrl, 'trader1@broker.local');
    await page.getByTestId('login-error').waitFor({ timeout: 15_000 });
    expect(page.url()).toContain('/login');
  });
});
