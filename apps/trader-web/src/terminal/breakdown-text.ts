// Words for the engine's breakdown of a figure (account.explain), kept pure so they are tested without a browser.
// Nothing here recomputes a figure: the value, parts, rates and leverage are the engine's.
import type { BreakdownDto, ExplainInput } from '@broker/api';
import { formatMoney, formatPercent } from '@broker/ui';
import { Decimal } from 'decimal.js';

export type FigureId = ExplainInput['figure'];
export type AccountFigure = Extract<FigureId, 'balance' | 'credit' | 'equity' | 'margin' | 'freeMargin' | 'marginLevel'>;
export type PositionFigure = Extract<FigureId, 'positionPnl' | 'positionMargin' | 'positionSwap'>;

export const ACCOUNT_FIGURES: readonly AccountFigure[] = ['balance', 'equity', 'margin', 'freeMargin', 'marginLevel'];
/** An account with the broker's credit shows it, and its breakdown, next to the balance. */
export const ACCOUNT_FIGURES_WITH_CREDIT: readonly AccountFigure[] = ['balance', 'credit', 'equity', 'margin', 'freeMargin', 'marginLevel'];
export const POSITION_FIGURES: readonly PositionFigure[] = ['positionPnl', 'positionMargin', 'positionSwap'];

export const FIGURE_LABELS: Record<FigureId, string> = {
  balance: 'Balance',
  credit: 'Credit',
  equity: 'Equity',
  margin: 'Margin',
  freeMargin: 'Free margin',
  marginLevel: 'Margin level',
  positionPnl: 'P&L',
  positionMargin: 'Margin',
  positionSwap: 'Swap',
};

const pct = (d: Decimal) => `${d.toDecimalPlaces(2).toString()} %`;
const lev = (d: Decimal.Value) => `1:${new Decimal(d).toDecimalPlaces(2).toString()}`;

/**
 * The leverage line: which of the account's leverage and the symbol's margin percent decided the margin ratio.
 * "EURUSD needs 3.33 %: 1:30.03 although the account is 1:100".
 */
export function leverageLine(b: Pick<BreakdownDto, 'leverage'>, symbol: string | undefined): string | null {
  const l = b.leverage;
  if (!l) return null;
  const what = symbol ?? 'This symbol';
  const account =
    l.cap !== null && l.cap < l.account ? `${lev(l.account)}, capped at ${lev(l.cap)} by the risk settings` : lev(l.effective);
  if (l.limitedBy === 'symbol margin percent')
    return `${what} needs ${pct(l.marginPercent)}: ${lev(l.symbolLeverage)} although the account is ${account}`;
  return `The account's ${account} applies: ${what} needs only ${pct(l.marginPercent)} (${lev(l.symbolLeverage)})`;
}

/** "USD → EUR: inverse pair EURUSD, 1 ÷ mid 1.08205 = 0.92417…" — the pair and mid each step read. */
export function conversionLine(c: BreakdownDto['conversions'][number]): string {
  if (c.steps.length === 0) return `${c.from} → ${c.to}: same currency, rate 1`;
  const steps = c.steps.map(
    (s) => `${s.symbol} mid ${s.mid.toString()} (bid ${s.bid.toString()} / ask ${s.ask.toString()}, ${s.use === 'divide' ? '÷' : '×'})`,
  );
  return `${c.from} → ${c.to} (${c.how}): ${steps.join(', then ')} = ${c.rate.toSignificantDigits(8).toString()}`;
}

/** The engine's value as the bar shows it: money with two decimals, margin level in percent, none as a dash. */
export function breakdownValue(b: Pick<BreakdownDto, 'figure' | 'value' | 'currency'>): string {
  if (b.value === null) return '—';
  if (b.figure === 'marginLevel') return formatPercent(b.value);
  return formatMoney(b.value, { currency: b.currency });
}
