// The statements area: figure breakdowns (domain/explain.ts over the live book), the account statement for a
// period from the ledger and the trades — as data, as CSV (csv-stringify) and as PDF (pdfkit: text laid out by
// the library, built here from the books, not from a page) — trade history with totals, and a symbol's
// specification for an account.
import { Decimal } from 'decimal.js';
import PDFDocument from 'pdfkit';
import { stringify } from 'csv-stringify/sync';
import {
  EngineError,
  type BreakdownDto,
  type ExplainInput,
  type HistoryDto,
  type HistoryInput,
  type StatementDto,
  type StatementFileDto,
  type StatementFileInput,
  type StatementInput,
  type StatementLine,
  type StatementsApi,
  type SymbolSpecDto,
  type SymbolSpecInput,
} from '@broker/api';
import { dec, tradeDto } from '../books/mapping.ts';
import { effectiveLeverage, marginRatio } from '../domain/index.ts';
import { explainAccount, explainPositionMargin, explainPositionPnl, explainPositionSwap, type ExplainContext } from '../domain/explain.ts';
import type { EngineCore } from './core.ts';

const ZERO = new Decimal(0);
const TYPE_LABELS: Record<string, string> = {
  DEPOSIT: 'Deposit',
  WITHDRAWAL: 'Withdrawal',
  COMMISSION: 'Commission',
  SWAP: 'Swap',
  REALIZED_PNL: 'Trade P&L',
  BONUS: 'Bonus',
  ADJUSTMENT: 'Adjustment',
  NEGATIVE_BALANCE_PROTECTION: 'Negative balance protection',
  CREDIT: 'Credit',
};

export class StatementsArea implements StatementsApi {
  constructor(private readonly c: EngineCore) {}

  private ctx(accountId: number): ExplainContext {
    const risk = this.c.riskFor(accountId);
    return { symbols: this.c.symbolSpec, quotes: this.c.quoteStore.lookup, maxLeverage: risk.maxLeverage ?? null, marginCallLevel: risk.marginCallLevel, stopOutLevel: risk.stopOutLevel };
  }

  async explain(input: ExplainInput): Promise<BreakdownDto> {
    const c = this.c;
    const account = await c.requireAccount(input.accountId);
    const positions = c.book.openPositions(input.accountId);
    const ctx = this.ctx(input.accountId);
    if (input.figure.startsWith('position')) {
      const p = positions.find((x) => x.id === input.positionId);
      if (!p) throw new EngineError('POSITION_NOT_FOUND', `Position ${input.positionId} is not open on this account`);
      if (input.figure === 'positionPnl') return explainPositionPnl(account, p, ctx);
      if (input.figure === 'positionMargin') return explainPositionMargin(account, p, ctx);
      return explainPositionSwap(account, p, ctx);
    }
    let byType: { type: string; amount: Decimal; entries: number }[] = [];
    if (input.figure === 'balance') {
      // Credit entries move credit, not balance (docs/trading-rules-notes.md, Credit).
      const rows = await c.prisma.ledgerEntry.groupBy({ by: ['type'], where: { accountId: input.accountId, type: { not: 'CREDIT' } }, _sum: { amount: true }, _count: { _all: true } });
      byType = rows.map((r) => ({ type: TYPE_LABELS[r.type] ?? r.type, amount: dec(r._sum.amount ?? 0), entries: r._count._all })).sort((a, b) => b.amount.abs().comparedTo(a.amount.abs()));
    }
    if (input.figure === 'credit') {
      const side = (amount: { gt: number } | { lt: number }) =>
        c.prisma.ledgerEntry.aggregate({ where: { accountId: input.accountId, type: 'CREDIT', amount }, _sum: { amount: true }, _count: { _all: true } });
      const [inn, out] = await Promise.all([side({ gt: 0 }), side({ lt: 0 })]);
      byType = [
        { type: 'Credit in', amount: dec(inn._sum.amount ?? 0), entries: inn._count._all },
        { type: 'Credit out', amount: dec(out._sum.amount ?? 0), entries: out._count._all },
      ].filter((r) => r.entries > 0);
    }
    return explainAccount(input.figure as 'balance', account, positions, ctx, byType);
  }

