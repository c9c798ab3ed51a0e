'use client';
import type { SymbolAdminDto } from '@broker/api';
import { Button, DecimalField, ErrorNotice, Field, Input, Modal, Select } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { SymbolCreateInput, SymbolSettingsInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
const CATEGORIES = ['FOREX', 'METAL', 'CRYPTO', 'INDEX', 'COMMODITY', 'STOCK'] as const;

/** The decimal settings: key, label, unit and what it does (design.md §2.4.4, §8.4). */
const DECIMALS = [
  { key: 'markupPips', label: 'Spread markup', unit: 'pips', help: 'Added to the LP spread, half each side' },
  { key: 'commissionPerLot', label: 'Commission', unit: 'per lot', help: 'Charged on open and on close' },
  { key: 'minVolume', label: 'Min volume', unit: 'lots', help: '' },
  { key: 'maxVolume', label: 'Max volume', unit: 'lots', help: '' },
  { key: 'volumeStep', label: 'Volume step', unit: 'lots', help: 'Volumes must be a multiple of it' },
  { key: 'marginPercent', label: 'Margin', unit: '%', help: 'Of notional; the account leverage caps it' },
  { key: 'swapLong', label: 'Swap long', unit: 'per lot per night', help: 'Negative is charged' },
  { key: 'swapShort', label: 'Swap short', unit: 'per lot per night', help: '' },
  { key: 'maxDeviation', label: 'Max deviation', unit: 'fraction', help: 'A quote this far from the last (0.05 = 5%) is dropped as bad' },
] as const;
type DecKey = (typeof DECIMALS)[number]['key'];
const SPEC = [
  { key: 'contractSize', label: 'Contract size', unit: 'units per lot' },
  { key: 'pipSize', label: 'Pip size', unit: 'price' },
] as const;
type SpecKey = (typeof SPEC)[number]['key'];
type F = DecKey | SpecKey | 'name' | 'description' | 'category' | 'baseCurrency' | 'quoteCurrency' | 'digits' | 'tripleSwapDay' | 'staleAfterMs' | 'tradingHours' | 'enabled';

type Hours = { day: (typeof WEEKDAYS)[number]; open: string; close: string }[];

/** Edit every setting of a symbol, or add one (`symbol` null). Only changed settings are sent on an edit. */
export function SymbolForm({ symbol: s, onClose }: { symbol: SymbolAdminDto | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const creating = s === null;
  const [v, setV] = useState<Record<string, string>>(() => ({
    name: s?.name ?? '',
    description: s?.description ?? '',
    category: s?.category ?? 'FOREX',
    baseCurrency: s?.baseCurrency ?? '',
    quoteCurrency: s?.quoteCurrency ?? '',
    digits: String(s?.digits ?? 5),
    tripleSwapDay: s?.tripleSwapDay ?? 'WEDNESDAY',
    staleAfterMs: String(s?.staleAfterMs ?? 10_000),
    contractSize: s?.contractSize.toString() ?? '100000',
    pipSize: s?.pipSize.toString() ?? '0.0001',
    ...Object.fromEntries(DECIMALS.map((d) => [d.key, s?.[d.key].toString() ?? ''])),
  }));
  const [enabled, setEnabled] = useState(s?.enabled ?? true);
  const [hours, setHours] = useState<Hours>(() => (s?.tradingHours as Hours | undefined) ?? WEEKDAYS.slice(1, 6).map((day) => ({ day, open: '00:00', close: '24:00' })));
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [serverError, setServerError] = useState<AppErrorInfo | null>(null);
  const update = useMutation(trpc.admin.symbols.update.mutationOptions());
  const create = useMutation(trpc.admin.symbols.create.mutationOptions());
  const set = (k: string) => (val: string) => setV((o) => ({ ...o, [k]: val }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const raw: Record<string, unknown> = {
      name: v.name,
      description: v.description,
      enabled,
      tripleSwapDay: v.tripleSwapDay,
      staleAfterMs: Number(v.staleAfterMs),
      tradingHours: hours,
      ...Object.fromEntries(DECIMALS.map((d) => [d.key, v[d.key]?.trim() || undefined])),
    };
    if (creating) {
      Object.assign(raw, { category: v.category, baseCurrency: (v.baseCurrency ?? '').trim().toUpperCase(), quoteCurrency: (v.quoteCurrency ?? '').trim().toUpperCase(), digits: Number(v.digits), contractSize: v.contractSize, pipSize: v.pipSize });
    } else {
      // Only what changed: an untouched setting is never rewritten.
      const before: Record<string, unknown> = { description: s.description, enabled: s.enabled, tripleSwapDay: s.tripleSwapDay, staleAfterMs: s.staleAfterMs, tradingHours: s.tradingHours, ...Object.fromEntries(DECIMALS.map((d) => [d.key, s[d.key].toString()])) };
      for (const k of Object.keys(raw)) if (k !== 'name' && JSON.stringify(raw[k]) === JSON.stringify(before[k])) delete raw[k];
    }
    const parsed = (creating ? SymbolCreateInput : SymbolSettingsInput).safeParse(raw);
    if (!parsed.success) return setErrors(issuesToFields<F>(parsed.error.issues));
    setErrors({});
    const opts = {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.symbols.list.queryKey() });
        onClose();
      },
      onError: (err: unknown) => {
        const info = appError(err);
        setErrors(engineErrorsToFields<F>(info));
        setServerError(info);
      },
    };
    if (creating) create.mutate(parsed.data as SymbolCreateInput, opts);
    else update.mutate(parsed.data, opts);
  }

  return (
    <Modal title={creating ? 'Add symbol' : `Edit ${s.name}`} onClose={onClose} size="xl" data-testid="symbol-form">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Field label="Symbol" error={errors.name}>
            {(a) => <Input {...a} value={v.name} disabled={!creating} onChange={(e) => set('name')(e.target.value.toUpperCase())} data-testid="symbol-name" />}
          </Field>
          <Field label="Description" error={errors.description} className="col-span-1 md:col-span-2">
            {(a) => <Input {...a} value={v.description} onChange={(e) => set('description')(e.target.value)} data-testid="symbol-description" />}
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="symbol-enabled" /> Enabled (clients see and trade it)
          </label>
          {creating && (
            <>
              <Field label="Category" error={errors.category}>
                {(a) => (
                  <Select {...a} value={v.category} onChange={(e) => set('category')(e.target.value)}>
                    {CATEGORIES.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="Base currency" error={errors.baseCurrency}>
                {(a) => <Input {...a} value={v.baseCurrency} onChange={(e) => set('baseCurrency')(e.target.value)} data-testid="symbol-base" />}
              </Field>
              <Field label="Quote currency" error={errors.quoteCurrency}>
                {(a) => <Input {...a} value={v.quoteCurrency} onChange={(e) => set('quoteCurrency')(e.target.value)} data-testid="symbol-quote" />}
              </Field>
              <Field label="Digits" error={errors.digits}>
                {(a) => <Input {...a} inputMode="numeric" value={v.digits} onChange={(e) => set('digits')(e.target.value)} />}
              </Field>
              {SPEC.map((d) => (
                <DecimalField key={d.key} label={`${d.label} (${d.unit})`} error={errors[d.key]} value={v[d.key] ?? ''} onValueChange={set(d.key)} data-testid={`symbol-${d.key}`} />
              ))}
            </>
          )}
        </div>
        <fieldset className="grid grid-cols-2 gap-3 md:grid-cols-3">
          <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">Pricing, volumes, margin, swaps</legend>
          {DECIMALS.map((d) => (
            <DecimalField key={d.key} label={`${d.label} (${d.unit})`} hint={d.help || undefined} error={errors[d.key]} value={v[d.key] ?? ''} onValueChange={set(d.key)} data-testid={`symbol-${d.key}`} />
          ))}
          <Field label="Triple-swap day" error={errors.tripleSwapDay} hint="Three nights of swap are booked this night (the weekend)">
            {(a) => (
              <Select {...a} value={v.tripleSwapDay} onChange={(e) => set('tripleSwapDay')(e.target.value)} data-testid="symbol-triple-swap">
                {WEEKDAYS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Stale after (ms)" error={errors.staleAfterMs} hint="No quote for this long: trading stops (NO_QUOTE)">
            {(a) => <Input {...a} inputMode="numeric" value={v.staleAfterMs} onChange={(e) => set('staleAfterMs')(e.target.value)} data-testid="symbol-stale" />}
          </Field>
        </fieldset>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Trading hours (UTC)</legend>
          {errors.tradingHours && <p className="text-xs text-rose-400">{errors.tradingHours}</p>}
          {hours.length === 0 && <p className="text-xs text-zinc-500">No sessions: open around the clock (crypto).</p>}
          {hours.map((h, i) => (
            <div key={i} className="flex flex-wrap items-center gap-2">
              <Select aria-label="Day" value={h.day} onChange={(e) => setHours((hs) => hs.map((x, j) => (j === i ? { ...x, day: e.target.value as Hours[number]['day'] } : x)))} className="w-36!">
                {WEEKDAYS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </Select>
              <Input aria-label="Opens" value={h.open} onChange={(e) => setHours((hs) => hs.map((x, j) => (j === i ? { ...x, open: e.target.value } : x)))} className="w-20! font-mono" />
              <span className="text-zinc-500">–</span>
              <Input aria-label="Closes" value={h.close} onChange={(e) => setHours((hs) => hs.map((x, j) => (j === i ? { ...x, close: e.target.value } : x)))} className="w-20! font-mono" />
              <Button size="sm" variant="ghost" onClick={() => setHours((hs) => hs.filter((_, j) => j !== i))} aria-label="Remove session">
                Remove
              </Button>
            </div>
          ))}
          <Button size="sm" className="self-start" onClick={() => setHours((hs) => [...hs, { day: 'MONDAY', open: '00:00', close: '24:00' }])}>
            + Session
          </Button>
        </fieldset>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={update.isPending || create.isPending} data-testid="symbol-submit">
            {creating ? 'Add symbol' : 'Save changes'}
          </Button>
        </div>
        {serverError && <ErrorNotice error={serverError} testId="symbol-error" />}
      </form>
    </Modal>
  );
}
