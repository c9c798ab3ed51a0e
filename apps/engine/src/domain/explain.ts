// How each figure a trader sees is computed, from the same functions that compute it (trading-rules.md): the
// rule, the inputs, the conversion rates and the leverage that applied. Pure: the account, its positions, the
// symbols and the quotes come in; the engine's accounts area serves it (account.explain).
import { Decimal } from 'decimal.js';
import { accountFigures } from './account-figures.ts';
import { conversionRate, ONE } from './conversion.ts';
import { effectiveLeverage, marginRatio, usedMargin } from './margin.ts';
import { closingPrice, unrealizedPnl } from './pnl.ts';
import type { AccountState, PositionState, QuoteLookup, SymbolSpec } from './types.ts';

const HUNDRED = new Decimal(100);
const TWO = new Decimal(2);

export interface ConversionStep {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  mid: Decimal;
  /** multiply by the mid, or divide by it */
  use: 'multiply' | 'divide';
}

export interface Conversion {
  from: string;
  to: string;
  rate: Decimal;
  how: 'same currency' | 'direct pair' | 'inverse pair' | 'through USD';
  steps: ConversionStep[];
}

export interface BreakdownPart {
  label: string;
  value: Decimal;
  detail?: string;
  positionId?: string;
  symbol?: string;
}

export interface LeverageInfo {
  /** The account's leverage, the risk settings' cap (null: none), the one used, the symbol's margin percent. */
  account: number;
  cap: number | null;
  effective: number;
  marginPercent: Decimal;
  /** max(1 / leverage, marginPercent / 100): what applied. */
  ratio: Decimal;
  /** 1 / ratio: the leverage the symbol actually gets. */
  symbolLeverage: Decimal;
  limitedBy: 'account leverage' | 'symbol margin percent';
}

export interface Breakdown {
  figure: string;
  value: Decimal | null;
  currency: string;
  rule: string;
  formula: string;
  inputs: { label: string; value: string }[];
  parts: BreakdownPart[];
  conversions: Conversion[];
  leverage: LeverageInfo | null;
  notes: string[];
}

/** How conversionRate(from, to) found its rate: the same walk, with the quotes it read. */
export function explainConversion(from: string, to: string, quotes: QuoteLookup): Conversion | undefined {
  const rate = conversionRate(from, to, quotes);
  if (!rate) return undefined;
  if (from === to) return { from, to, rate, how: 'same currency', steps: [] };
  const step = (symbol: string, use: ConversionStep['use']): ConversionStep | undefined => {
    const q = quotes(symbol);
    return q ? { symbol, bid: q.bid, ask: q.ask, mid: q.bid.plus(q.ask).div(TWO), use } : undefined;
  };
  const direct = step(from + to, 'multiply');
  if (direct) return { from, to, rate, how: 'direct pair', steps: [direct] };
  const inverse = step(to + from, 'divide');
  if (inverse) return { from, to, rate, how: 'inverse pair', steps: [inverse] };
  const a = explainConversion(from, 'USD', quotes);
  const b = explainConversion('USD', to, quotes);
  return { from, to, rate, how: 'through USD', steps: [...(a?.steps ?? []), ...(b?.steps ?? [])] };
}

export interface ExplainContext {
  symbols: (name: string) => SymbolSpec | undefined;
  quotes: QuoteLookup;
  maxLeverage: number | null;
  marginCallLevel: Decimal;
  stopOutLevel: Decimal;
}

const money = (d: Decimal) => d.toFixed(2);

function leverageInfo(account: AccountState, spec: SymbolSpec, cap: number | null): LeverageInfo {
  const effective = effectiveLeverage(account.leverage, cap);
  const ratio = marginRatio(effective, spec);
  const byAccount = ONE.div(effective);
  return {
    account: account.leverage,
    cap,
    effective,
    marginPercent: spec.marginPercent,
    ratio,
    symbolLeverage: ONE.div(ratio).toDecimalPlaces(2),
    limitedBy: ratio.eq(byAccount) ? 'account leverage' : 'symbol margin percent',
  };
}

