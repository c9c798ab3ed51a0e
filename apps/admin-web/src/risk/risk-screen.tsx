'use client';
// design.md §8: the dealing desk's risk controls — global limits and per-account overrides, a manual quote for
// drills and feed outages, and the daily swap rollover.
import type { QuoteDto, RiskSettingsDto, RolloverResultDto } from '@broker/api';
import type { Role } from '@broker/api/roles';
import { PushQuoteInput, RiskSettingsInput, RolloverInput } from '@broker/api/schemas';
import {
  Button,
  Card,
  DecimalField,
  ErrorNotice,
  Field,
  Input,
  PriceCell,
  Select,
  StatusDot,
  SuccessNotice,
  SymbolField,
  cx,
  formatMoney,
  formatPrice,
} from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Decimal } from 'decimal.js';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { quoteDistanceOf, type QuoteDistance } from './quote-distance.ts';
import { useTRPC } from '../trpc/react.ts';

type NumKey =
  'marginCallLevel' | 'stopOutLevel' | 'maxLeverage' | 'maxPositionSize' | 'maxDailyVolume' | 'maxOpenPositions' | 'maxSymbolExposure';

const NUM_FIELDS: { key: NumKey; label: string; unit: string; testId: string; int?: boolean; builtIn?: string; help: string }[] = [
  {
    key: 'marginCallLevel',
    label: 'Margin call level',
    unit: '%',
    testId: 'risk-margin-call-level',
    builtIn: '100',
    help: 'Flag the account and warn the trader at or below this margin level.',
  },
  {
    key: 'stopOutLevel',
    label: 'Stop out level',
    unit: '%',
    testId: 'risk-stop-out-level',
    builtIn: '50',
    help: 'Close the largest loser, repeatedly, at or below this level.',
  },
  {
    key: 'maxLeverage',
    label: 'Max leverage',
    unit: '1:x',
    testId: 'risk-max-leverage',
    int: true,
    help: 'Margin is computed at the lower of this and the account’s leverage (new positions).',
  },
  { key: 'maxPositionSize', label: 'Max position size', unit: 'lots', testId: 'risk-max-position-size', help: 'Largest single position.' },
  {
    key: 'maxDailyVolume',
    label: 'Max daily volume',
    unit: 'lots',
    testId: 'risk-max-daily-volume',
    help: 'Lots traded per trading day (MAX_DAILY_VOLUME).',
  },
  {
    key: 'maxOpenPositions',
    label: 'Max open positions',
    unit: 'count',
    testId: 'risk-max-open-positions',
    int: true,
    help: 'Open positions at once.',
  },
  {
    key: 'maxSymbolExposure',
    label: 'Max symbol exposure',
    unit: 'account ccy',
    testId: 'risk-max-symbol-exposure',
    help: 'Notional of one symbol’s open positions, hedged legs added, in the account’s currency (MAX_SYMBOL_EXPOSURE).',
  },
];

const str = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? '' : v.toString());
/** The last trading day whose rollover (22:00 UTC) has happened: the engine refuses a later one. */
const lastRolloverDayUtc = () => new Date(Date.now() - 22 * 3_600_000).toISOString().slice(0, 10);

function ReadOnlyNote({ role, what }: { role: Role; what: string }) {
  // "what" completes "your role may not …".
  return (
    <p className="rounded border border-amber-500/30 bg-amber-500/10 px-3 py-2 text-xs text-amber-200" data-testid="risk-read-only">
      Read-only: your role ({role}) may not {what} (docs/permissions.md).
    </p>
  );
}

/** `can`: what the role may change, from the permission table (risk/roles.ts). */
export function RiskScreen({ can, role }: { can: { settings: boolean; pushQuote: boolean; rollover: boolean }; role: Role }) {
  return (
    <main className="grid flex-1 grid-cols-1 items-start gap-3 p-2 md:p-3 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <RiskSettingsCard canEdit={can.settings} role={role} />
      <div className="flex flex-col gap-3">
        <ManualQuoteCard canEdit={can.pushQuote} role={role} />
        <RolloverCard canEdit={can.rollover} role={role} />
      </div>
    </main>
  );
}

