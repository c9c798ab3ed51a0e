// Issue 12 (audit gaps against design.md §9.3): risk-settings rows had no before/after, LP rows left out their
// settings. (Sign-ins, sign-outs and pushed quotes: rate-limits.test.ts, revocation.test.ts, lp-pipeline.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './harness.ts';

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
    const api = t.client(superAdmin);
    await api.admin.risk.updateSettings.mutate({ accountId, maxOpenPositions: 10 });
    await api.admin.risk.updateSettings.mutate({ accountId, maxOpenPositions: 20, maxPositionSize: '5' });
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { action: 'risk.settings', entityId: String(accountId) }, orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.details).toMatchObject({ before: null, after: { maxOpenPositions: 10 } });
    expect(rows[1]!.details).toMatchObject({ before: { maxOpenPositions: 10, maxPositionSize: null }, after: { maxOpenPositions: 20, maxPositionSize: '5' } });
  });

  it('LP changes, settings included', async () => {
    const api = t.client(superAdmin);
    const lp = await api.admin.lps.upsert.mutate({ name: 'AUDIT-LP', type: 'REST', enabled: false, settings: { streamUrl: 'https://stream-fxpractice.oanda.com', accountId: 'acc-1' }, credentialEnv: { token: 'LP_AUDIT_TOKEN' } });
    await api.admin.lps.upsert.mutate({ id: lp.id!, name: 'AUDIT-LP', type: 'REST', enabled: false, priority: 7, settings: { streamUrl: 'https://stream-fxtrade.oanda.com', accountId: 'acc-2' }, credentialEnv: { token: 'LP_AUDIT_TOKEN' } });
    const rows = await t.database.db.prisma.auditLog.findMany({ where: { entityType: 'liquidity_provider', entityId: String(lp.id) }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual(['lp.create', 'lp.update']);
    expect(rows[0]!.details).toMatchObject({ before: null, after: { settings: { accountId: 'acc-1' }, credentialEnv: { token: 'LP_AUDIT_TOKEN' } } });
    expect(rows[1]!.details).toMatchObject({
      before: { priority: 100, settings: { streamUrl: 'https://stream-fxpractice.oanda.com' } },
      after: { priority: 7, settings: { streamUrl: 'https://stream-fxtrade.oanda.com', accountId: 'acc-2' } },
    });
  });
});