function conversionsOf(positions: readonly PositionState[], currency: string, ctx: ExplainContext): Conversion[] {
  const seen = new Map<string, Conversion>();
  for (const p of positions) {
    const spec = ctx.symbols(p.symbol);
    if (!spec || spec.quoteCurrency === currency || seen.has(spec.quoteCurrency)) continue;
    const c = explainConversion(spec.quoteCurrency, currency, ctx.quotes);
    if (c) seen.set(spec.quoteCurrency, c);
  }
  return [...seen.values()];
}

export function explainPositionPnl(account: AccountState, p: PositionState, ctx: ExplainContext): Breakdown {
  const spec = ctx.symbols(p.symbol);
  const q = ctx.quotes(p.symbol);
  const value = spec ? (unrealizedPnl(p, spec, account.currency, ctx.quotes) ?? null) : null;
  const conv = spec ? explainConversion(spec.quoteCurrency, account.currency, ctx.quotes) : undefined;
  const price = q ? closingPrice(p.side, q) : null;
  return {
    figure: 'positionPnl',
    value,
    currency: account.currency,
    rule: `A ${p.side} closes at the ${p.side === 'BUY' ? 'bid' : 'ask'}: its P&L is the price move times contract size times volume, converted into ${account.currency} at the current mid.`,
    formula: p.side === 'BUY' ? '(bid − open price) × contract size × volume × conversion' : '(open price − ask) × contract size × volume × conversion',
    inputs: [
      { label: 'Side', value: p.side },
      { label: 'Volume (lots)', value: p.volume.toString() },
      { label: 'Open price', value: p.openPrice.toString() },
      { label: p.side === 'BUY' ? 'Bid now' : 'Ask now', value: price?.toString() ?? 'no quote' },
      { label: 'Contract size', value: spec?.contractSize.toString() ?? '?' },
      { label: `Conversion ${spec?.quoteCurrency ?? '?'} → ${account.currency}`, value: conv?.rate.toString() ?? 'no quote' },
    ],
    parts: [],
    conversions: conv ? [conv] : [],
    leverage: null,
    notes: value === null ? ['No quote: the position is valued at its open price (P&L 0) until one comes.'] : ['Commission and accrued swap are not part of the P&L: swap counts in equity, commission was booked at open.'],
  };
}

export function explainPositionMargin(account: AccountState, p: PositionState, ctx: ExplainContext): Breakdown {
  const spec = ctx.symbols(p.symbol);
  const lev = spec ? leverageInfo(account, spec, ctx.maxLeverage) : null;
  const notionalQuote = spec ? p.volume.times(spec.contractSize).times(p.openPrice) : null;
  // The margin is fixed at open: the conversion rate of that moment is what the stored margin implies.
  const impliedRate = notionalQuote && lev && !notionalQuote.isZero() ? p.margin.div(notionalQuote.times(lev.ratio)).toDecimalPlaces(8) : null;
  return {
    figure: 'positionMargin',
    value: p.margin,
    currency: account.currency,
    rule: 'A position’s margin is fixed when it opens: its notional at the open price, in account currency, times the margin ratio max(1 / leverage, margin % / 100).',
    formula: 'volume × contract size × open price × conversion at open × max(1 / leverage, margin % / 100)',
    inputs: [
      { label: 'Volume (lots)', value: p.volume.toString() },
      { label: 'Contract size', value: spec?.contractSize.toString() ?? '?' },
      { label: 'Open price', value: p.openPrice.toString() },
      { label: `Notional (${spec?.quoteCurrency ?? '?'})`, value: notionalQuote?.toString() ?? '?' },
      { label: `Conversion ${spec?.quoteCurrency ?? '?'} → ${account.currency} at open`, value: impliedRate?.toString() ?? '?' },
      { label: 'Margin ratio', value: lev ? `${lev.ratio.times(HUNDRED).toDecimalPlaces(4)} %` : '?' },
    ],
    parts: [],
    conversions: [],
    leverage: lev,
    notes: lev
      ? [
          lev.limitedBy === 'symbol margin percent'
            ? `${p.symbol} needs ${lev.marginPercent} % margin: it trades at 1:${lev.symbolLeverage} although the account is 1:${lev.effective}.`
            : `The account's 1:${lev.effective} applies (the symbol allows up to 1:${HUNDRED.div(lev.marginPercent).toDecimalPlaces(2)}).`,
          ...(lev.cap && lev.cap < lev.account ? [`The risk settings cap leverage at 1:${lev.cap} (the account says 1:${lev.account}).`] : []),
        ]
      : [],
  };
}

