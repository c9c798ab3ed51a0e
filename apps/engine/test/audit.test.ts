// Issue 12 (audit gaps against design.md §9.3): risk-settings rows had no before/after, LP rows left out their
// settings, and neither they nor the rollover's rows said from which address and user agent. (Sign-ins,
// sign-outs and pushed quotes: rate-limits.test.ts, revocation.test.ts, lp-pipeline.test.ts; orders and
// closes: audit-orders.test.ts.)
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@broker/api';
import { transformer } from '@broker/api/transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';

const UA = 'audit-test/1.0 (settings)';
/** A staff client that says who it is, as a browser would. */
const withAgent = (token: string) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${t.url}/trpc`, transformer, headers: () => ({ authorization: `Bearer ${token}`, 'user-agent': UA }) })] });
const fromHere = (r: { ip: string | null; details: unknown }) => [r.ip?.endsWith('127.0.0.1') ?? false, (r.details as { userAgent?: string }).userAgent];

let t: TestEngine;
let superAdmin: string;
beforeAll(async () => {
  t = await startTestEngine();
  superAdmin = (await t.login('superadmin@broker.local')).token;
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('audit rows with before and after', () => {
  it('risk settings', async () => {
    const { accountId } = await t.createTrader();
    const api = withAgent(superAdmin);
    await api.admin.risk.updateSettings.mutate({ accountId, maxOpenPositions: 10 });
    await api.admin.risk.updateSettings.mutate({ accountId, maxOpenPositions: 20, maxPositionSize: '5' });
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { action: 'risk.settings', entityId: String(accountId) }, orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.details).toMatchObject({ before: null, after: { maxOpenPositions: 10 } });
    expect(rows[1]!.details).toMatchObject({ before: { maxOpenPositions: 10, maxPositionSize: null }, after: { maxOpenPositions: 20, maxPositionSize: '5' } });
    for (const r of rows) expect(fromHere(r)).toEqual([true, UA]);
  });

  it('a rollover run by hand: who, from where', async () => {
    const run = await withAgent(superAdmin).admin.risk.rollover.mutate({}); // the last day whose rollover is due
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { action: 'risk.rollover', entityId: run.tradingDay } });
    expect(rows).toHaveLength(1);
    expect(fromHere(rows[0]!)).toEqual([true, UA]);
  });

  it('LP changes, settings included', async () => {
    const api = withAgent(superAdmin);
    const lp = await api.admin.lps.upsert.mutate({ name: 'AUDIT-LP', type: 'REST', enabled: false, settings: { streamUrl: 'https://stream-fxpractice.oanda.com', accountId: 'acc-1' }, credentialEnv: { token: 'LP_AUDIT_TOKEN' } });
    await api.admin.lps.upsert.mutate({ id: lp.id!, name: 'AUDIT-LP', type: 'REST', enabled: false, priority: 7, settings: { streamUrl: 'https://stream-fxtrade.oanda.com', accountId: 'acc-2' }, credentialEnv: { token: 'LP_AUDIT_TOKEN' } });
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { entityType: 'liquidity_provider', entityId: String(lp.id) }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual(['lp.create', 'lp.update']);
    for (const r of rows) expect(fromHere(r)).toEqual([true, UA]);
    expect(rows[0]!.details).toMatchObject({ before: null, after: { settings: { accountId: 'acc-1' }, credentialEnv: { token: 'LP_AUDIT_TOKEN' } } });
    expect(rows[1]!.details).toMatchObject({
      before: { priority: 100, settings: { streamUrl: 'https://stream-fxpractice.oanda.com' } },
      after: { priority: 7, settings: { streamUrl: 'https://stream-fxtrade.oanda.com', accountId: 'acc-2' } },
    });
  });
});