  async statement(input: StatementInput): Promise<StatementDto> {
    const c = this.c;
    await c.requireAccount(input.accountId);
    const where = { accountId: input.accountId, createdAt: { gte: input.from, lt: input.to } };
    const [account, before, creditBefore, ledger, trades] = await Promise.all([
      c.prisma.account.findUniqueOrThrow({ where: { id: input.accountId }, include: { user: { select: { name: true } } } }),
      c.prisma.ledgerEntry.findFirst({ where: { accountId: input.accountId, createdAt: { lt: input.from } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { balanceAfter: true } }),
      c.prisma.ledgerEntry.aggregate({ where: { accountId: input.accountId, type: 'CREDIT', createdAt: { lt: input.from } }, _sum: { amount: true } }),
      c.prisma.ledgerEntry.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      c.prisma.trade.findMany({
        where: { accountId: input.accountId, executedAt: { gte: input.from, lt: input.to } },
        orderBy: [{ executedAt: 'asc' }, { id: 'asc' }],
        include: { order: { select: { comment: true, closesPositionId: true, type: true } } },
      }),
    ]);
    const opening = ledger[0] ? dec(ledger[0].balanceBefore) : before ? dec(before.balanceAfter) : ZERO;
    const openingCredit = dec(creditBefore._sum.amount ?? 0);
    let credit = openingCredit;
    const lines: StatementLine[] = ledger.map((l) => {
      if (l.type === 'CREDIT') credit = credit.plus(dec(l.amount));
      return {
        id: l.id.toString(),
        time: l.createdAt,
        type: l.type,
        description: [TYPE_LABELS[l.type] ?? l.type, l.method ? l.method.replace('_', ' ').toLowerCase() : null, l.note].filter(Boolean).join(' · '),
        amount: dec(l.amount),
        balance: dec(l.balanceAfter),
        credit,
      };
    });
    const sum = (types: string[]) => lines.filter((l) => types.includes(l.type)).reduce((s, l) => s.plus(l.amount), ZERO);
    const closing = lines.length ? lines[lines.length - 1]!.balance : opening;
    return {
      accountId: account.id,
      accountNumber: account.accountNumber,
      name: account.user.name,
      currency: account.currency,
      type: account.type,
      from: input.from,
      to: input.to,
      generatedAt: new Date(c.clock()),
      openingBalance: opening,
      closingBalance: closing,
      openingCredit,
      closingCredit: credit,
      lines,
      trades: trades.map(tradeDto),
      summary: {
        deposits: sum(['DEPOSIT']),
        withdrawals: sum(['WITHDRAWAL']),
        realizedPnl: sum(['REALIZED_PNL']),
        commissions: sum(['COMMISSION']),
        swaps: sum(['SWAP']),
        other: sum(['ADJUSTMENT', 'BONUS', 'NEGATIVE_BALANCE_PROTECTION']),
        credit: sum(['CREDIT']),
        net: closing.minus(opening),
        trades: trades.length,
        volumeLots: trades.reduce((s, t) => s.plus(t.volume.toString()), ZERO),
      },
    };
  }

  async statementFile(input: StatementFileInput): Promise<StatementFileDto> {
    const s = await this.statement(input);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const base = `statement-${s.accountNumber}-${day(s.from)}-${day(new Date(s.to.getTime() - 1))}`;
    if (input.format === 'csv') return { filename: `${base}.csv`, contentType: 'text/csv', base64: Buffer.from(statementCsv(s), 'utf8').toString('base64') };
    return { filename: `${base}.pdf`, contentType: 'application/pdf', base64: (await statementPdf(s)).toString('base64') };
  }

  async history(input: HistoryInput): Promise<HistoryDto> {
    const c = this.c;
    await c.requireAccount(input.accountId);
    const rows = await c.prisma.trade.findMany({
      where: { accountId: input.accountId, executedAt: { gte: input.from, lt: input.to }, ...(input.symbol ? { symbol: input.symbol } : {}) },
      orderBy: [{ executedAt: 'desc' }, { id: 'desc' }],
      take: input.limit,
      include: { order: { select: { comment: true, closesPositionId: true, type: true } } },
    });
    const trades = rows.map(tradeDto);
    const t = { trades: trades.length, volumeLots: ZERO, realizedPnl: ZERO, commissions: ZERO, swaps: ZERO, net: ZERO };
    for (const x of trades) {
      t.volumeLots = t.volumeLots.plus(x.volume);
      t.realizedPnl = t.realizedPnl.plus(x.realizedPnl ?? 0);
      t.commissions = t.commissions.plus(x.commission);
      t.swaps = t.swaps.plus(x.swap);
    }
    // Commission is booked as a negative ledger amount; the trade records what was charged (positive).
    t.net = t.realizedPnl.plus(t.swaps).minus(t.commissions);
    return { trades, totals: t };
  }

  async symbolSpec(input: SymbolSpecInput): Promise<SymbolSpecDto> {
    const c = this.c;
    const account = await c.requireAccount(input.accountId);
    const info = c.symbolTable.get(input.symbol);
    if (!info) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const spec = info.spec;
    const row = await c.prisma.symbol.findUniqueOrThrow({ where: { name: input.symbol }, select: { tradingHours: true } });
    const leverage = effectiveLeverage(account.leverage, c.riskFor(account.id).maxLeverage);
    return {
      name: spec.name,
      description: info.description,
      category: info.category,
      baseCurrency: spec.baseCurrency,
      quoteCurrency: spec.quoteCurrency,
      contractSize: spec.contractSize,
      digits: spec.digits,
      pipSize: spec.pipSize,
      minVolume: spec.minVolume,
      maxVolume: spec.maxVolume,
      volumeStep: spec.volumeStep,
      marginPercent: spec.marginPercent,
      accountLeverage: leverage,
      effectiveLeverage: new Decimal(1).div(marginRatio(leverage, spec)).toDecimalPlaces(2),
      markupPips: spec.markupPips,
      commissionPerLot: spec.commissionPerLot,
      swapLong: spec.swapLong,
      swapShort: spec.swapShort,
      tripleSwapDay: spec.tripleSwapDay,
      // The symbol's own sessions, even where MARKET_HOURS=always-open lifts them.
      tradingHours: Array.isArray(row.tradingHours) ? (row.tradingHours as SymbolSpecDto['tradingHours']) : [],
      staleAfterMs: spec.staleAfterMs,
      enabled: spec.enabled,
    };
  }
}

const iso = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);
const m2 = (d: Decimal) => d.toFixed(2);

