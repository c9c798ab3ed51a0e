import type { DecimalLike } from './format.ts';
import { formatMoney, signOf } from './format.ts';
import { cx } from './class-names.ts';

export interface MoneyCellProps {
  value: DecimalLike | null | undefined;
  currency?: string;
  /** Green when positive, red when negative (after rounding to cents). */
  colourBySign?: boolean;
  signed?: boolean;
  className?: string;
  'data-testid'?: string;
}

export function MoneyCell({ value, currency, colourBySign = false, signed = false, className, ...rest }: MoneyCellProps) {
  const s = colourBySign ? signOf(value) : 0;
  return (
    <span
      className={cx('font-mono tabular-nums whitespace-nowrap', s > 0 && 'text-emerald-400', s < 0 && 'text-rose-400', className)}
      data-sign={colourBySign ? s : undefined}
      {...rest}
    >
      {formatMoney(value, { currency, signed })}
    </span>
  );
}

/** Profit and loss: signed and coloured. */
export function PnlCell(props: Omit<MoneyCellProps, 'colourBySign' | 'signed'>) {
  return <MoneyCell {...props} colourBySign signed />;
}
