'use client';
import { Button, Card, ErrorNotice, Skeleton, StatusDot } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { appError } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

/** The last reconciliation of every account (nightly, or by hand here): which accounts' books disagree. */
export function ReconciliationCard({ canRun }: { canRun: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const last = useQuery(trpc.admin.audit.lastReconciliation.queryOptions(undefined, { refetchInterval: 30_000 }));
  const run = useMutation(trpc.admin.audit.reconcileAll.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.audit.lastReconciliation.queryKey() }) }));
  const r = last.data;
  return (
    <Card
      title="Reconciliation"
      actions={
        canRun && (
          <Button size="sm" loading={run.isPending} onClick={() => run.mutate()} data-testid="reconcile-all">
            Run now
          </Button>
        )
      }
      data-testid="dash-reconciliation"
    >
      <div className="flex flex-col gap-2 p-3 text-sm">
        {last.isPending ? (
          <Skeleton className="w-full" />
        ) : last.isError ? (
          <ErrorNotice error={appError(last.error)} />
        ) : !r ? (
          <p className="text-zinc-500">Not run yet; the nightly job checks every account.</p>
        ) : (
          <>
            <StatusDot
              tone={r.mismatched.length ? 'error' : 'ok'}
              label={r.mismatched.length ? `${r.mismatched.length} of ${r.accounts} accounts disagree` : `All ${r.accounts} accounts match`}
              data-testid="reconcile-all-status"
            />
            <p className="text-xs text-zinc-500">
              Balance rebuilt from the ledger and positions from the trades; {r.finishedAt ? `finished ${r.finishedAt.toLocaleString()}` : `started ${r.startedAt.toLocaleString()}, running`}
            </p>
            {r.mismatched.length > 0 && (
              <p className="flex flex-wrap gap-2 text-xs">
                {r.mismatched.slice(0, 20).map((id) => (
                  <Link key={id} href={`/accounts/${id}`} className="font-mono text-rose-300 hover:underline">
                    #{id}
                  </Link>
                ))}
              </p>
            )}
          </>
        )}
        {run.isError && <ErrorNotice error={appError(run.error)} />}
      </div>
    </Card>
  );
}