export function statementCsv(s: StatementDto): string {
  const rows: (string | number)[][] = [
    ['Statement', s.accountNumber, s.name, s.currency, s.type],
    ['Period (UTC)', iso(s.from), iso(s.to)],
    ['Opening balance', m2(s.openingBalance)],
    ['Opening credit', m2(s.openingCredit)],
    [],
    ['Time (UTC)', 'Entry', 'Type', 'Description', 'Amount', 'Balance', 'Credit'],
    ...s.lines.map((l) => [iso(l.time), l.id, l.type, l.description, m2(l.amount), m2(l.balance), m2(l.credit)]),
    [],
    ['Closing balance', m2(s.closingBalance)],
    ['Closing credit', m2(s.closingCredit)],
    [],
    ['Trades'],
    ['Time (UTC)', 'Trade', 'Order', 'Position', 'Symbol', 'Side', 'Entry', 'Volume', 'Price', 'Commission', 'Swap', 'P&L', 'Close reason', 'Venue'],
    ...s.trades.map((t) => [iso(t.executedAt), t.id, t.orderId, t.positionId ?? '', t.symbol, t.side, t.entry, t.volume.toString(), t.price.toString(), m2(t.commission), m2(t.swap), t.realizedPnl ? m2(t.realizedPnl) : '', t.closeReason ?? '', t.venue]),
    [],
    ['Summary'],
    ['Deposits', m2(s.summary.deposits)],
    ['Withdrawals', m2(s.summary.withdrawals)],
    ['Trade P&L', m2(s.summary.realizedPnl)],
    ['Commissions', m2(s.summary.commissions)],
    ['Swaps', m2(s.summary.swaps)],
    ['Adjustments and bonuses', m2(s.summary.other)],
    ['Net change', m2(s.summary.net)],
    ['Credit in less out (not balance)', m2(s.summary.credit)],
    ['Trades', s.summary.trades],
    ['Volume (lots)', s.summary.volumeLots.toString()],
  ];
  return stringify(rows);
}

