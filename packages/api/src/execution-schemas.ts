// Input schemas of the execution model's admin API (design.md §2.4.3, §8.3): global routing configuration,
// client overrides, symbol rules, the routing report, and the LP side (LP orders, coverage).
import { z } from 'zod';
import { zTypedText } from './backoffice-schemas.ts';
import { zAccountId, zDecimal, zSymbol } from './schemas.ts';

export const EXECUTION_MODES = ['A_BOOK', 'B_BOOK', 'C_BOOK'] as const;
const zMode = z.enum(EXECUTION_MODES);
const zBounded = (min: number, max: number) => zDecimal.refine((d) => d.gte(min) && d.lte(max), `Between ${min} and ${max}`);

export const ExecutionConfigInput = z.object({
  globalMode: zMode.optional(),
  bbookMaxVolume: zBounded(0, 1_000_000).optional(),
  highVolatilityPercent: zBounded(0, 1000).optional(),
  maxSymbolExposure: zBounded(0, 1e11).optional(),
  profitableAutoRoute: z.boolean().optional(),
  profitableThresholdPnl: zBounded(0, 1e11).optional(),
  profitableWinRate: zBounded(0, 100).optional(),
  cbookAbookShare: zBounded(0, 100).optional(),
  toxicFlowAutoRoute: z.boolean().optional(),
  toxicLatencyArbScore: zBounded(0, 100).nullable().optional(),
  toxicMarkoutPerLot: zBounded(-1e9, 1e9).nullable().optional(),
  toxicMarkoutHorizon: z.enum(['1s', '10s', '60s']).optional(),
  flowMinFills: z.number().int().min(0).max(1_000_000).optional(),
  slippageControl: z.boolean().optional(),
  maxSlippagePips: zBounded(0, 10_000).optional(),
  lpOrderTimeoutMs: z.number().int().min(100).max(120_000).optional(),
});

export const ClientOverrideInput = z.object({ accountId: zAccountId, mode: zMode, reason: zTypedText(200).refine((s) => s.length >= 3, 'Give a reason') });
export const ClientOverrideRef = z.object({ accountId: zAccountId });

export const SymbolRuleInput = z.object({
  symbol: zSymbol,
  mode: zMode,
  maxBbookVolume: zBounded(0, 1_000_000).nullable().optional(),
  priorityLp: zTypedText(100).nullable().optional(),
  fallbackMode: zMode.nullable().optional(),
});
export const SymbolRuleRef = z.object({ symbol: zSymbol });

export const RoutingReportInput = z
  .object({ from: z.coerce.date(), to: z.coerce.date() })
  .refine((r) => r.to > r.from, { message: 'The period must end after it starts', path: ['to'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= 366 * 86_400_000, { message: 'At most a year at a time', path: ['from'] });

export const LpOrdersInput = z
  .object({
    status: z.enum(['SENT', 'FILLED', 'PARTIAL', 'REJECTED', 'EXPIRED', 'UNKNOWN']).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });

export const ClientFlowInput = z.object({ accountId: zAccountId, since: z.coerce.date().optional() });
export const ScorecardsInput = RoutingReportInput;

export type ClientFlowInput = z.infer<typeof ClientFlowInput>;
export type ExecutionConfigInput = z.infer<typeof ExecutionConfigInput>;
export type ClientOverrideInput = z.infer<typeof ClientOverrideInput>;
export type SymbolRuleInput = z.infer<typeof SymbolRuleInput>;
export type RoutingReportInput = z.infer<typeof RoutingReportInput>;
export type LpOrdersInput = z.infer<typeof LpOrdersInput>;
