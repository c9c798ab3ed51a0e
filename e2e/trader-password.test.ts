// Issue 12: a trader changes their password in the terminal. The password policy's message shows next to the
// field before anything is sent; the change ends every session, and the new password signs in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

const { engineUrl, traderUrl } = inject('platform');
let browser: Browser;
const shot = (name: string) => new URL(`../.test-results/${name}.png`, import.meta.url).pathname;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('trader password change', () => {
  it('shows the policy next to the field, then changes the password and signs out', async () => {
    const admin = await engineLogin(engineUrl, 'admin@broker.local');
    const n = Math.random().toString(36).slice(2, 8);
    const email = `e2e-pw-${n}@broker.local`;
    const first = 'first client passphrase';
    await engineClient(engineUrl, admin.token).admin.accounts.create.mutate({ email, name: 'E2E Password', password: first });

    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ] as const) {
      const page = await (await browser.newContext({ viewport: { width, height }, isMobile: width < 500, hasTouch: width < 500 })).newPage();
      await login(page, traderUrl, email, first);
      await page.getByTestId('account-balance').waitFor({ timeout: 30_000 });
      await page.getByTestId('settings-toggle').click();
      await page.getByTestId('settings-password').click();
      await page.getByTestId('password-dialog').waitFor({ timeout: 15_000 });
      await page.getByTestId('pw-current').fill(first);
      await page.getByTestId('pw-new').fill('password1234');
      await page.getByTestId('pw-repeat').fill('password1234');
      await page.getByTestId('pw-submit').click();
      expect(await page.getByTestId('pw-new-error').textContent()).toMatch(/too common/);
      await page.getByTestId('pw-new').fill(email.split('@')[0]! + ' and more');
      await page.getByTestId('pw-submit').click();
      expect(await page.getByTestId('pw-new-error').textContent()).toMatch(/email or username/);
      await page.screenshot({ path: shot(`trader-password-${width}`) });
      await page.context().close();
    }

    // The engine's answer next to the field: a wrong current password.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await login(page, traderUrl, email, first);
    await page.getByTestId('account-balance').waitFor({ timeout: 30_000 });
    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('settings-password').click();
    const next = 'second client passphrase';
    await page.getByTestId('pw-current').fill('not my password at all');
    await page.getByTestId('pw-new').fill(next);
    await page.getByTestId('pw-repeat').fill(next);
    await page.getByTestId('pw-submit').click();
    await page.getByTestId('pw-current-error').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('pw-current-error').textContent()).toMatch(/current password is wrong/i);
    await page.getByTestId('pw-current').fill(first);
    await page.getByTestId('pw-submit').click();
    await page.waitForURL((u) => u.pathname.startsWith('/login'), { timeout: 30_000 });

    await expect(engineClient(engineUrl).auth.login.mutate({ email, password: first })).rejects.toThrow();
    expect((await engineClient(engineUrl).auth.login.mutate({ email, password: next })).user.email).toBe(email);
  });
});
