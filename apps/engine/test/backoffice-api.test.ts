// The back office's accounts and money through tRPC, as a dealer uses them (issue 14): limits on a deposit,
// the client's reference apart from the internal note, reversals by a linked entry, withdrawals through an
// approval queue checked at approval, adjustments with a reason, account creation and changes, roles, the
// audit log, and reconciliation (one account by hand, every account by the nightly job).
import { Decimal } from 'decimal.js';
import type { AlertEvent } from '@broker/api/socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@broker/db';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let admin: ReturnType<TestEngine['client']>;
let clockOffset = 0;
const clock = () => Date.now() + clockOffset;
beforeAll(async () => {
  t = await startTestEngine({ clock, engine: { reconcileCheckMs: 50 } });
  admin = t.client((await t.login('admin@broker.local')).token);
});
afterAll(async () => {
  await t?.stop();
});

const d = (v: Decimal.Value) => new Decimal(v);
const balanceOf = async (accountId: number) => d((await t.database.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).balance.toString());

describe('deposits', () => {
  it('refuses a typo of 1e9 (above the one-operation limit) and books nothing', async () => {
    const { accountId } = await t.createTrader({ balance: '1000' });
    expect(await errorCode(admin.admin.finance.deposit.mutate({ accountId, amount: '1000000000' }))).toBe('DEPOSIT_LIMIT');
    expect(await errorCode(admin.admin.finance.deposit.mutate({ accountId, amount: '1e9' }))).toBe('DEPOSIT_LIMIT');
    expect((await balanceOf(accountId)).toFixed(2)).toBe('1000.00');
    expect(await t.database.db.prisma.ledgerEntry.count({ where: { accountId } })).toBe(1);
  });

  it('shows the client the reference, never the internal note; staff see both', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const row = await admin.admin.finance.deposit.mutate({ accountId, amount: '250.00', reference: 'WIRE-778', note: 'KYC pending, do not release' });
    const client = await t.client(token).account.ledger.query({ accountId });
    const mine = client.find((l) => l.id === row.id)!;
    expect(mine.note).toBe('ref WIRE-778');
    expect(JSON.stringify(client)).not.toContain('KYC');
    const staff = await admin.admin.accounts.ledger.query({ accountId });
    expect(staff.find((l) => l.id === row.id)!.internalNote).toBe('KYC pending, do not release');
  });
});

describe('reversals', () => {
  it('reverses a mistaken deposit by a linked entry, once; a reversal and a commission are not reversible', async () => {
    const { accountId } = await t.createTrader({ balance: '1000' });
    const typo = await admin.admin.finance.deposit.mutate({ accountId, amount: '5000.00', reference: 'TYPO' });
    expect((await balanceOf(accountId)).toFixed(2)).toBe('6000.00');
    const rev = await admin.admin.finance.reverse.mutate({ ledgerId: typo.id, reason: 'typed 5000 for 500' });
    expect(rev.amount.toFixed(2)).toBe('-5000.00');
    expect(rev.reversalOfId).toBe(typo.id);
    expect(rev.type).toBe('DEPOSIT');
    expect((await balanceOf(accountId)).toFixed(2)).toBe('1000.00');
    const staff = await admin.admin.accounts.ledger.query({ accountId });
    expect(staff.find((l) => l.id === typo.id)!.reversedById).toBe(rev.id);
    expect(await errorCode(admin.admin.finance.reverse.mutate({ ledgerId: typo.id, reason: 'again' }))).toBe('ALREADY_REVERSED');
    expect(await errorCode(admin.admin.finance.reverse.mutate({ ledgerId: rev.id, reason: 'undo the undo' }))).toBe('NOT_REVERSIBLE');
    // Both entries stay: nothing is deleted.
    expect(await t.database.db.prisma.ledgerEntry.count({ where: { accountId } })).toBe(3);
    expect((await balanceOf(accountId)).toFixed(2)).toBe('1000.00');
  });

  it('two reversals of one entry at once book one', async () => {
    const { accountId } = await t.createTrader({ balance: '1000' });
    const dep = await admin.admin.finance.deposit.mutate({ accountId, amount: '100.00' });
    const codes = await Promise.all([1, 2, 3].map(() => errorCode(admin.admin.finance.reverse.mutate({ ledgerId: dep.id, reason: 'race test' }))));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'ALREADY_REVERSED')).toHaveLength(2);
    expect((await balanceOf(accountId)).toFixed(2)).toBe('1000.00');
  });
});

