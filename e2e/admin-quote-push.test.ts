// Issue 12/14: a manual quote far from the live feed (QUOTE_TOO_FAR) used to end as an error notice with no way
// on. The Risk page now shows how far the quote is from the live price and the symbol's bound, and a second
// "Confirm push" button that sends it again with the confirmation; both the refusal and the confirmed push
// are in the audit log. Screenshots at 1280 and 390 px.
import { mkdirSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

const { engineUrl, adminUrl } = inject('platform');
const SHOTS = new URL('../.test-results/screenshots/', import.meta.url).pathname;
// A symbol no other end-to-end test trades: a far price on it moves nobody else's test.
const SYMBOL = 'AUDUSD';
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
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}${name}-390.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} is wider than 390 px`).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('manual quote beyond the bound', () => {
  it('shows the distance from the live feed, and pushes only after "Confirm push"; both are audited', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await login(page, adminUrl, 'superadmin@broker.local');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    await page.goto(`${adminUrl}/risk`);
    await page.getByTestId('manual-quote-form').waitFor({ timeout: 30_000 });
    await page.locator(`[data-testid="manual-quote-symbol"] option[value="${SYMBOL}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    await page.getByTestId('manual-quote-symbol').selectOption(SYMBOL);
    // The form starts from the live quote; 10% above it is twice the seeded 5% bound.
    await expect.poll(async () => page.getByTestId('manual-quote-bid').inputValue(), { timeout: 15_000 }).toMatch(/^0\.\d+/);
    const liveBid = new Decimal(await page.getByTestId('manual-quote-bid').inputValue());
    const bid = liveBid.times('1.1').toDecimalPlaces(5);
    const ask = bid.plus('0.00020');
    await page.getByTestId('manual-quote-bid').fill(bid.toFixed(5));
    await page.getByTestId('manual-quote-ask').fill(ask.toFixed(5));
    await page.getByTestId('manual-quote-submit').click();

    const far = page.getByTestId('manual-quote-far');
    await far.waitFor({ timeout: 15_000 });
    const distance = Number(await far.getAttribute('data-distance'));
    expect(distance).toBeGreaterThan(9);
    expect(distance).toBeLessThan(11);
    expect(await far.textContent()).toMatch(/bound for AUDUSD is 5\.00%/);
    expect(await page.getByTestId('manual-quote-submit').count()).toBe(0);
    expect(await page.getByTestId('manual-quote-error').count()).toBe(0);
    await shoot(page, 'risk-quote-too-far');

    await page.getByTestId('manual-quote-confirm').click();
    const result = page.getByTestId('manual-quote-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-status')).toBe('confirmed');
    // The platform's quote: the dealer's prices widened by the symbol's markup (a fraction of a pip each side).
    const shown = /AUDUSD (\d+\.\d+) \/ (\d+\.\d+) accepted from MANUAL, confirmed beyond the bound/.exec((await result.textContent()) ?? '');
    expect(shown).not.toBeNull();
    expect(new Decimal(shown![1]!).minus(bid).abs().lte('0.0001')).toBe(true);
    await shoot(page, 'risk-quote-confirmed');

    const admin = engineClient(engineUrl, (await engineLogin(engineUrl, 'superadmin@broker.local')).token);
    const rows = (await admin.admin.audit.log.query({ action: 'risk.push_quote', entityId: SYMBOL })).rows;
    const outcomes = rows.map((r) => (r.details as { outcome?: string; bid?: string }).bid === bid.toString() && (r.details as { outcome: string }).outcome).filter(Boolean);
    expect(outcomes).toEqual(['pushed (confirmed beyond the bound)', 'refused: too far']);
    // The dealer's address and browser are on both rows.
    for (const r of rows.slice(0, 2)) {
      expect(r.ip).toMatch(/127\.0\.0\.1$/);
      expect((r.details as { userAgent?: string }).userAgent).toMatch(/Chrom/);
    }
    // Put the symbol back near its feed for whatever runs next.
    await admin.admin.risk.pushQuote.mutate({ symbol: SYMBOL, bid: liveBid.toFixed(5), ask: liveBid.plus('0.0002').toFixed(5), confirm: true });
  });
});
