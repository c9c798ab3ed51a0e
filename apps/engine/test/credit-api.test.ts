// The broker's credit through tRPC (issue 14; docs/trading-rules-notes.md, Credit): credit in and out by staff,
// in equity and free margin but never in the balance nor withdrawable, a stop out's negative balance taken from
// credit first, reversals, reconciliation of credit from the ledger, and the statement.
import { Decimal } from 'decimal.js';
import { parse } from 'csv-parse/sync';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, eventually, startTestEngine, type TestEngine } from './harness.ts';

let t: TestEngine;
let admin: ReturnType<TestEngine['client']>;
beforeAll(async () => {
  t = await startTestEngine();
  admin = t.client((await t.login('admin@broker.local')).token);
});
afterAll(async () => {
  await t?.stop();
});

const d = (v: Decimal.Value) => new Decimal(v);
const stored = async (accountId: number) => {
  const a = await t.database.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  return { balance: d(a.balance.toString()), credit: d(a.credit.toString()) };
};
const ledger = (accountId: number) => t.database.db.prisma.ledgerEntry.findMany({ where: { accountId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
// XAUUSD (seed): contract 100, margin 5 %, no markup, commission 15/lot. At 2000.00 a 0.09 lot holds 900.00 of
// margin and pays 1.35; a 0.12 lot holds 1,200.00 and pays 1.80.
const gold = (price: string) => t.quoteTo('XAUUSD', price, price);

describe('credit in and out', () => {
  it('raises equity and free margin, not the balance; the client sees it in the summary, the breakdowns and the ledger', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const api = t.client(token);
    const row = await admin.admin.finance.creditIn.mutate({ accountId, amount: '500', reason: 'promotional credit, desk approval 17', clientNote: 'Trading credit' });
    expect(row.type).toBe('CREDIT');
    expect(row.amount.toFixed(2)).toBe('500.00');
    expect([row.balanceBefore.toFixed(2), row.balanceAfter.toFixed(2)]).toEqual(['1000.00', '1000.00']);
    expect((await stored(accountId)).credit.toFixed(2)).toBe('500.00');
    expect((await stored(accountId)).balance.toFixed(2)).toBe('1000.00');

    const s = await api.account.summary.query({ accountId });
    expect([s.balance, s.credit, s.equity, s.freeMargin].map((x) => x.toFixed(2))).toEqual(['1000.00', '500.00', '1500.00', '1500.00']);
    const equity = await api.account.explain.query({ accountId, figure: 'equity' });
    expect(equity.value!.toString()).toBe(s.equity.toString());
    expect(equity.inputs).toContainEqual({ label: 'Credit', value: '500.00' });
    expect(equity.formula).toContain('credit');
    const credit = await api.account.explain.query({ accountId, figure: 'credit' });
    expect(credit.value!.toFixed(2)).toBe('500.00');
    expect(credit.parts.map((p) => [p.label, p.value.toFixed(2)])).toEqual([['Credit in', '500.00']]);
    const balance = await api.account.explain.query({ accountId, figure: 'balance' });
    expect(balance.value!.toFixed(2)).toBe('1000.00');
    expect(balance.parts.map((p) => p.label)).not.toContain('Credit');
    expect((await admin.admin.accounts.get.query({ accountId })).credit.toFixed(2)).toBe('500.00');

    const mine = (await api.account.ledger.query({ accountId })).find((l) => l.id === row.id)!;
    expect(mine.type).toBe('CREDIT');
    expect(mine.note).toBe('Trading credit');
    expect(JSON.stringify(await api.account.ledger.query({ accountId }))).not.toContain('desk approval');
    const audit = await admin.admin.audit.log.query({ action: 'finance.credit_in', entityId: String(accountId) });
    expect(audit.rows[0]!.details).toMatchObject({ amount: '500', before: { credit: '0', balance: '1000' }, after: { credit: '500', balance: '1000' }, reason: 'promotional credit, desk approval 17' });
  });

  it('takes back at most the credit, never free margin below 0; within the one-operation limit, with a reason, by ADMIN only', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const bare = await t.createTrader({ balance: '1000' });
    const api = t.client(token);
    gold('2000.00');
    // Without credit the 0.12 lot's 1,200.00 of margin is refused; with 500.00 of credit it is carried.
    expect(await errorCode(t.client(bare.token).orders.market.mutate({ accountId: bare.accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.12' }))).toBe('INSUFFICIENT_MARGIN');
    await admin.admin.finance.creditIn.mutate({ accountId, amount: '500', reason: 'credit line' });
    const o = await api.orders.market.mutate({ accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.12' });
    // Equity 998.20 + 500.00 = 1,498.20; free margin 298.20.
    expect((await api.account.summary.query({ accountId })).freeMargin.toFixed(2)).toBe('298.20');
    expect(await errorCode(admin.admin.finance.creditOut.mutate({ accountId, amount: '600', reason: 'too much' }))).toBe('INSUFFICIENT_CREDIT');
    expect(await errorCode(admin.admin.finance.creditOut.mutate({ accountId, amount: '298.21', reason: 'one cent too far' }))).toBe('INSUFFICIENT_FUNDS');
    const out = await admin.admin.finance.creditOut.mutate({ accountId, amount: '298.20', reason: 'credit line reduced' });
    expect(out.amount.toFixed(2)).toBe('-298.20');
    const s = await api.account.summary.query({ accountId });
    expect([s.credit, s.freeMargin, s.balance].map((x) => x.toFixed(2))).toEqual(['201.80', '0.00', '998.20']);
    const audit = await admin.admin.audit.log.query({ action: 'finance.credit_out', entityId: String(accountId) });
    expect(audit.rows[0]!.details).toMatchObject({ before: { credit: '500' }, after: { credit: '201.8' } });

    expect(await errorCode(admin.admin.finance.creditIn.mutate({ accountId, amount: '1000000.01', reason: 'typo' }))).toBe('DEPOSIT_LIMIT');
    expect(await errorCode(admin.admin.finance.creditIn.mutate({ accountId, amount: '1e9', reason: 'typo' }))).toBe('DEPOSIT_LIMIT');
    expect(await errorCode(admin.admin.finance.creditIn.mutate({ accountId, amount: '10', reason: '' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(admin.admin.finance.creditOut.mutate({ accountId, amount: '-10', reason: 'negative' }))).toBe('VALIDATION_ERROR');
    for (const email of ['support@broker.local', 'risk@broker.local']) {
      const staff = t.client((await t.login(email)).token);
      expect(await errorCode(staff.admin.finance.creditIn.mutate({ accountId, amount: '10', reason: 'not mine to give' }))).toBe('FORBIDDEN');
      expect(await errorCode(staff.admin.finance.creditOut.mutate({ accountId, amount: '10', reason: 'not mine to take' }))).toBe('FORBIDDEN');
    }
    // The client cannot give itself credit either.
    expect(await errorCode(api.admin.finance.creditIn.mutate({ accountId, amount: '10', reason: 'self service' }))).toBe('FORBIDDEN');
    expect((await stored(accountId)).credit.toFixed(2)).toBe('201.80');
    await api.positions.close.mutate({ accountId, positionId: o.position!.id });
  });

  it('is never withdrawn and never lets the balance be: at most min(balance, free margin − credit) leaves', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const api = t.client(token);
    await admin.admin.finance.creditIn.mutate({ accountId, amount: '500', reason: 'credit line' });
    expect(await errorCode(admin.admin.finance.requestWithdrawal.mutate({ accountId, amount: '1500' }))).toBe('INSUFFICIENT_FUNDS');
    expect(await errorCode(api.account.requestWithdrawal.mutate({ accountId, amount: '1000.01' }))).toBe('INSUFFICIENT_FUNDS');
    gold('2000.00');
    const o = await api.orders.market.mutate({ accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.09' });
    // Balance 998.65, equity 1,498.65, free margin 598.65 of which 500.00 is credit: 98.65 may leave.
    expect(await errorCode(api.account.requestWithdrawal.mutate({ accountId, amount: '98.66' }))).toBe('INSUFFICIENT_FUNDS');
    const wr = await api.account.requestWithdrawal.mutate({ accountId, amount: '98.65' });
    // The approval queue shows the free margin with the credit in it, and the credit apart.
    expect([wr.freeMargin, wr.credit].map((x) => x.toFixed(2))).toEqual(['598.65', '500.00']);
    // The price falls before approval: the same check, on the account's queue, refuses it.
    gold('1999.00');
    expect(await errorCode(admin.admin.finance.approveWithdrawal.mutate({ id: wr.id }))).toBe('INSUFFICIENT_FUNDS');
    gold('2000.00');
    const approved = await admin.admin.finance.approveWithdrawal.mutate({ id: wr.id });
    expect(approved.status).toBe('APPROVED');
    expect(await errorCode(admin.admin.finance.adjust.mutate({ accountId, type: 'ADJUSTMENT', amount: '-0.01', reason: 'fee' }))).toBe('INSUFFICIENT_FUNDS');
    expect((await stored(accountId)).balance.toFixed(2)).toBe('900.00');
    expect((await stored(accountId)).credit.toFixed(2)).toBe('500.00');
    await api.positions.close.mutate({ accountId, positionId: o.position!.id });
  });
});

describe('stop out with credit', () => {
  it('holds open what credit keeps above stop out, where the same position without it is stopped out', async () => {
    const a = await t.createTrader({ balance: '1000' });
    const b = await t.createTrader({ balance: '1000' });
    await admin.admin.finance.creditIn.mutate({ accountId: a.accountId, amount: '500', reason: 'credit line' });
    gold('2000.00');
    for (const x of [a, b]) await t.client(x.token).orders.market.mutate({ accountId: x.accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.09' });
    gold('1960.00');
    // Bid 1900.00: P&L −900.00. A: equity 598.65 on 900.00 (66.52 %); B: 98.65 (10.96 %).
    gold('1900.00');
    await eventually(async () => expect(await t.client(b.token).account.positions.query({ accountId: b.accountId })).toEqual([]));
    const s = await eventually(async () => {
      const s = await t.client(a.token).account.summary.query({ accountId: a.accountId });
      expect(s.marginCall).toBe(true);
      return s;
    });
    expect(s.openPositions).toBe(1);
    expect([s.equity, s.marginLevel!].map((x) => x.toFixed(2))).toEqual(['598.65', '66.52']);
    await t.client(a.token).positions.closeAll.mutate({ accountId: a.accountId });
  });

  it('takes a negative balance from credit first, then protection: the client keeps what credit is left', async () => {
    const covered = await t.createTrader({ balance: '1000' });
    const short = await t.createTrader({ balance: '1000' });
    await admin.admin.finance.creditIn.mutate({ accountId: covered.accountId, amount: '500', reason: 'credit line' });
    await admin.admin.finance.creditIn.mutate({ accountId: short.accountId, amount: '100', reason: 'credit line' });
    gold('2000.00');
    for (const x of [covered, short]) await t.client(x.token).orders.market.mutate({ accountId: x.accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.09' });
    gold('1960.00'); // −360.00: 126 % and 82 %, no stop out
    await new Promise((r) => setTimeout(r, 100));
    gold('1870.00'); // a 4.6 % gap: −1,170.00, the balance ends at −171.35
    for (const x of [covered, short]) await eventually(async () => expect(await t.client(x.token).account.positions.query({ accountId: x.accountId })).toEqual([]));
    const rows = async (accountId: number) => (await ledger(accountId)).map((l) => [l.type, d(l.amount.toString()).toFixed(2), d(l.balanceAfter.toString()).toFixed(2)]);
    // Equity at the close 328.65: 171.35 of the credit goes, 328.65 of it stays.
    expect(await rows(covered.accountId)).toEqual([
      ['DEPOSIT', '1000.00', '1000.00'],
      ['CREDIT', '500.00', '1000.00'],
      ['COMMISSION', '-1.35', '998.65'],
      ['REALIZED_PNL', '-1170.00', '-171.35'],
      ['CREDIT', '-171.35', '-171.35'],
      ['NEGATIVE_BALANCE_PROTECTION', '171.35', '0.00'],
    ]);
    expect(Object.values(await stored(covered.accountId)).map((x) => x.toFixed(2))).toEqual(['0.00', '328.65']);
    expect((await t.client(covered.token).account.summary.query({ accountId: covered.accountId })).equity.toFixed(2)).toBe('328.65');
    // Equity at the close −71.35: all 100.00 of credit goes, protection brings the balance to 0.
    expect((await rows(short.accountId)).slice(-2)).toEqual([
      ['CREDIT', '-100.00', '-171.35'],
      ['NEGATIVE_BALANCE_PROTECTION', '171.35', '0.00'],
    ]);
    expect(Object.values(await stored(short.accountId)).map((x) => x.toFixed(2))).toEqual(['0.00', '0.00']);
    const audit = await admin.admin.audit.log.query({ action: 'risk.stop_out', entityId: String(covered.accountId) });
    expect(audit.rows[0]!.details).toMatchObject({ negativeBalanceProtection: '171.35', creditWrittenOff: '171.35', before: { credit: '500' }, after: { credit: '328.65' } });
    for (const x of [covered, short]) expect((await admin.admin.audit.reconcile.query({ accountId: x.accountId })).ok).toBe(true);
  });
});

describe('reversal and reconciliation', () => {
  it('reverses a mistaken credit entry by a linked entry, once, held to credit out\'s rules', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const api = t.client(token);
    const typo = await admin.admin.finance.creditIn.mutate({ accountId, amount: '5000', reason: 'credit line' });
    const rev = await admin.admin.finance.reverse.mutate({ ledgerId: typo.id, reason: 'typed 5000 for 500' });
    expect([rev.type, rev.amount.toFixed(2), rev.reversalOfId]).toEqual(['CREDIT', '-5000.00', typo.id]);
    expect(Object.values(await stored(accountId)).map((x) => x.toFixed(2))).toEqual(['1000.00', '0.00']);
    expect(await errorCode(admin.admin.finance.reverse.mutate({ ledgerId: typo.id, reason: 'again' }))).toBe('ALREADY_REVERSED');
    expect(await errorCode(admin.admin.finance.reverse.mutate({ ledgerId: rev.id, reason: 'undo the undo' }))).toBe('NOT_REVERSIBLE');
    expect((await admin.admin.accounts.ledger.query({ accountId })).find((l) => l.id === typo.id)!.reversedById).toBe(rev.id);

    // Credit the open position needs is not taken back by a reversal either.
    const line = await admin.admin.finance.creditIn.mutate({ accountId, amount: '500', reason: 'credit line' });
    gold('2000.00');
    const o = await api.orders.market.mutate({ accountId, symbol: 'XAUUSD', side: 'BUY', volume: '0.12' });
    expect(await errorCode(admin.admin.finance.reverse.mutate({ ledgerId: line.id, reason: 'line withdrawn' }))).toBe('INSUFFICIENT_FUNDS');
    await api.positions.close.mutate({ accountId, positionId: o.position!.id });
    await admin.admin.finance.reverse.mutate({ ledgerId: line.id, reason: 'line withdrawn' });
    expect((await stored(accountId)).credit.toFixed(2)).toBe('0.00');
  });

  it('rebuilds credit from the credit entries and names a stored credit, or a credit entry, that does not match', async () => {
    const { accountId } = await t.createTrader({ balance: '1000' });
    await admin.admin.finance.creditIn.mutate({ accountId, amount: '300', reason: 'credit line' });
    const out = await admin.admin.finance.creditOut.mutate({ accountId, amount: '100', reason: 'credit line reduced' });
    const ok = await admin.admin.audit.reconcile.query({ accountId });
    expect(ok.ok).toBe(true);
    expect([ok.ledgerBalance, ok.ledgerCredit, ok.storedCredit, ok.liveCredit].map((x) => x.toFixed(2))).toEqual(['1000.00', '200.00', '200.00', '200.00']);

    const prisma = t.database.db.prisma;
    await prisma.$executeRawUnsafe('UPDATE accounts SET credit = 250 WHERE id = $1', accountId);
    const bad = await admin.admin.audit.reconcile.query({ accountId });
    expect(bad.ok).toBe(false);
    expect(bad.breaks.map((b) => [b.kind, b.expected, b.actual])).toEqual([
      ['credit', '200.00', '250.00'],
      ['credit', '250.00', '200.00'],
    ]);
    expect((await admin.admin.audit.reconcileAll.mutate()).mismatched).toContain(accountId);
    await prisma.$executeRawUnsafe('UPDATE accounts SET credit = 200 WHERE id = $1', accountId);

    // A credit entry that claims to have moved the balance is the first row that breaks.
    await prisma.$executeRawUnsafe('UPDATE ledger SET balance_after = balance_after - 100 WHERE id = $1', BigInt(out.id));
    const moved = await admin.admin.audit.reconcile.query({ accountId });
    expect(moved.breaks[0]).toMatchObject({ kind: 'ledger', id: out.id, expected: '1000.00', actual: '900.00' });
    await prisma.$executeRawUnsafe('UPDATE ledger SET balance_after = balance_after + 100 WHERE id = $1', BigInt(out.id));
    expect((await admin.admin.audit.reconcile.query({ accountId })).ok).toBe(true);
  });
});

describe('statement', () => {
  it('shows credit apart from the balance, line by line, in the data, the CSV and the PDF', async () => {
    const { token, accountId } = await t.createTrader({ balance: '1000' });
    const api = t.client(token);
    await new Promise((r) => setTimeout(r, 5));
    const from = new Date();
    await admin.admin.finance.creditIn.mutate({ accountId, amount: '500', reason: 'credit line', clientNote: 'Trading credit' });
    await admin.admin.finance.deposit.mutate({ accountId, amount: '20' });
    const to = new Date(Date.now() + 1000);
    const s = await api.account.statement.query({ accountId, from, to });
    expect(s.lines.map((l) => [l.type, l.amount.toFixed(2), l.balance.toFixed(2), l.credit.toFixed(2)])).toEqual([
      ['CREDIT', '500.00', '1000.00', '500.00'],
      ['DEPOSIT', '20.00', '1020.00', '500.00'],
    ]);
    expect([s.openingBalance, s.closingBalance, s.openingCredit, s.closingCredit, s.summary.credit, s.summary.net].map((x) => x.toFixed(2))).toEqual(['1000.00', '1020.00', '0.00', '500.00', '500.00', '20.00']);
    const csv = await api.account.statementFile.query({ accountId, from, to, format: 'csv' });
    const rows = parse(Buffer.from(csv.base64, 'base64').toString('utf8'), { relax_column_count: true }) as string[][];
    expect(rows.find((r) => r[0] === 'Time (UTC)' && r[1] === 'Entry')).toEqual(['Time (UTC)', 'Entry', 'Type', 'Description', 'Amount', 'Balance', 'Credit']);
    expect(rows.find((r) => r[2] === 'CREDIT')!.slice(3)).toEqual(['Credit · Trading credit', '500.00', '1000.00', '500.00']);
    expect(rows.find((r) => r[0] === 'Closing credit')![1]).toBe('500.00');
    const pdf = await api.account.statementFile.query({ accountId, from, to, format: 'pdf' });
    const doc = await getDocument({ data: new Uint8Array(Buffer.from(pdf.base64, 'base64')), useSystemFonts: false, isEvalSupported: false }).promise;
    const text = (await (await doc.getPage(1)).getTextContent()).items.map((it) => ('str' in it ? it.str : '')).join(' ');
    expect(text).toContain('Opening balance: 1000.00 USD · credit 0.00 USD');
    expect(text).toContain('Closing balance: 1020.00 USD · credit 500.00 USD');
    expect(text).toContain('Credit · Trading credit');
  });
});
