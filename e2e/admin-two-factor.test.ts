// Issue 12: staff two-factor sign-in end to end. A new staff user signs in to the back office, sets up
// two-factor on the Security page (the test's "authenticator app" computes the code from the key shown, with
// otplib), signs out, signs in again with the password and a code, then with a recovery code.
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

const { engineUrl, adminUrl } = inject('platform');
let browser: Browser;
const shot = (name: string) => new URL(`../.test-results/${name}.png`, import.meta.url).pathname;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The code an authenticator app shows `stepsAhead` 30-second steps from now. */
const appCode = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

async function signOut(page: Page) {
  await page.getByTestId('logout').click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'), { timeout: 30_000 });
}

/** Email and password; the form then asks for the code. */
async function passwordStep(page: Page, email: string, password: string) {
  await login(page, adminUrl, email, password);
  await page.getByTestId('login-code-step').waitFor({ timeout: 30_000 });
}

async function codeStep(page: Page, code: string) {
  await page.getByTestId('login-code').fill(code);
  await page.getByTestId('login-code-submit').click();
}

describe('staff two-factor sign-in', () => {
  it('sets up two-factor, then signs in with password and code, and with a recovery code', async () => {
    const sa = await engineLogin(engineUrl, 'superadmin@broker.local');
    const n = Math.random().toString(36).slice(2, 8);
    const email = `e2e-2fa-${n}@broker.local`;
    const password = 'e2e two factor passphrase';
    const created = await engineClient(engineUrl, sa.token).admin.security.createStaffUser.mutate({ email, username: `e2e-2fa-${n}`, name: 'E2E Two Factor', role: 'ADMIN', password });

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await login(page, adminUrl, email, password);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });

    // Set-up: QR code and key; the first code turns it on.
    await page.goto(`${adminUrl}/security`);
    await page.getByTestId('tfa-begin').click();
    await page.getByTestId('tfa-qr').waitFor({ timeout: 15_000 });
    const secret = (await page.getByTestId('tfa-secret').textContent())!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: shot('admin-2fa-enrol-1280'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot('admin-2fa-enrol-390'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    // A wrong code is refused next to the field.
    const first = await appCode(secret);
    await page.getByTestId('tfa-code').fill(first === '000000' ? '111111' : '000000');
    await page.getByTestId('tfa-confirm').click();
    await page.getByTestId('tfa-code-error').waitFor({ timeout: 15_000 });
    await page.getByTestId('tfa-code').fill(await appCode(secret));
    await page.getByTestId('tfa-confirm').click();
    await page.getByTestId('tfa-recovery-codes').waitFor({ timeout: 15_000 });
    const recoveryCodes = (await page.getByTestId('tfa-recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await page.screenshot({ path: shot('admin-2fa-recovery-1280'), fullPage: true });
    await page.getByTestId('tfa-recovery-done').click();
    await page.getByTestId('tfa-on').waitFor({ timeout: 15_000 });

    // Sign out; the password alone no longer opens a session: the form asks for the code.
    await signOut(page);
    await passwordStep(page, email, password);
    await page.screenshot({ path: shot('admin-2fa-code-1280') });
    await codeStep(page, (await appCode(secret)) === '123456' ? '654321' : '123456');
    await page.getByTestId('login-code-error').waitFor({ timeout: 30_000 });
    // A code of the next step (the set-up used this one), as the app shows it a moment later.
    await codeStep(page, await appCode(secret, 1));
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    await page.getByTestId('nav-role').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('nav-role').textContent()).toBe('ADMIN');

    // And with a recovery code, on a phone.
    await signOut(page);
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await passwordStep(phone, email, password);
    await phone.screenshot({ path: shot('admin-2fa-code-390') });
    await codeStep(phone, recoveryCodes[0]!);
    await phone.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    await phone.getByTestId('nav-role').waitFor({ timeout: 30_000 });

    // The audit log has the set-up, the failed code and both sign-ins; a spent recovery code is refused.
    const rows = await engineClient(engineUrl, sa.token).admin.audit.log.query({ entityType: 'user', entityId: String(created.id), limit: 100 });
    const mine = rows.rows.map((r) => r.action);
    expect(mine).toEqual(expect.arrayContaining(['auth.2fa_enrolled', 'auth.2fa_failed', 'auth.login', 'auth.login_recovery_code']));
    const again = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await passwordStep(again, email, password);
    await codeStep(again, recoveryCodes[0]!);
    await again.getByTestId('login-code-error').waitFor({ timeout: 30_000 });
  });
});
