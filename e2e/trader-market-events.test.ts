// What the market does to a trader's account, seen in the terminal (issue 15): a price alert set on the page
// fires when the dealer's manual LP quote crosses it; a pending limit order fills when the manual price
// reaches it and becomes a position; a stop out closes a position and the page says so, with STOP_OUT in
// history; and the chart loads older bars as the trader scrolls left. Each width gets a fresh account; the
// dealer holds EURUSD with the manual LP (it overrides the feed while fresh), so prices move only when the
// test moves them.
import { mkdirSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, engineLogin, launchBrowser, login } from './browser.ts';

const { engineUrl, traderUrl } = inject('platform');
const SHOTS = new URL('../.test-results/screenshots/', import.meta.url).pathname;
let browser: Browser;
let admin: ReturnType<typeof engineClient>;
let held: { bid: Decimal; ask: Decimal } | null = null;
let holding: ReturnType<typeof setInterval> | undefined;
let start: { bid: Decimal; ask: Decimal } | null = null;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  admin = engineClient(engineUrl, (await engineLogin(engineUrl, 'superadmin@broker.local')).token);
});
afterAll(async () => {
  // Back where the feed was before releasing it, so the next suites see no jump.
  if (start) await move(start.bid, start.ask).catch(() => undefined);
  if (holding) clearInterval(holding);
  await browser?.close();
});

/** The dealer's manual EURUSD quote, re-pushed well inside its staleness window; move() changes it. */
async function holdEurusd() {
  if (!held) {
    const [q] = await admin.market.quotes.query({ symbols: ['EURUSD'] });
    held = start = { bid: q!.bid, ask: q!.ask };
  }
  const push = () => admin.admin.risk.pushQuote.mutate({ symbol: 'EURUSD', bid: held!.bid, ask: held!.ask, confirm: true });
  await push();
  holding ??= setInterval(() => void push().catch(() => undefined), 250);
  return held;
}
async function move(bid: Decimal, ask: Decimal) {
  held = { bid, ask };
  await admin.admin.risk.pushQuote.mutate({ symbol: 'EURUSD', bid, ask, confirm: true });
}

