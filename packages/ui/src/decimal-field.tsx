import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field, Input } from './field.tsx';

export interface DecimalFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  /** On the wrapper (label, control, message); the control itself is always mono with tabular figures. */
  fieldClassName?: string;
  /** On the error message under the control. */
  errorTestId?: string;
  'data-testid'?: string;
  'data-autofocus'?: boolean;
}

/** A labelled decimal input (price, volume, pips): the text as typed, mono and tabular. */
export function DecimalField({ label, error, hint, value, onValueChange, fieldClassName, errorTestId, className, ...input }: DecimalFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} className={fieldClassName} errorTestId={errorTestId}>
      {(a) => (
        <Input
          {...a}
          inputMode="decimal"
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          className={className ?? 'font-mono tabular-nums'}
          {...input}
        />
      )}
    </Field>
  );
}

export interface SlTpFieldsProps {
  sl: string;
  tp: string;
  onSl: (value: string) => void;
  onTp: (value: string) => void;
  errors: { sl?: string | null; tp?: string | null };
  hints: { sl?: ReactNode; tp?: ReactNode };
  /** Test ids are `${testIdPrefix}-sl` and `${testIdPrefix}-tp`. */
  testIdPrefix: string;
  /** Marks the stop-loss input for the modal's initial focus. */
  autoFocusSl?: boolean;
}

const SL_TP = [
  ['sl', 'Stop loss'],
  ['tp', 'Take profit'],
] as const;

/** Stop loss and take profit side by side; empty means none. */
export function SlTpFields({ sl, tp, onSl, onTp, errors, hints, testIdPrefix, autoFocusSl }: SlTpFieldsProps) {
  const values = { sl, tp };
  const setters = { sl: onSl, tp: onTp };
  return (
    <div className="grid grid-cols-2 gap-2">
      {SL_TP.map(([k, label]) => (
        <DecimalField
          key={k}
          label={label}
          error={errors[k]}
          hint={hints[k]}
          placeholder="none"
          value={values[k]}
          onValueChange={setters[k]}
          data-testid={`${testIdPrefix}-${k}`}
          data-autofocus={(k === 'sl' && autoFocusSl) || undefined}
        />
      ))}
    </div>
  );
}
