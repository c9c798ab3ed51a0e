'use client';
// Client overrides (rule 1: decides first) and symbol rules (the base mode for a symbol, its own max B-Book
// volume, priority LP and fallback mode). Writes are SUPER_ADMIN's and RISK_MANAGER's; the engine refuses
// anyone else, this only hides the buttons.
import type { AdminAccountRow, SymbolRuleDto } from '@broker/api';
import { Button, Card, DecimalField, ErrorNotice, Field, Input, RowAction, RowActions, Select, SuccessNotice, TBody, THead, Table, TableRows, Td, Th, Tr } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ClientOverrideInput, SymbolRuleInput } from '../api/execution-schemas.ts';
import { AccountPicker } from '../money/account-picker.tsx';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { FlowPanel } from './flow-panel.tsx';
import { MODES, MODE_LABEL, type Mode } from './labels.ts';

export function OverridesCard({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.execution.overrides.queryOptions(undefined, { refetchInterval: 15_000 }));
  const config = useQuery(trpc.admin.execution.config.queryOptions());
  const set = useMutation(trpc.admin.execution.setOverride.mutationOptions());
  const remove = useMutation(trpc.admin.execution.removeOverride.mutationOptions());
  const [account, setAccount] = useState<AdminAccountRow | null>(null);
  const [mode, setMode] = useState<Mode>('A_BOOK');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'accountId' | 'mode' | 'reason'>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.execution.overrides.queryKey() });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const input = { accountId: account?.id ?? 0, mode, reason };
    const parsed = ClientOverrideInput.safeParse(input);
    if (!parsed.success) {
      const errs = issuesToFields<'accountId' | 'mode' | 'reason'>(parsed.error.issues);
      if (errs.accountId) errs.accountId = 'Choose an account';
      return setErrors(errs);
    }
    setErrors({});
    set.mutate(parsed.data, {
      onSuccess: (o) => {
        refresh();
        setDone(`Account ${o.accountNumber}: ${MODE_LABEL[o.mode as Mode] ?? o.mode} from its next order.`);
        setReason('');
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields(info, { ACCOUNT_NOT_FOUND: 'accountId' }));
        setError(info);
      },
    });
  }

  return (
    <Card title="1 · Client overrides" data-testid="exec-overrides">
      <p className="border-b border-zinc-800 px-3 py-2 text-xs text-zinc-400">A client with an override goes to its mode on every opening order, before any other rule. Remove it to let the rules decide again.</p>
      <div className="overflow-x-auto">
        <Table data-testid="overrides-table">
          <THead>
            <tr>
              <Th>Account</Th>
              <Th>Mode</Th>
              <Th>Reason</Th>
              <Th>Since</Th>
              <Th className="sticky right-0 bg-zinc-900" />
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={5} query={list} rows={list.data} unavailable="Overrides unavailable" emptyText="No client overrides: the rules decide for every client">
              {(rows) =>
                rows.map((o) => (
                  <Tr key={o.accountId} data-testid={`override-row-${o.accountNumber}`} data-mode={o.mode}>
                    <Td>
                      <Link href={`/accounts/${o.accountId}`} className="font-mono text-sky-300 hover:underline">
                        {o.accountNumber}
                      </Link>
                    </Td>
                    <Td className="whitespace-nowrap">{MODE_LABEL[o.mode as Mode] ?? o.mode}</Td>
                    <Td className="max-w-64 truncate" title={o.reason}>
                      {o.reason}
                    </Td>
                    <Td className="whitespace-nowrap text-[11px] text-zinc-400">{o.createdAt.toLocaleString()}</Td>
                    <RowActions>
                      {canEdit && (
                        <RowAction
                          tone="rose"
                          disabled={remove.isPending}
                          onClick={() => {
                            setError(null);
                            setDone(null);
                            remove.mutate({ accountId: o.accountId }, { onSuccess: () => (refresh(), setDone(`Override on ${o.accountNumber} removed.`)), onError: (e) => setError(appError(e)) });
                          }}
                          data-testid={`override-remove-${o.accountNumber}`}
                        >
                          Remove
                        </RowAction>
                      )}
                    </RowActions>
                  </Tr>
                ))
              }
            </TableRows>
          </TBody>
        </Table>
      </div>
      {canEdit && (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 border-t border-zinc-800 p-3" data-testid="override-form">
          <h3 className="text-xs font-semibold text-zinc-300">Add or change an override</h3>
          <AccountPicker value={account} onChange={setAccount} error={errors.accountId} testId="override-account" />
          {account && <FlowPanel accountId={account.id} config={config.data} />}
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-[12rem_minmax(0,1fr)]">
            <Field label="Mode" error={errors.mode}>
              {(a) => (
                <Select {...a} value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="override-mode">
                  {MODES.map((m) => (
                    <option key={m} value={m}>
                      {MODE_LABEL[m]}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="Reason (audited)" error={errors.reason} errorTestId="override-reason-error">
              {(a) => <Input {...a} value={reason} maxLength={200} placeholder="e.g. scalps news, hedge with the LP" onChange={(e) => setReason(e.target.value)} data-testid="override-reason" />}
            </Field>
          </div>
          {error && <ErrorNotice error={error} testId="override-error" />}
          {done && <SuccessNotice testId="override-done">{done}</SuccessNotice>}
          <div>
            <Button type="submit" variant="primary" disabled={set.isPending} data-testid="override-submit">
              {set.isPending ? 'Saving…' : 'Set override'}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}

type RuleField = 'symbol' | 'mode' | 'maxBbookVolume' | 'priorityLp' | 'fallbackMode';
const EMPTY_RULE = { symbol: '', mode: 'B_BOOK' as Mode, maxBbookVolume: '', priorityLp: '', fallbackMode: '' };

export function SymbolRulesCard({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.execution.symbolRules.queryOptions(undefined, { refetchInterval: 15_000 }));
  const symbols = useQuery(trpc.admin.symbols.list.queryOptions());
  const lps = useQuery(trpc.admin.lps.list.queryOptions());
  const set = useMutation(trpc.admin.execution.setSymbolRule.mutationOptions());
  const remove = useMutation(trpc.admin.execution.removeSymbolRule.mutationOptions());
  const [draft, setDraft] = useState(EMPTY_RULE);
  const [errors, setErrors] = useState<FieldErrors<RuleField>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.execution.symbolRules.queryKey() });
  const lpNames = (lps.data ?? []).filter((l) => l.type !== 'MANUAL').map((l) => l.name);

  function edit(r: SymbolRuleDto) {
    setDraft({ symbol: r.symbol, mode: r.mode as Mode, maxBbookVolume: r.maxBbookVolume?.toString() ?? '', priorityLp: r.priorityLp ?? '', fallbackMode: r.fallbackMode ?? '' });
    setErrors({});
    setDone(null);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const input = {
      symbol: draft.symbol,
      mode: draft.mode,
      maxBbookVolume: draft.maxBbookVolume.trim() === '' ? null : draft.maxBbookVolume.trim(),
      priorityLp: draft.priorityLp || null,
      fallbackMode: (draft.fallbackMode || null) as Mode | null,
    };
    const parsed = SymbolRuleInput.safeParse(input);
    if (!parsed.success) {
      const errs = issuesToFields<RuleField>(parsed.error.issues);
      if (errs.symbol && !draft.symbol) errs.symbol = 'Choose a symbol';
      return setErrors(errs);
    }
    setErrors({});
    set.mutate(input, {
      onSuccess: (r) => {
        refresh();
        setDone(`${r.symbol}: ${MODE_LABEL[r.mode as Mode] ?? r.mode} from the next order.`);
        setDraft(EMPTY_RULE);
      },
      onError: (err) => {
        const info = appError(err);
        const errs = engineErrorsToFields<RuleField>(info, { UNKNOWN_SYMBOL: 'symbol' });
        // The engine names the field in its message ("priorityLp: no LP named …").
        const m = /^(priorityLp|maxBbookVolume|fallbackMode): (.*)$/.exec(info.message);
        if (m) errs[m[1] as RuleField] ??= m[2];
        setErrors(errs);
        setError(info);
      },
    });
  }

  return (
    <Card title="Symbol rules" data-testid="exec-symbol-rules">
      <p className="border-b border-zinc-800 px-3 py-2 text-xs text-zinc-400">
        A symbol rule replaces the global mode for its symbol (step 4), may set its own max B-Book volume per order (step 5), the LP that takes its A-Book orders and hedges, and what happens when that LP is down.
      </p>
      <div className="overflow-x-auto">
        <Table data-testid="symbol-rules-table">
          <THead>
            <tr>
              <Th>Symbol</Th>
              <Th>Mode</Th>
              <Th numeric title="Lots per order kept on the house’s book">Max B-Book</Th>
              <Th>Priority LP</Th>
              <Th title="When the priority LP is down">Fallback</Th>
              <Th className="sticky right-0 bg-zinc-900" />
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={6} query={list} rows={list.data} unavailable="Symbol rules unavailable" emptyText="No symbol rules: every symbol follows the global mode">
              {(rows) =>
                rows.map((r) => (
                  <Tr key={r.symbol} data-testid={`symbol-rule-row-${r.symbol}`} data-mode={r.mode}>
                    <Td className="font-semibold">{r.symbol}</Td>
                    <Td className="whitespace-nowrap">{MODE_LABEL[r.mode as Mode] ?? r.mode}</Td>
                    <Td numeric data-testid={`symbol-rule-max-${r.symbol}`}>
                      {r.maxBbookVolume ? r.maxBbookVolume.toString() : <span className="text-zinc-500">global</span>}
                    </Td>
                    <Td data-testid={`symbol-rule-lp-${r.symbol}`}>{r.priorityLp ?? <span className="text-zinc-500">best healthy</span>}</Td>
                    <Td className="whitespace-nowrap">{r.fallbackMode ? (MODE_LABEL[r.fallbackMode as Mode] ?? r.fallbackMode) : <span className="text-zinc-500">next healthy LP</span>}</Td>
                    <RowActions>
                      {canEdit && (
                        <>
                          <RowAction tone="sky" onClick={() => edit(r)} data-testid={`symbol-rule-edit-${r.symbol}`}>
                            Edit
                          </RowAction>
                          <RowAction
                            tone="rose"
                            disabled={remove.isPending}
                            onClick={() => {
                              setError(null);
                              setDone(null);
                              remove.mutate({ symbol: r.symbol }, { onSuccess: () => (refresh(), setDone(`${r.symbol} follows the global mode again.`)), onError: (e) => setError(appError(e)) });
                            }}
                            data-testid={`symbol-rule-remove-${r.symbol}`}
                          >
                            Remove
                          </RowAction>
                        </>
                      )}
                    </RowActions>
                  </Tr>
                ))
              }
            </TableRows>
          </TBody>
        </Table>
      </div>
      {canEdit && (
        <form onSubmit={onSubmit} noValidate className="grid grid-cols-1 gap-2 border-t border-zinc-800 p-3 sm:grid-cols-2" data-testid="symbol-rule-form">
          <h3 className="text-xs font-semibold text-zinc-300 sm:col-span-2">Add or change a symbol rule</h3>
          <Field label="Symbol" error={errors.symbol} errorTestId="symbol-rule-symbol-error">
            {(a) => (
              <Select {...a} value={draft.symbol} onChange={(e) => setDraft((d) => ({ ...d, symbol: e.target.value }))} data-testid="symbol-rule-symbol">
                <option value="">{symbols.isPending ? 'Loading…' : 'Choose a symbol'}</option>
                {(symbols.data ?? []).map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Mode" error={errors.mode}>
            {(a) => (
              <Select {...a} value={draft.mode} onChange={(e) => setDraft((d) => ({ ...d, mode: e.target.value as Mode }))} data-testid="symbol-rule-mode">
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABEL[m]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <DecimalField
            label="Max B-Book volume (lots per order)"
            hint="Empty: the global B-Book max volume"
            value={draft.maxBbookVolume}
            onValueChange={(v) => setDraft((d) => ({ ...d, maxBbookVolume: v }))}
            error={errors.maxBbookVolume}
            errorTestId="symbol-rule-max-error"
            data-testid="symbol-rule-max"
          />
          <Field label="Priority LP" error={errors.priorityLp} hint="Empty: the healthy LP with the lowest priority number" errorTestId="symbol-rule-lp-error">
            {(a) => (
              <Select {...a} value={draft.priorityLp} onChange={(e) => setDraft((d) => ({ ...d, priorityLp: e.target.value }))} data-testid="symbol-rule-lp">
                <option value="">{lps.isPending ? 'Loading…' : 'Best healthy LP'}</option>
                {lpNames.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="If that LP is down" error={errors.fallbackMode} hint="Empty: the next healthy LP takes the order under the same rule">
            {(a) => (
              <Select {...a} value={draft.fallbackMode} onChange={(e) => setDraft((d) => ({ ...d, fallbackMode: e.target.value }))} data-testid="symbol-rule-fallback">
                <option value="">Next healthy LP</option>
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABEL[m]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <div className="flex items-end gap-2">
            <Button type="submit" variant="primary" disabled={set.isPending} data-testid="symbol-rule-submit">
              {set.isPending ? 'Saving…' : 'Save rule'}
            </Button>
            <Button variant="ghost" onClick={() => (setDraft(EMPTY_RULE), setErrors({}))}>
              Clear
            </Button>
          </div>
          {error && <ErrorNotice className="sm:col-span-2" error={error} testId="symbol-rule-error" />}
          {done && (
            <SuccessNotice className="sm:col-span-2" testId="symbol-rule-done">
              {done}
            </SuccessNotice>
          )}
        </form>
      )}
    </Card>
  );
}
