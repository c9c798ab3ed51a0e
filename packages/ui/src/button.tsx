import type { ButtonHTMLAttributes } from 'react';
import { cx } from './class-names.ts';
import { Spinner } from './status.tsx';

type Variant = 'primary' | 'secondary' | 'ghost' | 'buy' | 'sell' | 'danger';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-sky-600 text-white hover:bg-sky-500 focus-visible:outline-sky-400',
  secondary: 'bg-zinc-800 text-zinc-100 hover:bg-zinc-700 border border-zinc-700 focus-visible:outline-zinc-400',
  ghost: 'text-zinc-300 hover:bg-zinc-800 focus-visible:outline-zinc-400',
  buy: 'bg-sky-600 text-white hover:bg-sky-500 focus-visible:outline-sky-300',
  sell: 'bg-rose-600 text-white hover:bg-rose-500 focus-visible:outline-rose-300',
  danger: 'bg-transparent text-rose-400 border border-rose-500/40 hover:bg-rose-500/15 focus-visible:outline-rose-400',
};

const SIZES = { sm: 'h-7 px-2 text-xs', md: 'h-9 px-3 text-sm', lg: 'h-12 px-4 text-base' } as const;

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: keyof typeof SIZES;
  loading?: boolean;
}

export function Button({ variant = 'secondary', size = 'md', loading = false, disabled, className, children, type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={cx(
        'inline-flex select-none items-center justify-center gap-2 rounded font-medium transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50',
        VARIANTS[variant],
        SIZES[size],
        className,
      )}
      {...rest}
    >
      {loading && <Spinner className="h-3.5 w-3.5" />}
      {children}
    </button>
  );
}
