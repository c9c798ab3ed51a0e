import type { ReconcileDto } from '@broker/api';
import { ErrorNotice, SuccessNotice } from '@broker/ui';

/** A reconciliation: the match, or the first row that breaks (then every other difference). */
export function ReconcileResult({ r }: { r: ReconcileDto }) {
  const first = r.breaks[0];
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="reconcile-result" data-ok={r.ok}>
      {r.ok ? (
        <SuccessNotice testId="reconcile-ok">
          Match: {r.ledgerRows} ledger rows sum to {r.ledgerBalance.toFixed(2)} (credit entries to {r.ledgerCredit.toFixed(2)}), the stored and live balance and credit agree, and {r.positionsChecked} open positions match their trades.
        </SuccessNotice>
      ) : (
        first && (
          <ErrorNotice
            testId="reconcile-break"
            error={{ code: `BREAK · ${first.kind}${first.id ? ` #${first.id}` : ''}`, message: `${first.message} (expected ${first.expected}, found ${first.actual})` }}
          />
        )
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        <dt className="text-zinc-500">Ledger sum</dt>
        <dd className="font-mono">{r.ledgerBalance.toFixed(2)}</dd>
        <dt className="text-zinc-500">Stored balance</dt>
        <dd className="font-mono">{r.storedBalance.toFixed(2)}</dd>
        <dt className="text-zinc-500">Live balance</dt>
        <dd className="font-mono">{r.liveBalance.toFixed(2)}</dd>
        <dt className="text-zinc-500">Credit entries’ sum</dt>
        <dd className="font-mono">{r.ledgerCredit.toFixed(2)}</dd>
        <dt className="text-zinc-500">Stored credit</dt>
        <dd className="font-mono">{r.storedCredit.toFixed(2)}</dd>
        <dt className="text-zinc-500">Live credit</dt>
        <dd className="font-mono">{r.liveCredit.toFixed(2)}</dd>
        <dt className="text-zinc-500">Checked</dt>
        <dd>{r.checkedAt.toLocaleString()}</dd>
      </dl>
      {r.breaks.length > 1 && (
        <ul className="list-disc pl-5 text-xs text-zinc-400">
          {r.breaks.slice(1).map((b, i) => (
            <li key={i}>
              {b.kind}
              {b.id ? ` #${b.id}` : ''}: {b.message} (expected {b.expected}, found {b.actual})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