/** The statement as an A4 PDF: header, opening balance, every ledger line, trades, summary, closing balance. */
export function statementPdf(s: StatementDto): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Statement ${s.accountNumber}`, Author: 'Broker platform' } });
    const chunks: Buffer[] = [];
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const row = (cells: string[], widths: number[], opts: { bold?: boolean } = {}) => {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
      const y = doc.y;
      doc.font(opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      let x = left;
      let height = 0;
      cells.forEach((cell, i) => {
        const w = widths[i]! * width;
        const align = i >= cells.length - 3 && /^-?[\d,.]+$/.test(cell) ? 'right' : 'left';
        doc.text(cell, x, y, { width: w - 4, align });
        height = Math.max(height, doc.y - y);
        x += w;
      });
      doc.x = left;
      doc.y = y + height + 2;
    };
    doc.font('Helvetica-Bold').fontSize(16).text('Account statement');
    doc.font('Helvetica').fontSize(10);
    doc.text(`${s.name} · account ${s.accountNumber} (${s.type.toLowerCase()}, ${s.currency})`);
    doc.text(`Period: ${iso(s.from)} to ${iso(s.to)} UTC · generated ${iso(s.generatedAt)} UTC`);
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text(`Opening balance: ${m2(s.openingBalance)} ${s.currency} · credit ${m2(s.openingCredit)} ${s.currency}`);
    doc.moveDown(0.5);
    const lw = [0.17, 0.07, 0.4, 0.12, 0.12, 0.12];
    row(['Time (UTC)', 'Entry', 'Description', 'Amount', 'Balance', 'Credit'], lw, { bold: true });
    for (const l of s.lines) row([iso(l.time), l.id, l.description, m2(l.amount), m2(l.balance), m2(l.credit)], lw);
    if (!s.lines.length) doc.font('Helvetica').fontSize(9).text('No entries in this period.');
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(11).text(`Closing balance: ${m2(s.closingBalance)} ${s.currency} · credit ${m2(s.closingCredit)} ${s.currency}`);
    doc.font('Helvetica').fontSize(9).text('Credit is lent by the broker: it counts in equity but is not balance and cannot be withdrawn.');
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text('Trades');
    doc.moveDown(0.3);
    const tw = [0.17, 0.08, 0.09, 0.06, 0.07, 0.08, 0.1, 0.09, 0.13, 0.13];
    row(['Time (UTC)', 'Trade', 'Symbol', 'Side', 'Entry', 'Volume', 'Price', 'Comm.', 'Reason', 'P&L'], tw, { bold: true });
    for (const t of s.trades) row([iso(t.executedAt), t.id, t.symbol, t.side, t.entry, t.volume.toString(), t.price.toString(), m2(t.commission), t.closeReason ?? '', t.realizedPnl ? m2(t.realizedPnl) : ''], tw);
    if (!s.trades.length) doc.font('Helvetica').fontSize(9).text('No trades in this period.');
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text('Summary');
    doc.moveDown(0.3);
    const sw = [0.7, 0.3];
    for (const [k, v] of [
      ['Deposits', m2(s.summary.deposits)],
      ['Withdrawals', m2(s.summary.withdrawals)],
      ['Trade P&L', m2(s.summary.realizedPnl)],
      ['Commissions', m2(s.summary.commissions)],
      ['Swaps', m2(s.summary.swaps)],
      ['Adjustments and bonuses', m2(s.summary.other)],
      ['Net change', m2(s.summary.net)],
      ['Credit in less out (not balance)', m2(s.summary.credit)],
      ['Trades', String(s.summary.trades)],
      ['Volume (lots)', s.summary.volumeLots.toString()],
    ] as const)
      row([k, v], sw);
    doc.end();
  });
}
