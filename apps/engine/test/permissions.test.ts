// Issue 12: the permission table (packages/api/src/permissions.ts, docs/permissions.md) against the router and
// the engine: every staff procedure has a row, and every staff role × every staff procedure is allowed or
// refused exactly as the row says (a CLIENT is refused on all of them). Refused means FORBIDDEN before the
// procedure runs; allowed means anything but FORBIDDEN/UNAUTHENTICATED (the call itself may be refused on its
// merits, e.g. ROLLOVER_DONE).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, PERMISSIONS, ROLES, type Meta, type Role } from '@broker/api';
import { startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
const tokens = {} as Record<Role, string>;
let accountId: number;
let lpId: number;

const EMAIL: Record<Role, string> = {
  SUPER_ADMIN: 'superadmin@broker.local',
  ADMIN: 'admin@broker.local',
  RISK_MANAGER: 'risk@broker.local',
  SUPPORT: 'support@broker.local',
  CLIENT: 'trader1@broker.local',
};

beforeAll(async () => {
  t = await startTestEngine();
  for (const r of ROLES) tokens[r] = (await t.login(EMAIL[r])).token;
  accountId = (await t.login('trader1@broker.local')).accountIds[0]!;
  lpId = (await t.database.db.prisma.liquidityProvider.findFirstOrThrow({ where: { type: 'SIMULATED' } })).id;
  t.lp.push('EURUSD', '1.08450', '1.08452');
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

type ProcType = 'query' | 'mutation' | 'subscription';
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcType; meta?: Meta } }> } })._def.procedures).map(
  ([path, p]) => ({ path, type: p._def.type, meta: p._def.meta! }),
);
const staff = procedures.filter((p) => p.meta.access.kind === 'staff');

function inputFor(path: string): unknown {
  switch (path) {
    case 'admin.finance.deposit':
      return { accountId, amount: '1.00' };
    case 'admin.lps.enable':
    case 'admin.lps.disable':
    case 'admin.lps.reconnect':
      return { id: lpId };
    case 'admin.lps.upsert':
      return { name: `PERM-${Math.random().toString(36).slice(2, 8)}`, type: 'MANUAL', enabled: false };
    case 'admin.risk.pushQuote':
      return { symbol: 'EURUSD', bid: '1.08451', ask: '1.08453' };
    case 'admin.risk.rollover':
      return { tradingDay: '2026-01-05' };
    case 'admin.risk.updateSettings':
      return { accountId: null, maxOpenPositions: 1000 };
    default:
      return undefined;
  }
}

async function call(path: string, type: ProcType, input: unknown, token: string) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const body = JSON.stringify({ json: input });
  const res =
    type === 'query'
      ? await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers })
      : await fetch(`${t.url}/trpc/${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  return /"appCode":"([A-Z_]+)"/.exec(text)?.[1] ?? (res.status === 200 ? 'OK' : String(res.status));
}

describe('the permission table', () => {
  it('has a row for every staff procedure and none for anything else', () => {
    expect(staff.map((p) => p.path).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it('is the one docs/permissions.md shows', () => {
    const doc = readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    for (const [path, roles] of Object.entries(PERMISSIONS)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${path}\``));
      expect(row, path).toBeDefined();
      const cells = row!.split('|').slice(2, 6).map((c) => c.trim());
      expect(cells, path).toEqual((['SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER', 'SUPPORT'] as const).map((r) => ((roles as readonly string[]).includes(r) ? 'yes' : '—')));
    }
  });

  it('is enforced: every role × every staff procedure', async () => {
    const mismatches: string[] = [];
    for (const p of staff) {
      const allowed = PERMISSIONS[p.path as keyof typeof PERMISSIONS] as readonly Role[];
      for (const role of ROLES) {
        const code = await call(p.path, p.type, inputFor(p.path), tokens[role]);
        const refused = code === 'FORBIDDEN';
        if (code === 'UNAUTHENTICATED' || code === 'INTERNAL_ERROR' || refused === allowed.includes(role)) mismatches.push(`${p.path} as ${role}: ${code}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('the issue\'s cases: ADMIN cannot push quotes, roll over or change risk settings and LPs; RISK_MANAGER cannot push quotes or roll over', async () => {
    expect(await call('admin.risk.pushQuote', 'mutation', { symbol: 'EURUSD', bid: '3000', ask: '3000.1' }, tokens.RISK_MANAGER)).toBe('FORBIDDEN');
    expect(await call('admin.risk.pushQuote', 'mutation', { symbol: 'EURUSD', bid: '1.0845', ask: '1.0846' }, tokens.ADMIN)).toBe('FORBIDDEN');
    expect(await call('admin.risk.rollover', 'mutation', { tradingDay: '2026-01-06' }, tokens.RISK_MANAGER)).toBe('FORBIDDEN');
    expect(await call('admin.risk.rollover', 'mutation', { tradingDay: '2026-01-06' }, tokens.ADMIN)).toBe('FORBIDDEN');
    expect(await call('admin.risk.updateSettings', 'mutation', { accountId: null, maxOpenPositions: 5 }, tokens.ADMIN)).toBe('FORBIDDEN');
    expect(await call('admin.lps.upsert', 'mutation', inputFor('admin.lps.upsert'), tokens.ADMIN)).toBe('FORBIDDEN');
    expect(await call('admin.risk.updateSettings', 'mutation', { accountId: null, maxOpenPositions: 1000 }, tokens.RISK_MANAGER)).toBe('OK');
  });
});