describe('withdrawals', () => {
  it('waits for approval, is booked once on approval, and the ledger shows it', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const req = await t.client(token).account.requestWithdrawal.mutate({ accountId, amount: '300.00', destination: 'DE89 3704 0044 0532 0130 00' });
    expect(req.status).toBe('PENDING');
    expect((await balanceOf(accountId)).toFixed(2)).toBe('1000.00');
    const queue = await admin.admin.finance.withdrawals.query({ status: 'PENDING', accountId });
    expect(queue.rows.map((r) => r.id)).toEqual([req.id]);
    expect(queue.rows[0]!.freeMargin.toFixed(2)).toBe('1000.00');
    const done = await admin.admin.finance.approveWithdrawal.mutate({ id: req.id });
    expect(done.status).toBe('APPROVED');
    expect((await balanceOf(accountId)).toFixed(2)).toBe('700.00');
    const ledger = await t.client(token).account.ledger.query({ accountId });
    const w = ledger.find((l) => l.id === done.ledgerId)!;
    expect(w.type).toBe('WITHDRAWAL');
    expect(w.amount.toFixed(2)).toBe('-300.00');
    expect(w.referenceType).toBe('WITHDRAWAL');
    expect(w.referenceId).toBe(req.id);
    expect(await errorCode(admin.admin.finance.approveWithdrawal.mutate({ id: req.id }))).toBe('WITHDRAWAL_NOT_PENDING');
    expect(await errorCode(admin.admin.finance.rejectWithdrawal.mutate({ id: req.id, reason: 'too late' }))).toBe('WITHDRAWAL_NOT_PENDING');
    expect((await balanceOf(accountId)).toFixed(2)).toBe('700.00');
  });

  it('is refused at approval when free margin no longer covers it, and stays pending; a rejection needs a reason', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const api = t.client(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const req = await api.account.requestWithdrawal.mutate({ accountId, amount: '900.00' });
    // 2 lots EURUSD hold ~7,333 margin at 1:30: far beyond the equity; 0.2 lots hold ~733.
    await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.2' });
    expect(await errorCode(admin.admin.finance.approveWithdrawal.mutate({ id: req.id }))).toBe('INSUFFICIENT_FUNDS');
    expect((await admin.admin.finance.withdrawals.query({ accountId })).rows[0]!.status).toBe('PENDING');
    expect(await errorCode(admin.admin.finance.rejectWithdrawal.mutate({ id: req.id, reason: '' }))).toBe('VALIDATION_ERROR');
    const rejected = await admin.admin.finance.rejectWithdrawal.mutate({ id: req.id, reason: 'open exposure' });
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.reviewNote).toBe('open exposure');
  });

  it('a client cannot ask for more than the free margin', async () => {
    const { token, accountId } = await t.createTrader({ balance: '100' });
    expect(await errorCode(t.client(token).account.requestWithdrawal.mutate({ accountId, amount: '100.01' }))).toBe('INSUFFICIENT_FUNDS');
  });
});

