'use client';
// design.md §7.3: manage one position — SL/TP (with breakeven), trailing stop, full or partial close.
import type { AccountBrief, PositionDto, SymbolDto } from '@broker/api';
import { ClosePositionInput, ModifyPositionInput } from '@broker/api/schemas';
import {
  Button,
  DecimalField,
  ErrorNotice,
  FactList,
  Field,
  Modal,
  PnlCell,
  PriceCell,
  Select,
  SlTpFields,
  SuccessNotice,
  cx,
  formatDateTime,
  formatPrice,
  formatVolume,
  toDecimal,
} from '@broker/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useState, type ReactNode } from 'react';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { formatPips, issuesByField, pipsBetween } from './ticket-math.ts';
import type { LivePosition } from './use-live-account.ts';

const FIELDS = ['sl', 'tp', 'trailing', 'volume'] as const;
type FieldName = (typeof FIELDS)[number];

export function PositionModal({
  account,
  position: p,
  spec,
  focus,
  onClose,
}: {
  account: AccountBrief;
  position: LivePosition;
  spec: SymbolDto | undefined;
  /** Which part gets the focus: the SL/TP editor or the close volume. */
  focus: 'modify' | 'close';
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const digits = spec?.digits ?? 5;
  const stepDp = spec ? Math.max(2, spec.volumeStep.decimalPlaces()) : 2;
  const fmt = (d: Decimal | null) => (d ? d.toFixed(digits) : '');
  const [sl, setSl] = useState(fmt(p.sl));
  const [tp, setTp] = useState(fmt(p.tp));
  const [trailMode, setTrailMode] = useState<'keep' | 'set' | 'remove'>('keep');
  const [trailDistance, setTrailDistance] = useState('20');
  const [trailStep, setTrailStep] = useState('0');
  const [closeVolume, setCloseVolume] = useState(p.volume.toFixed(stepDp));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<(AppErrorInfo & { from: 'modify' | 'close' }) | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const modify = useMutation(trpc.positions.modify.mutationOptions());
  const close = useMutation(trpc.positions.close.mutationOptions());
  const positionsKey = trpc.account.positions.queryKey({ accountId: account.id });

  const fail = (from: 'modify' | 'close') => (e: unknown) => {
    const info = appError(e);
    if (info.issues) setErrors(issuesByField(info.issues, FIELDS));
    setError({ ...info, from });
  };

  function save() {
    setError(null);
    setDone(null);
    const input: Record<string, unknown> = { accountId: account.id, positionId: p.id };
    if (sl.trim() !== fmt(p.sl)) input.sl = sl.trim() || null;
    if (tp.trim() !== fmt(p.tp)) input.tp = tp.trim() || null;
    if (trailMode === 'set') input.trailing = { distancePips: trailDistance.trim(), stepPips: trailStep.trim() || '0' };
    if (trailMode === 'remove') input.trailing = null;
    if (Object.keys(input).length === 2) {
      setError({ code: 'NO_CHANGE', message: 'Nothing to change.', from: 'modify' });
      return;
    }
    const parsed = ModifyPositionInput.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues, FIELDS));
      setError({
        code: 'VALIDATION_ERROR',
        message: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; '),
        from: 'modify',
      });
      return;
    }
    setErrors({});
    modify.mutate(input as Parameters<typeof modify.mutate>[0], {
      onSuccess: (np: PositionDto) => {
        queryClient.setQueryData<PositionDto[]>(positionsKey, (old) => old?.map((x) => (x.id === np.id ? np : x)));
        onClose();
      },
      onError: fail('modify'),
    });
  }

  function submitClose() {
    setError(null);
    setDone(null);
    const v = toDecimal(closeVolume.trim());
    const full = v !== null && v.gte(p.volume);
    const input = { accountId: account.id, positionId: p.id, volume: full ? undefined : closeVolume.trim() };
    const parsed = ClosePositionInput.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues, FIELDS));
      setError({
        code: 'VALIDATION_ERROR',
        message: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; '),
        from: 'close',
      });
      return;
    }
    setErrors({});
    close.mutate(input, {
      onSuccess: (res) => {
        queryClient.setQueryData<PositionDto[]>(positionsKey, (old) =>
          old?.flatMap((x) => (x.id !== res.positionId ? [x] : res.remaining ? [res.remaining] : [])),
        );
        void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
        if (!res.remaining) onClose();
        else {
          setDone(
            `Closed ${formatVolume(res.closedVolume, spec?.volumeStep)} @ ${formatPrice(res.closePrice, digits)}, P&L ${res.realizedPnl.toFixed(2)}. ${formatVolume(res.remaining.volume, spec?.volumeStep)} lots remain.`,
          );
          setCloseVolume(res.remaining.volume.toFixed(stepDp));
        }
      },
      onError: fail('close'),
    });
  }

  function fraction(f: number) {
    if (!spec) return setCloseVolume(p.volume.mul(f).toFixed(stepDp));
    let v = p.volume.mul(f).toNearest(spec.volumeStep, Decimal.ROUND_DOWN);
    v = Decimal.max(v, spec.minVolume);
    setCloseVolume(Decimal.min(v, p.volume).toFixed(stepDp));
  }

  const cur = p.livePrice;
  const hint = (v: string, label: string): ReactNode => {
    const d = toDecimal(v.trim());
    if (!d || !spec || !cur) return label;
    return `${label} · ${formatPips(pipsBetween(cur, d, spec))} from market`;
  };
  const closeVol = toDecimal(closeVolume.trim());
  const partial = closeVol && closeVol.gt(0) && closeVol.lt(p.volume);

  return (
    <Modal
      title={
        <>
          Manage position #{p.id} · <span className={p.side === 'BUY' ? 'text-sky-400' : 'text-rose-400'}>{p.side}</span> {p.symbol}
        </>
      }
      onClose={onClose}
      className="max-w-lg"
      data-testid="position-modal"
    >
      <div className="flex flex-col gap-4">
        <FactList
          className="rounded border border-zinc-800 bg-zinc-950/60 p-2.5"
          items={[
            { label: 'Volume', value: `${formatVolume(p.volume, spec?.volumeStep)} lots` },
            { label: 'Open price', value: <PriceCell value={p.openPrice} digits={digits} flash={false} /> },
            { label: 'Current price', value: <PriceCell value={cur} digits={digits} /> },
            { label: 'Unrealized P&L', value: <PnlCell value={p.livePnl} currency={account.currency} /> },
            { label: 'Swap', value: p.swap.toFixed(2) },
            { label: 'Open time', value: formatDateTime(p.openTime) },
          ]}
        />

        <Section title="Stop loss & take profit">
          <SlTpFields
            sl={sl}
            tp={tp}
            onSl={setSl}
            onTp={setTp}
            errors={errors}
            hints={{
              sl: hint(sl, `Now ${p.sl ? formatPrice(p.sl, digits) : 'none'}`),
              tp: hint(tp, `Now ${p.tp ? formatPrice(p.tp, digits) : 'none'}`),
            }}
            testIdPrefix="modify"
            autoFocusSl={focus === 'modify'}
          />
          <div className="mt-2 flex gap-2">
            <Button size="sm" onClick={() => setSl(p.openPrice.toFixed(digits))} data-testid="modify-breakeven">
              Move SL to breakeven
            </Button>
            <Button size="sm" variant="ghost" onClick={() => (setSl(''), setTp(''))}>
              Clear both
            </Button>
          </div>
        </Section>

        <Section title="Trailing stop">
          <div className="grid grid-cols-[6rem_1fr_1fr] items-start gap-2">
            <Field label="Trailing">
              {(a) => (
                <Select
                  {...a}
                  value={trailMode}
                  onChange={(e) => setTrailMode(e.target.value as typeof trailMode)}
                  data-testid="modify-trailing-mode"
                >
                  <option value="keep">Keep</option>
                  <option value="set">Set</option>
                  <option value="remove">Remove</option>
                </Select>
              )}
            </Field>
            <DecimalField
              label="Distance (pips)"
              error={errors.trailing}
              value={trailDistance}
              disabled={trailMode !== 'set'}
              onValueChange={setTrailDistance}
              data-testid="modify-trailing-distance"
            />
            <DecimalField
              label="Step (pips)"
              value={trailStep}
              disabled={trailMode !== 'set'}
              onValueChange={setTrailStep}
              data-testid="modify-trailing-step"
            />
          </div>
          <p className="mt-1 text-[11px] text-zinc-500">
            Once the profit reaches the distance, the stop follows the price at that distance, moving in steps.
          </p>
        </Section>

        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" onClick={save} loading={modify.isPending} data-testid="modify-save">
            Save SL / TP / trailing
          </Button>
        </div>
        {error?.from === 'modify' && <ErrorNotice compact error={error} testId="modify-error" />}

        <Section title="Close position">
          <div className="grid grid-cols-[1fr_auto] items-end gap-2">
            <DecimalField
              label={`Volume to close (of ${formatVolume(p.volume, spec?.volumeStep)})`}
              error={errors.volume}
              value={closeVolume}
              onValueChange={setCloseVolume}
              data-testid="modify-close-volume"
              data-autofocus={focus === 'close' || undefined}
            />
            <div className="flex gap-1 pb-px">
              {[0.25, 0.5, 1].map((f) => (
                <Button key={f} size="sm" onClick={() => fraction(f)} data-testid={`modify-close-${f * 100}`} className="h-9">
                  {f * 100}%
                </Button>
              ))}
            </div>
          </div>
          <Button variant="sell" className="mt-2 w-full" onClick={submitClose} loading={close.isPending} data-testid="modify-close-submit">
            {partial ? `Close ${closeVolume.trim()} lots (partial)` : 'Close the whole position'}
          </Button>
        </Section>
        {error?.from === 'close' && <ErrorNotice compact error={error} testId="modify-error" />}

        {done && (
          <SuccessNotice compact testId="modify-result">
            {done}
          </SuccessNotice>
        )}
      </div>
    </Modal>
  );
}

function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={cx('rounded border border-zinc-800 p-3', className)}>
      <h3 className="mb-2 text-[11px] font-semibold uppercase tracking-wider text-zinc-400">{title}</h3>
      {children}
    </section>
  );
}
