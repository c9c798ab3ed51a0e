// Issue 13 in the back office: a real feed whose quotes are all refused (crossed) shows DEGRADED with the reason
// and the refusals per reason, the seeded simulated LP warns that it prices next to a real LP, and the FIX
// session actions sit on FIX cards only. Screenshots go to E2E_SCREENSHOTS when it is set.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeBinance, type FakeBinance } from '../apps/engine/test/fakes/fake-binance.ts';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

const { engineUrl, adminUrl } = inject('platform');
let browser: Browser;
let binance: FakeBinance;

beforeAll(async () => {
  browser = await launchBrowser();
  binance = await startFakeBinance();
});
afterAll(async () => {
  await browser?.close();
  await binance?.close();
});

describe('admin LPs under faults', () => {
  it('shows a feed whose quotes are all refused as DEGRADED with why, and the simulated LP’s warning', async () => {
    // LP settings are SUPER_ADMIN's (docs/permissions.md).
    const auth = await engineLogin(engineUrl, 'superadmin@broker.local');
    const api = engineClient(engineUrl, auth.token);
    await api.admin.lps.upsert.mutate({ name: 'E2E-BINANCE', type: 'WEBSOCKET', priority: 1, settings: { wsUrl: binance.url }, symbolMap: { BTCUSDT: 'BTCUSD' } });
    await binance.waitForConnections(1, 20_000);
    const until = Date.now() + 20_000;
    let lp = (await api.admin.lps.list.query()).find((l) => l.name === 'E2E-BINANCE')!;
    while (lp.state !== 'DEGRADED' && Date.now() < until) {
      for (let i = 0; i < 10; i++) binance.bookTicker('BTCUSDT', '67010.00', '67000.00'); // crossed
      await new Promise((r) => setTimeout(r, 300));
      lp = (await api.admin.lps.list.query()).find((l) => l.name === 'E2E-BINANCE')!;
    }
    expect(lp.state).toBe('DEGRADED');

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await login(page, adminUrl, 'admin@broker.local');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    await page.goto(`${adminUrl}/lps`);
    await page.getByTestId('lp-card-E2E-BINANCE').waitFor({ timeout: 30_000 });
    const keep = setInterval(() => binance.bookTicker('BTCUSDT', '67010.00', '67000.00'), 200);
    try {
      await expect.poll(() => page.getByTestId('lp-state-E2E-BINANCE').textContent(), { timeout: 15_000 }).toContain('DEGRADED');
      expect(await page.getByTestId('lp-reason-E2E-BINANCE').textContent()).toMatch(/of quotes in the last 10 s refused/);
      expect(await page.getByTestId('lp-rejects-E2E-BINANCE').textContent()).toMatch(/crossed \d+/);
      expect(await page.getByTestId('lp-warning-SIMULATED').textContent()).toMatch(/simulated prices next to real LPs \(E2E-BINANCE\)/);
      expect(await page.getByTestId('lp-reset-seq-E2E-BINANCE').count()).toBe(0);
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, 'admin-lps-degraded.png'), fullPage: true });
    } finally {
      clearInterval(keep);
    }
  });
});
