// The back office end to end (issue 14): a dealer creates an account, deposits with the confirmation (a typo
// of 1e9 is refused next to the field; a mistaken deposit is reversed), the trader trades, the dealer sees the
// exposure move, a withdrawal is approved and the ledger shows it. Screenshots of every page at 1280 and 390 px.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login, moneyText } from './browser.ts';

const { engineUrl, adminUrl } = inject('platform');
const SHOTS = new URL('../.test-results/screenshots/', import.meta.url).pathname;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page as it is, at 1280 px and at 390 px (phone), then back to 1280. */
async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}${name}-390.png`, fullPage: true });
  // Nothing may push the page wider than the phone: tables scroll inside their cards.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} is wider than 390 px`).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function staffPage(email: string) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await login(page, adminUrl, email);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
  return page;
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

describe('back office', () => {
  it('creates an account, deposits with confirmation, sees the trade in the exposure, approves a withdrawal and reverses a typo', async () => {
    const page = await staffPage('admin@broker.local');
    await page.getByTestId('dash-today').waitFor({ timeout: 30_000 });
    await expect.poll(() => text(page, 'health-engine'), { timeout: 15_000 }).toMatch(/Operational|Degraded/);
    await shoot(page, 'dashboard-morning');

    // Create an account: the generated password is shown once.
    const email = `bo-${Date.now()}@example.com`;
    await page.goto(`${adminUrl}/accounts`);
    await page.getByTestId('account-create').click();
    await page.getByTestId('create-email').fill('not-an-email');
    await page.getByTestId('create-name').fill('E2E Client');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('create-email-error').waitFor();
    await page.getByTestId('create-email').fill(email);
    await page.getByTestId('create-type-LIVE').check();
    await page.getByTestId('create-leverage').selectOption('100');
    await shoot(page, 'account-create');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('create-result').waitFor({ timeout: 15_000 });
    const password = await text(page, 'created-password');
    const accountNumber = await text(page, 'created-account-number');
    expect(password.length).toBeGreaterThanOrEqual(8);
    await shoot(page, 'account-created');
    await page.getByTestId('created-open').click();
    await page.waitForURL(/\/accounts\/\d+$/);
    const accountId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.goto(`${adminUrl}/accounts`);
    await page.getByTestId('accounts-search').fill(accountNumber);
    await page.getByTestId(`account-row-${accountNumber}`).waitFor({ timeout: 15_000 });
    await shoot(page, 'accounts');

    // Money: 1e9 reads "One Billion" at the confirmation and the engine's limit shows under the amount.
    await page.goto(`${adminUrl}/money`);
    await page.getByTestId('deposit-account-search').fill(accountNumber);
    await expect.poll(async () => page.locator('[data-testid="deposit-account"] option').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await page.getByTestId('deposit-account').selectOption(String(accountId));
    await page.getByTestId('deposit-amount').fill('1e9');
    await page.getByTestId('deposit-submit').click();
    expect(await text(page, 'deposit-confirm-words')).toBe('One Billion US Dollars');
    await page.getByTestId('deposit-confirm-submit').click();
    await page.getByTestId('deposit-amount-error').waitFor({ timeout: 15_000 });
    expect(await text(page, 'deposit-amount-error')).toMatch(/At most 1000000\.00 in one operation/);

    await page.getByTestId('deposit-amount').fill('5000');
    await page.getByTestId('deposit-reference').fill('E2E-WIRE-5000');
    await page.getByTestId('deposit-note').fill('first funding, checked with compliance');
    await page.getByTestId('deposit-submit').click();
    expect(await text(page, 'deposit-confirm-words')).toBe('Five Thousand US Dollars');
    await shoot(page, 'money-confirm');
    await page.getByTestId('deposit-confirm-submit').click();
    await page.getByTestId('deposit-result').waitFor({ timeout: 15_000 });
    expect(moneyText(await text(page, 'deposit-new-balance'))).toBe('5000.00');

    // A typo: 500 booked for 50. Reversed from the account page by a linked entry.
    await page.getByTestId('deposit-amount').fill('500');
    await page.getByTestId('deposit-submit').click();
    await page.getByTestId('deposit-confirm-submit').click();
    await expect.poll(async () => moneyText(await text(page, 'deposit-new-balance')), { timeout: 15_000 }).toBe('5500.00');

    await page.goto(`${adminUrl}/accounts/${accountId}`);
    await page.getByTestId('tab-ledger').click();
    const typo = page.locator('[data-testid^="ledger-row-"][data-type="DEPOSIT"]').first();
    await typo.waitFor({ timeout: 15_000 });
    const typoId = (await typo.getAttribute('data-testid'))!.replace('ledger-row-', '');
    expect(moneyText(await text(page, `ledger-amount-${typoId}`))).toBe('500.00');
    await page.getByTestId(`ledger-reverse-${typoId}`).click();
    await page.getByTestId('reverse-submit').click();
    await page.getByTestId('reverse-reason-error').waitFor();
    await page.getByTestId('reverse-reason').fill('typo: client sent 50, not 500');
    await page.getByTestId('reverse-submit').click();
    await page.getByTestId(`ledger-reversed-by-${typoId}`).waitFor({ timeout: 15_000 });
    await expect.poll(async () => moneyText(await text(page, 'fig-balance')), { timeout: 15_000 }).toBe('5000.00');

    // Credit: lent by the broker, confirmed in words like a deposit; equity moves, the balance does not.
    await page.getByTestId('action-credit').click();
    await page.getByTestId('credit-amount').fill('250');
    await page.getByTestId('credit-submit').click();
    await page.getByTestId('credit-reason-error').waitFor();
    await page.getByTestId('credit-reason').fill('introductory credit, desk approval');
    await page.getByTestId('credit-client-note').fill('Trading credit');
    await page.getByTestId('credit-submit').click();
    expect(await text(page, 'credit-confirm-words')).toBe('Two Hundred Fifty US Dollars');
    expect(await text(page, 'credit-confirm-after')).toMatch(/^Credit \$0\.00 → \$250\.00 · balance stays \$5,000\.00$/);
    await shoot(page, 'account-credit-confirm');
    await page.getByTestId('credit-confirm-submit').click();
    await page.getByTestId('credit-result').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await expect.poll(async () => moneyText(await text(page, 'fig-credit')), { timeout: 15_000 }).toBe('250.00');
    expect(moneyText(await text(page, 'fig-balance'))).toBe('5000.00');
    await expect.poll(async () => moneyText(await text(page, 'fig-equity')), { timeout: 15_000 }).toBe('5250.00');
    await page.locator('[data-testid^="ledger-row-"][data-type="CREDIT"]').first().waitFor({ timeout: 15_000 });
    await shoot(page, 'account-credit');

    // The trader trades; the dealer's exposure moves by the client's lot.
    const dealer = await staffPage('risk@broker.local');
    await dealer.goto(`${adminUrl}/dealing`);
    await dealer.getByTestId('exposure-table').waitFor({ timeout: 30_000 });
    const netBefore = async () => {
      const row = dealer.getByTestId('exposure-client-net-EURUSD');
      return (await row.count()) ? Number(moneyText(await row.textContent())) : 0;
    };
    const before = await netBefore();
    const trader = await engineClient(engineUrl).auth.login.mutate({ email, password });
    const client = engineClient(engineUrl, trader.token);
    await expect
      .poll(async () => {
        try {
          await client.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '1', idempotencyKey: `bo-e2e-${accountId}-${Date.now()}` });
          return 'filled';
        } catch (e) {
          return (e as Error).message;
        }
      }, { timeout: 30_000, interval: 1_000 })
      .toBe('filled');
    await expect.poll(netBefore, { timeout: 15_000 }).toBeCloseTo(before + 1, 6);
    await dealer.getByTestId('dealing-account').fill(String(accountId));
    await dealer.locator('[data-testid^="dealing-position-"]').first().waitFor({ timeout: 15_000 });
    await shoot(dealer, 'dealing');

    // The account page shows the position live, and the figures say what they are.
    await page.getByTestId('tab-positions').click();
    await page.locator('[data-testid^="position-row-"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => text(page, 'account-feed'), { timeout: 15_000 }).toBe('Live');
    await shoot(page, 'account');

    // The client asks for a withdrawal; the dealer approves it with the free margin in view; the ledger has it.
    const w = await client.account.requestWithdrawal.mutate({ accountId, amount: '250', method: 'BANK_TRANSFER', destination: 'DE89 3704 0044 0532 0130 00' });
    await page.goto(`${adminUrl}/money`);
    await page.getByTestId(`withdrawal-row-${w.id}`).waitFor({ timeout: 15_000 });
    await shoot(page, 'money');
    await page.getByTestId(`withdrawal-approve-${w.id}`).click();
    await page.getByTestId(`withdrawal-row-${w.id}`).waitFor({ state: 'detached', timeout: 15_000 });
    await page.goto(`${adminUrl}/accounts/${accountId}`);
    await page.getByTestId('tab-ledger').click();
    const wRow = page.locator('[data-testid^="ledger-row-"][data-type="WITHDRAWAL"]').first();
    await wRow.waitFor({ timeout: 15_000 });
    const wId = (await wRow.getAttribute('data-testid'))!.replace('ledger-row-', '');
    expect(moneyText(await text(page, `ledger-amount-${wId}`))).toBe('-250.00');
    await shoot(page, 'account-ledger');

    // Reconcile now: the books match.
    await page.getByTestId('action-reconcile').click();
    await page.getByTestId('reconcile-ok').waitFor({ timeout: 15_000 });
    await shoot(page, 'reconcile');
    await page.keyboard.press('Escape');

    // The dealer closes the position for the client, with a reason.
    const pos = await client.account.positions.query({ accountId });
    await page.getByTestId('tab-positions').click();
    await dealer.goto(`${adminUrl}/accounts/${accountId}`);
    await dealer.getByTestId(`position-close-${pos[0]!.id}`).click({ timeout: 15_000 });
    await dealer.getByTestId('close-reason').fill('client asked by phone');
    await dealer.getByTestId('close-submit').click();
    await dealer.getByTestId('close-position-result').waitFor({ timeout: 15_000 });
    expect(await client.account.positions.query({ accountId })).toHaveLength(0);

    // The audit log has what was done, newest first, with before/after.
    await page.goto(`${adminUrl}/audit`);
    await page.locator('[data-testid^="audit-row-"]').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid^="audit-row-"]').first().click();
    await page.getByTestId('audit-details').waitFor();
    await shoot(page, 'audit');

    for (const [path, ready, name] of [
      ['/symbols', 'symbols-table', 'symbols'],
      ['/reports', 'report-totals', 'reports'],
      ['/risk', 'nav-role', 'risk'],
      ['/lps', 'nav-role', 'lps'],
    ] as const) {
      await page.goto(`${adminUrl}${path}`);
      await page.getByTestId(ready).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500);
      await shoot(page, name);
    }
    await expect.poll(() => text(page, 'nav-role')).toBe('ADMIN');

    // Reports: the day's trades by client, exported as CSV.
    await page.goto(`${adminUrl}/reports`);
    await page.getByTestId('report-by-client').click();
    await page.getByTestId(`report-row-${accountId}`).waitFor({ timeout: 15_000 });
    const download = page.waitForEvent('download');
    await page.getByTestId('report-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^report-client-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await new Promise<string>((resolve, reject) => {
      void file.createReadStream().then((stream) => {
        let out = '';
        stream.on('data', (c: Buffer) => (out += c.toString()));
        stream.on('end', () => resolve(out));
        stream.on('error', reject);
      });
    });
    expect(csv.split('\n')[0]).toBe('account_id,account_number,client_name,trades,volume_lots,client_realized_pnl,commissions,swaps');
    // The client's name sits between the number and the figures (quoted by csv-stringify when it has a comma).
    expect(csv).toMatch(new RegExp(`^${accountId},${accountNumber},("[^"]*"|[^,\n]*),2,2\.00,`, 'm'));

    // The dashboard after the day's business: trades, deposits, the withdrawal, the chart.
    await page.goto(adminUrl);
    await expect.poll(async () => Number(await text(page, 'today-trades')), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await page.waitForTimeout(500);
    await shoot(page, 'dashboard');
  });

  it('shows SUPPORT every page without a write button, and the engine refuses its writes', async () => {
    const admin = engineClient(engineUrl, (await engineLogin(engineUrl, 'admin@broker.local')).token);
    const { rows } = await admin.admin.accounts.list.query({ limit: 1, offset: 0 });
    const account = rows[0]!;
    const page = await staffPage('support@broker.local');
    await page.goto(`${adminUrl}/accounts/${account.id}`);
    await page.getByTestId('account-actions').waitFor({ timeout: 30_000 });
    for (const id of ['action-deposit', 'action-withdrawal', 'action-adjust', 'action-credit', 'action-suspend', 'action-edit']) expect(await page.getByTestId(id).count(), id).toBe(0);
    await page.getByTestId('tab-ledger').click();
    await page.getByTestId('account-ledger').waitFor();
    expect(await page.locator('[data-testid^="ledger-reverse-"]').count()).toBe(0);
    await shoot(page, 'account-support');
    await page.goto(`${adminUrl}/money`);
    await page.getByTestId('deposit-not-allowed').waitFor({ timeout: 15_000 });
    await page.goto(`${adminUrl}/accounts`);
    await page.getByTestId('accounts-table').waitFor();
    expect(await page.getByTestId('account-create').count()).toBe(0);

    const support = engineClient(engineUrl, (await engineLogin(engineUrl, 'support@broker.local')).token);
    await expect(support.admin.finance.deposit.mutate({ accountId: account.id, amount: '10', method: 'BANK_TRANSFER' })).rejects.toThrow(/role/i);
    const risk = engineClient(engineUrl, (await engineLogin(engineUrl, 'risk@broker.local')).token);
    await expect(risk.admin.finance.adjust.mutate({ accountId: account.id, type: 'BONUS', amount: '10', reason: 'not allowed' })).rejects.toThrow(/role/i);
  });

  it('lets SUPER_ADMIN change a symbol live, audited with before and after', async () => {
    const page = await staffPage('superadmin@broker.local');
    await page.goto(`${adminUrl}/symbols`);
    await page.getByTestId('symbol-edit-ETHUSD').click({ timeout: 30_000 });
    await page.getByTestId('symbol-swapLong').fill('abc');
    await page.getByTestId('symbol-submit').click();
    await page.getByTestId('symbol-form').getByRole('alert').first().waitFor();
    await page.getByTestId('symbol-swapLong').fill('-1.55');
    await shoot(page, 'symbol-edit');
    await page.getByTestId('symbol-submit').click();
    await page.getByTestId('symbol-form').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('symbol-toggle-ETHUSD').click();
    await expect.poll(() => text(page, 'symbol-enabled-ETHUSD'), { timeout: 15_000 }).toBe('No');

    const api = engineClient(engineUrl, (await engineLogin(engineUrl, 'superadmin@broker.local')).token);
    const eth = (await api.admin.symbols.list.query()).find((x) => x.name === 'ETHUSD')!;
    expect(eth.swapLong.toString()).toBe('-1.55');
    expect(eth.enabled).toBe(false);
    await page.getByTestId('symbol-toggle-ETHUSD').click();
    await expect.poll(() => text(page, 'symbol-enabled-ETHUSD'), { timeout: 15_000 }).toBe('Yes');

    await page.goto(`${adminUrl}/audit`);
    await page.getByTestId('audit-entity-id').fill('ETHUSD');
    await page.getByTestId('audit-apply').click();
    await expect.poll(async () => page.locator('[data-testid^="audit-row-"]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.locator('[data-testid^="audit-row-"]').last().click();
    await expect.poll(async () => page.locator('[data-testid="audit-details"] tr[data-changed="true"]').allTextContents(), { timeout: 15_000 }).toContainEqual(
      expect.stringMatching(/swapLong.*-1\.55/),
    );
  });
});