function RiskSettingsCard({ canEdit, role }: { canEdit: boolean; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<number | null>(null);
  const accounts = useQuery(trpc.admin.accounts.list.queryOptions({ limit: 500, offset: 0 }));
  const global = useQuery(trpc.admin.risk.settings.queryOptions({ accountId: null }));
  const current = useQuery(trpc.admin.risk.settings.queryOptions({ accountId: scope }));
  const [values, setValues] = useState<Record<NumKey, string>>(
    () => Object.fromEntries(NUM_FIELDS.map((f) => [f.key, ''])) as Record<NumKey, string>,
  );
  const [nbp, setNbp] = useState<'' | 'on' | 'off'>('');
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const update = useMutation(trpc.admin.risk.updateSettings.mutationOptions());

  // Load the chosen scope's values into the form whenever they (re)arrive.
  const loaded = current.data && current.data.accountId === scope ? current.data : null;
  useEffect(() => {
    if (!loaded) return;
    setValues(Object.fromEntries(NUM_FIELDS.map((f) => [f.key, str(loaded[f.key])])) as Record<NumKey, string>);
    setNbp(loaded.negativeBalanceProtection === null ? '' : loaded.negativeBalanceProtection ? 'on' : 'off');
    setErrors({});
  }, [loaded]);

  const accountLabel = (id: number | null) => {
    if (id === null) return 'global defaults';
    const a = accounts.data?.rows.find((r) => r.id === id);
    return a ? `account ${a.accountNumber}` : `account ${id}`;
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const input: Record<string, unknown> = { accountId: scope };
    for (const f of NUM_FIELDS) {
      const v = values[f.key].trim();
      input[f.key] = v === '' ? null : f.int ? (/^\d+$/.test(v) ? Number(v) : v) : v;
    }
    input.negativeBalanceProtection = nbp === '' ? null : nbp === 'on';
    const parsed = RiskSettingsInput.safeParse(input);
    if (!parsed.success) {
      const errs: Record<string, string> = {};
      for (const i of parsed.error.issues)
        errs[String(i.path[0])] ??=
          typeof input[String(i.path[0])] === 'string' && NUM_FIELDS.find((f) => f.key === i.path[0])?.int ? 'A whole number' : i.message;
      setErrors(errs);
      setError({ code: 'VALIDATION_ERROR', message: 'Check the highlighted fields.' });
      return;
    }
    setErrors({});
    update.mutate(input as Parameters<typeof update.mutate>[0], {
      onSuccess: (res: RiskSettingsDto) => {
        queryClient.setQueryData(trpc.admin.risk.settings.queryKey({ accountId: res.accountId }), res);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.risk.settings.pathKey() });
        setSaved(`Saved ${accountLabel(res.accountId)}.`);
      },
      onError: (err) => {
        const info = appError(err);
        if (info.issues) {
          const errs: Record<string, string> = {};
          for (const i of info.issues) errs[i.path.split('.')[0] ?? ''] ??= i.message;
          setErrors(errs);
        }
        setError(info);
      },
    });
  }

  const g = global.data;
  const placeholder = (f: (typeof NUM_FIELDS)[number]) => {
    if (scope === null) return f.builtIn ? `built-in ${f.builtIn}` : 'no limit';
    const gv = g?.[f.key];
    return gv !== null && gv !== undefined ? `global ${gv.toString()}` : f.builtIn ? `built-in ${f.builtIn}` : 'no limit';
  };
  const globalNbp = g?.negativeBalanceProtection;

  return (
    <Card
      title="Risk settings"
      actions={
        <StatusDot
          tone={current.isError ? 'error' : current.isFetching ? 'warn' : 'ok'}
          label={current.isError ? 'Unavailable' : current.isFetching ? 'Loading…' : 'Loaded'}
        />
      }
    >
      <form
        onSubmit={onSubmit}
        noValidate
        className="flex flex-col gap-4 p-4"
        data-testid="risk-settings-form"
        data-scope={scope ?? 'global'}
      >
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Applies to" className="w-80">
            {(a) => (
              <Select
                {...a}
                value={scope ?? ''}
                onChange={(e) => {
                  setScope(e.target.value ? Number(e.target.value) : null);
                  setSaved(null);
                  setError(null);
                }}
                data-testid="risk-account"
              >
                <option value="">Global defaults (every account)</option>
                {accounts.data?.rows.map((acc) => (
                  <option key={acc.id} value={acc.id}>
                    {acc.accountNumber} · {acc.name} ({acc.type})
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <p className="max-w-md pb-2 text-xs text-zinc-500">
            {scope === null
              ? 'Empty fields use the built-in default or mean no limit.'
              : 'An account override wins over the global value; empty fields inherit the global value.'}
          </p>
        </div>

        {!canEdit && <ReadOnlyNote role={role} what="change risk settings" />}
        {current.isError && <ErrorNotice error={appError(current.error)} testId="risk-load-error" />}

        <fieldset disabled={!canEdit || !loaded} className="grid grid-cols-1 gap-x-4 gap-y-3 sm:grid-cols-2 2xl:grid-cols-3">
          {NUM_FIELDS.map((f) => (
            <Field key={f.key} label={`${f.label} (${f.unit})`} error={errors[f.key]} hint={f.help}>
              {(a) => (
                <Input
                  {...a}
                  inputMode={f.int ? 'numeric' : 'decimal'}
                  placeholder={placeholder(f)}
                  value={values[f.key]}
                  onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                  className="font-mono tabular-nums"
                  data-testid={f.testId}
                />
              )}
            </Field>
          ))}
          <Field
            label="Negative balance protection"
            error={errors.negativeBalanceProtection}
            hint="Bring a negative balance back to 0 after a stop out."
          >
            {(a) => (
              <Select {...a} value={nbp} onChange={(e) => setNbp(e.target.value as typeof nbp)} data-testid="risk-nbp">
                <option value="">
                  {scope === null
                    ? 'Built-in (on)'
                    : `Inherit global (${globalNbp === null || globalNbp === undefined ? 'on' : globalNbp ? 'on' : 'off'})`}
                </option>
                <option value="on">On</option>
                <option value="off">Off</option>
              </Select>
            )}
          </Field>
        </fieldset>

        <div className="flex items-center gap-3">
          {canEdit && (
            <Button type="submit" variant="primary" loading={update.isPending} disabled={!loaded} data-testid="risk-save">
              Save {scope === null ? 'global settings' : 'account override'}
            </Button>
          )}
          {saved && (
            <SuccessNotice testId="risk-result" data-status="ok">
              {saved}
            </SuccessNotice>
          )}
        </div>
        {error && <ErrorNotice error={error} testId="risk-error" />}
      </form>
    </Card>
  );
}

function ManualQuoteCard({ canEdit, role }: { canEdit: boolean; role: Role }) {
  const trpc = useTRPC();
  const symbols = useQuery(trpc.market.symbols.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const quotes = useQuery(trpc.market.quotes.queryOptions(undefined, { refetchInterval: 2_000 }));
  const [symbol, setSymbol] = useState('');
  const [bid, setBid] = useState('');
  const [ask, setAsk] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'symbol' | 'bid' | 'ask', string>>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [done, setDone] = useState<{ quote: QuoteDto; confirmed: boolean } | null>(null);
  // A quote the engine held back as too far from the live feed, waiting for the dealer's second confirmation.
  const [far, setFar] = useState<{ input: { symbol: string; bid: string; ask: string }; distance: QuoteDistance } | null>(null);
  const push = useMutation(trpc.admin.risk.pushQuote.mutationOptions());

  const sym = symbol || symbols.data?.[0]?.name || '';
  const spec = symbols.data?.find((s) => s.name === sym);
  const live = quotes.data?.find((q) => q.symbol === sym);
  const digits = spec?.digits ?? 5;

  function fillCurrent() {
    if (!live) return;
    setBid(live.bid.toFixed(digits));
    setAsk(live.ask.toFixed(digits));
  }

  // Start from the live quote of the chosen symbol.
  const liveKey = live ? `${sym}` : '';
  useEffect(() => {
    if (liveKey) fillCurrent();
    // once per symbol, not per refetch (deliberately not a dependency)
  }, [liveKey]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    setFar(null);
    const input = { symbol: sym, bid: bid.trim(), ask: ask.trim() };
    const parsed = PushQuoteInput.safeParse(input);
    if (!parsed.success) {
      const errs: typeof errors = {};
      for (const i of parsed.error.issues) errs[i.path[0] as 'bid'] ??= i.message;
      setErrors(errs);
      return;
    }
    if (parsed.data.ask.lt(parsed.data.bid)) {
      setErrors({ ask: 'Ask must be at or above bid' });
      return;
    }
    setErrors({});
    push.mutate(input, {
      onSuccess: (quote) => setDone({ quote, confirmed: false }),
      onError: (err) => {
        const info = appError(err);
        const distance = info.code === 'QUOTE_TOO_FAR' ? quoteDistanceOf(info.details) : null;
        if (distance) setFar({ input, distance });
        else setError(info);
      },
    });
  }

  /** The second step: the same quote again, with the confirmation the engine asked for (audited as such). */
  function confirmFar() {
    if (!far) return;
    setError(null);
    push.mutate(
      { ...far.input, confirm: true },
      {
        onSuccess: (quote) => {
          setFar(null);
          setDone({ quote, confirmed: true });
        },
        onError: (err) => setError(appError(err)),
      },
    );
  }

  // Another price or symbol is another quote: the held one is dropped.
  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    setFar(null);
  };

  return (
    <Card title="Manual quote">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 p-4" data-testid="manual-quote-form">
        <p className="text-xs text-zinc-500">
          Push a quote as the MANUAL liquidity provider: for drills, tests, or a feed outage. It is checked like any LP’s quote
          (prices, bid at or below ask). A price further from the live feed than the symbol’s bound needs a second confirmation.
          Every push is audited.
        </p>
        {!canEdit && <ReadOnlyNote role={role} what="push quotes" />}
        <fieldset disabled={!canEdit} className="flex flex-col gap-3">
          <SymbolField
            error={errors.symbol}
            symbols={symbols.data}
            value={sym}
            onValueChange={edit(setSymbol)}
            data-testid="manual-quote-symbol"
          />
          <p className="-mt-1 flex items-center justify-between text-xs text-zinc-500">
            <span>
              Now{' '}
              {live ? (
                <>
                  <PriceCell value={live.bid} digits={digits} className="text-zinc-300" /> /{' '}
                  <PriceCell value={live.ask} digits={digits} className="text-zinc-300" />{' '}
                  <span className="text-zinc-600">({live.lp})</span>
                </>
              ) : (
                '—'
              )}
            </span>
            <button type="button" onClick={fillCurrent} className="text-sky-400 hover:text-sky-300 disabled:opacity-50" disabled={!live}>
              Use current
            </button>
          </p>
          <div className="grid grid-cols-2 gap-2">
            <DecimalField label="Bid" error={errors.bid} value={bid} onValueChange={edit(setBid)} data-testid="manual-quote-bid" />
            <DecimalField label="Ask" error={errors.ask} value={ask} onValueChange={edit(setAsk)} data-testid="manual-quote-ask" />
          </div>
          {canEdit && !far && (
            <Button type="submit" variant="primary" loading={push.isPending} data-testid="manual-quote-submit">
              Push quote
            </Button>
          )}
        </fieldset>
        {far && <FarQuoteConfirm distance={far.distance} digits={digits} pending={push.isPending} onConfirm={confirmFar} onCancel={() => setFar(null)} />}
        {done && (
          <SuccessNotice testId="manual-quote-result" data-status={done.confirmed ? 'confirmed' : 'ok'}>
            {done.quote.symbol} {formatPrice(done.quote.bid, digits)} / {formatPrice(done.quote.ask, digits)} accepted from {done.quote.lp}
            {done.confirmed ? ', confirmed beyond the bound.' : '.'}
          </SuccessNotice>
        )}
        {error && <ErrorNotice error={error} testId="manual-quote-error" />}
      </form>
    </Card>
  );
}

/**
 * QUOTE_TOO_FAR: how far the dealer's quote is from the live feed, and a second button that pushes it anyway.
 * A price that far moves every client's valuation at once (stops, margin calls, stop outs), so it is said first.
 */
function FarQuoteConfirm({ distance, digits, pending, onConfirm, onCancel }: { distance: QuoteDistance; digits: number; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = distance.reference;
  return (
    <div role="alert" className="flex flex-col gap-2 rounded border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm text-amber-100" data-testid="manual-quote-far" data-distance={distance.distancePercent}>
      <p className="font-semibold">
        This quote is <span data-testid="manual-quote-far-distance">{distance.distancePercent}%</span> from the live price; the bound for {distance.symbol} is{' '}
        {distance.boundPercent}%.
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
        <dt className="text-amber-200/70">{ref?.from === 'platform quote' ? 'Platform quote' : 'Live feed'}</dt>
        <dd>
          {ref ? (
            <>
              <PriceCell value={new Decimal(ref.bid)} digits={digits} /> / <PriceCell value={new Decimal(ref.ask)} digits={digits} />
              {ref.lp && <span className="text-amber-200/70"> ({ref.lp})</span>}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt className="text-amber-200/70">Your quote</dt>
        <dd>
          <PriceCell value={new Decimal(distance.bid)} digits={digits} /> / <PriceCell value={new Decimal(distance.ask)} digits={digits} />
        </dd>
      </dl>
      <p className="text-xs text-amber-200/80">Pushed, it prices every client on {distance.symbol} at once: stops, margin calls and stop outs may follow. The push is audited as confirmed.</p>
      <div className="flex flex-wrap gap-2">
        <Button variant="danger" loading={pending} onClick={onConfirm} data-testid="manual-quote-confirm">
          Confirm push
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={pending} data-testid="manual-quote-cancel">
          Cancel
        </Button>
      </div>
    </div>
  );
}

function RolloverCard({ canEdit, role }: { canEdit: boolean; role: Role }) {
  const trpc = useTRPC();
  const [day, setDay] = useState(lastRolloverDayUtc);
  const [result, setResult] = useState<RolloverResultDto | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const rollover = useMutation(trpc.admin.risk.rollover.mutationOptions());

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    setError(null);
    const input = { tradingDay: day };
    const parsed = RolloverInput.safeParse(input);
    if (!parsed.success) {
      setError({ code: 'VALIDATION_ERROR', message: 'Choose a trading day (YYYY-MM-DD).' });
      return;
    }
    rollover.mutate(input, { onSuccess: setResult, onError: (err) => setError(appError(err)) });
  }

  return (
    <Card title="Swap rollover">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 p-4" data-testid="rollover-form">
        <p className="text-xs text-zinc-500">
          Charges or credits one day of swap on every open position (three days on the triple-swap day). It runs automatically at 22:00 UTC
          and at most once per trading day.
        </p>
        {!canEdit && <ReadOnlyNote role={role} what="run the rollover" />}
        <fieldset disabled={!canEdit} className="grid grid-cols-[1fr_auto] items-end gap-2">
          <Field label="Trading day (UTC)">
            {(a) => (
              <Input
                {...a}
                type="date"
                value={day}
                onChange={(e) => setDay(e.target.value)}
                className="font-mono"
                data-testid="rollover-day"
              />
            )}
          </Field>
          {canEdit && (
            <Button type="submit" variant="primary" loading={rollover.isPending} disabled={!day} data-testid="rollover-run">
              Run rollover
            </Button>
          )}
        </fieldset>
        {result && (
          <SuccessNotice testId="rollover-result" data-status="ok">
            Rollover for <b className="font-mono">{result.tradingDay}</b>: {result.positions} position{result.positions === 1 ? '' : 's'},
            total swap{' '}
            <span className={cx('font-mono tabular-nums', result.totalSwap.isNegative() && 'text-rose-300')}>
              {formatMoney(result.totalSwap)}
            </span>
            {result.resumed ? ' (resumed an interrupted run)' : ''}.
          </SuccessNotice>
        )}
        {error && (
          <div
            role="alert"
            className={cx(
              'rounded border px-3 py-2 text-sm',
              error.code === 'ROLLOVER_DONE'
                ? 'border-amber-500/40 bg-amber-500/10 text-amber-200'
                : 'border-rose-500/40 bg-rose-500/10 text-rose-200',
            )}
            data-testid="rollover-result"
            data-status="error"
            data-code={error.code}
          >
            <span className="mr-1.5 font-mono text-[10px] opacity-80">{error.code}</span>
            {error.message}
          </div>
        )}
      </form>
    </Card>
  );
}
