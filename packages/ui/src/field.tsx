import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { useId } from 'react';
import { cx } from './class-names.ts';

const CONTROL =
  'h-9 w-full rounded border bg-zinc-950 px-2.5 text-sm text-zinc-100 placeholder:text-zinc-600 ' +
  'focus:outline-none focus:ring-2 focus:ring-sky-500/60 disabled:opacity-50';

export function Input({ className, invalid, ...rest }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return <input className={cx(CONTROL, invalid ? 'border-rose-500' : 'border-zinc-700', className)} aria-invalid={invalid || undefined} {...rest} />;
}

export function Select({ className, invalid, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean }) {
  return <select className={cx(CONTROL, invalid ? 'border-rose-500' : 'border-zinc-700', className)} aria-invalid={invalid || undefined} {...rest} />;
}

export interface FieldProps {
  label: ReactNode;
  /** Shown under the control, in red; also marks the control invalid. */
  error?: string | null;
  hint?: ReactNode;
  /** Renders the control with the id and aria attributes wired up. */
  children: (control: { id: string; invalid: boolean; 'aria-describedby'?: string }) => ReactNode;
  className?: string;
  errorTestId?: string;
}

/** Label above, control, and the error (or hint) right under it. */
export function Field({ label, error, hint, children, className, errorTestId }: FieldProps) {
  const id = useId();
  const msgId = `${id}-msg`;
  return (
    <div className={cx('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-xs font-medium text-zinc-400">
        {label}
      </label>
      {children({ id, invalid: Boolean(error), 'aria-describedby': error || hint ? msgId : undefined })}
      {error ? (
        <p id={msgId} role="alert" className="text-xs text-rose-400" data-testid={errorTestId}>
          {error}
        </p>
      ) : hint ? (
        <p id={msgId} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
