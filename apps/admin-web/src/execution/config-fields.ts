// The execution model's configuration form, field by field, in the order the router applies its rules
// (apps/engine/src/domain/routing.ts, "Precedence"), each with the sentence a dealer reads next to it; and the
// pure parts of the page: the changes a draft makes to the loaded configuration, the LP orders list with
// the orders whose outcome is unknown first.
import type { ExecutionConfigDto, LpOrderDto } from '@broker/api';
import { ExecutionConfigInput } from '../api/execution-schemas.ts';
import { Decimal } from 'decimal.js';

export type ConfigKey = Exclude<keyof ExecutionConfigDto, 'updatedAt'>;
export type ConfigDraft = Record<ConfigKey, string>;

export interface ConfigField {
  key: ConfigKey;
  label: string;
  kind: 'mode' | 'decimal' | 'int' | 'bool' | 'horizon' | 'nullableDecimal';
  unit?: string;
  /** The routing rule it belongs to (routing.ts's names), shown as a tag. */
  rule: string;
  help: string;
}

export interface ConfigSection {
  step: string;
  title: string;
  help: string;
  fields: ConfigField[];
}

/** Precedence: the first rule that applies decides. */
export const CONFIG_SECTIONS: ConfigSection[] = [
  {
    step: '1',
    title: 'Client overrides',
    help: 'A dealer’s override for a client decides first, whatever the figures say. Set them under “Client overrides” below.',
    fields: [],
  },
  {
    step: '2',
    title: 'Profitable-trader auto-route',
    help: 'With it on, a client whose P&L reaches the threshold, or whose win rate (with enough closed trades) exceeds it, goes to A-Book.',
    fields: [
      { key: 'profitableAutoRoute', label: 'Route profitable traders to A-Book', kind: 'bool', rule: 'PROFITABLE_CLIENT', help: 'On: the two thresholds below are checked on every opening order.' },
      { key: 'profitableThresholdPnl', label: 'P&L threshold', kind: 'decimal', unit: 'USD', rule: 'PROFITABLE_CLIENT', help: 'A client whose realized P&L is at or above this goes to A-Book (needs no minimum of fills).' },
      { key: 'profitableWinRate', label: 'Win rate threshold', kind: 'decimal', unit: '%', rule: 'PROFITABLE_CLIENT', help: 'A client winning more than this share of closed trades goes to A-Book, once they have the minimum fills.' },
    ],
  },
  {
    step: '3',
    title: 'Toxic-flow auto-route',
    help: 'With it on, a client whose fills look informed — latency arbitrage or a positive markout — goes to A-Book.',
    fields: [
      { key: 'toxicFlowAutoRoute', label: 'Route toxic flow to A-Book', kind: 'bool', rule: 'TOXIC_FLOW', help: 'On: the latency-arbitrage score and the markout below are checked on every opening order.' },
      { key: 'toxicLatencyArbScore', label: 'Latency-arbitrage score', kind: 'nullableDecimal', unit: '% of fills', rule: 'TOXIC_FLOW', help: 'Share of a client’s fills followed by a feed move beyond the spread; at or above this → A-Book. Empty: not used.' },
      { key: 'toxicMarkoutPerLot', label: 'Markout per lot', kind: 'nullableDecimal', unit: 'USD/lot', rule: 'TOXIC_FLOW', help: 'The client’s average P&L per lot at the horizon after each fill; at or above this → A-Book. Empty: not used.' },
      { key: 'toxicMarkoutHorizon', label: 'Markout horizon', kind: 'horizon', rule: 'TOXIC_FLOW', help: 'How long after the fill the markout is measured, from the platform’s own quotes.' },
      { key: 'flowMinFills', label: 'Minimum fills', kind: 'int', unit: 'fills', rule: 'PROFITABLE_CLIENT · TOXIC_FLOW', help: 'Win rate, markout and latency-arbitrage figures count only for a client with at least this many fills.' },
    ],
  },
  {
    step: '4',
    title: 'Base mode',
    help: 'Then the symbol rule’s mode, else the global mode. A base of A-Book decides at once; for B-Book or C-Book the limits below can only move the order to an LP.',
    fields: [
      { key: 'globalMode', label: 'Global mode', kind: 'mode', rule: 'GLOBAL_MODE', help: 'Where an order goes when no rule above and no symbol rule applies.' },
    ],
  },
  {
    step: '5',
    title: 'Limits on the house’s book',
    help: 'Checked in this order for a base of B-Book or C-Book; a symbol rule’s own max B-Book volume wins over the global one.',
    fields: [
      { key: 'bbookMaxVolume', label: 'B-Book max volume', kind: 'decimal', unit: 'lots', rule: 'MAX_BBOOK_VOLUME', help: 'An order larger than this (per order) goes to A-Book instead of the house’s book.' },
      { key: 'highVolatilityPercent', label: 'High volatility', kind: 'decimal', unit: '%', rule: 'HIGH_VOLATILITY', help: 'When the symbol’s volatility over the last 15 one-minute bars exceeds this, orders go to A-Book.' },
      { key: 'maxSymbolExposure', label: 'Max symbol exposure', kind: 'decimal', unit: 'USD', rule: 'MAX_SYMBOL_EXPOSURE', help: 'An order that would take the house’s net notional in a symbol beyond this goes to C-Book if its unhedged share fits, else A-Book.' },
    ],
  },
  {
    step: '6',
    title: 'C-Book hedge',
    help: 'A C-Book order fills internally and this share of it is sent to the LP as the house’s own order.',
    fields: [
      { key: 'cbookAbookShare', label: 'C-Book hedged share', kind: 'decimal', unit: '%', rule: 'C_BOOK', help: 'Rounded down to the volume step; a hedge that rounds to nothing leaves the order on B-Book (HEDGE_BELOW_STEP).' },
    ],
  },
  {
    step: '7',
    title: 'Sending to the LP',
    help: 'How an A-Book order or a hedge is sent: an IOC order at the LP, never requoted.',
    fields: [
      { key: 'slippageControl', label: 'Slippage control', kind: 'bool', rule: 'A_BOOK', help: 'On: the order is a limit at the LP’s price plus the max slippage; a worse fill is refused (SLIPPAGE_EXCEEDED).' },
      { key: 'maxSlippagePips', label: 'Max slippage', kind: 'decimal', unit: 'pips', rule: 'A_BOOK', help: 'How far from the quote at send a fill may be, under slippage control.' },
      { key: 'lpOrderTimeoutMs', label: 'LP order timeout', kind: 'int', unit: 'ms', rule: 'A_BOOK', help: 'No answer within this: the client’s order expires (LP_TIMEOUT) and the LP order is marked UNKNOWN for a dealer.' },
    ],
  },
];

