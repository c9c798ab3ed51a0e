import { cx } from '@broker/ui';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? '' : v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * An audit row's details, readably: `before`/`after` as one row per field with the changed ones marked,
 * everything else as label and value.
 */
export function DetailsView({ details }: { details: unknown }) {
  if (!isRecord(details)) return <pre className="text-xs whitespace-pre-wrap text-zinc-400" data-testid="audit-details">{show(details)}</pre>;
  const { before, after, ...rest } = details;
  const hasDiff = isRecord(before) || isRecord(after);
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return (
    <div className="flex flex-col gap-2 text-xs" data-testid="audit-details">
      {hasDiff && (
        <table className="w-full border-collapse">
          <thead className="text-[10px] uppercase tracking-wide text-zinc-500">
            <tr>
              <th className="px-2 py-1 text-left">Field</th>
              <th className="px-2 py-1 text-left">Before</th>
              <th className="px-2 py-1 text-left">After</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const changed = JSON.stringify(b[k]) !== JSON.stringify(a[k]);
              return (
                <tr key={k} className={cx('border-t border-zinc-800', changed && 'bg-amber-500/10')} data-changed={changed}>
                  <td className="px-2 py-1 text-zinc-400">{k}</td>
                  <td className={cx('px-2 py-1 font-mono', changed && 'text-rose-300')}>{show(b[k])}</td>
                  <td className={cx('px-2 py-1 font-mono', changed && 'text-emerald-300')}>{show(a[k])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {Object.keys(rest).length > 0 && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
          {Object.entries(rest).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-zinc-500">{k}</dt>
              <dd className="font-mono break-all text-zinc-300">{show(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
