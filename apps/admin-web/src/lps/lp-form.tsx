'use client';
// Add / edit a liquidity provider (design.md §8.6 "[+ Add New LP]" / "[Edit Config]"). The row's settings differ by
// type (FIX session, OANDA stream, Binance WebSocket); credentials are the NAMES of environment variables on the
// engine host, never the secrets.
import type { LpWire } from '@broker/api/socket';
import { LP_TYPES, LpUpsertInput } from '@broker/api/schemas';
import { Button, ErrorNotice, Field, Input, Modal, Select, cx } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { mergeLp } from './use-lps.ts';

type LpType = (typeof LP_TYPES)[number];

export const TYPE_LABELS: Record<LpType, string> = {
  FIX: 'FIX 4.4',
  REST: 'REST stream (OANDA)',
  WEBSOCKET: 'WebSocket (Binance)',
  SIMULATED: 'Simulated',
  MANUAL: 'Manual quotes',
};

type Kind = 'text' | 'int' | 'list';
interface SettingDef {
  key: string;
  label: string;
  kind: Kind;
  placeholder?: string;
  hint?: string;
  wide?: boolean;
}
interface CredDef {
  key: string;
  label: string;
  placeholder: string;
  hint?: string;
}

const SETTINGS: Record<LpType, SettingDef[]> = {
  FIX: [
    { key: 'host', label: 'Host', kind: 'text', placeholder: 'fix.lp.example.com' },
    { key: 'port', label: 'Port', kind: 'int', placeholder: '12336' },
    { key: 'senderCompId', label: 'SenderCompID', kind: 'text', placeholder: 'YOFX1' },
    { key: 'targetCompId', label: 'TargetCompID', kind: 'text', placeholder: 'YOFX' },
    { key: 'heartBtInt', label: 'Heartbeat (s)', kind: 'int', placeholder: '30', hint: 'HeartBtInt (108); default 30.' },
    {
      key: 'symbols',
      label: 'Symbols to subscribe',
      kind: 'list',
      placeholder: 'EUR/USD, GBP/USD',
      hint: 'LP symbols, comma separated; empty: the symbol map’s LP symbols.',
      wide: true,
    },
  ],
  REST: [
    {
      key: 'streamUrl',
      label: 'Stream URL',
      kind: 'text',
      placeholder: 'https://stream-fxpractice.oanda.com',
      hint: 'stream-fxpractice (practice) or stream-fxtrade (live).',
      wide: true,
    },
    { key: 'accountId', label: 'Account ID', kind: 'text', placeholder: '101-004-37008470-002' },
    {
      key: 'instruments',
      label: 'Instruments',
      kind: 'list',
      placeholder: 'EUR_USD, GBP_USD',
      hint: 'Comma separated; empty: the symbol map’s LP symbols.',
    },
  ],
  WEBSOCKET: [
    {
      key: 'wsUrl',
      label: 'WebSocket URL',
      kind: 'text',
      placeholder: 'wss://stream.binance.com:9443',
      hint: '/stream is appended; pairs come from the symbol map.',
      wide: true,
    },
  ],
  SIMULATED: [{ key: 'seed', label: 'Random seed', kind: 'int', placeholder: 'optional', hint: 'Same seed, same price path.' }],
  MANUAL: [],
};

const CREDS: Record<LpType, CredDef[]> = {
  FIX: [
    { key: 'username', label: 'Username variable', placeholder: 'LP_YOFX_USER', hint: 'Optional; sent as Username (553) on Logon.' },
    { key: 'password', label: 'Password variable', placeholder: 'LP_YOFX_PASSWORD', hint: 'Optional; Password (554).' },
  ],
  REST: [{ key: 'token', label: 'API token variable', placeholder: 'LP_OANDA_TOKEN' }],
  WEBSOCKET: [{ key: 'apiKey', label: 'API key variable', placeholder: 'LP_BINANCE_API_KEY', hint: 'Market data needs none; leave empty.' }],
  SIMULATED: [],
  MANUAL: [],
};

