'use client';
// Every figure explains itself (issue 15): a button on the figure opens the engine's breakdown of it
// (account.explain) — the rule, the formula, the inputs, the parts, the conversion rates with the pair and mid
// each read, and the leverage that applied. The page shows what the engine says; it recomputes nothing.
import type { BreakdownDto } from '@broker/api';
import { Modal, Spinner, cx, formatDateTime, formatMoney } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { appError } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { FIGURE_LABELS, breakdownValue, conversionLine, leverageLine, type FigureId } from './breakdown-text.ts';

export interface ExplainTarget {
  accountId: number;
  figure: FigureId;
  /** For the position figures. */
  positionId?: string;
  /** The position's symbol, for the leverage line. */
  symbol?: string;
  /** The figures the dialog can switch between (the account's five, or a position's three). */
  siblings: readonly FigureId[];
  title?: string;
}

/** A figure's value as a button: clicking it (or Enter/Space on it) opens its breakdown. */
export function ExplainButton({
  label,
  onExplain,
  children,
  className,
  testId,
}: {
  label: string;
  onExplain: () => void;
  children: ReactNode;
  className?: string;
  testId: string;
}) {
  return (
    <button
      type="button"
      onClick={onExplain}
      aria-haspopup="dialog"
      aria-label={`How ${label} is computed`}
      title={`How ${label} is computed`}
      data-testid={testId}
      className={cx(
        'rounded-sm text-inherit underline decoration-zinc-600 decoration-dotted underline-offset-4 hover:decoration-sky-400 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-500',
        className,
      )}
    >
      {children}
    </button>
  );
}

export function BreakdownDialog({ target, onClose }: { target: ExplainTarget; onClose: () => void }) {
  const [figure, setFigure] = useState<FigureId>(target.figure);
  const trpc = useTRPC();
  const q = useQuery(
    trpc.account.explain.queryOptions({ accountId: target.accountId, figure, positionId: target.positionId }, { staleTime: 0, gcTime: 0 }),
  );
  const b = q.data;
  return (
    <Modal title={target.title ?? 'How this figure is computed'} onClose={onClose} size="lg" data-testid="breakdown">
      <div role="tablist" aria-label="Figure" className="-mt-1 mb-3 flex flex-wrap gap-1">
        {target.siblings.map((f) => (
          <button
            key={f}
            type="button"
            role="tab"
            aria-selected={f === figure}
            onClick={() => setFigure(f)}
            data-testid={`breakdown-tab-${f}`}
            className={cx(
              'h-7 rounded px-2 text-xs font-medium',
              f === figure ? 'bg-sky-600 text-white' : 'text-zinc-400 hover:bg-zinc-800',
            )}
          >
            {FIGURE_LABELS[f]}
          </button>
        ))}
      </div>
      {q.isPending ? (
        <div className="flex justify-center py-8 text-zinc-500">
          <Spinner />
        </div>
      ) : q.isError ? (
        <p className="text-sm text-rose-400" data-testid="breakdown-error">
          {appError(q.error).message}
        </p>
      ) : (
        b && <BreakdownBody b={b} symbol={target.symbol} at={q.dataUpdatedAt} />
      )}
    </Modal>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="mt-3" data-testid={testId}>
      <h3 className="mb-1 text-[10px] font-semibold uppercase tracking-wider text-zinc-500">{title}</h3>
      {children}
    </section>
  );
}

function BreakdownBody({ b, symbol, at }: { b: BreakdownDto; symbol?: string; at: number }) {
  const lev = leverageLine(b, symbol);
  // The engine's own sentence about the leverage says what the Leverage line says: shown once.
  const notes = b.leverage ? b.notes.filter((n) => !n.includes(`1:${b.leverage!.symbolLeverage.toString()}`)) : b.notes;
  const money = (v: BreakdownDto['parts'][number]['value']) => formatMoney(v, { currency: b.currency });
  return (
    <div className="text-sm text-zinc-300" data-testid="breakdown-body" data-figure={b.figure}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="text-xs text-zinc-500">{FIGURE_LABELS[b.figure as FigureId] ?? b.figure}</span>
        <span
          className="font-mono text-lg font-semibold tabular-nums text-zinc-100"
          data-testid="breakdown-value"
          data-value={b.value?.toString() ?? ''}
        >
          {breakdownValue(b)}
        </span>
      </div>
      <p className="mt-1 text-[11px] text-zinc-500">
        From the engine's books at {formatDateTime(at)}; the bar above moves with every tick.
      </p>
      <p className="mt-2 leading-snug" data-testid="breakdown-rule">
        {b.rule}
      </p>
      <p className="mt-2 break-words rounded bg-zinc-950/60 px-2 py-1.5 font-mono text-xs text-sky-300" data-testid="breakdown-formula">
        {b.formula}
      </p>
      {b.inputs.length > 0 && (
        <Section title="Inputs">
          <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-0.5 text-xs" data-testid="breakdown-inputs">
            {b.inputs.map((i) => (
              <div key={i.label} className="contents">
                <dt className="text-zinc-500">{i.label}</dt>
                <dd className="text-right font-mono tabular-nums text-zinc-200">{i.value}</dd>
              </div>
            ))}
          </dl>
        </Section>
      )}
      {b.parts.length > 0 && (
        <Section title="Parts" testId="breakdown-parts">
          <ul className="flex flex-col divide-y divide-zinc-800 text-xs">
            {b.parts.map((p, i) => (
              <li
                key={`${p.label}-${i}`}
                className="flex flex-wrap items-baseline gap-x-3 py-1"
                data-testid="breakdown-part"
                data-value={p.value.toString()}
                data-position-id={p.positionId ?? ''}
              >
                <span className="min-w-0 flex-1 text-zinc-300">
                  {p.label}
                  {p.detail && <span className="block text-[11px] text-zinc-500">{p.detail}</span>}
                </span>
                <span className="font-mono tabular-nums text-zinc-100">{money(p.value)}</span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {b.conversions.length > 0 && (
        <Section title="Conversion rates" testId="breakdown-conversions">
          <ul className="flex flex-col gap-1 text-xs">
            {b.conversions.map((c) => (
              <li key={`${c.from}-${c.to}`} className="break-words font-mono text-zinc-300">
                {conversionLine(c)}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {lev && (
        <Section title="Leverage">
          <p className="text-xs text-amber-200" data-testid="breakdown-leverage">
            {lev}
          </p>
        </Section>
      )}
      {notes.length > 0 && (
        <ul className="mt-3 list-disc pl-4 text-xs text-zinc-400" data-testid="breakdown-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
