import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cx } from './class-names.ts';

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
