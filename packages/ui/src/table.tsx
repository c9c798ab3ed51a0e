import type { ButtonHTMLAttributes, HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cx } from './class-names.ts';
import { Skeleton } from './status.tsx';

/** A dense data table; numbers right-aligned with `numeric` on the cell. */
export function Table({ className, ...rest }: HTMLAttributes<HTMLTableElement>) {
  return <table className={cx('w-full border-collapse text-xs', className)} {...rest} />;
}

export function THead({ className, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cx('sticky top-0 z-10 bg-zinc-900 text-[11px] uppercase tracking-wide text-zinc-500', className)} {...rest} />;
}

export function TBody(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody {...props} />;
}

export function Tr({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx('border-b border-zinc-800/70 hover:bg-zinc-800/40', className)} {...rest} />;
}

export function Th({ className, numeric, ...rest }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <th className={cx('px-2 py-1.5 font-medium whitespace-nowrap', numeric ? 'text-right' : 'text-left', className)} {...rest} />;
}

export function Td({ className, numeric, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={cx('px-2 py-1 whitespace-nowrap', numeric && 'text-right font-mono tabular-nums', className)} {...rest} />;
}

/** A row that spans the table: empty states, loading and errors. */
export function TableMessage({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-2 py-6 text-center text-zinc-500">
        {children}
      </td>
    </tr>
  );
}

/**
 * The body of a table fed by a query: a skeleton while it loads, "<unavailable>: <message>" in red when it
 * failed, `emptyText` when there are no rows, else `children(rows)`.
 */
export function TableRows<T>({
  colSpan,
  query,
  rows,
  unavailable,
  emptyText,
  children,
}: {
  colSpan: number;
  query: { isPending: boolean; isError: boolean; error: { message: string } | null };
  /** The rows to show once loaded: usually `query.data`. */
  rows: readonly T[] | undefined;
  /** What failed to load: "Orders unavailable". */
  unavailable: string;
  emptyText: ReactNode;
  children: (rows: readonly T[]) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <TableMessage colSpan={colSpan}>
        <Skeleton className="w-48" />
      </TableMessage>
    );
  }
  if (query.isError) {
    return (
      <TableMessage colSpan={colSpan}>
        <span className="text-rose-400">
          {unavailable}: {query.error?.message}
        </span>
      </TableMessage>
    );
  }
  if (!rows || rows.length === 0) return <TableMessage colSpan={colSpan}>{emptyText}</TableMessage>;
  return <>{children(rows)}</>;
}

/** The row's last cell, kept in view at the right edge when the table scrolls sideways: its action buttons. */
export function RowActions({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <Td className={cx('sticky right-0 bg-zinc-900 text-right', className)}>
      <span className="inline-flex gap-1">{children}</span>
    </Td>
  );
}

const ACTION_TONES = {
  sky: 'hover:border-sky-500/60 hover:bg-sky-500/15 hover:text-sky-200',
  amber: 'hover:border-amber-500/60 hover:bg-amber-500/15 hover:text-amber-200',
  rose: 'hover:border-rose-500/60 hover:bg-rose-500/15 hover:text-rose-200',
} as const;

/** A small bordered button in a row's actions cell; the tone shows on hover (rose for destructive ones). */
export function RowAction({
  tone,
  className,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone: keyof typeof ACTION_TONES }) {
  return (
    <button
      type={type}
      className={cx(
        'rounded border border-zinc-700 px-2 py-0.5 text-[11px] text-zinc-300 disabled:opacity-50',
        ACTION_TONES[tone],
        className,
      )}
      {...rest}
    />
  );
}
