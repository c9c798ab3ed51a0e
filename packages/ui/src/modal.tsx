'use client';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { cx } from './class-names.ts';

/**
 * A centred dialog over a dimmed page. Escape and the backdrop close it; focus moves to the first control
 * inside when it opens and back to where it was when it closes.
 */
export function Modal({
  title,
  onClose,
  children,
  footer,
  className,
  size = 'md',
  ...rest
}: {
  title: ReactNode;
  /** Width: md (28rem, the default), lg (42rem) or xl (56rem). */
  size?: 'md' | 'lg' | 'xl';
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
  'data-testid'?: string;
}) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first =
      box.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      box.current?.querySelector<HTMLElement>('input, select, textarea, button:not([data-modal-close])');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, []);

  return (
    <div
      className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/60 p-4 pt-[8vh]"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={cx('w-full rounded-md', size === 'xl' ? 'max-w-4xl' : size === 'lg' ? 'max-w-2xl' : 'max-w-md', ' border border-zinc-700 bg-zinc-900 shadow-2xl shadow-black/60', className)}
        {...rest}
      >
        <header className="flex h-11 items-center justify-between border-b border-zinc-800 px-4">
          <h2 id={titleId} className="text-sm font-semibold text-zinc-100">
            {title}
          </h2>
          <button
            type="button"
            data-modal-close
            onClick={onClose}
            aria-label="Close"
            className="-mr-2 rounded px-2 py-1 text-lg leading-none text-zinc-500 hover:bg-zinc-800 hover:text-zinc-200"
            data-testid="modal-close"
          >
            ×
          </button>
        </header>
        <div className="p-4">{children}</div>
        {footer && <footer className="flex items-center justify-end gap-2 border-t border-zinc-800 px-4 py-3">{footer}</footer>}
      </div>
    </div>
  );
}

/** A small label/value grid for read-only facts (position details, previews). */
export function FactList({ items, className }: { items: { label: ReactNode; value: ReactNode; testId?: string }[]; className?: string }) {
  return (
    <dl className={cx('grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs', className)}>
      {items.map((it, i) => (
        <div key={i} className="contents">
          <dt className="text-zinc-500">{it.label}</dt>
          <dd className="text-right font-mono tabular-nums text-zinc-300" data-testid={it.testId}>
            {it.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
