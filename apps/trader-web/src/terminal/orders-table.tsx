'use client';
import type { AccountBrief, OrderDto, SymbolDto } from '@broker/api';
import { ModifyOrderInput } from '@broker/api/schemas';
import {
  Button,
  DecimalField,
  ErrorBanner,
  ErrorNotice,
  Field,
  Input,
  Modal,
  PriceCell,
  RowAction,
  RowActions,
  Select,
  SlTpFields,
  TBody,
  THead,
  Table,
  TableRows,
  Td,
  Th,
  Tr,
  cx,
  formatPrice,
  formatVolume,
} from '@broker/ui';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useQuote } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { useLayoutMode } from './prefs.ts';
import { formatPips, fromLocalInput, issuesByField, pipsBetween, shortTime, toLocalInput, typeLabel } from './ticket-math.ts';

const COLS = 12;

/** The pending orders of the account (account.orders), kept current by `order_update` events. */
export function usePendingOrders(accountId: number | undefined) {
  const trpc = useTRPC();
  return useQuery(trpc.account.orders.queryOptions(accountId ? { accountId } : skipToken));
}

export function OrdersTable({ account }: { account: AccountBrief }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orders = usePendingOrders(account.id);
  const symbols = useSymbols();
  const [editing, setEditing] = useState<string | null>(null);
  const [cancelError, setCancelError] = useState<AppErrorInfo | null>(null);
  const cancel = useMutation(trpc.orders.cancel.mutationOptions());
  const ordersKey = trpc.account.orders.queryKey({ accountId: account.id });

  function onCancel(o: OrderDto) {
    setCancelError(null);
    cancel.mutate(
      { accountId: account.id, orderId: o.id },
      {
        onSuccess: (res) => {
          queryClient.setQueryData<OrderDto[]>(ordersKey, (old) => old?.filter((x) => x.id !== res.id));
          void queryClient.invalidateQueries({ queryKey: ordersKey });
        },
        onError: (e) => setCancelError(appError(e)),
      },
    );
  }

  const editOrder = orders.data?.find((o) => o.id === editing);
  const phone = useLayoutMode() === 'phone';
  const rowProps = (o: OrderDto) => ({
    o,
    spec: symbols.byName.get(o.symbol),
    cancelling: cancel.isPending && String(cancel.variables?.orderId) === o.id,
    onCancel: () => onCancel(o),
    onModify: () => setEditing(o.id),
    phone,
  });

  return (
    <>
      {cancelError && (
        <ErrorBanner
          className="m-2"
          title={`Cancel failed (${cancelError.code})`}
          message={cancelError.message}
          data-testid="order-cancel-error"
        />
      )}
      {phone ? (
        <div data-testid="orders-table" className="flex flex-col">
          {orders.isPending ? (
            <p className="p-4 text-center text-xs text-zinc-500">Loading…</p>
          ) : orders.isError ? (
            <p className="p-4 text-center text-xs text-rose-400">Orders unavailable: {orders.error.message}</p>
          ) : !orders.data?.length ? (
            <p className="p-4 text-center text-xs text-zinc-500">No pending orders</p>
          ) : (
            orders.data.map((o) => <OrderRow key={o.id} {...rowProps(o)} />)
          )}
        </div>
      ) : (
        <Table data-testid="orders-table">
          <THead>
            <tr>
              <Th>Ticket</Th>
              <Th>Placed</Th>
              <Th>Symbol</Th>
              <Th>Type</Th>
              <Th numeric>Volume</Th>
              <Th numeric>Price</Th>
              <Th numeric>Stop</Th>
              <Th numeric>Market</Th>
              <Th numeric>S/L</Th>
              <Th numeric>T/P</Th>
              <Th>Expiry</Th>
              <Th className="sticky right-0 bg-zinc-900">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            <TableRows colSpan={COLS} query={orders} rows={orders.data} unavailable="Orders unavailable" emptyText="No pending orders">
              {(rs) => rs.map((o) => <OrderRow key={o.id} {...rowProps(o)} />)}
            </TableRows>
          </TBody>
        </Table>
      )}
      {editOrder && (
        <ModifyOrderModal
          account={account}
          order={editOrder}
          spec={symbols.byName.get(editOrder.symbol)}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function OrderRow({
  o,
  spec,
  cancelling,
  onCancel,
  onModify,
  phone,
}: {
  o: OrderDto;
  spec: SymbolDto | undefined;
  cancelling: boolean;
  onCancel: () => void;
  onModify: () => void;
  phone: boolean;
}) {
  const digits = spec?.digits ?? 5;
  const q = useQuote(o.symbol);
  const market = q ? (o.side === 'BUY' ? q.ask : q.bid) : null;
  const target = o.type === 'STOP_LIMIT' && o.stopPrice ? o.stopPrice : o.price;
  const away = market && target && spec ? formatPips(pipsBetween(market, target, spec)) : null;
  const actions = (large: boolean) => (
    <>
      <RowAction tone="sky" className={large ? 'flex-1 py-2 text-xs' : undefined} onClick={onModify} aria-label={`Modify order ${o.id}`} data-testid={`order-modify-${o.id}`}>
        Modify
      </RowAction>
      <RowAction
        tone="rose"
        className={large ? 'flex-1 py-2 text-xs' : undefined}
        onClick={onCancel}
        disabled={cancelling}
        aria-label={`Cancel order ${o.id}`}
        data-testid={`order-cancel-${o.id}`}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </RowAction>
    </>
  );
  if (phone) {
    const price = (v: typeof o.price | null) => (v ? <PriceCell value={v} digits={digits} flash={false} /> : '—');
    return (
      <div className="border-b border-zinc-800 px-3 py-2 text-xs" data-testid={`order-row-${o.id}`}>
        <div className="flex items-baseline gap-2">
          <span className="text-sm font-semibold">{o.symbol}</span>
          <span className={cx('font-semibold', o.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')} data-testid={`order-type-${o.id}`}>
            {o.side} {typeLabel(o.type).toUpperCase()}
          </span>
          <span className="font-mono tabular-nums">{formatVolume(o.volume, spec?.volumeStep)}</span>
          <span className="ml-auto font-mono text-zinc-500">#{o.id}</span>
        </div>
        <dl className="mt-1 grid grid-cols-[auto_1fr_auto_1fr] gap-x-2 gap-y-0.5 text-zinc-400">
          <dt>Price</dt>
          <dd className="font-mono tabular-nums text-zinc-200" data-testid={`order-price-${o.id}`}>
            {price(o.price)}
          </dd>
          <dt>Market</dt>
          <dd className="font-mono tabular-nums text-zinc-200">
            <PriceCell value={market} digits={digits} />
            {away && <span className="ml-1 text-[10px] text-zinc-500">{away.replace(' pips', 'p')}</span>}
          </dd>
          {o.stopPrice && (
            <>
              <dt>Stop</dt>
              <dd className="col-span-3 font-mono tabular-nums">{price(o.stopPrice)}</dd>
            </>
          )}
          <dt>S/L</dt>
          <dd className="font-mono tabular-nums" data-testid={`order-sl-${o.id}`}>
            {price(o.sl)}
          </dd>
          <dt>T/P</dt>
          <dd className="font-mono tabular-nums" data-testid={`order-tp-${o.id}`}>
            {price(o.tp)}
          </dd>
          <dt>Expiry</dt>
          <dd className="col-span-3" data-testid={`order-expiry-${o.id}`}>
            {o.expiresAt ? shortTime(o.expiresAt) : 'GTC'}
          </dd>
        </dl>
        <div className="mt-2 flex gap-1.5">{actions(true)}</div>
      </div>
    );
  }
  return (
    <Tr data-testid={`order-row-${o.id}`}>
      <Td className="font-mono text-zinc-500">{o.id}</Td>
      <Td className="text-zinc-400">{shortTime(o.createdAt)}</Td>
      <Td className="font-semibold">{o.symbol}</Td>
      <Td className={cx('font-semibold', o.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')} data-testid={`order-type-${o.id}`}>
        {o.side} {typeLabel(o.type).toUpperCase()}
      </Td>
      <Td numeric>{formatVolume(o.volume, spec?.volumeStep)}</Td>
      <Td numeric data-testid={`order-price-${o.id}`}>
        <PriceCell value={o.price} digits={digits} flash={false} />
      </Td>
      <Td numeric className="text-zinc-400">
        {o.stopPrice ? <PriceCell value={o.stopPrice} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td numeric title={away ? `${away} to trigger` : undefined}>
        <PriceCell value={market} digits={digits} />
        {away && <span className="ml-1 text-[10px] text-zinc-500">{away.replace(' pips', 'p')}</span>}
      </Td>
      <Td numeric className="text-zinc-400" data-testid={`order-sl-${o.id}`}>
        {o.sl ? <PriceCell value={o.sl} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td numeric className="text-zinc-400" data-testid={`order-tp-${o.id}`}>
        {o.tp ? <PriceCell value={o.tp} digits={digits} flash={false} /> : '—'}
      </Td>
      <Td className="text-zinc-400" data-testid={`order-expiry-${o.id}`}>
        {o.expiresAt ? shortTime(o.expiresAt) : 'GTC'}
      </Td>
      <RowActions>{actions(false)}
      </RowActions>
    </Tr>
  );
}

const MOD_FIELDS = ['price', 'stopPrice', 'sl', 'tp', 'expiresAt'] as const;
type ModField = (typeof MOD_FIELDS)[number];

function ModifyOrderModal({
  account,
  order,
  spec,
  onClose,
}: {
  account: AccountBrief;
  order: OrderDto;
  spec: SymbolDto | undefined;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const digits = spec?.digits ?? 5;
  const fmt = (d: { toFixed(n: number): string } | null) => (d ? d.toFixed(digits) : '');
  const [price, setPrice] = useState(fmt(order.price));
  const [stopPrice, setStopPrice] = useState(fmt(order.stopPrice));
  const [sl, setSl] = useState(fmt(order.sl));
  const [tp, setTp] = useState(fmt(order.tp));
  const [expiry, setExpiry] = useState<'GTC' | 'GTD'>(order.expiresAt ? 'GTD' : 'GTC');
  const [expiresAt, setExpiresAt] = useState(
    order.expiresAt ? toLocalInput(new Date(order.expiresAt)) : toLocalInput(new Date(Date.now() + 24 * 3600_000)),
  );
  const [errors, setErrors] = useState<Partial<Record<ModField, string>>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const modify = useMutation(trpc.orders.modify.mutationOptions());
  const q = useQuote(order.symbol);
  const market = q ? (order.side === 'BUY' ? q.ask : q.bid) : null;

  function save() {
    setError(null);
    // Send only what changed: an empty SL/TP removes it, GTC removes the expiry.
    const input: Record<string, unknown> = { accountId: account.id, orderId: order.id };
    if (price.trim() !== fmt(order.price)) input.price = price.trim();
    if (order.type === 'STOP_LIMIT' && stopPrice.trim() !== fmt(order.stopPrice)) input.stopPrice = stopPrice.trim();
    if (sl.trim() !== fmt(order.sl)) input.sl = sl.trim() || null;
    if (tp.trim() !== fmt(order.tp)) input.tp = tp.trim() || null;
    if (expiry === 'GTC' && order.expiresAt) input.expiresAt = null;
    if (expiry === 'GTD') {
      const d = fromLocalInput(expiresAt);
      if (!d) return setErrors({ expiresAt: 'Choose a date and time' });
      if (!order.expiresAt || toLocalInput(new Date(order.expiresAt)) !== expiresAt) input.expiresAt = d;
    }
    if (Object.keys(input).length === 2) {
      setError({ code: 'NO_CHANGE', message: 'Nothing to change.' });
      return;
    }
    const parsed = ModifyOrderInput.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues, MOD_FIELDS));
      setError({ code: 'VALIDATION_ERROR', message: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ') });
      return;
    }
    setErrors({});
    modify.mutate(input as Parameters<typeof modify.mutate>[0], {
      onSuccess: (o) => {
        queryClient.setQueryData<OrderDto[]>(trpc.account.orders.queryKey({ accountId: account.id }), (old) =>
          old?.map((x) => (x.id === o.id ? o : x)),
        );
        onClose();
      },
      onError: (e) => {
        const info = appError(e);
        if (info.issues) setErrors(issuesByField(info.issues, MOD_FIELDS));
        setError(info);
      },
    });
  }

  const priceField = (label: string, value: string, set: (v: string) => void, name: ModField, testId: string, placeholder?: string) => (
    <DecimalField label={label} error={errors[name]} placeholder={placeholder} value={value} onValueChange={set} data-testid={testId} />
  );

  return (
    <Modal
      title={
        <>
          Modify order #{order.id} ·{' '}
          <span className={order.side === 'BUY' ? 'text-sky-400' : 'text-rose-400'}>
            {order.side} {typeLabel(order.type).toUpperCase()}
          </span>{' '}
          {formatVolume(order.volume, spec?.volumeStep)} {order.symbol}
        </>
      }
      onClose={onClose}
      data-testid="order-modify-modal"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" onClick={save} loading={modify.isPending} data-testid="modify-save">
            Save order
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <p className="text-xs text-zinc-500">
          Market ({order.side === 'BUY' ? 'ask' : 'bid'}){' '}
          <span className="font-mono tabular-nums text-zinc-300">{formatPrice(market, digits)}</span>
        </p>
        <div className="grid grid-cols-2 gap-2">
          {order.type === 'STOP_LIMIT' && priceField('Stop price', stopPrice, setStopPrice, 'stopPrice', 'modify-stop-price')}
          {priceField(order.type === 'STOP' ? 'Stop price' : 'Limit price', price, setPrice, 'price', 'modify-price')}
        </div>
        <SlTpFields sl={sl} tp={tp} onSl={setSl} onTp={setTp} errors={errors} hints={{}} testIdPrefix="modify" />
        <Field label="Expiry" error={errors.expiresAt}>
          {(a) => (
            <div className="grid grid-cols-[6rem_1fr] gap-2">
              <Select {...a} value={expiry} onChange={(e) => setExpiry(e.target.value as 'GTC' | 'GTD')} data-testid="modify-expiry">
                <option value="GTC">GTC</option>
                <option value="GTD">GTD</option>
              </Select>
              {expiry === 'GTD' ? (
                <Input
                  type="datetime-local"
                  aria-label="Expires at"
                  value={expiresAt}
                  onChange={(e) => setExpiresAt(e.target.value)}
                  data-testid="modify-expiry-at"
                />
              ) : (
                <span className="self-center text-xs text-zinc-500">Good till cancelled</span>
              )}
            </div>
          )}
        </Field>
        <p className="text-[11px] text-zinc-500">Leave S/L or T/P empty to remove it.</p>
        {error && <ErrorNotice compact error={error} testId="modify-error" />}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}