export const CONFIG_FIELDS: ConfigField[] = CONFIG_SECTIONS.flatMap((s) => s.fields);

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The loaded configuration as the form's strings. */
export function draftOf(c: ExecutionConfigDto): ConfigDraft {
  return Object.fromEntries(CONFIG_FIELDS.map((f) => [f.key, f.kind === 'bool' ? (c[f.key] ? 'on' : 'off') : str(c[f.key])])) as ConfigDraft;
}

function valueOf(f: ConfigField, v: string): unknown {
  const t = v.trim();
  switch (f.kind) {
    case 'bool':
      return t === 'on';
    case 'int':
      return /^\d+$/.test(t) ? Number(t) : t;
    case 'nullableDecimal':
      return t === '' ? null : t;
    default:
      return t;
  }
}

export type ConfigChanges =
  | { ok: true; input: ExecutionConfigInput; changed: ConfigKey[] }
  | { ok: false; errors: Partial<Record<ConfigKey, string>> };

/**
 * Only what the draft changes, checked with the engine's own schema: errors by field (a whole number where one
 * is needed), or the input to send. Decimal fields compare by value, so "0.50" against 0.5 is no change.
 */
export function configChanges(loaded: ExecutionConfigDto, draft: ConfigDraft): ConfigChanges {
  const before = draftOf(loaded);
  const input: Record<string, unknown> = {};
  const changed: ConfigKey[] = [];
  for (const f of CONFIG_FIELDS) {
    const a = before[f.key].trim();
    const b = draft[f.key].trim();
    if (a === b) continue;
    if ((f.kind === 'decimal' || f.kind === 'nullableDecimal') && a !== '' && b !== '' && sameNumber(a, b)) continue;
    input[f.key] = valueOf(f, b);
    changed.push(f.key);
  }
  const parsed = ExecutionConfigInput.safeParse(input);
  if (!parsed.success) {
    const errors: Partial<Record<ConfigKey, string>> = {};
    for (const i of parsed.error.issues) {
      const k = String(i.path[0]) as ConfigKey;
      const f = CONFIG_FIELDS.find((x) => x.key === k);
      errors[k] ??= f?.kind === 'int' && typeof input[k] === 'string' ? 'A whole number' : i.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, input: parsed.data, changed };
}

function sameNumber(a: string, b: string): boolean {
  try {
    return new Decimal(a).eq(new Decimal(b));
  } catch {
    return false;
  }
}

/**
 * The LP orders a dealer reads: those whose outcome is not established (UNKNOWN) first, then the rest newest
 * first, each once. `unknown` comes from its own query so an old UNKNOWN order is never paged away.
 */
export function lpOrdersForDealer(unknown: readonly LpOrderDto[], recent: readonly LpOrderDto[]): LpOrderDto[] {
  const seen = new Set<string>();
  const out: LpOrderDto[] = [];
  const byNewest = (a: LpOrderDto, b: LpOrderDto) => b.sentAt.getTime() - a.sentAt.getTime();
  for (const o of [...unknown.filter((o) => o.status === 'UNKNOWN')].sort(byNewest).concat([...recent.filter((o) => o.status === 'UNKNOWN')].sort(byNewest))) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    out.push(o);
  }
  for (const o of [...recent].sort(byNewest)) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    out.push(o);
  }
  return out;
}
