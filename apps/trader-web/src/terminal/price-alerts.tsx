'use client';
// Price alerts (issue 15): set one on a symbol's bid or ask crossing a price, see the active and triggered
// ones, delete them. The engine fires each once and pushes price_alert (a notice, live/account-stream.ts).
import type { AccountBrief, PriceAlertDto } from '@broker/api';
import { CreateAlertInput, MAX_ACTIVE_ALERTS } from '@broker/api/trader-schemas';
import { Button, DecimalField, ErrorNotice, Field, Input, humanError, PriceCell, RowAction, Select, TBody, THead, Table, TableRows, Td, Th, Tr, cx, formatPrice } from '@broker/ui';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useQuote } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { useLayoutMode } from './prefs.ts';
import { issuesByField, shortTime } from './ticket-math.ts';

const COLS = 7;
const FIELDS = ['symbol', 'price', 'note'] as const;

export function usePriceAlerts(accountId: number | undefined) {
  const trpc = useTRPC();
  return useQuery(trpc.alerts.list.queryOptions(accountId ? { accountId } : skipToken));
}

const condition = (a: Pick<PriceAlertDto, 'side' | 'direction'>) => `${a.side === 'BID' ? 'Bid' : 'Ask'} ${a.direction === 'ABOVE' ? '≥' : '≤'}`;