const req = (what: string) => z.string({ error: `Enter the ${what}` }).trim().min(1, `Enter the ${what}`);
const httpUrl = (protocols: string[], what: string) =>
  req(what).refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `A ${protocols.map((p) => p.replace(':', '')).join('/')} URL`);
const wholeNumber = (min: number, max: number) =>
  z.number({ error: 'A whole number' }).int('A whole number').min(min, `At least ${min}`).max(max, `At most ${max}`);

/** What each type needs before the engine can even try to connect (mirrors the adapters' config checks). */
const TYPE_RULES: Record<LpType, { settings: z.ZodType; credentialEnv: z.ZodType }> = {
  FIX: {
    settings: z.object({
      host: req('host'),
      port: wholeNumber(1, 65_535),
      senderCompId: req('SenderCompID'),
      targetCompId: req('TargetCompID'),
      heartBtInt: wholeNumber(1, 3_600).optional(),
    }),
    credentialEnv: z.object({}),
  },
  REST: {
    settings: z.object({ streamUrl: httpUrl(['http:', 'https:'], 'stream URL'), accountId: req('account ID') }),
    credentialEnv: z.object({ token: req('name of the variable that holds the token') }),
  },
  WEBSOCKET: {
    settings: z.object({ wsUrl: httpUrl(['ws:', 'wss:'], 'WebSocket URL') }),
    credentialEnv: z.object({}),
  },
  SIMULATED: { settings: z.object({ seed: wholeNumber(0, 2_147_483_647).optional() }), credentialEnv: z.object({}) },
  MANUAL: { settings: z.object({}), credentialEnv: z.object({}) },
};

interface SymbolRow {
  lp: string;
  platform: string;
}

interface FormState {
  name: string;
  type: LpType;
  enabled: boolean;
  priority: string;
  settings: Record<string, string>;
  /** Stored settings the form has no field for (kept on save while the type stays the same). */
  extra: { type: LpType; settings: Record<string, unknown> } | null;
  cred: Record<string, string>;
  symbols: SymbolRow[];
}

const EMPTY_ROW: SymbolRow = { lp: '', platform: '' };

function initialState(lp: LpWire | null): FormState {
  return {
    name: lp?.name ?? '',
    type: lp?.type ?? 'FIX',
    enabled: lp?.enabled ?? true,
    priority: String(lp?.priority ?? 100),
    settings: lp ? settingsText(lp.type, lp.settings) : {},
    extra: lp ? { type: lp.type, settings: Object.fromEntries(Object.entries(lp.settings).filter(([k]) => !SETTINGS[lp.type].some((d) => d.key === k))) } : null,
    cred: lp ? { ...lp.credentialEnv } : {},
    symbols: lp && Object.keys(lp.symbolMap).length ? Object.entries(lp.symbolMap).map(([from, to]) => ({ lp: from, platform: to })) : [{ ...EMPTY_ROW }],
  };
}

/** The row's stored settings as the form's text fields (lists comma separated). */
function settingsText(type: LpType, settings: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of SETTINGS[type]) {
    const v = settings[d.key];
    if (v === undefined || v === null) continue;
    out[d.key] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return out;
}

/** Form text → the wire shape; numbers stay strings when they do not parse, so zod names the field. */
function toInput(f: FormState, id: number | undefined) {
  const settings: Record<string, unknown> = f.extra?.type === f.type ? { ...f.extra.settings } : {};
  for (const d of SETTINGS[f.type]) {
    const v = (f.settings[d.key] ?? '').trim();
    if (!v) continue;
    if (d.kind === 'int') settings[d.key] = /^-?\d+$/.test(v) ? Number(v) : v;
    else if (d.kind === 'list')
      settings[d.key] = v
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean);
    else settings[d.key] = v;
  }
  const credentialEnv: Record<string, string> = {};
  for (const d of CREDS[f.type]) {
    const v = (f.cred[d.key] ?? '').trim();
    if (v) credentialEnv[d.key] = v;
  }
  const symbolMap: Record<string, string> = {};
  for (const r of f.symbols) if (r.lp.trim() || r.platform.trim()) symbolMap[r.lp.trim()] = r.platform.trim();
  const p = f.priority.trim();
  return {
    ...(id ? { id } : {}),
    name: f.name,
    type: f.type,
    enabled: f.enabled,
    priority: /^\d+$/.test(p) ? Number(p) : p === '' ? undefined : p,
    settings,
    credentialEnv,
    symbolMap,
  };
}

