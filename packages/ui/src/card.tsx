import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from './class-names.ts';

export function Card({ title, actions, className, children, ...rest }: Omit<HTMLAttributes<HTMLElement>, 'title'> & { title?: ReactNode; actions?: ReactNode }) {
  return (
    <section className={cx('flex min-h-0 flex-col rounded-md border border-zinc-800 bg-zinc-900', className)} {...rest}>
      {(title || actions) && (
        <header className="flex h-9 shrink-0 items-center justify-between gap-2 border-b border-zinc-800 px-3">
          <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-400">{title}</h2>
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}
