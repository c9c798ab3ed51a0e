'use client';
import type { AccountBrief, PositionDto } from '@broker/api';
import { MarketOrderInput } from '@broker/api/schemas';
import { Card, Field, Input, PriceCell, Select, Spinner, cx, formatMoney, formatPrice, formatVolume, toDecimal } from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useEffect, useState } from 'react';
import { useQuote, useQuotes } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { newRequestKey } from '../trpc/id.ts';
import { useTRPC } from '../trpc/react.ts';
import { requiredMargin } from './live-pnl.ts';

type Side = 'BUY' | 'SELL';
type FieldName = 'volume' | 'sl' | 'tp';

export function OrderTicket({ account, symbol, onSymbolChange }: { account: AccountBrief; symbol: string; onSymbolChange: (s: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const symbols = useSymbols();
  const spec = symbols.byName.get(symbol);
  const q = useQuote(symbol);
  const quotes = useQuotes();

  const [volume, setVolume] = useState('');
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [result, setResult] = useState<string | null>(null);

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

  const order = useMutation(trpc.orders.market.mutationOptions());

  function stepVolume(dir: 1 | -1) {
    if (!spec) return;
    const current = toDecimal(volume) ?? spec.minVolume;
    let next = current.plus(spec.volumeStep.mul(dir)).toNearest(spec.volumeStep, Decimal.ROUND_HALF_UP);
    next = Decimal.min(Decimal.max(next, spec.minVolume), spec.maxVolume);
    setVolume(next.toFixed(stepDp));
  }

  function submit(side: Side) {
    setError(null);
    setResult(null);
    const parsed = MarketOrderInput.safeParse({
      accountId: account.id,
      symbol,
      side,
      volume: volume.trim(),
      sl: sl.trim() || undefined,
      tp: tp.trim() || undefined,
      idempotencyKey: newRequestKey(),
    });
    if (!parsed.success) {
      const errs: Partial<Record<FieldName, string>> = {};
      for (const i of parsed.error.issues) {
        const k = i.path[0];
        if (k === 'volume' || k === 'sl' || k === 'tp') errs[k] ??= i.message;
      }
      setFieldErrors(errs);
      const first = parsed.error.issues[0];
      setError({ code: 'VALIDATION_ERROR', message: first ? `${String(first.path[0] ?? 'input')}: ${first.message}` : 'Check the order' });
      return;
    }
    setFieldErrors({});
    order.mutate(parsed.data, {
      onSuccess: (res) => {
        const o = res.order;
        const verb = o.side === 'BUY' ? 'Bought' : 'Sold';
        setResult(
          `${verb} ${formatVolume(o.volume, spec?.volumeStep)} ${o.symbol} @ ${formatPrice(o.filledPrice, spec?.digits ?? 5)}${res.replayed ? ' (already placed)' : ''}`,
        );
        const positionsKey = trpc.account.positions.queryKey({ accountId: account.id });
        if (res.position) {
          const p: PositionDto = res.position;
          queryClient.setQueryData<PositionDto[]>(positionsKey, (old) => (old ? [p, ...old.filter((x) => x.id !== p.id)] : old));
        }
        void queryClient.invalidateQueries({ queryKey: positionsKey });
        void queryClient.invalidateQueries({ queryKey: trpc.account.summary.queryKey({ accountId: account.id }) });
      },
      onError: (e) => setError(appError(e)),
    });
  }

  const vol = toDecimal(volume);
  const margin = spec && q && vol && vol.gt(0) ? requiredMargin(vol, q.ask, spec, account.leverage, account.currency, quotes) : null;
  const commission = spec && vol && vol.gt(0) ? vol.mul(spec.commissionPerLot) : null;
  const pendingSide = order.isPending ? order.variables?.side : undefined;
  const disabled = !spec || !q || order.isPending || account.status !== 'ACTIVE';

  return (
    <Card title="Order" className="min-h-0 overflow-y-auto">
      <div className="flex flex-col gap-3 p-3">
        <Field label="Symbol">
          {(a) => (
            <Select {...a} value={symbol} onChange={(e) => onSymbolChange(e.target.value)} data-testid="ticket-symbol">
              {symbols.data?.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </Select>
          )}
        </Field>

        <Field
          label="Volume (lots)"
          error={fieldErrors.volume}
          hint={spec ? `Min ${formatVolume(spec.minVolume, spec.volumeStep)} · step ${formatVolume(spec.volumeStep, spec.volumeStep)}` : undefined}
        >
          {(a) => (
            <div className="flex gap-1">
              <button type="button" aria-label="Decrease volume" onClick={() => stepVolume(-1)} className="h-9 w-9 shrink-0 rounded border border-zinc-700 bg-zinc-800 text-zinc-300 hover:bg-zinc-700" data-testid="ticket-volume-down">
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
              <button type="button" aria-label="Increase volume" onClick={() => stepVolume(1)} className="h-9 w-9 shrink-0 rounded border border-zinc-700 bg-zinc-800 text-zinc-300 hover:bg-zinc-700" data-testid="ticket-volume-up">
                +
              </button>
            </div>
          )}
        </Field>

        <div className="grid grid-cols-2 gap-2">
          <Field label="Stop loss" error={fieldErrors.sl}>
            {(a) => <Input {...a} inputMode="decimal" placeholder="none" value={sl} onChange={(e) => setSl(e.target.value)} className="font-mono tabular-nums" data-testid="ticket-sl" />}
          </Field>
          <Field label="Take profit" error={fieldErrors.tp}>
            {(a) => <Input {...a} inputMode="decimal" placeholder="none" value={tp} onChange={(e) => setTp(e.target.value)} className="font-mono tabular-nums" data-testid="ticket-tp" />}
          </Field>
        </div>

        <div className="grid grid-cols-2 gap-2">
          <SideButton side="SELL" price={q?.bid} digits={spec?.digits ?? 5} pending={pendingSide === 'SELL'} disabled={disabled} onClick={() => submit('SELL')} />
          <SideButton side="BUY" price={q?.ask} digits={spec?.digits ?? 5} pending={pendingSide === 'BUY'} disabled={disabled} onClick={() => submit('BUY')} />
        </div>

        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
          <dt className="text-zinc-500">Spread</dt>
          <dd className="text-right font-mono tabular-nums text-zinc-300">
            {q && spec ? `${q.ask.minus(q.bid).mul(new Decimal(10).pow(spec.digits)).toDecimalPlaces(0).toString()} pts` : '—'}
          </dd>
          <dt className="text-zinc-500">Margin (buy) ≈</dt>
          <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid="ticket-margin">
            {margin ? formatMoney(margin, { currency: account.currency }) : '—'}
          </dd>
          <dt className="text-zinc-500">Commission</dt>
          <dd className="text-right font-mono tabular-nums text-zinc-300">{commission ? formatMoney(commission, { currency: account.currency }) : '—'}</dd>
        </dl>

        {account.status !== 'ACTIVE' && <p className="text-xs text-amber-400">Account is {account.status.toLowerCase().replace('_', '-')}: trading is disabled.</p>}
        {error && (
          <div role="alert" className="rounded border border-rose-500/40 bg-rose-500/10 px-2.5 py-2 text-xs text-rose-200" data-testid="ticket-error" data-code={error.code}>
            <span className="mr-1.5 font-mono text-[10px] text-rose-400">{error.code}</span>
            {error.message}
          </div>
        )}
        {result && (
          <p role="status" className="rounded border border-emerald-500/30 bg-emerald-500/10 px-2.5 py-2 text-xs text-emerald-300" data-testid="ticket-result">
            {result}
          </p>
        )}
      </div>
    </Card>
  );
}

function SideButton(props: { side: Side; price: Decimal | undefined; digits: number; pending: boolean; disabled: boolean; onClick: () => void }) {
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
      <span className="text-sm">{props.price ? <PriceCell value={props.price} digits={props.digits} flash={false} emphasisePips /> : '—'}</span>
    </button>
  );
}
