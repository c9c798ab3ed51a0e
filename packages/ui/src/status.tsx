import { cx } from './class-names.ts';

type Tone = 'ok' | 'warn' | 'error' | 'idle';
const TONES: Record<Tone, string> = { ok: 'bg-emerald-400', warn: 'bg-amber-400 animate-pulse', error: 'bg-rose-500', idle: 'bg-zinc-500' };

/** A coloured dot and its label: "Live", "Reconnecting…". */
export function StatusDot({ tone, label, className, ...rest }: { tone: Tone; label: string; className?: string; 'data-testid'?: string }) {
  return (
    <span className={cx('inline-flex items-center gap-1.5 text-xs text-zinc-400', className)} data-status={tone} {...rest}>
      <span aria-hidden className={cx('h-2 w-2 rounded-full', TONES[tone])} />
      {label}
    </span>
  );
}

export function Spinner({ className }: { className?: string }) {
  return (
    <span
      role="status"
      aria-label="Loading"
      className={cx('inline-block h-4 w-4 animate-spin rounded-full border-2 border-current border-r-transparent', className)}
    />
  );
}

/** A placeholder bar with the height of a line of text, so content arriving does not move the layout. */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden className={cx('inline-block h-3 w-16 animate-pulse rounded bg-zinc-800', className)} />;
}

export function ErrorBanner({ title = 'Something went wrong', message, onRetry, className, ...rest }: {
  title?: string;
  message?: string | null;
  onRetry?: () => void;
  className?: string;
  'data-testid'?: string;
}) {
  return (
    <div role="alert" className={cx('flex items-start gap-3 rounded border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-sm text-rose-200', className)} {...rest}>
      <div className="flex-1">
        <p className="font-medium">{title}</p>
        {message && <p className="text-rose-300/90">{message}</p>}
      </div>
      {onRetry && (
        <button type="button" onClick={onRetry} className="text-xs font-medium text-rose-200 underline underline-offset-2 hover:text-white">
          Retry
        </button>
      )}
    </div>
  );
}