type Errors = Record<string, string>;

/** Field errors keyed `name`, `settings.host`, `credentialEnv.token`, `symbols.<row>.lp|platform`. */
function validate(f: FormState, input: ReturnType<typeof toInput>): Errors {
  const errs: Errors = {};
  const put = (k: string, m: string) => {
    errs[k] ??= m;
  };
  // Symbol map rows: both sides, no LP symbol twice.
  const seen = new Map<string, number>();
  f.symbols.forEach((r, i) => {
    const lp = r.lp.trim();
    const pf = r.platform.trim();
    if (!lp && !pf) return;
    if (!lp) put(`symbols.${i}.lp`, 'Enter the LP’s symbol');
    if (!pf) put(`symbols.${i}.platform`, 'Enter the platform symbol');
    if (lp && seen.has(lp)) put(`symbols.${i}.lp`, `${lp} is mapped twice`);
    if (lp) seen.set(lp, i);
  });
  const rowOf = (lpKey: string) => seen.get(lpKey.trim()) ?? 0;

  const rules = TYPE_RULES[f.type];
  for (const [group, schema, value] of [
    ['settings', rules.settings, input.settings],
    ['credentialEnv', rules.credentialEnv, input.credentialEnv],
  ] as const) {
    const r = schema.safeParse(value);
    if (!r.success) for (const i of r.error.issues) put(`${group}.${String(i.path[0])}`, i.message);
  }

  const parsed = LpUpsertInput.safeParse(input);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const [head, key] = i.path.map(String);
      if (head === 'symbolMap') put(`symbols.${rowOf(key ?? '')}.${i.code === 'invalid_key' ? 'lp' : 'platform'}`, i.message);
      else if (head === 'name') put('name', f.name.trim().length < 2 ? 'At least 2 characters' : i.message);
      else if (head === 'priority') put('priority', 'A whole number from 0 to 10000');
      else if (head === 'settings' || head === 'credentialEnv') put(`${head}.${key}`, i.message);
      else put(head ?? 'form', i.message);
    }
  }
  return errs;
}

/** Engine-side issues (`settings.port: …`) onto the same keys. */
function serverErrors(info: AppErrorInfo, f: FormState): Errors {
  const errs: Errors = {};
  for (const i of info.issues ?? []) {
    const [head, key] = i.path.split('.');
    if (head === 'symbolMap') {
      const row = f.symbols.findIndex((r) => r.lp.trim() === key);
      errs[`symbols.${Math.max(0, row)}.platform`] ??= i.message;
    } else if (head === 'settings' || head === 'credentialEnv') errs[`${head}.${key}`] ??= i.message;
    else if (head) errs[head] ??= i.message;
  }
  if (info.code === 'VALIDATION_ERROR' && /exists/.test(info.message)) errs.name ??= info.message;
  return errs;
}

