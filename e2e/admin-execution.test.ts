// The back office's execution model page end to end (issues 14 and 11): a risk manager sets a client override
// (found by account search) and a symbol rule (priority LP from the LP list), the page shows them and the
// client's next order goes where the override says; the routing report renders with its chart; SUPPORT sees
// the page without a write button and the engine refuses its writes anyway. Screenshots at 1280 and 390 px.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

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

async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${SHOTS}${name}-390.png`, fullPage: true });
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

describe('back office: execution model', () => {
  it('a risk manager sets a client override and a symbol rule, the client’s next order follows it, the routing report shows it', async () => {
    const admin = engineClient(engineUrl, (await engineLogin(engineUrl, 'admin@broker.local')).token);
    const { rows } = await admin.admin.accounts.list.query({ search: 'RTX-000002', limit: 5, offset: 0 });
    const account = rows.find((r) => r.accountNumber === 'RTX-000002')!;
    expect(account).toBeTruthy();

    const page = await staffPage('risk@broker.local');
    await page.getByTestId('nav-execution').click();
    await page.waitForURL(/\/execution$/);
    await page.getByTestId('exec-config-form').waitFor({ timeout: 30_000 });
    // The explanation of each rule stands next to its field, in the router's order.
    expect(await page.getByTestId('exec-config').textContent()).toMatch(/first rule that applies decides/);

    // A field's error shows under it, and nothing is sent.
    await page.getByTestId('exec-profitableWinRate').fill('150');
    await page.getByTestId('exec-config-save').click();
    expect(await text(page, 'exec-profitableWinRate-error')).toMatch(/Between 0 and 100/);
    await page.getByTestId('exec-profitableWinRate').fill('70');
    await page.getByTestId('exec-lpOrderTimeoutMs').fill('6000');
    await page.getByTestId('exec-config-save').click();
    await page.getByTestId('exec-config-saved').waitFor({ timeout: 15_000 });
    const cfg = await admin.admin.execution.config.query();
    expect(cfg.profitableWinRate.toString()).toBe('70');
    expect(cfg.lpOrderTimeoutMs).toBe(6000);

    // Client override: find the account by its number, a reason is required.
    await page.getByTestId('override-account-search').fill('RTX-000002');
    await expect.poll(async () => page.locator('[data-testid="override-account"] option').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await page.getByTestId('override-account').selectOption(String(account.id));
    // The figures the auto-route rules read for this client stand next to the form.
    await expect.poll(() => text(page, 'flow-fills'), { timeout: 15_000 }).toMatch(/^\d+ · \d+$/);
    await shoot(page, 'execution-override-form');
    await page.getByTestId('override-mode').selectOption('B_BOOK');
    await page.getByTestId('override-submit').click();
    await page.getByTestId('override-reason-error').waitFor();
    await page.getByTestId('override-reason').fill('recreational client, keep on the house book');
    await page.getByTestId('override-submit').click();
    await page.getByTestId('override-row-RTX-000002').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('override-row-RTX-000002').getAttribute('data-mode')).toBe('B_BOOK');

    // Symbol rule with a priority LP from the LP list.
    await page.getByTestId('symbol-rule-symbol').selectOption('GBPUSD');
    await page.getByTestId('symbol-rule-mode').selectOption('C_BOOK');
    await page.getByTestId('symbol-rule-max').fill('abc');
    await page.getByTestId('symbol-rule-submit').click();
    await page.getByTestId('symbol-rule-max-error').waitFor();
    await page.getByTestId('symbol-rule-max').fill('5');
    await expect.poll(async () => page.locator('[data-testid="symbol-rule-lp"] option[value="SIMULATED"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('symbol-rule-lp').selectOption('SIMULATED');
    await page.getByTestId('symbol-rule-fallback').selectOption('B_BOOK');
    await page.getByTestId('symbol-rule-submit').click();
    await page.getByTestId('symbol-rule-row-GBPUSD').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('symbol-rule-row-GBPUSD').getAttribute('data-mode')).toBe('C_BOOK');
    expect(await text(page, 'symbol-rule-lp-GBPUSD')).toBe('SIMULATED');
    expect(await text(page, 'symbol-rule-max-GBPUSD')).toBe('5');

    // The page shows what the engine has (a reload reads it back).
    await page.reload();
    await page.getByTestId('override-row-RTX-000002').waitFor({ timeout: 15_000 });
    await page.getByTestId('symbol-rule-row-GBPUSD').waitFor();
    const rules = await admin.admin.execution.symbolRules.query();
    expect(rules.find((r) => r.symbol === 'GBPUSD')).toMatchObject({ mode: 'C_BOOK', priorityLp: 'SIMULATED', fallbackMode: 'B_BOOK' });

    // The client's next order goes where the override says, and the routing report shows it.
    const trader = engineClient(engineUrl, (await engineLogin(engineUrl, 'trader2@broker.local')).token);
    await expect
      .poll(
        async () => {
          try {
            await trader.orders.market.mutate({ accountId: account.id, symbol: 'EURUSD', side: 'BUY', volume: '1', idempotencyKey: `exec-e2e-${Date.now()}` });
            return true;
          } catch {
            return false;
          }
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000);
    const report = await admin.admin.execution.report.query({ from: new Date(to.getTime() - 86_400_000), to });
    expect(report.byRule.find((r) => r.key === 'CLIENT_OVERRIDE')?.orders).toBeGreaterThanOrEqual(1);

    await page.getByTestId('exec-report').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Today' }).click();
    await expect.poll(async () => page.getByTestId('exec-venue-chart').getAttribute('data-bars'), { timeout: 20_000 }).not.toBe('0');
    await expect.poll(() => text(page, 'exec-venue-chart-legend-BBOOK'), { timeout: 10_000 }).toMatch(/B-Book: [1-9][0-9.]* lots · [1-9]\d* orders?/);
    expect(await page.locator('[data-testid="exec-venue-chart"] canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('exec-report-row-CLIENT_OVERRIDE').waitFor({ timeout: 10_000 });
    await page.getByTestId('exec-report-by-client').click();
    await page.getByTestId(`exec-report-row-${account.id}`).first().waitFor({ timeout: 10_000 });
    // Issue 14: the client's row names the account by its number and shows the client's name.
    const clientRow = page.getByTestId(`exec-report-row-${account.id}`).first();
    expect((await clientRow.getByTestId('exec-report-account').textContent())?.trim()).toBe('RTX-000002');
    expect((await clientRow.getByTestId('exec-report-client').textContent())?.trim()).toBe('Demo Trader Two');
    await shoot(page, 'execution-report-by-client');
    // The period's own check shows under the field.
    await page.getByTestId('exec-report-from').fill('2026-01-10');
    await page.getByTestId('exec-report-to').fill('2026-01-05');
    await page.getByTestId('exec-report-apply').click();
    await page.getByTestId('exec-report-to-error').waitFor();
    await page.getByRole('button', { name: 'Today' }).click();

    await page.getByTestId('scorecards-table').waitFor();
    await page.getByTestId('exec-lp-orders').waitFor();
    await page.getByTestId('lp-orders-status').selectOption('UNKNOWN');
    await page.getByTestId('coverage-table').waitFor();
    await page.getByTestId('lp-orders-status').selectOption('');
    await shoot(page, 'execution');

    // Every change is in the audit log, linked from the page.
    await page.getByTestId('exec-audit-link').click();
    await page.waitForURL(/\/audit\?action=execution\./);
    await expect.poll(async () => page.locator('[data-testid^="audit-row-"][data-action^="execution."]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid^="audit-row-"]:not([data-action^="execution."])').count()).toBe(0);
    await shoot(page, 'execution-audit');
  });

  it('shows SUPPORT the execution model without a write button, and the engine refuses its writes', async () => {
    const page = await staffPage('support@broker.local');
    await page.goto(`${adminUrl}/execution`);
    await page.getByTestId('exec-config-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('exec-read-only').waitFor();
    await page.getByTestId('override-row-RTX-000002').waitFor({ timeout: 15_000 });
    for (const id of ['exec-config-save', 'override-form', 'override-submit', 'symbol-rule-form', 'symbol-rule-submit', 'override-remove-RTX-000002', 'symbol-rule-remove-GBPUSD', 'symbol-rule-edit-GBPUSD'])
      expect(await page.getByTestId(id).count(), id).toBe(0);
    expect(await page.getByTestId('exec-globalMode').isDisabled()).toBe(true);
    await page.getByTestId('exec-venue-chart').waitFor();
    await shoot(page, 'execution-support');

    const support = engineClient(engineUrl, (await engineLogin(engineUrl, 'support@broker.local')).token);
    const admin = engineClient(engineUrl, (await engineLogin(engineUrl, 'admin@broker.local')).token);
    const { rows } = await admin.admin.accounts.list.query({ search: 'RTX-000001', limit: 5, offset: 0 });
    const accountId = rows.find((r) => r.accountNumber === 'RTX-000001')!.id;
    await expect(support.admin.execution.updateConfig.mutate({ globalMode: 'A_BOOK' })).rejects.toThrow(/role/i);
    await expect(support.admin.execution.setOverride.mutate({ accountId, mode: 'A_BOOK', reason: 'not allowed' })).rejects.toThrow(/role/i);
    await expect(support.admin.execution.removeOverride.mutate({ accountId })).rejects.toThrow(/role/i);
    await expect(support.admin.execution.setSymbolRule.mutate({ symbol: 'EURUSD', mode: 'A_BOOK' })).rejects.toThrow(/role/i);
    await expect(support.admin.execution.removeSymbolRule.mutate({ symbol: 'GBPUSD' })).rejects.toThrow(/role/i);
    // ADMIN reads it too, but the execution model is risk's: refused as well.
    await expect(admin.admin.execution.setSymbolRule.mutate({ symbol: 'EURUSD', mode: 'A_BOOK' })).rejects.toThrow(/role/i);
    // Nothing changed.
    expect((await admin.admin.execution.config.query()).globalMode).not.toBe('A_BOOK');
    expect((await admin.admin.execution.symbolRules.query()).find((r) => r.symbol === 'EURUSD')).toBeUndefined();
    // SUPPORT still reads everything.
    expect((await support.admin.execution.overrides.query()).some((o) => o.accountNumber === 'RTX-000002')).toBe(true);
    await support.admin.execution.lpOrders.query({ limit: 10 });
    await support.admin.execution.coverage.query();
  });
});
