'use client';
import type { AccountBrief, OrderDto, PositionDto } from '@broker/api';
import { CalculateLotInput, LimitOrderInput, MarginPreviewInput, MarketOrderInput, StopLimitOrderInput } from '@broker/api/schemas';
import {
  Card,
  DecimalField,
  ERROR_FIELDS,
  ErrorNotice,
  Field,
  Input,
  PriceCell,
  Select,
  SlTpFields,
  Spinner,
  SuccessNotice,
  SymbolField,
  cx,
  formatMoney,
  formatMoneyRate,
  formatPercent,
  formatPrice,
  formatVolume,
  humanError,
  toDecimal,
} from '@broker/ui';
import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useQuote, useQuotes } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { newRequestKey } from '../trpc/id.ts';
import { useTRPC } from '../trpc/react.ts';
import { requiredMargin } from './live-pnl.ts';
import { PREF_KEYS, useFlag } from './prefs.ts';
import { useHotkeys } from './shortcuts.tsx';
import {
  ORDER_TYPES,
  defaultPendingPrices,
  defaultStopPips,
  DEFAULT_STOP_PIPS,
  formatPips,
  fromLocalInput,
  issuesByField,
  pipsBetween,
  toLocalInput,
  typeLabel,
  useDebounced,
  type OrderType,
  type Side,
} from './ticket-math.ts';
import { checkTicket, type FieldErrors, type TicketField } from './ticket-validation.ts';
import { useLiveAccount } from './use-live-account.ts';

const FIELDS = ['volume', 'price', 'stopPrice', 'sl', 'tp', 'trailing', 'expiresAt'] as const;
type FieldName = (typeof FIELDS)[number];

/** An engine rejection as the trader reads it: the human sentence, and on the field it is about. */
function rejection(e: unknown): { info: AppErrorInfo; field?: FieldName; fieldText?: string; issues: FieldErrors } {
  const raw = appError(e);
  const info = humanError(raw);
  const issues = raw.issues?.length ? issuesByField(raw.issues, FIELDS) : {};
  const field = ERROR_FIELDS[raw.code];
  return { info, field, fieldText: raw.message && raw.message !== raw.code ? raw.message : info.message, issues };
}