export function explainPositionSwap(account: AccountState, p: PositionState, ctx: ExplainContext): Breakdown {
  const spec = ctx.symbols(p.symbol);
  const rate = spec ? (p.side === 'BUY' ? spec.swapLong : spec.swapShort) : null;
  const nightly = rate ? p.volume.times(rate) : null;
  return {
    figure: 'positionSwap',
    value: p.swap,
    currency: account.currency,
    rule: `Each daily rollover (22:00 UTC) a position open across it accrues volume × the symbol's ${p.side === 'BUY' ? 'long' : 'short'} swap, three times that on the triple-swap day. Accrued swap counts in equity and is booked when the position closes.`,
    formula: 'Σ over rollovers: volume × swap rate (× 3 on the triple-swap day)',
    inputs: [
      { label: 'Volume (lots)', value: p.volume.toString() },
      { label: `Swap ${p.side === 'BUY' ? 'long' : 'short'} per lot`, value: rate?.toString() ?? '?' },
      { label: 'Per night now', value: nightly ? money(nightly) : '?' },
      { label: 'Triple-swap day', value: spec?.tripleSwapDay ?? '?' },
      { label: 'Accrued so far', value: money(p.swap) },
    ],
    parts: [],
    conversions: [],
    leverage: null,
    notes: spec?.dailyRollover ? ['This symbol rolls over every day, weekends included.'] : ['Forex and metals do not roll over on Saturday and Sunday.'],
  };
}

