import type { ReactNode } from 'react';
import { Field, Select } from './field.tsx';

/** A labelled drop-down of the tradable symbols (by name), e.g. the order ticket's and the manual quote's. */
export function SymbolField({
  label = 'Symbol',
  error,
  symbols,
  value,
  onValueChange,
  'data-testid': testId,
}: {
  label?: ReactNode;
  error?: string | null;
  symbols: readonly { name: string }[] | undefined;
  value: string;
  onValueChange: (symbol: string) => void;
  'data-testid'?: string;
}) {
  return (
    <Field label={label} error={error}>
      {(a) => (
        <Select {...a} value={value} onChange={(e) => onValueChange(e.target.value)} data-testid={testId}>
          {symbols?.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