export function OrderTicket({
  account,
  symbol,
  onSymbolChange,
}: {
  account: AccountBrief;
  symbol: string;
  onSymbolChange: (s: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const symbols = useSymbols();
  const spec = symbols.byName.get(symbol);
  const q = useQuote(symbol);
  const quotes = useQuotes();
  const { figures } = useLiveAccount(account.id);
  const [oneClick, setOneClick] = useFlag(PREF_KEYS.oneClick, false);

  const [type, setType] = useState<OrderType>('MARKET');
  const [side, setSide] = useState<Side>('BUY');
  const [volume, setVolume] = useState('');
  const [price, setPrice] = useState('');
  const [stopPrice, setStopPrice] = useState('');
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const [trailDistance, setTrailDistance] = useState('');
  const [trailStep, setTrailStep] = useState('');
  const [expiry, setExpiry] = useState<'GTC' | 'GTD'>('GTC');
  const [expiresAt, setExpiresAt] = useState('');
  /** Fields the trader has typed in (their checks show), or all after a submit. */
  const [touched, setTouched] = useState<ReadonlySet<TicketField>>(new Set());
  const [attempted, setAttempted] = useState(false);
  /** Errors the engine returned, on the field they are about, until that field changes. */
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [result, setResult] = useState<string | null>(null);
  /** The order waiting for "Confirm" (one-click trading off). */
  const [confirming, setConfirming] = useState<Side | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const pending = type !== 'MARKET';
  const digits = spec?.digits ?? 5;
  const stepDp = spec ? Math.max(2, spec.volumeStep.decimalPlaces()) : 2;

  function edited(field: TicketField) {
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
    setServerErrors((s) => {
      if (!(field in s)) return s;
      const { [field]: _, ...rest } = s;
      return rest;
    });
    setConfirming(null);
  }
  const on = (field: TicketField, set: (v: string) => void) => (v: string) => {
    set(v);
    edited(field);
  };

  function resetMessages() {
    setServerErrors({});
    setError(null);
    setResult(null);
    setConfirming(null);
    setAttempted(false);
  }

  // Reset the ticket when the symbol changes (not when the symbol list is merely refetched).
  const specKey = spec ? `${spec.name}:${spec.minVolume.toString()}:${stepDp}` : '';
  useEffect(() => {
    if (spec) setVolume(spec.minVolume.toFixed(stepDp));
    setSl('');
    setTp('');
    setTouched(new Set());
    resetMessages();
  }, [specKey]);

  // Pre-fill the entry prices from the live quote whenever the symbol, type or side changes (and once the
  // first quote arrives); a price the trader typed is kept until one of those changes.
  const hasQuote = Boolean(q);
  useEffect(() => {
    if (!pending || !spec || !q) return;
    const d = defaultPendingPrices(type, side, q, spec);
    setPrice(d.price.toFixed(spec.digits));
    setStopPrice(d.stopPrice ? d.stopPrice.toFixed(spec.digits) : '');
    // q is read once per change of these, not per tick (deliberately not a dependency)
  }, [type, side, specKey, hasQuote]);

  useEffect(() => {
    if (expiry === 'GTD' && !expiresAt) setExpiresAt(toLocalInput(new Date(Date.now() + 24 * 3600_000)));
  }, [expiry, expiresAt]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  // A confirmation below the fold is no confirmation: bring it into view (the ticket scrolls on short screens).
  useEffect(() => {
    if (result || error) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [result, error]);

  const market = useMutation(trpc.orders.market.mutationOptions());
  const limit = useMutation(trpc.orders.limit.mutationOptions());
  const stop = useMutation(trpc.orders.stop.mutationOptions());
  const stopLimit = useMutation(trpc.orders.stopLimit.mutationOptions());
  const busy = market.isPending || limit.isPending || stop.isPending || stopLimit.isPending;

  function stepVolume(dir: 1 | -1) {
    if (!spec) return;
    const current = toDecimal(volume) ?? spec.minVolume;
    let next = current.plus(spec.volumeStep.mul(dir)).toNearest(spec.volumeStep, Decimal.ROUND_HALF_UP);
    next = Decimal.min(Decimal.max(next, spec.minVolume), spec.maxVolume);
    setVolume(next.toFixed(stepDp));
    edited('volume');
  }

  function changeType(t: OrderType) {
    setType(t);
    resetMessages();
  }

  function trailingInput() {
    if (!trailDistance.trim()) return undefined;
    return { distancePips: trailDistance.trim(), stepPips: trailStep.trim() || '0' };
  }

  function fail(issues: readonly { path: readonly PropertyKey[] | string; message: string }[]) {
    setServerErrors(issuesByField(issues, FIELDS));
    setError(humanError({ code: 'VALIDATION_ERROR', message: '' }));
  }

  function onError(e: unknown) {
    const r = rejection(e);
    setServerErrors({ ...r.issues, ...(r.field && r.fieldText ? { [r.field]: r.fieldText } : {}) });
    setError(r.info);
  }

  function refreshAccount() {
    void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
  }

  /** After an order is placed: its SL/TP were for it, not for the next one. */
  function placed(message: string) {
    setResult(message);
    setSl('');
    setTp('');
    setTouched((t) => {
      const n = new Set(t);
      n.delete('sl');
      n.delete('tp');
      return n;
    });
    setAttempted(false);
  }

  // Margin preview from the engine, for the side being placed (BUY for the two market buttons).
  const previewSide: Side = pending ? side : (confirming ?? 'BUY');
  const vol = toDecimal(volume);

  // The checks as the trader types (ticket-validation.ts), with the engine's preview for the margin.
  const localPerLot = spec && q ? requiredMargin(new Decimal(1), q.ask, spec, account.leverage, account.currency, quotes) : null;
  const draft = {
    type,
    side,
    volume,
    price,
    stopPrice,
    sl,
    tp,
    trailDistance,
    trailStep,
    expiresAt: expiry === 'GTC' ? ('GTC' as const) : fromLocalInput(expiresAt),
  };
  const limitsOnly = spec ? checkTicket(draft, { spec, quote: q ?? null, now: Date.now() }) : null;
  const volumeInLimits = Boolean(limitsOnly && !limitsOnly.errors.volume);
  const previewRaw = { accountId: account.id, symbol, side: previewSide, volume: volume.trim() };
  const previewInput = useDebounced(volumeInLimits && MarginPreviewInput.safeParse(previewRaw).success ? previewRaw : null, 300);
  const previewQuery = useQuery(
    trpc.risk.marginPreview.queryOptions(previewInput ?? skipToken, {
      placeholderData: keepPreviousData,
      refetchInterval: 5_000,
      staleTime: 2_000,
    }),
  );
  const p = previewQuery.data && previewQuery.data.symbol === symbol ? previewQuery.data : null;
  const pCurrent = p && vol && p.volume.eq(vol) && volumeInLimits ? p : null;
  const perLot = p && p.volume.gt(0) ? p.margin.div(p.volume) : localPerLot;
  const commissionPerLot = p && p.volume.gt(0) ? p.commission.div(p.volume) : (spec?.commissionPerLot ?? null);
  const check = spec
    ? checkTicket(draft, { spec, quote: q ?? null, now: Date.now(), freeMargin: figures?.freeMargin ?? null, marginPerLot: perLot, commissionPerLot })
    : null;
  // A hedging order can add no margin: when the engine's preview of this very volume says it fits, it fits.
  if (check && pCurrent && !pCurrent.freeMarginAfter.isNegative() && check.errors.volume && !limitsOnly?.errors.volume) delete check.errors.volume;
  const overMargin = Boolean(check?.errors.volume && !limitsOnly?.errors.volume);
  const ccy = account.currency;
  const localMargin = spec && q && vol && vol.gt(0) ? requiredMargin(vol, q.ask, spec, account.leverage, account.currency, quotes) : null;

  const shown = (f: FieldName): string | undefined => serverErrors[f] ?? (attempted || touched.has(f) ? check?.errors[f] : undefined);
  const marketStops = (s: Side) => check?.bySide[s] ?? {};
  const sideBlocked = (s: Side): string | undefined => {
    const e = marketStops(s);
    return e.sl ?? e.tp;
  };
  const blocking = (s: Side | null): boolean => {
    if (!check) return true;
    if (Object.keys(check.errors).length) return true;
    return s !== null && Boolean(sideBlocked(s));
  };

  function submitMarket(s: Side, confirmed = false) {
    setError(null);
    setResult(null);
    if (blocking(s)) {
      setAttempted(true);
      setConfirming(null);
      const e = marketStops(s);
      if (e.sl || e.tp) setServerErrors((x) => ({ ...x, ...e }));
      return;
    }
    if (!oneClick && !confirmed) {
      setConfirming(s);
      return;
    }
    setConfirming(null);
    const input = {
      accountId: account.id,
      symbol,
      side: s,
      volume: volume.trim(),
      sl: sl.trim() || undefined,
      tp: tp.trim() || undefined,
      trailing: trailingInput(),
      idempotencyKey: newRequestKey(),
    };
    const parsed = MarketOrderInput.safeParse(input);
    if (!parsed.success) return fail(parsed.error.issues);
    setServerErrors({});
    market.mutate(input, {
      onSuccess: (res) => {
        const o = res.order;
        const verb = o.side === 'BUY' ? 'Bought' : 'Sold';
        placed(`${verb} ${formatVolume(o.volume, spec?.volumeStep)} ${o.symbol} @ ${formatPrice(o.filledPrice, digits)}${res.replayed ? ' (already placed)' : ''}`);
        const positionsKey = trpc.account.positions.queryKey({ accountId: account.id });
        if (res.position) {
          const pos: PositionDto = res.position;
          queryClient.setQueryData<PositionDto[]>(positionsKey, (old) => (old ? [pos, ...old.filter((x) => x.id !== pos.id)] : old));
        }
        refreshAccount();
      },
      onError,
    });
  }

  function submitPending(confirmed = false) {
    setError(null);
    setResult(null);
    if (blocking(null)) {
      setAttempted(true);
      setConfirming(null);
      return;
    }
    if (!oneClick && !confirmed) {
      setConfirming(side);
      return;
    }
    setConfirming(null);
    let exp: Date | undefined;
    if (expiry === 'GTD') {
      const d = fromLocalInput(expiresAt);
      if (!d) return fail([{ path: ['expiresAt'], message: 'Choose a date and time' }]);
      exp = d;
    }
    const base = {
      accountId: account.id,
      symbol,
      side,
      volume: volume.trim(),
      price: price.trim(),
      sl: sl.trim() || undefined,
      tp: tp.trim() || undefined,
      trailing: trailingInput(),
      expiresAt: exp,
      idempotencyKey: newRequestKey(),
    };
    const opts = {
      onSuccess: (res: { order: OrderDto; replayed: boolean }) => {
        const o = res.order;
        const at =
          o.type === 'STOP_LIMIT'
            ? `stop ${formatPrice(o.stopPrice, digits)} limit ${formatPrice(o.price, digits)}`
            : `@ ${formatPrice(o.price, digits)}`;
        placed(`${o.side} ${typeLabel(o.type).toUpperCase()} #${o.id} ${formatVolume(o.volume, spec?.volumeStep)} ${o.symbol} ${at} placed${res.replayed ? ' (already placed)' : ''}`);
        const ordersKey = trpc.account.orders.queryKey({ accountId: account.id });
        queryClient.setQueryData<OrderDto[]>(ordersKey, (old) => (old ? [o, ...old.filter((x) => x.id !== o.id)] : old));
        void queryClient.invalidateQueries({ queryKey: ordersKey });
      },
      onError,
    };
    if (type === 'STOP_LIMIT') {
      const input = { ...base, stopPrice: stopPrice.trim() };
      const parsed = StopLimitOrderInput.safeParse(input);
      if (!parsed.success) return fail(parsed.error.issues);
      setServerErrors({});
      stopLimit.mutate(input, opts);
    } else {
      const parsed = LimitOrderInput.safeParse(base);
      if (!parsed.success) return fail(parsed.error.issues);
      setServerErrors({});
      (type === 'LIMIT' ? limit : stop).mutate(base, opts);
    }
  }

  const disabled = !spec || !q || busy || account.status !== 'ACTIVE';

  useHotkeys({
    b: () => (pending ? setSide('BUY') : !disabled && submitMarket('BUY')),
    s: () => (pending ? setSide('SELL') : !disabled && submitMarket('SELL')),
    '+': () => stepVolume(1),
    '=': () => stepVolume(1),
    '-': () => stepVolume(-1),
    m: () => changeType('MARKET'),
    l: () => changeType('LIMIT'),
    o: () => changeType('STOP'),
    k: () => changeType('STOP_LIMIT'),
    Escape: confirming ? () => setConfirming(null) : undefined,
    Enter: confirming && !disabled ? () => (pending ? submitPending(true) : submitMarket(confirming, true)) : undefined,
  });

  // Entry reference for the pip hints: the pending price, or the side's market price.
  const entry = pending ? toDecimal(price.trim()) : null;
  const pipHint = (v: string): string | undefined => {
    const d = toDecimal(v.trim());
    if (!spec || !d) return undefined;
    if (entry) return formatPips(pipsBetween(entry, d, spec));
    if (!pending && q) {
      // A market ticket's stops suit one side: say which.
      const buyOk = !marketStops('BUY').sl && !marketStops('BUY').tp;
      const sellOk = !marketStops('SELL').sl && !marketStops('SELL').tp;
      if (buyOk !== sellOk) return `For a ${buyOk ? 'BUY' : 'SELL'} only`;
    }
    return undefined;
  };
  const marketRef = q ? (side === 'BUY' ? q.ask : q.bid) : null;
  const priceHint = (v: string, what: string): ReactNode => {
    const d = toDecimal(v.trim());
    if (!spec || !marketRef) return undefined;
    return (
      <>
        {side === 'BUY' ? 'Ask' : 'Bid'} <span className="font-mono tabular-nums text-zinc-300">{formatPrice(marketRef, digits)}</span>
        {d ? ` · ${what} ${formatPips(pipsBetween(marketRef, d, spec))}` : ''}
      </>
    );
  };

  const volumeError = shown('volume') ?? (overMargin ? check?.errors.volume : undefined);
  const confirmText = confirming
    ? pending
      ? `Place ${confirming} ${typeLabel(type).toUpperCase()} ${volume.trim()} ${symbol} at ${type === 'STOP_LIMIT' ? `stop ${stopPrice.trim()} limit ` : ''}${price.trim()}?`
      : `${confirming === 'BUY' ? 'Buy' : 'Sell'} ${volume.trim()} ${symbol} at market (${confirming === 'BUY' ? 'ask' : 'bid'} ${formatPrice(confirming === 'BUY' ? q?.ask : q?.bid, digits)})?`
    : '';

  return (
    <Card
      title="Order"
      className="min-h-0 flex-1 overflow-y-auto"
      data-testid="ticket"
      actions={
        <label className="flex items-center gap-1.5 text-[11px] text-zinc-400" title="Orders go at the first click, without a confirmation">
          <input type="checkbox" checked={oneClick} onChange={(e) => setOneClick(e.target.checked)} data-testid="ticket-one-click" className="accent-sky-500" />
          One-click
        </label>
      }
    >
      <div className="flex flex-col gap-3 p-3">
        <div className="grid grid-cols-[1fr_7.5rem] gap-2">
          <SymbolField symbols={symbols.data} value={symbol} onValueChange={onSymbolChange} data-testid="ticket-symbol" />
          <Field label="Type">
            {(a) => (
              <Select {...a} value={type} onChange={(e) => changeType(e.target.value as OrderType)} data-testid="ticket-type">
                {ORDER_TYPES.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>

        {pending && (
          <div role="radiogroup" aria-label="Side" className="grid grid-cols-2 gap-1 rounded border border-zinc-800 bg-zinc-950 p-0.5">
            {(['SELL', 'BUY'] as const).map((s) => (
              <button
                key={s}
                type="button"
                role="radio"
                aria-checked={side === s}
                onClick={() => {
                  setSide(s);
                  setConfirming(null);
                }}
                data-testid={`ticket-side-${s.toLowerCase()}`}
                className={cx(
                  'h-8 rounded text-xs font-semibold tracking-wide',
                  side === s ? (s === 'BUY' ? 'bg-sky-600 text-white' : 'bg-rose-600 text-white') : 'text-zinc-400 hover:bg-zinc-800',
                )}
              >
                {s}
              </button>
            ))}
          </div>
        )}

        <Field
          label="Volume (lots)"
          error={volumeError}
          errorTestId="ticket-volume-error"
          hint={
            spec
              ? `Min ${formatVolume(spec.minVolume, spec.volumeStep)} · max ${formatVolume(spec.maxVolume, spec.volumeStep)} · step ${formatVolume(spec.volumeStep, spec.volumeStep)}`
              : undefined
          }
        >
          {(a) => (
            <div className="flex gap-1">
              <button
                type="button"
                aria-label="Decrease volume"
                onClick={() => stepVolume(-1)}
                className="h-9 w-9 shrink-0 rounded border border-zinc-700 bg-zinc-800 text-zinc-300 hover:bg-zinc-700"
                data-testid="ticket-volume-down"
              >
                −
              </button>
              <Input
                {...a}
                inputMode="decimal"
                value={volume}
                onChange={(e) => on('volume', setVolume)(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
                  e.preventDefault();
                  stepVolume(e.key === 'ArrowUp' ? 1 : -1);
                }}
                className="text-center font-mono tabular-nums"
                data-testid="ticket-volume"
              />
              <button
                type="button"
                aria-label="Increase volume"
                onClick={() => stepVolume(1)}
                className="h-9 w-9 shrink-0 rounded border border-zinc-700 bg-zinc-800 text-zinc-300 hover:bg-zinc-700"
                data-testid="ticket-volume-up"
              >
                +
              </button>
            </div>
          )}
        </Field>
        {overMargin && check?.maxVolume && spec && check.maxVolume.gte(spec.minVolume) && (
          <button
            type="button"
            onClick={() => {
              setVolume(check.maxVolume!.toFixed(stepDp));
              edited('volume');
            }}
            className="-mt-2 self-start text-[11px] text-sky-400 underline-offset-2 hover:underline"
            data-testid="ticket-use-max"
          >
            Use {check.maxVolume.toFixed(stepDp)} lots
          </button>
        )}

        <details className="group rounded border border-zinc-800 bg-zinc-950/60" data-testid="lot-calc-details">
          <summary className="cursor-pointer select-none px-2 py-1.5 text-[11px] font-medium text-zinc-400 hover:text-zinc-200">Size by risk</summary>
          <div className="px-2 pb-2">
            <LotCalculator
              key={symbol}
              account={account}
              symbol={symbol}
              defaultSlPips={q && spec ? defaultStopPips(q, spec).toString() : null}
              onApply={(v) => {
                setVolume(v.toFixed(stepDp));
                edited('volume');
              }}
            />
          </div>
        </details>

        {type === 'STOP_LIMIT' && (
          <DecimalField
            label="Stop price (trigger)"
            error={shown('stopPrice')}
            hint={priceHint(stopPrice, 'stop')}
            value={stopPrice}
            onValueChange={on('stopPrice', setStopPrice)}
            data-testid="ticket-stop-price"
          />
        )}
        {pending && (
          <DecimalField
            label={type === 'STOP' ? 'Stop price' : 'Limit price'}
            error={shown('price')}
            hint={priceHint(price, 'entry')}
            value={price}
            onValueChange={on('price', setPrice)}
            data-testid="ticket-price"
          />
        )}

        <SlTpFields
          sl={sl}
          tp={tp}
          onSl={on('sl', setSl)}
          onTp={on('tp', setTp)}
          errors={{ sl: shown('sl'), tp: shown('tp') }}
          hints={{ sl: pipHint(sl), tp: pipHint(tp) }}
          testIdPrefix="ticket"
        />

        <details className="rounded border border-zinc-800 bg-zinc-950/60" open={Boolean(trailDistance) || undefined} data-testid="ticket-trailing-details">
          <summary className="cursor-pointer select-none px-2 py-1.5 text-[11px] font-medium text-zinc-400 hover:text-zinc-200">
            Trailing stop{trailDistance.trim() ? ` · ${trailDistance.trim()} pips` : ''}
          </summary>
          <div className="grid grid-cols-2 gap-2 px-2 pb-2">
            <DecimalField
              label="Distance (pips)"
              error={shown('trailing')}
              placeholder="off"
              value={trailDistance}
              onValueChange={on('trailing', setTrailDistance)}
              data-testid="ticket-trailing-distance"
            />
            <DecimalField
              label="Step (pips)"
              placeholder="0"
              value={trailStep}
              onValueChange={on('trailing', setTrailStep)}
              disabled={!trailDistance.trim()}
              data-testid="ticket-trailing-step"
            />
          </div>
        </details>

        {pending && (
          <div className="flex flex-col gap-1">
            <Field label="Expiry" error={shown('expiresAt')}>
              {(a) => (
                <Select
                  {...a}
                  value={expiry}
                  onChange={(e) => {
                    setExpiry(e.target.value as 'GTC' | 'GTD');
                    edited('expiresAt');
                  }}
                  data-testid="ticket-expiry"
                >
                  <option value="GTC">Good till cancelled (GTC)</option>
                  <option value="GTD">Good till date (GTD)</option>
                </Select>
              )}
            </Field>
            {expiry === 'GTD' && (
              <Input
                type="datetime-local"
                aria-label="Expires at"
                value={expiresAt}
                onChange={(e) => on('expiresAt', setExpiresAt)(e.target.value)}
                className="min-w-0 font-mono text-xs"
                data-testid="ticket-expiry-at"
              />
            )}
          </div>
        )}

        {confirming ? (
          <div className="flex flex-col gap-2 rounded border border-sky-500/40 bg-sky-500/10 p-2" data-testid="ticket-confirm-box">
            <p className="text-xs text-zinc-200">{confirmText}</p>
            <div className="grid grid-cols-2 gap-2">
              <button
                type="button"
                onClick={() => setConfirming(null)}
                className="h-10 rounded border border-zinc-700 text-xs text-zinc-300 hover:bg-zinc-800"
                data-testid="ticket-confirm-cancel"
              >
                Cancel (Esc)
              </button>
              <button
                ref={confirmRef}
                type="button"
                disabled={disabled}
                onClick={() => (pending ? submitPending(true) : submitMarket(confirming, true))}
                className={cx(
                  'h-10 rounded text-xs font-semibold text-white disabled:opacity-60',
                  confirming === 'BUY' ? 'bg-sky-600 hover:bg-sky-500' : 'bg-rose-600 hover:bg-rose-500',
                )}
                data-testid="ticket-confirm"
              >
                Confirm {confirming} (Enter)
              </button>
            </div>
          </div>
        ) : pending ? (
          <button
            type="button"
            onClick={() => submitPending()}
            disabled={disabled}
            data-testid="ticket-place"
            className={cx(
              'flex h-12 items-center justify-center gap-2 rounded text-sm font-semibold text-white transition-colors disabled:cursor-not-allowed disabled:opacity-60',
              'focus-visible:outline-2 focus-visible:outline-offset-2',
              side === 'BUY'
                ? 'bg-sky-600 hover:bg-sky-500 focus-visible:outline-sky-300'
                : 'bg-rose-600 hover:bg-rose-500 focus-visible:outline-rose-300',
            )}
          >
            {busy && <Spinner className="h-3.5 w-3.5" />}
            Place {side} {typeLabel(type).toUpperCase()}
          </button>
        ) : (
          <div className="grid grid-cols-2 gap-2">
            <SideButton
              side="SELL"
              price={q?.bid}
              digits={digits}
              pending={market.isPending && market.variables?.side === 'SELL'}
              disabled={disabled}
              blockedBy={sideBlocked('SELL')}
              onClick={() => submitMarket('SELL')}
            />
            <SideButton
              side="BUY"
              price={q?.ask}
              digits={digits}
              pending={market.isPending && market.variables?.side === 'BUY'}
              disabled={disabled}
              blockedBy={sideBlocked('BUY')}
              onClick={() => submitMarket('BUY')}
            />
          </div>
        )}

        <div ref={resultRef} className="flex scroll-mb-2 flex-col gap-2 empty:hidden">
          {account.status !== 'ACTIVE' && (
            <p className="text-xs text-amber-400">Account is {account.status.toLowerCase().replace('_', '-')}: trading is disabled.</p>
          )}
          {error && <ErrorNotice compact showCode={false} error={error} testId="ticket-error" />}
          {result && (
            <SuccessNotice compact testId="ticket-result">
              {result}
            </SuccessNotice>
          )}
        </div>

        <section className="rounded border border-zinc-800 bg-zinc-950/60 p-2" data-testid="ticket-preview" aria-label="Margin preview">
          <h3 className="mb-1.5 flex items-center justify-between text-[10px] font-semibold uppercase tracking-wider text-zinc-500">
            Margin preview ({previewSide.toLowerCase()}){previewQuery.isFetching && <Spinner className="h-2.5 w-2.5 text-zinc-600" />}
          </h3>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            <dt className="text-zinc-500">Spread</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300">
              {q && spec ? `${q.ask.minus(q.bid).mul(new Decimal(10).pow(spec.digits)).toDecimalPlaces(0).toString()} pts` : '—'}
            </dd>
            <dt className="text-zinc-500">Required margin</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-margin">
              {!volumeInLimits ? '—' : pCurrent ? formatMoney(pCurrent.margin, { currency: ccy }) : localMargin ? `≈ ${formatMoney(localMargin, { currency: ccy })}` : '—'}
            </dd>
            <dt className="text-zinc-500">Commission</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300">{pCurrent ? formatMoney(pCurrent.commission, { currency: ccy }) : '—'}</dd>
            <dt className="text-zinc-500">Pip value</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300">{pCurrent ? formatMoneyRate(pCurrent.pipValue, { currency: ccy }) : '—'}</dd>
            <dt className="text-zinc-500">Free margin after</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-free-margin-after">
              {pCurrent && !overMargin ? formatMoney(pCurrent.freeMarginAfter, { currency: ccy }) : '—'}
            </dd>
            <dt className="text-zinc-500">Margin level after</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-margin-level-after">
              {pCurrent && !overMargin ? formatPercent(pCurrent.marginLevelAfter) : '—'}
            </dd>
            <dt className="text-zinc-500">Max volume (free margin)</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-max-volume">
              {check?.maxVolume ? `${check.maxVolume.toFixed(stepDp)} lots` : '—'}
            </dd>
          </dl>
          {overMargin && (
            <p className="mt-1 text-[11px] text-amber-400" data-testid="ticket-preview-over">
              This volume needs {localMargin ? `≈ ${formatMoney(localMargin, { currency: ccy })}` : 'more'} of margin;{' '}
              {figures ? formatMoney(figures.freeMargin, { currency: ccy }) : 'less'} is free.
            </p>
          )}
          {previewQuery.isError && !p && (
            <p className="mt-1 text-[11px] text-rose-400" data-testid="ticket-preview-error">
              {humanError(appError(previewQuery.error)).message}
            </p>
          )}
          {pending && <p className="mt-1 text-[10px] text-zinc-600">At today's price; margin is taken when the order fills.</p>}
        </section>
      </div>
    </Card>
  );
}

/** Risk % of equity and a stop distance in pips → the largest volume that risks no more (risk.calculateLot). */
function LotCalculator({
  account,
  symbol,
  defaultSlPips,
  onApply,
}: {
  account: AccountBrief;
  symbol: string;
  /** The symbol's default stop distance (defaultStopPips); null until its first quote. */
  defaultSlPips: string | null;
  onApply: (v: Decimal) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [risk, setRisk] = useState('1');
  // Remounted per symbol (key): the distance starts at the symbol's default once its first quote is in, and is
  // the trader's own from the first edit.
  const [typedSlPips, setSlPips] = useState<string | null>(null);
  const [seeded, setSeeded] = useState(defaultSlPips);
  useEffect(() => {
    if (seeded === null && defaultSlPips !== null) setSeeded(defaultSlPips);
  }, [seeded, defaultSlPips]);
  const slPips = typedSlPips ?? seeded ?? String(DEFAULT_STOP_PIPS);
  const [err, setErr] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const raw = { accountId: account.id, symbol, riskPercent: risk.trim(), slPips: slPips.trim() };
  const valid = CalculateLotInput.safeParse(raw);
  const input = useDebounced(valid.success ? raw : null, 300);
  const calc = useQuery(trpc.risk.calculateLot.queryOptions(input ?? skipToken, { placeholderData: keepPreviousData, staleTime: 5_000 }));
  const r = calc.data && calc.data.symbol === symbol ? calc.data : null;

  async function apply() {
    setErr(null);
    if (!valid.success) {
      const i = valid.error.issues[0];
      setErr(i ? `${String(i.path[0] ?? 'input')}: ${i.message}` : 'Check the inputs');
      return;
    }
    setApplying(true);
    try {
      const res = await queryClient.fetchQuery(trpc.risk.calculateLot.queryOptions(raw, { staleTime: 0 }));
      if (res.volume.gt(0)) onApply(res.volume);
      else setErr(res.note ?? 'The risk is too small for the minimum volume');
    } catch (e) {
      setErr(humanError(appError(e)).message);
    } finally {
      setApplying(false);
    }
  }

  return (
    <div className="rounded border border-zinc-800 bg-zinc-950/60 p-2" data-testid="lot-calc">
      <div className="grid grid-cols-[1fr_1fr_auto] items-end gap-1.5">
        <label className="flex flex-col gap-0.5 text-[10px] font-medium uppercase tracking-wider text-zinc-500">
          Risk %
          <Input
            inputMode="decimal"
            value={risk}
            onChange={(e) => setRisk(e.target.value)}
            className="h-7 px-1.5 font-mono text-xs tabular-nums"
            data-testid="lot-calc-risk"
          />
        </label>
        <label className="flex flex-col gap-0.5 text-[10px] font-medium uppercase tracking-wider text-zinc-500">
          SL pips
          <Input
            inputMode="decimal"
            value={slPips}
            onChange={(e) => setSlPips(e.target.value)}
            className="h-7 px-1.5 font-mono text-xs tabular-nums"
            data-testid="lot-calc-sl"
          />
        </label>
        <button
          type="button"
          onClick={() => void apply()}
          disabled={applying}
          className="h-7 rounded border border-zinc-700 bg-zinc-800 px-2 text-xs text-zinc-200 hover:bg-zinc-700 disabled:opacity-50"
          data-testid="lot-calc-apply"
        >
          {applying ? '…' : 'Apply'}
        </button>
      </div>
      <p className="mt-1 text-[11px] text-zinc-500" data-testid="lot-calc-result">
        {err ? (
          <span className="text-rose-400">{err}</span>
        ) : r ? (
          r.volume.gt(0) ? (
            <>
              Risk <span className="font-mono text-zinc-300">{formatMoney(r.riskAmount, { currency: account.currency })}</span> →{' '}
              <span className="font-mono font-semibold text-zinc-200">{formatVolume(r.volume)}</span> lots
            </>
          ) : (
            <span className="text-amber-400">{r.note ?? 'Below the minimum volume'}</span>
          )
        ) : (
          'Risk % of equity with a stop this many pips away'
        )}
      </p>
    </div>
  );
}

function SideButton(props: {
  side: Side;
  price: Decimal | undefined;
  digits: number;
  pending: boolean;
  disabled: boolean;
  /** Why this side cannot go with the stops as typed (the click then shows it on the field). */
  blockedBy?: string;
  onClick: () => void;
}) {
  const buy = props.side === 'BUY';
  return (
    <button
      type="button"
      onClick={props.onClick}
      disabled={props.disabled}
      title={props.blockedBy}
      data-blocked={props.blockedBy ? true : undefined}
      data-testid={buy ? 'ticket-buy' : 'ticket-sell'}
      className={cx(
        'flex h-16 flex-col items-center justify-center rounded font-semibold text-white transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60',
        buy ? 'bg-sky-600 hover:bg-sky-500 focus-visible:outline-sky-300' : 'bg-rose-600 hover:bg-rose-500 focus-visible:outline-rose-300',
        props.blockedBy && 'opacity-50',
      )}
    >
      <span className="flex items-center gap-1.5 text-[11px] uppercase tracking-wider opacity-90">
        {props.pending && <Spinner className="h-3 w-3" />}
        {props.side}
      </span>
      <span className="text-sm">
        {props.price ? <PriceCell value={props.price} digits={props.digits} flash={false} emphasisePips /> : '—'}
      </span>
    </button>
  );
}