describe('adjustments', () => {
  it('need a reason; a bonus is positive; a negative adjustment never takes the balance below 0', async () => {
    const { accountId } = await t.createTrader({ balance: '50' });
    expect(await errorCode(admin.admin.finance.adjust.mutate({ accountId, type: 'ADJUSTMENT', amount: '10', reason: '' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(admin.admin.finance.adjust.mutate({ accountId, type: 'BONUS', amount: '-10', reason: 'claw back' }))).toBe('INVALID_AMOUNT');
    expect(await errorCode(admin.admin.finance.adjust.mutate({ accountId, type: 'ADJUSTMENT', amount: '-50.01', reason: 'fee' }))).toBe('INSUFFICIENT_FUNDS');
    const bonus = await admin.admin.finance.adjust.mutate({ accountId, type: 'BONUS', amount: '25.50', reason: 'welcome campaign', clientNote: 'Welcome bonus' });
    expect(bonus.note).toBe('Welcome bonus');
    expect(bonus.internalNote).toBe('welcome campaign');
    const fee = await admin.admin.finance.adjust.mutate({ accountId, type: 'ADJUSTMENT', amount: '-5.50', reason: 'wire fee' });
    expect(fee.balanceAfter.toFixed(2)).toBe('70.00');
    const audit = await admin.admin.audit.log.query({ action: 'finance.adjustment', entityId: String(accountId) });
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.details).toMatchObject({ reason: 'wire fee', before: { balance: '75.5' }, after: { balance: '70' } });
  });
});

describe('accounts', () => {
  it('creates a client with a generated password shown once, who can then sign in and trade', async () => {
    const email = `new-${Date.now()}@test.local`;
    const res = await admin.admin.accounts.create.mutate({ email, name: 'Ada Lovelace', type: 'LIVE', currency: 'EUR', leverage: 50, marginMode: 'NETTING', initialDeposit: '2500.00' });
    expect(res.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(res.account).toMatchObject({ email, type: 'LIVE', currency: 'EUR', leverage: 50, marginMode: 'NETTING', status: 'ACTIVE' });
    expect(res.account.accountNumber).toMatch(/^RTX-\d{6}$/);
    expect(res.account.balance.toFixed(2)).toBe('2500.00');
    const login = await t.client().auth.login.mutate({ email, password: res.password! });
    expect(login.accounts.map((a) => a.id)).toEqual([res.account.id]);
    // A second account for the same client: no new password.
    const second = await admin.admin.accounts.create.mutate({ email, name: 'Ada Lovelace' });
    expect(second.password).toBeNull();
    expect(second.account.userId).toBe(res.account.userId);
    expect(await errorCode(admin.admin.accounts.create.mutate({ email: 'admin@broker.local', name: 'Staff' }))).toBe('VALIDATION_ERROR');
    const stored = await t.database.db.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(stored.passwordHash).not.toContain(res.password!);
  });

  it('suspends, makes read-only, changes leverage, and audits each change with before and after', async () => {
    const { token, accountId } = await t.createTrader({ balance: '10000' });
    const api = t.client(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    await admin.admin.accounts.update.mutate({ accountId, status: 'SUSPENDED', reason: 'AML review' });
    expect(await errorCode(api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' }))).toBe('ACCOUNT_INACTIVE');
    await admin.admin.accounts.update.mutate({ accountId, status: 'READ_ONLY', reason: 'review done, watch' });
    expect(await errorCode(api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' }))).toBe('ACCOUNT_READ_ONLY');
    const row = await admin.admin.accounts.update.mutate({ accountId, status: 'ACTIVE', leverage: 10, reason: 'client asked for 1:10' });
    expect(row).toMatchObject({ status: 'ACTIVE', leverage: 10 });
    expect((await api.account.summary.query({ accountId })).leverage).toBe(10);
    const pos = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.1' });
    // 0.1 lot × 100,000 × 1.10003 at 1:10 = 1,100.03 (the account's leverage, under the symbol's 1:30).
    expect(pos.position!.margin.toFixed(2)).toBe('1100.03');
    expect(await errorCode(admin.admin.accounts.update.mutate({ accountId, marginMode: 'NETTING', reason: 'switch' }))).toBe('ACCOUNT_HAS_EXPOSURE');
    expect(await errorCode(admin.admin.accounts.update.mutate({ accountId, status: 'CLOSED', reason: 'close' }))).toBe('ACCOUNT_HAS_EXPOSURE');
    const audit = await admin.admin.audit.log.query({ action: 'account.update', entityId: String(accountId) });
    expect(audit.rows.map((r) => r.details)).toEqual([
      expect.objectContaining({ before: expect.objectContaining({ status: 'READ_ONLY', leverage: 100 }), after: expect.objectContaining({ status: 'ACTIVE', leverage: 10 }), reason: 'client asked for 1:10' }),
      expect.objectContaining({ before: expect.objectContaining({ status: 'SUSPENDED' }), after: expect.objectContaining({ status: 'READ_ONLY' }) }),
      expect.objectContaining({ before: expect.objectContaining({ status: 'ACTIVE' }), after: expect.objectContaining({ status: 'SUSPENDED' }), reason: 'AML review' }),
    ]);
    expect(audit.rows[0]!.actorEmail).toBe('admin@broker.local');
  });
});

describe('roles', () => {
  it('SUPPORT reads everything and every back-office write is refused by the engine; RISK_MANAGER cannot move money', async () => {
    const { accountId } = await t.createTrader({ balance: '1000' });
    const dep = await admin.admin.finance.deposit.mutate({ accountId, amount: '10.00' });
    const wr = await admin.admin.finance.requestWithdrawal.mutate({ accountId, amount: '1.00' });
    const writes = (api: ReturnType<TestEngine['client']>) => [
      api.admin.finance.deposit.mutate({ accountId, amount: '1' }),
      api.admin.finance.requestWithdrawal.mutate({ accountId, amount: '1' }),
      api.admin.finance.approveWithdrawal.mutate({ id: wr.id }),
      api.admin.finance.rejectWithdrawal.mutate({ id: wr.id, reason: 'no way' }),
      api.admin.finance.adjust.mutate({ accountId, type: 'BONUS', amount: '1', reason: 'test bonus' }),
      api.admin.finance.reverse.mutate({ ledgerId: dep.id, reason: 'test reverse' }),
      api.admin.accounts.create.mutate({ email: `x-${Date.now()}@test.local`, name: 'Nobody' }),
      api.admin.accounts.update.mutate({ accountId, status: 'SUSPENDED', reason: 'nope' }),
      api.admin.audit.reconcileAll.mutate(),
    ];
    for (const email of ['support@broker.local', 'risk@broker.local']) {
      const api = t.client((await t.login(email)).token);
      const codes = await Promise.all(writes(api).map(errorCode));
      expect(codes).toEqual(codes.map(() => 'FORBIDDEN'));
      // Reads answer.
      expect((await api.admin.accounts.get.query({ accountId })).id).toBe(accountId);
      expect((await api.admin.accounts.ledger.query({ accountId })).length).toBe(2);
      expect((await api.admin.finance.withdrawals.query({ accountId })).total).toBe(1);
      expect((await api.admin.audit.reconcile.query({ accountId })).ok).toBe(true);
      expect((await api.admin.audit.log.query({ entityId: String(accountId) })).rows.length).toBeGreaterThan(0);
    }
    expect((await balanceOf(accountId)).toFixed(2)).toBe('1010.00');
  });
});

describe('reconciliation', () => {
  it('matches a traded account; a corrupted ledger row is named as the first break, by hand and by the nightly job', async () => {
    const { token, accountId } = await t.createTrader({ balance: '5000' });
    const api = t.client(token);
    t.quoteTo('EURUSD', '1.10000', '1.10002');
    const open = await api.orders.market.mutate({ accountId, symbol: 'EURUSD', side: 'BUY', volume: '0.3' });
    await api.positions.close.mutate({ accountId, positionId: open.position!.id, volume: '0.1' });
    await admin.admin.finance.deposit.mutate({ accountId, amount: '123.45' });
    const clean = await admin.admin.audit.reconcile.query({ accountId });
    expect(clean).toMatchObject({ ok: true, breaks: [], positionsChecked: 1 });
    expect(clean.ledgerBalance.eq(clean.storedBalance)).toBe(true);

    // Someone edits one row in the database: the commission of the opening trade.
    const prisma = t.database.db.prisma;
    const commission = await prisma.ledgerEntry.findFirstOrThrow({ where: { accountId, type: 'COMMISSION' }, orderBy: { id: 'asc' } });
    await prisma.$executeRawUnsafe(`UPDATE ledger SET amount = amount + 1 WHERE id = ${commission.id}`);
    const broken = await admin.admin.audit.reconcile.query({ accountId });
    expect(broken.ok).toBe(false);
    expect(broken.breaks[0]).toMatchObject({ kind: 'ledger', id: commission.id.toString() });

    const alerts: AlertEvent[] = [];
    const off = t.running.engine.events.on('alert', (e) => alerts.push(e));
    // The night comes: move the engine's clock past the next 23:00 UTC.
    const now = new Date();
    const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23);
    clockOffset = (next > now.getTime() ? next : next + 86_400_000) - now.getTime() + 1000;
    await eventually(() => expect(alerts.length).toBeGreaterThan(0), 10_000);
    off();
    expect(alerts[0]).toMatchObject({ kind: 'RECONCILIATION_MISMATCH', severity: 'critical' });
    expect(alerts[0]!.accountIds).toContain(accountId);
    const last = await admin.admin.audit.lastReconciliation.query();
    expect(last!.mismatched).toContain(accountId);
    const row = (await admin.admin.audit.log.query({ action: 'reconcile.mismatch' })).rows[0]!;
    expect(row.actorRole).toBe('SYSTEM');
    expect(JSON.stringify(row.details)).toContain(`#${commission.id}`);
    // Put the row back: the next check agrees again.
    await prisma.$executeRawUnsafe(`UPDATE ledger SET amount = amount - 1 WHERE id = ${commission.id}`);
    expect((await admin.admin.audit.reconcile.query({ accountId })).ok).toBe(true);
    clockOffset = 0;
  });
});

it('a created client signs in with the demo password only if that is what it was given', async () => {
  const email = `pw-${Date.now()}@test.local`;
  await admin.admin.accounts.create.mutate({ email, name: 'Pat Doe' });
  expect(await errorCode(t.client().auth.login.mutate({ email, password: DEMO_PASSWORD }))).toBe('INVALID_CREDENTIALS');
});