export function explainAccount(
  figure: 'balance' | 'credit' | 'equity' | 'margin' | 'freeMargin' | 'marginLevel',
  account: AccountState,
  positions: readonly PositionState[],
  ctx: ExplainContext,
  /** balance: its ledger entries summed by type (credit entries not among them); credit: credit in and out. */
  ledgerByType: { type: string; amount: Decimal; entries: number }[],
): Breakdown {
  const f = accountFigures(account, positions, ctx.symbols, ctx.quotes);
  const cur = account.currency;
  const conversions = conversionsOf(positions, cur, ctx);
  const pnlParts = (): BreakdownPart[] =>
    positions.map((p) => {
      const spec = ctx.symbols(p.symbol);
      const pnl = (spec && unrealizedPnl(p, spec, cur, ctx.quotes)) || new Decimal(0);
      return { label: `#${p.id} ${p.side} ${p.volume} ${p.symbol}`, value: pnl.plus(p.swap), detail: `P&L ${money(pnl)} + swap ${money(p.swap)}`, positionId: p.id.toString(), symbol: p.symbol };
    });
  const marginParts = (): BreakdownPart[] => {
    if (account.marginMode === 'NETTING') return positions.map((p) => ({ label: `#${p.id} ${p.side} ${p.volume} ${p.symbol}`, value: p.margin, positionId: p.id.toString(), symbol: p.symbol }));
    const bySymbol = new Map<string, PositionState[]>();
    for (const p of positions) bySymbol.set(p.symbol, [...(bySymbol.get(p.symbol) ?? []), p]);
    return [...bySymbol].map(([symbol, ps]) => {
      const buy = usedMargin('NETTING', ps.filter((p) => p.side === 'BUY'));
      const sell = usedMargin('NETTING', ps.filter((p) => p.side === 'SELL'));
      return { label: symbol, value: Decimal.max(buy, sell), detail: `the larger of BUY legs ${money(buy)} and SELL legs ${money(sell)} (hedged legs share margin)`, symbol };
    });
  };
  const base = { currency: cur, conversions, leverage: null, notes: [] as string[] };
  switch (figure) {
    case 'balance':
      return {
        ...base,
        figure,
        value: f.balance,
        rule: 'The balance is the sum of every ledger entry but credit: deposits and withdrawals, realized P&L of closed trades, commissions, booked swaps, adjustments and bonuses.',
        formula: 'Σ ledger entries (credit entries aside)',
        inputs: [{ label: 'Ledger entries', value: String(ledgerByType.reduce((n, r) => n + r.entries, 0)) }],
        parts: ledgerByType.map((r) => ({ label: r.type, value: r.amount, detail: `${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}` })),
        conversions: [],
      };
    case 'credit':
      return {
        ...base,
        figure,
        value: f.credit,
        rule: 'Credit is money the broker lends: it counts in equity, so in free margin and margin level, but it is not balance and cannot be withdrawn. It is the sum of the credit entries in and out; when a stop out leaves the balance below 0, the loss is taken from credit first.',
        formula: 'Σ credit entries',
        inputs: [{ label: 'Credit entries', value: String(ledgerByType.reduce((n, r) => n + r.entries, 0)) }],
        parts: ledgerByType.map((r) => ({ label: r.type, value: r.amount, detail: `${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}` })),
        conversions: [],
      };
    case 'equity':
      return {
        ...base,
        figure,
        value: f.equity,
        rule: 'Equity is the balance plus the broker’s credit plus the floating P&L and the accrued swap of every open position, at the current quotes.',
        formula: 'balance + credit + Σ unrealized P&L + Σ accrued swap',
        inputs: [
          { label: 'Balance', value: money(f.balance) },
          { label: 'Credit', value: money(f.credit) },
          { label: 'Unrealized P&L', value: money(f.unrealizedPnl) },
          { label: 'Accrued swap', value: money(f.swap) },
        ],
        parts: pnlParts(),
        notes: f.unpriced.length ? [`${f.unpriced.length} position(s) have no quote and count at their open price.`] : [],
      };
    case 'margin':
      return {
        ...base,
        figure,
        value: f.margin,
        rule:
          account.marginMode === 'HEDGING'
            ? 'Used margin on a hedging account: per symbol, the larger of the margins of its BUY and of its SELL positions. Each position’s margin was fixed when it opened.'
            : 'Used margin on a netting account: the sum of the positions’ margins, each fixed when it opened.',
        formula: account.marginMode === 'HEDGING' ? 'Σ per symbol max(Σ BUY margins, Σ SELL margins)' : 'Σ position margins',
        inputs: [{ label: 'Margin mode', value: account.marginMode }, { label: 'Account leverage', value: `1:${effectiveLeverage(account.leverage, ctx.maxLeverage)}` }],
        parts: marginParts(),
        notes: ctx.maxLeverage && ctx.maxLeverage < account.leverage ? [`The risk settings cap leverage at 1:${ctx.maxLeverage}.`] : [],
      };
    case 'freeMargin':
      return {
        ...base,
        figure,
        value: f.freeMargin,
        rule: f.credit.isZero()
          ? 'Free margin is what is left of equity after the used margin: what a new position may use, and what a withdrawal may take.'
          : 'Free margin is what is left of equity after the used margin: what a new position may use. Equity includes the broker’s credit, which cannot be withdrawn: a withdrawal may take at most the balance and free margin less credit.',
        formula: 'equity − used margin',
        inputs: [
          { label: 'Equity', value: money(f.equity) },
          { label: 'Used margin', value: money(f.margin) },
          ...(f.credit.isZero() ? [] : [{ label: 'Credit (in equity, not withdrawable)', value: money(f.credit) }]),
        ],
        parts: [],
      };
    case 'marginLevel':
      return {
        ...base,
        figure,
        value: f.marginLevel,
        rule: `Margin level is equity over used margin, in percent. At or below ${ctx.marginCallLevel} % the account is in margin call; at or below ${ctx.stopOutLevel} % positions are closed, largest loss first.`,
        formula: 'equity ÷ used margin × 100',
        inputs: [
          { label: 'Equity', value: money(f.equity) },
          { label: 'Used margin', value: money(f.margin) },
          { label: 'Margin call at', value: `${ctx.marginCallLevel} %` },
          { label: 'Stop out at', value: `${ctx.stopOutLevel} %` },
        ],
        parts: [],
        notes: f.marginLevel === null ? ['No margin is used: there is no margin level.'] : [],
      };
  }
}
