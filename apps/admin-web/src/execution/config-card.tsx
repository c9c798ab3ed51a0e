'use client';
// The routing configuration (admin.execution.config / updateConfig): every field with the sentence that says
// what the router does with it, in the order the router applies its rules. Only what changed is sent; the
// engine applies it to the next order, without a restart, and audits it with before and after.
import type { ExecutionConfigDto } from '@broker/api';
import { Button, Card, ErrorNotice, Field, Input, Select, Skeleton, StatusDot, SuccessNotice, cx } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { engineErrorsToFields } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { CONFIG_FIELDS, CONFIG_SECTIONS, configChanges, draftOf, type ConfigDraft, type ConfigField, type ConfigKey } from './config-fields.ts';
import { MODE_LABEL } from './labels.ts';

export function ConfigCard({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.admin.execution.config.queryOptions(undefined, { refetchInterval: 30_000 }));
  const update = useMutation(trpc.admin.execution.updateConfig.mutationOptions());
  const [draft, setDraft] = useState<ConfigDraft | null>(null);
  const [base, setBase] = useState<ExecutionConfigDto | null>(null);
  const [errors, setErrors] = useState<Partial<Record<ConfigKey, string>>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // The form starts from what the engine has; a refetch does not overwrite what the dealer is typing.
  useEffect(() => {
    if (q.data && (!base || !draft || JSON.stringify(draftOf(base)) === JSON.stringify(draft))) {
      setBase(q.data);
      setDraft(draftOf(q.data));
    }
  }, [q.data]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!base || !draft) return;
    setError(null);
    setSaved(null);
    const r = configChanges(base, draft);
    if (!r.ok) {
      setErrors(r.errors);
      setError({ code: 'VALIDATION_ERROR', message: 'Check the fields marked below.' });
      return;
    }
    setErrors({});
    if (r.changed.length === 0) return setSaved('Nothing changed.');
    update.mutate(r.input, {
      onSuccess: (res) => {
        queryClient.setQueryData(trpc.admin.execution.config.queryKey(), res);
        setBase(res);
        setDraft(draftOf(res));
        setSaved(`Saved: ${r.changed.map((k) => CONFIG_FIELDS.find((f) => f.key === k)?.label ?? k).join(', ')}. It applies to the next order.`);
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(engineErrorsToFields<ConfigKey>(info));
        setError(info);
      },
    });
  }

  const set = (k: ConfigKey) => (v: string) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const dirty = base && draft ? configChanges(base, draft) : null;
  const changedCount = dirty?.ok ? dirty.changed.length : dirty ? Object.keys(dirty.errors).length : 0;

  return (
    <Card
      title="Routing configuration"
      actions={
        <StatusDot tone={q.isError ? 'error' : q.isFetching ? 'warn' : 'ok'} label={q.isError ? 'Unavailable' : q.isFetching ? 'Loading…' : base?.updatedAt ? `Changed ${base.updatedAt.toLocaleString()}` : 'Loaded'} />
      }
      data-testid="exec-config"
    >
      {q.isError && !draft && (
        <div className="p-3">
          <ErrorNotice error={appError(q.error)} />
          <Button size="sm" className="mt-2" onClick={() => void q.refetch()}>
            Retry
          </Button>
        </div>
      )}
      {!draft && !q.isError && (
        <div className="flex flex-col gap-2 p-4">
          <Skeleton className="w-64" />
          <Skeleton className="w-48" />
          <Skeleton className="w-56" />
        </div>
      )}
      {draft && (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 p-3" data-testid="exec-config-form">
          <p className="text-xs text-zinc-400">
            Every opening order asks the router. The first rule that applies decides, in the order below; every decision is stored on the order with the figures it used.
          </p>
          {!canEdit && (
            <p className="rounded border border-amber-500/30 bg-amber-500/10 px-3 py-2 text-xs text-amber-200" data-testid="exec-read-only">
              Read-only: the execution model is changed by a risk manager or the super admin.
            </p>
          )}
          <ol className="flex flex-col gap-3">
            {CONFIG_SECTIONS.map((s) => (
              <li key={s.step} className="rounded border border-zinc-800 p-3">
                <h3 className="flex items-baseline gap-2 text-sm font-semibold text-zinc-200">
                  <span className="rounded bg-zinc-800 px-1.5 font-mono text-xs text-sky-300">{s.step}</span>
                  {s.title}
                </h3>
                <p className="mt-1 text-xs text-zinc-400">{s.help}</p>
                {s.fields.length > 0 && (
                  <div className="mt-2 flex flex-col gap-2">
                    {s.fields.map((f) => (
                      <ConfigRow key={f.key} field={f} value={draft[f.key]} onChange={set(f.key)} error={errors[f.key]} disabled={!canEdit || update.isPending} />
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ol>
          {error && <ErrorNotice error={error} testId="exec-config-error" />}
          {saved && <SuccessNotice testId="exec-config-saved">{saved}</SuccessNotice>}
          {canEdit && (
            <div className="flex items-center gap-2">
              <Button type="submit" variant="primary" disabled={update.isPending} data-testid="exec-config-save">
                {update.isPending ? 'Saving…' : 'Save changes'}
              </Button>
              <Button
                variant="ghost"
                disabled={update.isPending || changedCount === 0}
                onClick={() => {
                  if (base) setDraft(draftOf(base));
                  setErrors({});
                  setError(null);
                }}
              >
                Undo changes
              </Button>
              <span className="text-xs text-zinc-500">{changedCount ? `${changedCount} changed` : 'No changes'}</span>
            </div>
          )}
        </form>
      )}
    </Card>
  );
}

function ConfigRow({ field: f, value, onChange, error, disabled }: { field: ConfigField; value: string; onChange: (v: string) => void; error?: string; disabled: boolean }) {
  const testId = `exec-${f.key}`;
  return (
    <div className="grid grid-cols-1 gap-1 md:grid-cols-[18rem_minmax(0,1fr)] md:gap-3">
      {f.kind === 'bool' ? (
        <label className="flex items-center gap-2 text-sm text-zinc-200">
          <input type="checkbox" className="size-4 accent-sky-500" checked={value === 'on'} onChange={(e) => onChange(e.target.checked ? 'on' : 'off')} disabled={disabled} data-testid={testId} />
          {f.label}
        </label>
      ) : (
        <Field label={f.unit ? `${f.label} (${f.unit})` : f.label} error={error} errorTestId={`${testId}-error`}>
          {(a) =>
            f.kind === 'mode' || f.kind === 'horizon' ? (
              <Select {...a} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
                {(f.kind === 'mode' ? (['A_BOOK', 'B_BOOK', 'C_BOOK'] as const) : (['1s', '10s', '60s'] as const)).map((m) => (
                  <option key={m} value={m}>
                    {f.kind === 'mode' ? MODE_LABEL[m as keyof typeof MODE_LABEL] : `+${m}`}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                {...a}
                inputMode={f.kind === 'int' ? 'numeric' : 'decimal'}
                value={value}
                placeholder={f.kind === 'nullableDecimal' ? 'not used' : undefined}
                onChange={(e) => onChange(e.target.value)}
                disabled={disabled}
                className="font-mono tabular-nums"
                data-testid={testId}
              />
            )
          }
        </Field>
      )}
      <p className={cx('text-xs text-zinc-400', f.kind !== 'bool' && 'md:pt-5')}>
        {f.help} <span className="font-mono text-[10px] text-zinc-500">{f.rule}</span>
      </p>
    </div>
  );
}