export function LpFormModal({ lp, onClose, onSaved }: { lp: LpWire | null; onClose: () => void; onSaved: (lp: LpWire) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [f, setF] = useState<FormState>(() => initialState(lp));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<AppErrorInfo | null>(null);
  const upsert = useMutation(trpc.admin.lps.upsert.mutationOptions());
  const editing = lp !== null && lp.id !== null;

  const set = (patch: Partial<FormState>) => setF((old) => ({ ...old, ...patch }));
  const setSetting = (k: string, v: string) => setF((old) => ({ ...old, settings: { ...old.settings, [k]: v } }));
  const setCred = (k: string, v: string) => setF((old) => ({ ...old, cred: { ...old.cred, [k]: v } }));
  const setRow = (i: number, patch: Partial<SymbolRow>) =>
    setF((old) => ({ ...old, symbols: old.symbols.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const input = toInput(f, editing ? (lp.id ?? undefined) : undefined);
    const errs = validate(f, input);
    setErrors(errs);
    if (Object.keys(errs).length) {
      setFormError({ code: 'VALIDATION_ERROR', message: `Check the highlighted field${Object.keys(errs).length > 1 ? 's' : ''}.` });
      return;
    }
    upsert.mutate(LpUpsertInput.parse(input), {
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.lps.list.queryKey(), (old: LpWire[] | undefined) => mergeLp(old, saved));
        void queryClient.invalidateQueries({ queryKey: trpc.admin.lps.list.queryKey() });
        onSaved(saved);
      },
      onError: (err) => {
        const info = appError(err);
        setErrors(serverErrors(info, f));
        setFormError(info);
      },
    });
  }

  const settingDefs = SETTINGS[f.type];
  const credDefs = CREDS[f.type];

  return (
    <Modal title={editing ? `Edit ${lp.name}` : 'Add liquidity provider'} onClose={onClose} size="lg" data-testid="lp-form-modal">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="lp-form" data-type={f.type}>
        {editing && (
          <p className="rounded border border-amber-500/30 bg-amber-500/10 px-3 py-2 text-xs text-amber-200" data-testid="lp-form-replace-note">
            Saving replaces this LP’s configuration with what the form shows (its current settings, credential variables and symbol
            map); the adapter restarts with it.
          </p>
        )}
        <div className="grid grid-cols-[minmax(0,1fr)_12rem_7rem] gap-3">
          <Field label="Name" error={errors.name} errorTestId="lp-form-error-name">
            {(a) => (
              <Input {...a} value={f.name} onChange={(e) => set({ name: e.target.value })} placeholder="YOFX1" data-testid="lp-form-name" autoComplete="off" />
            )}
          </Field>
          <Field label="Type" error={errors.type}>
            {(a) => (
              <Select
                {...a}
                value={f.type}
                onChange={(e) => {
                  set({ type: e.target.value as LpType });
                  setErrors({});
                }}
                data-testid="lp-form-type"
              >
                {LP_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TYPE_LABELS[t]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Priority" error={errors.priority} errorTestId="lp-form-error-priority">
            {(a) => (
              <Input
                {...a}
                inputMode="numeric"
                value={f.priority}
                onChange={(e) => set({ priority: e.target.value })}
                data-testid="lp-form-priority"
              />
            )}
          </Field>
        </div>
        <label className="-mt-1 flex items-center gap-2 text-sm text-zinc-300">
          <input
            type="checkbox"
            checked={f.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
            className="h-4 w-4 accent-sky-500"
            data-testid="lp-form-enabled"
          />
          Enabled — connect as soon as it is saved
          <span className="text-xs text-zinc-500">(lower priority number = preferred quote source)</span>
        </label>

        {settingDefs.length > 0 && (
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-400">
              {f.type === 'FIX' ? 'Session' : f.type === 'REST' ? 'OANDA stream' : f.type === 'WEBSOCKET' ? 'Binance stream' : 'Settings'}
            </legend>
            <div className="grid grid-cols-2 gap-3">
              {settingDefs.map((d) => (
                <Field
                  key={`${f.type}-${d.key}`}
                  label={d.label}
                  error={errors[`settings.${d.key}`]}
                  hint={d.hint}
                  className={d.wide ? 'col-span-2' : undefined}
                  errorTestId={`lp-form-error-settings-${d.key}`}
                >
                  {(a) => (
                    <Input
                      {...a}
                      value={f.settings[d.key] ?? ''}
                      onChange={(e) => setSetting(d.key, e.target.value)}
                      placeholder={d.placeholder}
                      inputMode={d.kind === 'int' ? 'numeric' : undefined}
                      className="font-mono"
                      data-testid={`lp-form-settings-${d.key}`}
                      autoComplete="off"
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        )}

        {credDefs.length > 0 && (
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-400">Credentials (environment variable names)</legend>
            <p className="rounded border border-sky-500/30 bg-sky-500/10 px-3 py-2 text-xs text-sky-200" data-testid="lp-form-secret-hint">
              Enter the <strong>name</strong> of an environment variable on the engine host (e.g. <code className="font-mono">OANDA_TOKEN</code>),
              never the secret itself. Secrets never go in the database; the engine reads the variable when it connects, and shows the LP as
              UNAVAILABLE if it is not set.
            </p>
            <div className="grid grid-cols-2 gap-3">
              {credDefs.map((d) => (
                <Field
                  key={`${f.type}-${d.key}`}
                  label={d.label}
                  error={errors[`credentialEnv.${d.key}`]}
                  hint={d.hint}
                  errorTestId={`lp-form-error-credentialEnv-${d.key}`}
                >
                  {(a) => (
                    <Input
                      {...a}
                      value={f.cred[d.key] ?? ''}
                      onChange={(e) => setCred(d.key, e.target.value.toUpperCase())}
                      placeholder={d.placeholder}
                      className="font-mono"
                      spellCheck={false}
                      autoComplete="off"
                      data-testid={`lp-form-cred-${d.key}`}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        )}

        <fieldset className="flex flex-col gap-2" data-testid="lp-form-symbols">
          <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-400">Symbol map</legend>
          <div className="grid grid-cols-[minmax(0,1fr)_1rem_minmax(0,1fr)_2rem] items-start gap-x-2 gap-y-2 text-xs">
            <span className="text-zinc-500">LP symbol</span>
            <span />
            <span className="text-zinc-500">Platform symbol</span>
            <span />
            {f.symbols.map((r, i) => (
              <div key={i} className="contents">
                <div className="flex flex-col gap-1">
                  <Input
                    value={r.lp}
                    onChange={(e) => setRow(i, { lp: e.target.value })}
                    placeholder={f.type === 'REST' ? 'EUR_USD' : f.type === 'WEBSOCKET' ? 'BTCUSDT' : 'EUR/USD'}
                    invalid={Boolean(errors[`symbols.${i}.lp`])}
                    aria-label={`LP symbol, row ${i + 1}`}
                    className="h-8 font-mono"
                    data-testid={`lp-form-symbol-lp-${i}`}
                  />
                  {errors[`symbols.${i}.lp`] && (
                    <p role="alert" className="text-xs text-rose-400">
                      {errors[`symbols.${i}.lp`]}
                    </p>
                  )}
                </div>
                <span className="pt-2 text-center text-zinc-500">→</span>
                <div className="flex flex-col gap-1">
                  <Input
                    value={r.platform}
                    onChange={(e) => setRow(i, { platform: e.target.value.toUpperCase() })}
                    placeholder="EURUSD"
                    invalid={Boolean(errors[`symbols.${i}.platform`])}
                    aria-label={`Platform symbol, row ${i + 1}`}
                    className="h-8 font-mono"
                    data-testid={`lp-form-symbol-platform-${i}`}
                  />
                  {errors[`symbols.${i}.platform`] && (
                    <p role="alert" className="text-xs text-rose-400">
                      {errors[`symbols.${i}.platform`]}
                    </p>
                  )}
                </div>
                <button
                  type="button"
                  aria-label={`Remove row ${i + 1}`}
                  onClick={() =>
                    setF((old) => ({ ...old, symbols: old.symbols.length > 1 ? old.symbols.filter((_, j) => j !== i) : [{ ...EMPTY_ROW }] }))
                  }
                  className="h-8 rounded text-zinc-500 hover:bg-zinc-800 hover:text-rose-300"
                  data-testid={`lp-form-symbol-remove-${i}`}
                >
                  ×
                </button>
              </div>
            ))}
          </div>
          <div>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setF((old) => ({ ...old, symbols: [...old.symbols, { ...EMPTY_ROW }] }))}
              data-testid="lp-form-symbol-add"
            >
              + Add symbol
            </Button>
          </div>
        </fieldset>

        {formError && <ErrorNotice error={formError} testId="lp-form-error" />}

        <div className={cx('flex items-center justify-end gap-2 border-t border-zinc-800 pt-3')}>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={upsert.isPending} data-testid="lp-form-save">
            {editing ? 'Save changes' : 'Add LP'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
