// Input schemas of the terminal's statement, figure breakdowns and symbol specification (design.md §7.4).
import { z } from 'zod';
import { AccountRef, zId, zPrice, zSymbol, zText } from './schemas.ts';

export const EXPLAIN_FIGURES = ['balance', 'credit', 'equity', 'margin', 'freeMargin', 'marginLevel', 'positionPnl', 'positionMargin', 'positionSwap'] as const;

export const ExplainInput = AccountRef.extend({
  figure: z.enum(EXPLAIN_FIGURES),
  /** For the position figures. */
  positionId: zId.optional(),
}).refine((i) => !i.figure.startsWith('position') || i.positionId !== undefined, { message: 'A position figure needs positionId', path: ['positionId'] });

const period = {
  from: z.coerce.date(),
  to: z.coerce.date(),
};
export const StatementInput = AccountRef.extend(period)
  .refine((r) => r.to > r.from, { message: 'The period must end after it starts', path: ['to'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= 366 * 86_400_000, { message: 'At most a year at a time', path: ['from'] });

export const StatementFileInput = AccountRef.extend({ ...period, format: z.enum(['csv', 'pdf']) })
  .refine((r) => r.to > r.from, { message: 'The period must end after it starts', path: ['to'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= 366 * 86_400_000, { message: 'At most a year at a time', path: ['from'] });

export const HistoryInput = AccountRef.extend({
  ...period,
  symbol: zSymbol.optional(),
  limit: z.number().int().min(1).max(1000).default(500),
}).refine((r) => r.to > r.from, { message: 'The period must end after it starts', path: ['to'] });

export const SymbolSpecInput = AccountRef.extend({ symbol: zSymbol });

export type ExplainInput = z.infer<typeof ExplainInput>;
export type StatementInput = z.infer<typeof StatementInput>;
export type StatementFileInput = z.infer<typeof StatementFileInput>;
export type HistoryInput = z.infer<typeof HistoryInput>;
export type SymbolSpecInput = z.infer<typeof SymbolSpecInput>;

/** At most this many active (not yet triggered) price alerts per account. */
export const MAX_ACTIVE_ALERTS = 50;

export const CreateAlertInput = AccountRef.extend({
  symbol: zSymbol,
  /** The quote side watched: the bid (what a sell gets) or the ask (what a buy pays). */
  side: z.enum(['BID', 'ASK']),
  /** ABOVE fires when the side rises to or above `price`; BELOW when it falls to or below it. */
  direction: z.enum(['ABOVE', 'BELOW']),
  price: zPrice,
  note: zText(200).trim().optional(),
});

export const DeleteAlertInput = AccountRef.extend({ alertId: zId });

export const AlertsInput = AccountRef.extend({
  /** Triggered alerts too (newest first, at most `limit`); active ones always come. */
  includeTriggered: z.boolean().default(true),
  limit: z.number().int().min(1).max(200).default(100),
});

export type CreateAlertInput = z.infer<typeof CreateAlertInput>;
export type DeleteAlertInput = z.infer<typeof DeleteAlertInput>;
export type AlertsInput = z.infer<typeof AlertsInput>;
