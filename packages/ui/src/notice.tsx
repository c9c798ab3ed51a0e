import type { ReactNode } from 'react';
import { cx } from './class-names.ts';

type DataAttrs = { [k: `data-${string}`]: string | number | boolean | undefined };

/**
 * An engine rejection: its stable code in small mono type, then the message. `compact` is the terminal's
 * smaller size (ticket, modals); the back office uses the default.
 */
export function ErrorNotice({
  error,
  testId,
  compact = false,
  className,
  ...data
}: {
  error: { code: string; message: string };
  testId?: string;
  compact?: boolean;
  className?: string;
} & DataAttrs) {
  return (
    <div
      role="alert"
      className={cx(
        'rounded border border-rose-500/40 bg-rose-500/10 py-2 text-rose-200',
        compact ? 'px-2.5 text-xs' : 'px-3 text-sm',
        className,
      )}
      data-testid={testId}
      data-code={error.code}
      {...data}
    >
      <span className="mr-1.5 font-mono text-[10px] text-rose-400">{error.code}</span>
      {error.message}
    </div>
  );
}

/** What a successful action did, in green. `compact` is the terminal's smaller size. */
export function SuccessNotice({
  children,
  testId,
  compact = false,
  className,
  ...data
}: {
  children: ReactNode;
  testId?: string;
  compact?: boolean;
  className?: string;
} & DataAttrs) {
  const Tag = compact ? 'p' : 'div';
  return (
    <Tag
      role="status"
      className={cx(
        'rounded border border-emerald-500/30 bg-emerald-500/10 py-2',
        compact ? 'px-2.5 text-xs text-emerald-300' : 'px-3 text-sm text-emerald-200',
        className,
      )}
      data-testid={testId}
      {...data}
    >
      {children}
    </Tag>
  );
}
