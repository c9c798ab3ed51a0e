'use client';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DecimalLike } from './format.ts';
import { formatPrice, toDecimal } from './format.ts';
import { cx } from './class-names.ts';

export interface PriceCellProps {
  value: DecimalLike | null | undefined;
  digits: number;
  /** Colour the cell green/red for a moment when the value ticks up/down. */
  flash?: boolean;
  /** Emphasise the pip digits the way trading terminals do (big figure small, pips large). */
  emphasisePips?: boolean;
  className?: string;
  'data-testid'?: string;
}

const FLASH_MS = 450;

/** A price with fixed digits in tabular numerals: ticks change colour, never width. */
export function PriceCell({ value, digits, flash = true, emphasisePips = false, className, ...rest }: PriceCellProps) {
  const text = formatPrice(value, digits);
  const prev = useRef<string>(text);
  const [dir, setDir] = useState<'up' | 'down' | null>(null);

  useEffect(() => {
    if (!flash || prev.current === text) return;
    const before = toDecimal(prev.current);
    const now = toDecimal(text);
    prev.current = text;
    if (!before || !now || now.eq(before)) return;
    setDir(now.gt(before) ? 'up' : 'down');
    const t = setTimeout(() => setDir(null), FLASH_MS);
    return () => clearTimeout(t);
  }, [text, flash]);

  const colour = dir === 'up' ? 'text-emerald-400 bg-emerald-500/15' : dir === 'down' ? 'text-rose-400 bg-rose-500/15' : '';

  let body: ReactNode = text;
  if (emphasisePips && text !== '—' && digits >= 2) {
    // The last two significant digits (pips) and the fractional pip after them, MT5 style.
    const pipEnd = digits === 3 || digits === 5 ? text.length - 1 : text.length;
    const pipStart = pipEnd - 2;
    body = (
      <>
        <span className="opacity-80">{text.slice(0, pipStart)}</span>
        <span className="text-[1.35em] font-semibold leading-none">{text.slice(pipStart, pipEnd)}</span>
        <sup className="text-[0.75em]">{text.slice(pipEnd)}</sup>
      </>
    );
  }

  return (
    <span
      className={cx('inline-block rounded-sm px-0.5 font-mono tabular-nums transition-colors duration-300', colour, className)}
      data-dir={dir ?? undefined}
      {...rest}
    >
      {body}
    </span>
  );
}
