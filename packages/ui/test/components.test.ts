import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DecimalField, SlTpFields } from '../src/decimal-field.tsx';
import { LoginForm } from '../src/login-form.tsx';
import { ErrorNotice, SuccessNotice } from '../src/notice.tsx';
import { RowAction, RowActions, TableRows } from '../src/table.tsx';

const html = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el);
const noop = () => {};

describe('shared components keep the test ids the end-to-end tests use', () => {
  it('LoginForm', () => {
    const out = html(
      h(LoginForm, {
        schema: { safeParse: () => ({ success: false as const, error: { issues: [] } }) },
        signIn: async () => undefined,
        home: '/',
      }),
    );
    for (const id of ['login-email', 'login-password', 'login-submit']) expect(out).toContain(`data-testid="${id}"`);
    expect(out).toContain('Sign in');
  });

  it('DecimalField puts its error test id on the message under the control, not on the control', () => {
    const out = html(h(DecimalField, { label: 'Amount', value: '1e9', onValueChange: noop, error: 'At most 1000000.00 in one operation', errorTestId: 'deposit-amount-error', 'data-testid': 'deposit-amount' }));
    expect(out).toMatch(/<p[^>]*role="alert"[^>]*data-testid="deposit-amount-error"[^>]*>At most 1000000.00 in one operation<\/p>/);
    expect(out).toMatch(/<input[^>]*aria-invalid="true"[^>]*data-testid="deposit-amount"/);
  });

  it('DecimalField and SlTpFields', () => {
    const one = html(
      h(DecimalField, { label: 'Volume', value: '0.10', onValueChange: noop, 'data-testid': 'ticket-volume', placeholder: 'x' }),
    );
    expect(one).toMatch(/inputMode="decimal"/i);
    expect(one).toContain('data-testid="ticket-volume"');
    expect(one).toContain('class="h-9 w-full');
    expect(one).toContain('font-mono tabular-nums');
    const two = html(
      h(SlTpFields, {
        sl: '1',
        tp: '',
        onSl: noop,
        onTp: noop,
        errors: { sl: 'bad' },
        hints: { tp: 'hint' },
        testIdPrefix: 'modify',
        autoFocusSl: true,
      }),
    );
    expect(two).toContain('data-testid="modify-sl"');
    expect(two).toContain('data-testid="modify-tp"');
    expect(two).toContain('data-autofocus="true"');
    expect(two).toContain('bad');
    expect(two).toContain('hint');
  });

  it('ErrorNotice and SuccessNotice', () => {
    const err = html(h(ErrorNotice, { compact: true, error: { code: 'MARKET_CLOSED', message: 'Closed' }, testId: 'ticket-error' }));
    expect(err).toContain('role="alert"');
    expect(err).toContain('data-testid="ticket-error"');
    expect(err).toContain('data-code="MARKET_CLOSED"');
    expect(err).toContain('text-xs');
    const ok = html(h(SuccessNotice, { testId: 'risk-result', 'data-status': 'ok', children: 'Saved' }));
    expect(ok).toMatch(/^<div role="status"/);
    expect(ok).toContain('data-status="ok"');
    expect(html(h(SuccessNotice, { compact: true, testId: 'ticket-result', children: 'Done' }))).toMatch(/^<p role="status"/);
  });

  it('TableRows shows loading, failure, empty, then the rows', () => {
    const base = {
      colSpan: 3,
      unavailable: 'Orders unavailable',
      emptyText: 'No pending orders',
      children: (rs: readonly string[]) => rs.map((r) => h('tr', { key: r }, r)),
    };
    const table = (el: ReturnType<typeof h>) => html(h('table', null, h('tbody', null, el)));
    expect(table(h(TableRows<string>, { ...base, query: { isPending: true, isError: false, error: null }, rows: undefined }))).toContain(
      'animate-pulse',
    );
    expect(
      table(h(TableRows<string>, { ...base, query: { isPending: false, isError: true, error: { message: 'down' } }, rows: undefined })),
    ).toContain('Orders unavailable');
    expect(
      table(h(TableRows<string>, { ...base, query: { isPending: false, isError: true, error: { message: 'down' } }, rows: undefined })),
    ).toMatch(/Orders unavailable(<!-- -->)?: (<!-- -->)?down/);
    expect(table(h(TableRows<string>, { ...base, query: { isPending: false, isError: false, error: null }, rows: [] }))).toContain(
      'No pending orders',
    );
    expect(table(h(TableRows<string>, { ...base, query: { isPending: false, isError: false, error: null }, rows: ['a', 'b'] }))).toContain(
      '<tr>a</tr><tr>b</tr>',
    );
  });

  it('RowActions and RowAction', () => {
    const out = html(
      h(
        'table',
        null,
        h(
          'tbody',
          null,
          h(
            'tr',
            null,
            h(
              RowActions,
              null,
              h(RowAction, { tone: 'rose', disabled: true, 'data-testid': 'position-close-1' } as Parameters<typeof RowAction>[0], 'Close'),
            ),
          ),
        ),
      ),
    );
    expect(out).toContain('sticky right-0');
    expect(out).toContain('type="button"');
    expect(out).toContain('hover:border-rose-500/60');
    expect(out).toContain('data-testid="position-close-1"');
  });
});
