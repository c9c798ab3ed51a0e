import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DetailsView } from '../src/audit/details-view.tsx';
import { DepositInput } from '@broker/api/schemas';
import { engineErrorsToFields, issuesToFields, MONEY_CODE_FIELDS } from '../src/staff/form-errors.ts';
import { permissionsOf } from '../src/staff/permissions.ts';

describe('errors next to the field', () => {
  it('puts the engine’s one-operation limit under the amount', () => {
    const info = { code: 'DEPOSIT_LIMIT', message: 'At most 1000000.00 in one operation; this was 1000000000.00' };
    expect(engineErrorsToFields(info, MONEY_CODE_FIELDS)).toEqual({ amount: info.message });
  });
  it('puts validation issues under their field and leaves unknown codes to the notice', () => {
    const info = { code: 'VALIDATION_ERROR', message: 'Input failed validation', issues: [{ path: 'reason', message: 'Give a reason (at least 3 characters)' }] };
    expect(engineErrorsToFields(info, MONEY_CODE_FIELDS)).toEqual({ reason: 'Give a reason (at least 3 characters)' });
    expect(engineErrorsToFields({ code: 'FORBIDDEN', message: 'Your role may not do this' }, MONEY_CODE_FIELDS)).toEqual({});
  });
  it('maps the shared schema’s issues by field, the first one winning', () => {
    const r = DepositInput.safeParse({ accountId: 1, amount: '10.001' });
    expect(r.success).toBe(false);
    expect(issuesToFields(r.error!.issues)).toEqual({ amount: 'At most 2 decimal places' });
  });
});

describe('roles as the engine’s routers have them', () => {
  it('SUPPORT writes nothing; RISK_MANAGER deals but moves no money; only SUPER_ADMIN edits symbols', () => {
    expect(permissionsOf('SUPPORT')).toMatchObject({ moveMoney: false, manageAccounts: false, deal: false, editSymbols: false });
    expect(permissionsOf('RISK_MANAGER')).toMatchObject({ moveMoney: false, manageAccounts: false, deal: true });
    expect(permissionsOf('ADMIN')).toMatchObject({ moveMoney: true, manageAccounts: true, deal: true, editSymbols: false });
    expect(permissionsOf('SUPER_ADMIN').editSymbols).toBe(true);
  });
});

describe('audit details', () => {
  it('shows before and after field by field and marks what changed', () => {
    const out = renderToStaticMarkup(h(DetailsView, { details: { before: { status: 'ACTIVE', leverage: 100 }, after: { status: 'SUSPENDED', leverage: 100 }, reason: 'chargeback' } }));
    expect(out).toMatch(/<tr[^>]*data-changed="true"[^>]*><td[^>]*>status<\/td><td[^>]*>ACTIVE<\/td><td[^>]*>SUSPENDED<\/td>/);
    expect(out).toMatch(/<tr[^>]*data-changed="false"[^>]*><td[^>]*>leverage<\/td>/);
    expect(out).toContain('chargeback');
  });
  it('shows details without a before/after as label and value', () => {
    const out = renderToStaticMarkup(h(DetailsView, { details: { amount: '500.00', method: null } }));
    expect(out).not.toContain('<table');
    expect(out).toContain('500.00');
    expect(out).toContain('—');
  });
});
