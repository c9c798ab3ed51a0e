// An admin edits a liquidity provider in admin-web: the form opens with the LP's stored configuration (settings,
// credential variable names, symbol map), and saving a one-field change keeps the rest — settings the form has no
// field for included.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

const { engineUrl, adminUrl } = inject('platform');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('admin LPs', () => {
  it('edits an LP with its stored configuration filled in, and keeps what it did not change', async () => {
    const auth = await engineLogin(engineUrl, 'superadmin@broker.local');
    const api = engineClient(engineUrl, auth.token);
    // Disabled, so the engine never dials it. orderTimeoutMs and account have no field on the form.
    const stored = {
      name: 'E2E-FIX-EDIT',
      type: 'FIX' as const,
      enabled: false,
      priority: 40,
      settings: {
        host: '127.0.0.1',
        port: 19876,
        senderCompId: 'BROKER',
        targetCompId: 'LPSIM',
        heartBtInt: 15,
        symbols: ['EUR/USD', 'GBP/USD'],
        orderTimeoutMs: 7000,
        account: 'E2E-ACC',
      },
      credentialEnv: { username: 'LP_E2E_FIX_USER', password: 'LP_E2E_FIX_PASSWORD' },
      symbolMap: { 'EUR/USD': 'EURUSD', 'GBP/USD': 'GBPUSD' },
    };
    const created = await api.admin.lps.upsert.mutate(stored);
    expect(created.id).not.toBeNull();

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await login(page, adminUrl, 'superadmin@broker.local');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    await page.goto(`${adminUrl}/lps`);
    await page.getByTestId('lp-edit-E2E-FIX-EDIT').click({ timeout: 30_000 });
    await page.getByTestId('lp-form-modal').waitFor({ timeout: 15_000 });

    // Everything stored is on the form.
    expect(await page.getByTestId('lp-form-name').inputValue()).toBe('E2E-FIX-EDIT');
    expect(await page.getByTestId('lp-form-priority').inputValue()).toBe('40');
    expect(await page.getByTestId('lp-form-settings-host').inputValue()).toBe('127.0.0.1');
    expect(await page.getByTestId('lp-form-settings-port').inputValue()).toBe('19876');
    expect(await page.getByTestId('lp-form-settings-senderCompId').inputValue()).toBe('BROKER');
    expect(await page.getByTestId('lp-form-settings-targetCompId').inputValue()).toBe('LPSIM');
    expect(await page.getByTestId('lp-form-settings-heartBtInt').inputValue()).toBe('15');
    expect(await page.getByTestId('lp-form-settings-symbols').inputValue()).toBe('EUR/USD, GBP/USD');
    expect(await page.getByTestId('lp-form-cred-username').inputValue()).toBe('LP_E2E_FIX_USER');
    expect(await page.getByTestId('lp-form-cred-password').inputValue()).toBe('LP_E2E_FIX_PASSWORD');
    expect(await page.getByTestId('lp-form-symbol-lp-0').inputValue()).toBe('EUR/USD');
    expect(await page.getByTestId('lp-form-symbol-platform-0').inputValue()).toBe('EURUSD');
    expect(await page.getByTestId('lp-form-symbol-lp-1').inputValue()).toBe('GBP/USD');
    expect(await page.getByTestId('lp-form-symbol-platform-1').inputValue()).toBe('GBPUSD');
    await page.screenshot({ path: new URL('../.test-results/admin-lp-edit.png', import.meta.url).pathname });

    // Change one field, from the keyboard, and save.
    await page.getByTestId('lp-form-settings-port').fill('19877');
    await page.getByTestId('lp-form-settings-port').press('Enter');
    await page.getByTestId('lp-form-modal').waitFor({ state: 'detached', timeout: 15_000 });

    const after = (await api.admin.lps.list.query()).find((l) => l.name === 'E2E-FIX-EDIT');
    expect(after).toMatchObject({ ...stored, id: created.id, settings: { ...stored.settings, port: 19877 } });
  });
});
