'use client';
import type { AccountBrief, OrderDto, PositionDto } from '@broker/api';
import { CalculateLotInput, LimitOrderInput, MarginPreviewInput, MarketOrderInput, StopLimitOrderInput } from '@broker/api/schemas';
import {
  Card,
  DecimalField,
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
  toDecimal,
} from '@broker/ui';
import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useEffect, useState, type ReactNode } from 'react';
import { useQuote, useQuotes } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { newRequestKey } from '../trpc/id.ts';
import { useTRPC } from '../trpc/react.ts';
import { requiredMargin } from './live-pnl.ts';
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

const FIELDS = ['volume', 'price', 'stopPrice', 'sl', 'tp', 'trailing', 'expiresAt'] as const;
type FieldName = (typeof FIELDS)[number];

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
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [result, setResult] = useState<string | null>(null);

  const pending = type !== 'MARKET';
  const digits = spec?.digits ?? 5;
  const stepDp = spec ? Math.max(2, spec.volumeStep.decimalPlaces()) : 2;
  // Reset the ticket when the symbol changes (not when the symbol list is merely refetched).
  const specKey = spec ? `${spec.name}:${spec.minVolume.toString()}:${stepDp}` : '';
  useEffect(() => {
    if (spec) setVolume(spec.minVolume.toFixed(stepDp));
    setSl('');
    setTp('');
    setFieldErrors({});
    setError(null);
    setResult(null);
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
  }

  function trailingInput() {
    if (!trailDistance.trim()) return undefined;
    return { distancePips: trailDistance.trim(), stepPips: trailStep.trim() || '0' };
  }

  function fail(issues: readonly { path: readonly PropertyKey[] | string; message: string }[]) {
    setFieldErrors(issuesByField(issues, FIELDS));
    const first = issues[0];
    const where = first ? String(typeof first.path === 'string' ? first.path : (first.path[0] ?? 'input')) : 'input';
    setError({ code: 'VALIDATION_ERROR', message: first ? `${where}: ${first.message}` : 'Check the order' });
  }

  function onError(e: unknown) {
    const info = appError(e);
    if (info.issues?.length) setFieldErrors(issuesByField(info.issues, FIELDS));
    setError(info);
  }

  function refreshAccount() {
    void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
  }

  function submitMarket(s: Side) {
    setError(null);
    setResult(null);
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
    setFieldErrors({});
    market.mutate(input, {
      onSuccess: (res) => {
        const o = res.order;
        const verb = o.side === 'BUY' ? 'Bought' : 'Sold';
        setResult(
          `${verb} ${formatVolume(o.volume, spec?.volumeStep)} ${o.symbol} @ ${formatPrice(o.filledPrice, digits)}${res.replayed ? ' (already placed)' : ''}`,
        );
        const positionsKey = trpc.account.positions.queryKey({ accountId: account.id });
        if (res.position) {
          const p: PositionDto = res.position;
          queryClient.setQueryData<PositionDto[]>(positionsKey, (old) => (old ? [p, ...old.filter((x) => x.id !== p.id)] : old));
        }
        refreshAccount();
      },
      onError,
    });
  }

  function submitPending() {
    setError(null);
    setResult(null);
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
        setResult(
          `${o.side} ${typeLabel(o.type).toUpperCase()} #${o.id} ${formatVolume(o.volume, spec?.volumeStep)} ${o.symbol} ${at} placed${res.replayed ? ' (already placed)' : ''}`,
        );
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
      setFieldErrors({});
      stopLimit.mutate(input, opts);
    } else {
      const parsed = LimitOrderInput.safeParse(base);
      if (!parsed.success) return fail(parsed.error.issues);
      setFieldErrors({});
      (type === 'LIMIT' ? limit : stop).mutate(base, opts);
    }
  }

  // Margin preview from the engine, for the side being placed (BUY for the two market buttons).
  const previewSide: Side = pending ? side : 'BUY';
  const previewRaw = { accountId: account.id, symbol, side: previewSide, volume: volume.trim() };
  const previewInput = useDebounced(MarginPreviewInput.safeParse(previewRaw).success ? previewRaw : null, 300);
  const preview = useQuery(
    trpc.risk.marginPreview.queryOptions(previewInput ?? skipToken, {
      placeholderData: keepPreviousData,
      refetchInterval: 5_000,
      staleTime: 2_000,
    }),
  );
  const vol = toDecimal(volume);
  const localMargin = spec && q && vol && vol.gt(0) ? requiredMargin(vol, q.ask, spec, account.leverage, account.currency, quotes) : null;
  const p = preview.data && preview.data.symbol === symbol ? preview.data : null;
  const ccy = account.currency;

  // Entry reference for the pip hints: the pending price, or the side's market price.
  const entry = pending ? toDecimal(price.trim()) : null;
  const pipHint = (v: string): string | undefined => {
    const d = toDecimal(v.trim());
    if (!spec || !d || !entry) return undefined;
    return formatPips(pipsBetween(entry, d, spec));
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

  const disabled = !spec || !q || busy || account.status !== 'ACTIVE';

  return (
    <Card title="Order" className="min-h-0 overflow-y-auto">
      <div className="flex flex-col gap-3 p-3">
        <div className="grid grid-cols-[1fr_7.5rem] gap-2">
          <SymbolField symbols={symbols.data} value={symbol} onValueChange={onSymbolChange} data-testid="ticket-symbol" />
          <Field label="Type">
            {(a) => (
              <Select
                {...a}
                value={type}
                onChange={(e) => {
                  setType(e.target.value as OrderType);
                  setFieldErrors({});
                  setError(null);
                  setResult(null);
                }}
                data-testid="ticket-type"
              >
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
                onClick={() => setSide(s)}
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
          error={fieldErrors.volume}
          hint={
            spec
              ? `Min ${formatVolume(spec.minVolume, spec.volumeStep)} · step ${formatVolume(spec.volumeStep, spec.volumeStep)}`
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
                onChange={(e) => setVolume(e.target.value)}
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

        <LotCalculator
          key={symbol}
          account={account}
          symbol={symbol}
          defaultSlPips={q && spec ? defaultStopPips(q, spec).toString() : null}
          onApply={(v) => setVolume(v.toFixed(stepDp))}
        />

        {type === 'STOP_LIMIT' && (
          <DecimalField
            label="Stop price (trigger)"
            error={fieldErrors.stopPrice}
            hint={priceHint(stopPrice, 'stop')}
            value={stopPrice}
            onValueChange={setStopPrice}
            data-testid="ticket-stop-price"
          />
        )}
        {pending && (
          <DecimalField
            label={type === 'STOP' ? 'Stop price' : 'Limit price'}
            error={fieldErrors.price}
            hint={priceHint(price, 'entry')}
            value={price}
            onValueChange={setPrice}
            data-testid="ticket-price"
          />
        )}

        <SlTpFields
          sl={sl}
          tp={tp}
          onSl={setSl}
          onTp={setTp}
          errors={fieldErrors}
          hints={{ sl: pipHint(sl), tp: pipHint(tp) }}
          testIdPrefix="ticket"
        />

        <div className="grid grid-cols-2 gap-2">
          <DecimalField
            label="Trailing (pips)"
            error={fieldErrors.trailing}
            placeholder="off"
            value={trailDistance}
            onValueChange={setTrailDistance}
            data-testid="ticket-trailing-distance"
          />
          <DecimalField
            label="Trail step (pips)"
            placeholder="0"
            value={trailStep}
            onValueChange={setTrailStep}
            disabled={!trailDistance.trim()}
            data-testid="ticket-trailing-step"
          />
        </div>

        {pending && (
          <div className="flex flex-col gap-1">
            <Field label="Expiry" error={fieldErrors.expiresAt}>
              {(a) => (
                <Select {...a} value={expiry} onChange={(e) => setExpiry(e.target.value as 'GTC' | 'GTD')} data-testid="ticket-expiry">
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
                onChange={(e) => setExpiresAt(e.target.value)}
                className="min-w-0 font-mono text-xs"
                data-testid="ticket-expiry-at"
              />
            )}
          </div>
        )}

        {pending ? (
          <button
            type="button"
            onClick={submitPending}
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
              onClick={() => submitMarket('SELL')}
            />
            <SideButton
              side="BUY"
              price={q?.ask}
              digits={digits}
              pending={market.isPending && market.variables?.side === 'BUY'}
              disabled={disabled}
              onClick={() => submitMarket('BUY')}
            />
          </div>
        )}

        {account.status !== 'ACTIVE' && (
          <p className="text-xs text-amber-400">Account is {account.status.toLowerCase().replace('_', '-')}: trading is disabled.</p>
        )}
        {error && <ErrorNotice compact error={error} testId="ticket-error" />}
        {result && (
          <SuccessNotice compact testId="ticket-result">
            {result}
          </SuccessNotice>
        )}

        <section className="rounded border border-zinc-800 bg-zinc-950/60 p-2" data-testid="ticket-preview" aria-label="Margin preview">
          <h3 className="mb-1.5 flex items-center justify-between text-[10px] font-semibold uppercase tracking-wider text-zinc-500">
            Margin preview ({previewSide.toLowerCase()}){preview.isFetching && <Spinner className="h-2.5 w-2.5 text-zinc-600" />}
          </h3>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            <dt className="text-zinc-500">Spread</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300">
              {q && spec ? `${q.ask.minus(q.bid).mul(new Decimal(10).pow(spec.digits)).toDecimalPlaces(0).toString()} pts` : '—'}
            </dd>
            <dt className="text-zinc-500">Required margin</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-margin">
              {p ? formatMoney(p.margin, { currency: ccy }) : localMargin ? `≈ ${formatMoney(localMargin, { currency: ccy })}` : '—'}
            </dd>
            <dt className="text-zinc-500">Commission</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300">{p ? formatMoney(p.commission, { currency: ccy }) : '—'}</dd>
            <dt className="text-zinc-500">Pip value</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300">{p ? formatMoneyRate(p.pipValue, { currency: ccy }) : '—'}</dd>
            <dt className="text-zinc-500">Free margin after</dt>
            <dd
              className={cx('text-right font-mono tabular-nums', p?.freeMarginAfter.isNegative() ? 'text-rose-400' : 'text-zinc-300')}
              data-testid="ticket-free-margin-after"
            >
              {p ? formatMoney(p.freeMarginAfter, { currency: ccy }) : '—'}
            </dd>
            <dt className="text-zinc-500">Margin level after</dt>
            <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-margin-level-after">
              {p ? formatPercent(p.marginLevelAfter) : '—'}
            </dd>
          </dl>
          {preview.isError && !p && (
            <p className="mt-1 text-[11px] text-rose-400" data-testid="ticket-preview-error">
              {appError(preview.error).code}: {appError(preview.error).message}
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
      const info = appError(e);
      setErr(`${info.code}: ${info.message}`);
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
  onClick: () => void;
}) {
  const buy = props.side === 'BUY';
  return (
    <button
      type="button"
      onClick={props.onClick}
      disabled={props.disabled}
      data-testid={buy ? 'ticket-buy' : 'ticket-sell'}
      className={cx(
        'flex h-16 flex-col items-center justify-center rounded font-semibold text-white transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60',
        buy ? 'bg-sky-600 hover:bg-sky-500 focus-visible:outline-sky-300' : 'bg-rose-600 hover:bg-rose-500 focus-visible:outline-rose-300',
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