const WIDTHS: { name: string; phone: boolean; context: BrowserContextOptions }[] = [
  { name: 'desktop', phone: false, context: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', phone: true, context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true } },
];

describe.each(WIDTHS)('market events in the terminal ($name)', ({ name, phone, context }) => {
  let page: Page;
  let client: ReturnType<typeof engineClient>;
  let accountId: number;
  const shot = (what: string) => page.screenshot({ path: `${SHOTS}${name}-${what}.png` });
  const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

  /** A fresh account; `before` runs before the page signs in (what it does is on the page's first load). */
  async function open(deposit: string, before?: () => Promise<void>) {
    const email = `e2e-events-${name}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@broker.local`;
    const created = await admin.admin.accounts.create.mutate({ email, name: `E2E ${name}`, currency: 'USD', leverage: 100, marginMode: 'HEDGING', initialDeposit: deposit });
    accountId = created.account.id;
    client = engineClient(engineUrl, (await engineClient(engineUrl).auth.login.mutate({ email, password: created.password! })).token);
    await before?.();
    page = await (await browser.newContext(context)).newPage();
    await login(page, traderUrl, email, created.password!);
    await page.getByTestId(phone ? 'phone-panel' : 'desktop-grid').waitFor({ timeout: 30_000 });
  }
  /** The bottom panel's tab (on a phone, inside the Positions sheet). */
  async function tab(id: string) {
    if (phone) await page.getByTestId('phone-tab-positions').click();
    await page.getByTestId(`tab-${id}`).click();
  }

  afterAll(async () => {
    if (client) for (const p of await client.account.positions.query({ accountId })) await client.positions.close.mutate({ accountId, positionId: p.id }).catch(() => undefined);
    await page?.context().close();
  });

  it('a price alert set on the page fires when the manual price crosses it: a notice, and the list shows it triggered', async () => {
    await open('10000.00');
    const q = await holdEurusd();
    await tab('alerts');
    await page.getByTestId('alert-symbol').selectOption('EURUSD');
    await page.getByTestId('alert-side').selectOption('BID');
    await page.getByTestId('alert-direction').selectOption('ABOVE');
    const level = q.bid.plus('0.00100');
    await page.getByTestId('alert-price').fill(level.toFixed(5));
    await page.getByTestId('alert-note').fill('breakout watch');
    await page.getByTestId('alert-submit').click();
    await expect.poll(async () => (await client.alerts.list.query({ accountId })).length, { timeout: 10_000 }).toBe(1);
    const [alert] = await client.alerts.list.query({ accountId });
    expect(alert!.price.toFixed(5)).toBe(level.toFixed(5));
    expect(alert!.note).toBe('breakout watch');
    await expect.poll(() => page.getByTestId(`alert-status-${alert!.id}`).getAttribute('data-status'), { timeout: 10_000 }).toBe('active');
    expect(await text('tab-alerts')).toBe('Alerts (1)');
    // A level the price is already past is refused with the engine's message, next to the form.
    await page.getByTestId('alert-price').fill(q.bid.minus('0.00100').toFixed(5));
    await page.getByTestId('alert-submit').click();
    await expect.poll(() => page.getByTestId('alert-error').getAttribute('data-code'), { timeout: 10_000 }).toBe('ALERT_ALREADY_REACHED');
    await page.getByTestId('alert-price').fill('');
    await expect.poll(() => page.getByTestId('alert-error').count()).toBe(0);
    await shot('alerts-set');

    await move(level.plus('0.00020'), level.plus('0.00022'));
    const notice = page.locator('[data-testid="notice"][data-kind="PRICE_ALERT"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain(`Price alert: EURUSD`);
    expect(await notice.textContent()).toContain(`alert at or above ${level.toFixed(5)}`);
    expect(await notice.textContent()).toContain('breakout watch');
    await expect.poll(() => page.getByTestId(`alert-status-${alert!.id}`).getAttribute('data-status'), { timeout: 10_000 }).toBe('triggered');
    expect(await text(`alert-status-${alert!.id}`)).toMatch(/^Triggered .* at \d\.\d{5}$/);
    await shot('alerts-triggered');
    const [after] = await client.alerts.list.query({ accountId });
    expect(after!.triggeredAt).not.toBeNull();

    await page.getByTestId(`alert-delete-${alert!.id}`).click();
    await page.getByTestId(`alert-row-${alert!.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await client.alerts.list.query({ accountId })).toEqual([]);
  });

  it('a buy limit placed on the page fills when the manual ask reaches it, and becomes a position', async () => {
    if (!page) await open('10000.00');
    const q = await holdEurusd();
    if (phone) await page.getByTestId('phone-tab-trade').click();
    await page.getByTestId('ticket-type').selectOption('LIMIT');
    const limit = q.ask.minus('0.00150');
    await page.getByTestId('ticket-price').fill(limit.toFixed(5));
    await page.getByTestId('ticket-volume').fill('0.10');
    await page.getByTestId('ticket-place').click();
    await page.getByTestId('ticket-confirm').click();
    await expect.poll(() => text('ticket-result'), { timeout: 15_000 }).toMatch(/^BUY LIMIT #\d+ 0\.10? EURUSD @ \d\.\d{5} placed$/);
    const [order] = await client.account.orders.query({ accountId });
    expect(order!.price!.toFixed(5)).toBe(limit.toFixed(5));
    await tab('orders');
    await page.getByTestId(`order-row-${order!.id}`).waitFor({ timeout: 10_000 });

    // Down to one point above the limit: nothing; then through it.
    await move(limit.minus('0.00001'), limit.plus('0.00001'));
    await move(limit.minus('0.00010'), limit.minus('0.00008'));
    await page.locator('[data-testid="notice"][data-kind="ORDER_FILLED"]').waitFor({ timeout: 15_000 });
    await page.getByTestId(`order-row-${order!.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    const positions = await client.account.positions.query({ accountId });
    expect(positions).toHaveLength(1);
    expect(positions[0]!.side).toBe('BUY');
    // A limit buy fills at the ask when the market gaps through it (no worse than the limit).
    expect(positions[0]!.openPrice.lte(limit)).toBe(true);
    await tab('positions');
    await page.getByTestId(`position-row-${positions[0]!.id}`).waitFor({ timeout: 10_000 });
    await shot('pending-filled');
    await client.positions.close.mutate({ accountId, positionId: positions[0]!.id });
  });

  it('a stop out: the manual price moves against a big position on a small deposit, the page shows the notice and STOP_OUT in history', async () => {
    await page?.context().close();
    const q = await holdEurusd();
    // 0.02 lots of EURUSD margins ~$72 at 3.33 % (1:30) of ~$2,170: most of the $100. Opened before the page
    // loads, so the page's first fetch has it.
    let positionId = '';
    await open('100.00', async () => {
      const opened = await client.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.02' });
      positionId = opened.position!.id;
    });
    await tab('positions');
    await page.getByTestId(`position-row-${positionId}`).waitFor({ timeout: 15_000 });
    const summary = await client.account.summary.query({ accountId });
    // Equity at the stop-out level (50 %) is half the margin: the bid that takes equity below it, and a bit more.
    const lossToStop = summary.equity.minus(summary.margin.times('0.5'));
    const drop = lossToStop.div('2000').plus('0.00100').toDecimalPlaces(5, Decimal.ROUND_UP);
    await move(q.bid.minus(drop), q.ask.minus(drop));

    const banner = page.getByTestId('margin-call-banner');
    await expect.poll(() => banner.getAttribute('data-type'), { timeout: 15_000 }).toBe('stop_out');
    expect(await banner.textContent()).toContain(`#${positionId}`);
    await page.locator('[data-testid="notice"][data-kind="STOP_OUT"]').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await client.account.positions.query({ accountId })).length, { timeout: 10_000 }).toBe(0);
    await page.getByTestId(`position-row-${positionId}`).waitFor({ state: 'detached', timeout: 10_000 });
    await shot('stop-out');

    const trades = await client.account.trades.query({ accountId });
    const close = trades.find((t) => t.entry === 'CLOSE')!;
    expect(close.closeReason).toBe('STOP_OUT');
    await tab('history');
    await expect.poll(async () => (await page.getByTestId(`trade-reason-${close.id}`).textContent())?.trim(), { timeout: 15_000 }).toBe('Stop out');
    await shot('stop-out-history');
  });
});

describe('the chart at 1280 px', () => {
  it('loads older bars as the trader scrolls left', async () => {
    const email = `e2e-chart-${Date.now()}@broker.local`;
    const created = await admin.admin.accounts.create.mutate({ email, name: 'E2E chart', currency: 'USD', leverage: 100, marginMode: 'HEDGING', initialDeposit: '1000.00' });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await login(page, traderUrl, email, created.password!);
    await page.getByTestId('desktop-grid').waitFor({ timeout: 30_000 });
    await page.getByTestId('chart-tf-5m').click();
    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-bars'), { timeout: 15_000 }).toMatch(/^\d+$/);
    const before = Number(await chart.getAttribute('data-bars'));
    const firstBefore = Number(await chart.getAttribute('data-first-bar'));
    expect(before).toBeGreaterThanOrEqual(300);
    const box = (await chart.boundingBox())!;
    // Drag the chart to the right (back in time) until the left edge asks for more.
    await expect
      .poll(
        async () => {
          await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
          await page.mouse.down();
          await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 8 });
          await page.mouse.up();
          return Number(await chart.getAttribute('data-bars'));
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBeGreaterThan(before);
    const firstAfter = Number(await chart.getAttribute('data-first-bar'));
    expect(firstAfter).toBeLessThan(firstBefore);
    // The page's older bars are the engine's, right before the first bar shown before.
    const bars = Number(await chart.getAttribute('data-bars'));
    const older = await engineClient(engineUrl, (await engineClient(engineUrl).auth.login.mutate({ email, password: created.password! })).token).market.candles.query({
      symbol: 'EURUSD',
      timeframe: '5m',
      limit: bars - before,
      before: firstBefore,
    });
    expect(older[0]!.time).toBe(firstAfter);
    expect(older.at(-1)!.time).toBe(firstBefore - 300);
    await page.screenshot({ path: `${SHOTS}desktop-chart-older.png` });
    await page.context().close();
  });
});

describe('dragging a line on the chart at 1280 px', () => {
  it('moves a position’s stop loss after a confirm', async () => {
    const email = `e2e-drag-${Date.now()}@broker.local`;
    const created = await admin.admin.accounts.create.mutate({ email, name: 'E2E drag', currency: 'USD', leverage: 100, marginMode: 'HEDGING', initialDeposit: '10000.00' });
    const accountId = created.account.id;
    const client = engineClient(engineUrl, (await engineClient(engineUrl).auth.login.mutate({ email, password: created.password! })).token);
    const q = await holdEurusd();
    const sl = q.bid.minus('0.00050');
    const opened = await client.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.10', sl });
    const positionId = opened.position!.id;
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    try {
      await login(page, traderUrl, email, created.password!);
      await page.getByTestId('desktop-grid').waitFor({ timeout: 30_000 });
      await page.getByTestId('chart-tf-1m').click();
      const chart = page.getByTestId('chart');
      await expect.poll(() => chart.getAttribute('data-price-lines'), { timeout: 15_000 }).toBe('2');
      const box = (await chart.boundingBox())!;
      const x = box.x + box.width * 0.5;
      // Find the SL line as the trader does: move down the chart until the pointer can grab it.
      let y: number | null = null;
      for (let dy = 2; dy < box.height - 30 && y === null; dy += 2) {
        await page.mouse.move(x, box.y + dy);
        if ((await chart.getAttribute('data-hover-line')) === `sl:${positionId}`) y = box.y + dy;
      }
      expect(y, 'the SL line is on the chart').not.toBeNull();
      await page.mouse.down();
      await page.mouse.move(x, y! + 25, { steps: 5 });
      await page.mouse.up();
      const modal = page.getByTestId('chart-move-stop');
      await modal.waitFor({ timeout: 5_000 });
      const to = new Decimal(((await page.getByTestId('chart-move-to').textContent()) ?? '').trim());
      expect(to.lt(sl)).toBe(true);
      await page.screenshot({ path: `${SHOTS}desktop-chart-drag-sl.png` });
      await page.getByTestId('chart-move-confirm').click();
      await modal.waitFor({ state: 'detached', timeout: 10_000 });
      await expect.poll(async () => (await client.account.positions.query({ accountId }))[0]!.sl?.toFixed(5), { timeout: 10_000 }).toBe(to.toFixed(5));
      await expect.poll(async () => (await page.getByTestId(`position-sl-${positionId}`).textContent())?.trim(), { timeout: 10_000 }).toBe(to.toFixed(5));
    } finally {
      await client.positions.close.mutate({ accountId, positionId }).catch(() => undefined);
      await page.context().close();
    }
  });
});
