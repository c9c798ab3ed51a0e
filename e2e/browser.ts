import { chromium, type Browser, type Page } from 'playwright-core';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@broker/api';
import { transformer } from '@broker/api/transformer';

// Debian's Chromium, never a test tool's own download (DEVELOPERS.md).
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** "$10,093.12" / "10 093.12 USD" → "10093.12" */
export function moneyText(text: string | null): string {
  const cleaned = (text ?? '').replace(/[^0-9.\-−]/g, '').replace('−', '-');
  return cleaned;
}

export async function login(page: Page, baseUrl: string, email: string, password = 'demo1234') {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export function engineClient(engineUrl: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${engineUrl}/trpc`, transformer, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
  });
}

export async function engineLogin(engineUrl: string, email: string) {
  return engineClient(engineUrl).auth.login.mutate({ email, password: 'demo1234' });
}
