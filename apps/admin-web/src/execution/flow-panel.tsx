'use client';
// A client's flow (admin.execution.clientFlow): the figures the profitable-trader and toxic-flow rules read,
// next to the override form, so a dealer sees why the router would move this client before overriding it.
import type { ExecutionConfigDto } from '@broker/api';
import { PnlCell, Skeleton } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import type { Decimal } from 'decimal.js';
import { useTRPC } from '../trpc/react.ts';

const ms = (v: number) => (v >= 60_000 ? `${(v / 60_000).toFixed(1)} min` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);
const pct = (d: Decimal | null) => (d === null ? '—' : `${d.toFixed(1)}%`);

export function FlowPanel({ accountId, config }: { accountId: number; config?: ExecutionConfigDto }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.admin.execution.clientFlow.queryOptions({ accountId }));
  if (q.isPending) return <Skeleton className="w-64" />;
  if (q.isError) return <p className="text-xs text-rose-400">Flow unavailable: {q.error.message}</p>;
  const f = q.data;
  const enough = !config || f.fills >= config.flowMinFills;
  return (
    <div className="rounded border border-zinc-800 p-2 text-xs" data-testid="override-flow">
      <p className="mb-1 text-zinc-400">
        What the router reads for this client{config && !enough ? ` (fewer than ${config.flowMinFills} fills: only the P&L threshold counts yet)` : ''}:
      </p>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 sm:grid-cols-4">
        <Fig label="Fills · closed" value={`${f.fills} · ${f.closedTrades}`} testId="flow-fills" />
        <Fig label="P&L (USD)" value={<PnlCell value={f.pnl} />} />
        <Fig label="Win rate" value={pct(f.winRate)} />
        <Fig label="Latency arb." value={f.latencyArbScore === null ? '—' : `${pct(f.latencyArbScore)} of ${f.latencyArbSample}`} help={`Fills followed within ${ms(f.latencyWindowMs)} by a move beyond the spread in the client’s favour`} />
        {(['1s', '10s', '60s'] as const).map((h) => (
          <Fig key={h} label={`Markout +${h} /lot`} value={f.markoutPerLot[h] === null ? '—' : <PnlCell value={f.markoutPerLot[h]!} />} />
        ))}
        <Fig label="Hold p50 · p90" value={f.holdTime ? `${ms(f.holdTime.p50Ms)} · ${ms(f.holdTime.p90Ms)}` : '—'} />
      </dl>
    </div>
  );
}

function Fig({ label, value, help, testId }: { label: string; value: React.ReactNode; help?: string; testId?: string }) {
  return (
    <div title={help}>
      <dt className="text-[10px] uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className="font-mono tabular-nums text-zinc-200" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
