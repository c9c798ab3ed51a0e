import type { AppErrorInfo } from '../trpc/errors.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** Client-side: the first zod issue of each field, under the field's name. */
export function issuesToFields<F extends string>(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors<F> {
  const out: FieldErrors<F> = {};
  for (const i of issues) {
    const k = String(i.path[0] ?? '') as F;
    out[k] ??= i.message;
  }
  return out;
}

/**
 * An engine rejection next to the field it is about: its validation issues by path, and the codes that
 * concern one field (DEPOSIT_LIMIT → amount) by `codeField`. What matches no field stays in the form's notice.
 */
export function engineErrorsToFields<F extends string>(info: AppErrorInfo, codeField: Partial<Record<string, F>> = {}): FieldErrors<F> {
  const out: FieldErrors<F> = {};
  for (const i of info.issues ?? []) {
    const k = (i.path.split('.')[0] ?? '') as F;
    if (k) out[k] ??= i.message;
  }
  const f = codeField[info.code];
  if (f) out[f] ??= info.message;
  return out;
}

/** The money codes and the field they belong next to in every money form. */
export const MONEY_CODE_FIELDS = { DEPOSIT_LIMIT: 'amount', INVALID_AMOUNT: 'amount', INSUFFICIENT_FUNDS: 'amount' } as const;
