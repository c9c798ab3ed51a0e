import { Decimal } from 'decimal.js';
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReconcileResult } from '../src/accounts/reconcile-result.tsx';

const base = { accountId: 3, checkedAt: new Date('2026-12-03T12:00:00Z'), ledgerRows: 4, ledgerBalance: new Decimal('4743'), storedBalance: new Decimal('4743'), liveBalance: new Decimal('4743'), ledgerCredit: new Decimal('500'), storedCredit: new Decimal('500'), liveCredit: new Decimal('500'), positionsChecked: 1 };

describe('ReconcileResult', () => {
  it('says the books match with what was checked', () => {
    const out = renderToStaticMarkup(h(ReconcileResult, { r: { ...base, ok: true, breaks: [] } }));
    expect(out).toContain('data-testid="reconcile-ok"');
    expect(out).toContain('Match: 4 ledger rows sum to 4743.00 (credit entries to 500.00)');
    expect(out).not.toContain('reconcile-break');
  });
  it('leads with the first row that breaks, its expected and found values, then the rest', () => {
    const out = renderToStaticMarkup(
      h(ReconcileResult, {
        r: {
          ...base,
          ok: false,
          storedBalance: new Decimal('4843'),
          breaks: [
            { kind: 'ledger', id: '6', expected: '4993.00', actual: '5093.00', message: 'balanceAfter is not balanceBefore + amount' },
            { kind: 'balance', id: null, expected: '4743.00', actual: '4843.00', message: 'stored balance differs from the ledger' },
          ],
        },
      }),
    );
    expect(out).toMatch(/data-testid="reconcile-break"[^>]*data-code="BREAK · ledger #6"|data-code="BREAK · ledger #6"[^>]*data-testid="reconcile-break"/);
    expect(out).toContain('balanceAfter is not balanceBefore + amount (expected 4993.00, found 5093.00)');
    expect(out).toContain('<li>balance: stored balance differs from the ledger (expected 4743.00, found 4843.00)</li>');
    expect(out).not.toContain('reconcile-ok');
  });
});