export function PriceAlerts({ account, symbol: initialSymbol }: { account: AccountBrief; symbol?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const symbols = useSymbols();
  const alerts = usePriceAlerts(account.id);
  const phone = useLayoutMode() === 'phone';
  const [symbol, setSymbol] = useState(initialSymbol ?? 'EURUSD');
  const [side, setSide] = useState<'BID' | 'ASK'>('BID');
  const [direction, setDirection] = useState<'ABOVE' | 'BELOW'>('ABOVE');
  const [price, setPrice] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({});
  const [failure, setFailure] = useState<AppErrorInfo | null>(null);
  const q = useQuote(symbol);
  const spec = symbols.byName.get(symbol);
  const digits = spec?.digits ?? 5;
  const now = q ? (side === 'BID' ? q.bid : q.ask) : null;
  const listKey = trpc.alerts.list.queryKey({ accountId: account.id });
  const create = useMutation(trpc.alerts.create.mutationOptions());
  const remove = useMutation(trpc.alerts.delete.mutationOptions());
  const active = alerts.data?.filter((a) => !a.triggeredAt).length ?? 0;
  /** A field changed: the last refusal was about what it held before. */
  const edited = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setFailure(null);
  };

  function submit() {
    setFailure(null);
    const parsed = CreateAlertInput.safeParse({ accountId: account.id, symbol, side, direction, price: price.trim(), note: note.trim() || undefined });
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues, FIELDS));
      return;
    }
    // The engine bounds the level to the symbol's digits too; say it next to the field first.
    if (parsed.data.price.decimalPlaces() > digits) {
      setErrors({ price: `${symbol} prices have ${digits} decimals` });
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: () => {
        setPrice('');
        setNote('');
        void queryClient.invalidateQueries({ queryKey: listKey });
      },
      onError: (e) => setFailure(humanError(appError(e))),
    });
  }

  function onDelete(a: PriceAlertDto) {
    setFailure(null);
    remove.mutate(
      { accountId: account.id, alertId: a.id },
      {
        onSuccess: () => {
          queryClient.setQueryData<PriceAlertDto[]>(listKey, (old) => old?.filter((x) => x.id !== a.id));
          void queryClient.invalidateQueries({ queryKey: listKey });
        },
        onError: (e) => setFailure(humanError(appError(e))),
      },
    );
  }

  const form = (
    <form
      className={cx('grid gap-2 border-b border-zinc-800 p-2', phone ? 'grid-cols-2' : 'grid-cols-[8rem_7rem_8rem_9rem_minmax(8rem,1fr)_auto] items-end')}
      data-testid="alert-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Field label="Symbol" error={errors.symbol}>
        {(a) => (
          <Select {...a} value={symbol} onChange={(e) => edited(setSymbol)(e.target.value)} data-testid="alert-symbol">
            {(symbols.data ?? [{ name: symbol }]).map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Price side">
        {(a) => (
          <Select {...a} value={side} onChange={(e) => edited(setSide)(e.target.value as 'BID' | 'ASK')} data-testid="alert-side">
            <option value="BID">Bid</option>
            <option value="ASK">Ask</option>
          </Select>
        )}
      </Field>
      <Field label="When it">
        {(a) => (
          <Select {...a} value={direction} onChange={(e) => edited(setDirection)(e.target.value as 'ABOVE' | 'BELOW')} data-testid="alert-direction">
            <option value="ABOVE">rises to</option>
            <option value="BELOW">falls to</option>
          </Select>
        )}
      </Field>
      <DecimalField
        label="Price"
        value={price}
        onValueChange={edited(setPrice)}
        placeholder={now ? formatPrice(now, digits) : ''}
        error={errors.price}
        data-testid="alert-price"
        errorTestId="alert-price-error"
      />
      <Field label="Note (optional)" error={errors.note} className={phone ? 'col-span-2' : undefined}>
        {(a) => <Input {...a} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} data-testid="alert-note" />}
      </Field>
      <Button type="submit" variant="primary" size={phone ? 'lg' : 'md'} loading={create.isPending} className={phone ? 'col-span-2' : undefined} data-testid="alert-submit">
        Set alert
      </Button>
      {failure && <ErrorNotice className={phone ? 'col-span-2' : 'col-span-6'} error={failure} data-testid="alert-error" />}
      <p className={cx('text-[11px] text-zinc-500', phone ? 'col-span-2' : 'col-span-6')}>
        {now && (
          <>
            {side === 'BID' ? 'Bid' : 'Ask'} now{' '}
            <span className="font-mono tabular-nums text-zinc-300" data-testid="alert-now">
              {formatPrice(now, digits)}
            </span>
            .{' '}
          </>
        )}
        An alert fires once, when the price reaches its level. {active} of {MAX_ACTIVE_ALERTS} active.
      </p>
    </form>
  );

  const status = (a: PriceAlertDto) =>
    a.triggeredAt ? (
      <span className="text-amber-300" data-testid={`alert-status-${a.id}`} data-status="triggered">
        Triggered {shortTime(a.triggeredAt)}
        {a.triggeredPrice && ` at ${formatPrice(a.triggeredPrice, symbols.byName.get(a.symbol)?.digits ?? 5)}`}
      </span>
    ) : (
      <span className="text-sky-300" data-testid={`alert-status-${a.id}`} data-status="active">
        Active
      </span>
    );
  const del = (a: PriceAlertDto, large: boolean) => (
    <RowAction
      tone="rose"
      className={large ? 'px-3 py-1.5 text-xs' : undefined}
      onClick={() => onDelete(a)}
      disabled={remove.isPending && String(remove.variables?.alertId) === String(a.id)}
      aria-label={`Delete alert ${a.id}`}
      data-testid={`alert-delete-${a.id}`}
    >
      Delete
    </RowAction>
  );

  return (
    <div data-testid="alerts-panel">
      {form}
      {phone ? (
        <div data-testid="alerts-table" className="flex flex-col">
          {alerts.isPending ? (
            <p className="p-4 text-center text-xs text-zinc-500">Loading…</p>
          ) : !alerts.data?.length ? (
            <p className="p-4 text-center text-xs text-zinc-500">No price alerts</p>
          ) : (
            alerts.data.map((a) => (
              <div key={String(a.id)} className="flex items-center gap-2 border-b border-zinc-800 px-3 py-2 text-xs" data-testid={`alert-row-${a.id}`}>
                <div className="min-w-0 flex-1">
                  <p>
                    <span className="text-sm font-semibold">{a.symbol}</span> {condition(a)}{' '}
                    <span className="font-mono tabular-nums">{formatPrice(a.price, symbols.byName.get(a.symbol)?.digits ?? 5)}</span>
                  </p>
                  <p className="truncate text-zinc-400">
                    {status(a)}
                    {a.note && <> · {a.note}</>}
                  </p>
                </div>
                {del(a, true)}
              </div>
            ))
          )}
        </div>
      ) : (
        <Table data-testid="alerts-table">
          <THead>
            <tr>
              <Th>Set</Th>
              <Th>Symbol</Th>
              <Th>Condition</Th>
              <Th numeric>Price</Th>
              <Th>Note</Th>
              <Th>Status</Th>
              <Th className="sticky right-0 bg-zinc-900">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={COLS} query={alerts} rows={alerts.data} unavailable="Alerts unavailable" emptyText="No price alerts">
              {(rs) =>
                rs.map((a) => (
                  <Tr key={String(a.id)} data-testid={`alert-row-${a.id}`}>
                    <Td className="text-zinc-400">{shortTime(a.createdAt)}</Td>
                    <Td className="font-semibold">{a.symbol}</Td>
                    <Td>{condition(a)}</Td>
                    <Td numeric>
                      <PriceCell value={a.price} digits={symbols.byName.get(a.symbol)?.digits ?? 5} flash={false} />
                    </Td>
                    <Td className="max-w-[16rem] truncate text-zinc-400">{a.note ?? ''}</Td>
                    <Td>{status(a)}</Td>
                    <Td className="sticky right-0 bg-zinc-900 text-right">{del(a, false)}</Td>
                  </Tr>
                ))
              }
            </TableRows>
          </TBody>
        </Table>
      )}
    </div>
  );
}
