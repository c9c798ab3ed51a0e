// The dealing area: the dealer's view across accounts — open positions and pending orders with filters (the
// rows from the database, the live figures from the book), a close on a client's behalf, net exposure per
// symbol, and the dashboard's figures and alerts.
import { Decimal } from 'decimal.js';
import { sqlOf } from '@broker/db';
import {
  type AuthUser,
  type CloseResultDto,
  type DashboardAlert,
  type DashboardDto,
  type DealerCloseInput,
  type DealingApi,
  type DealingOrderRow,
  type DealingOrdersInput,
  type DealingPositionRow,
  type DealingPositionsInput,
  type ExposureDto,
  type RequestMeta,
} from '@broker/api';
import { dec, pendingDto } from '../books/mapping.ts';
import { symbolExposure, type ClientPositionView } from '../domain/exposure.ts';
import type { AuditArea } from './audit.ts';
import type { EngineCore } from './core.ts';
import type { SystemArea } from './system.ts';
import { closeResultDto } from './trading.ts';

const REPORTING = 'USD';
/** An exposure alert from this share of its limit. */
const NEAR_LIMIT = new Decimal(80);
const ZERO = new Decimal(0);

export class DealingArea implements DealingApi {
  constructor(
    private readonly c: EngineCore,
    private readonly system: SystemArea,
    private readonly audit: AuditArea,
  ) {}

  async positions(input: DealingPositionsInput): Promise<{ rows: DealingPositionRow[]; total: number }> {
    const c = this.c;
    const where = { status: 'OPEN' as const, ...(input.symbol ? { symbol: input.symbol } : {}), ...(input.accountId ? { accountId: input.accountId } : {}), ...(input.side ? { side: input.side } : {}) };
    const [rows, total] = await Promise.all([
      c.prisma.position.findMany({ where, orderBy: { id: 'desc' }, skip: input.offset, take: input.limit, include: { account: { select: { accountNumber: true, currency: true } } } }),
      c.prisma.position.count({ where }),
    ]);
    const out: DealingPositionRow[] = [];
    for (const r of rows) {
      await c.book.get(r.accountId);
      const live = c.book.openPositions(r.accountId).find((p) => p.id === r.id);
      if (!live) continue; // closed between the query and now
      out.push({ ...c.positionDtoOf(live, r.account.currency), venue: r.venue, accountNumber: r.account.accountNumber, currency: r.account.currency });
    }
    return { rows: out, total };
  }

  async orders(input: DealingOrdersInput): Promise<{ rows: DealingOrderRow[]; total: number }> {
    const c = this.c;
    const where = { status: 'PENDING' as const, ...(input.symbol ? { symbol: input.symbol } : {}), ...(input.accountId ? { accountId: input.accountId } : {}), ...(input.side ? { side: input.side } : {}) };
    const [rows, total] = await Promise.all([
      c.prisma.order.findMany({ where, orderBy: { id: 'desc' }, skip: input.offset, take: input.limit, include: { account: { select: { accountNumber: true } } } }),
      c.prisma.order.count({ where }),
    ]);
    const out: DealingOrderRow[] = [];
    for (const r of rows) {
      await c.book.get(r.accountId);
      const live = c.book.pendingOrders(r.accountId).find((o) => o.id === r.id);
      if (live) out.push({ ...pendingDto(live), accountNumber: r.account.accountNumber });
    }
    return { rows: out, total };
  }

  async closePosition(actor: AuthUser, input: DealerCloseInput, meta: RequestMeta = {}): Promise<CloseResultDto> {
    const c = this.c;
    const account = await c.requireAccount(input.accountId);
    const res = await c.desk.closePosition(input.accountId, input.positionId, input.volume, {
      reason: 'ADMIN',
      audit: {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'dealing.close_position',
        entityType: 'position',
        entityId: input.positionId.toString(),
        details: { accountId: input.accountId, reason: input.reason, requestedVolume: input.volume?.toString() ?? null, userAgent: meta.userAgent ?? null },
        ip: meta.ip ?? null,
      },
    });
    c.log.info('position closed by dealer', { accountId: input.accountId, positionId: input.positionId, by: actor.id, reason: input.reason });
    return closeResultDto(c, res.leg, account.currency);
  }

  private async limit(): Promise<Decimal | null> {
    const row = await this.c.prisma.executionConfig.findUnique({ where: { id: 1 }, select: { maxSymbolExposure: true } });
    return row ? dec(row.maxSymbolExposure) : null;
  }

  async exposure(): Promise<ExposureDto> {
    const c = this.c;
    const limit = await this.limit();
    const clientPositions: ClientPositionView[] = [];
    for (const accountId of c.book.accountIds())
      for (const p of c.book.openPositions(accountId)) clientPositions.push({ accountId, symbol: p.symbol, side: p.side, volume: p.volume, openPrice: p.openPrice });
    // The house's positions with LPs (A-Book fills, C-Book hedges and their offsets), per LP and symbol.
    const coverage = (await c.prisma.coveragePosition.findMany({ orderBy: { id: 'asc' } })).map((r) => ({ lpId: r.lpId, symbol: r.symbol, netVolume: dec(r.netVolume), avgPrice: dec(r.avgPrice) }));
    const { rows, totals } = symbolExposure({ clientPositions, coverage, symbols: (s) => c.symbolSpec(s), reportingCurrency: REPORTING, quotes: c.quoteStore.lookup });
    const money = (v: Decimal | null) => v && v.toDecimalPlaces(2);
    return {
      rows: rows.map((r) => {
        const notional = money(r.houseNetNotional);
        return {
          symbol: r.symbol,
          clientBuyLots: r.clientLongLots,
          clientSellLots: r.clientShortLots,
          clientNetLots: r.clientNetLots,
          coverageNetLots: r.coverageNetLots,
          houseNetLots: r.houseNetLots,
          houseNetNotional: notional,
          clientUnrealizedPnl: money(r.clientUnrealizedPnl),
          coverageUnrealizedPnl: money(r.coverageUnrealizedPnl),
          housePnl: money(r.housePnl),
          positions: r.positions,
          accounts: r.accounts,
          limit,
          limitUsedPercent: limit && limit.gt(0) && notional ? notional.abs().div(limit).times(100).toDecimalPlaces(2) : null,
        };
      }),
      total: { clientUnrealizedPnl: money(totals.clientUnrealizedPnl), coverageUnrealizedPnl: money(totals.coverageUnrealizedPnl), housePnl: money(totals.housePnl) },
    };
  }

  async dashboard(): Promise<DashboardDto> {
    const c = this.c;
    const now = c.clock();
    const since = new Date(now - (now % 86_400_000));
    const sql = sqlOf(c.opts.db);
    const [health, exposure, trades, money, newAccounts, pendingWithdrawals, split, stopped, lastRec, unknownLp] = await Promise.all([
      this.system.health(),
      this.exposure(),
      sql.query<{ n: string; lots: string | null; clients: string }>(
        `SELECT count(*)::text AS n, sum(volume)::text AS lots, count(DISTINCT account_id)::text AS clients FROM trades WHERE executed_at >= $1`,
        [since],
      ),
      sql.query<{ type: string; total: string }>(`SELECT type::text AS type, sum(amount)::text AS total FROM ledger WHERE created_at >= $1 AND type IN ('DEPOSIT', 'WITHDRAWAL') GROUP BY type`, [since]),
      c.prisma.account.count({ where: { createdAt: { gte: since } } }),
      c.prisma.withdrawalRequest.count({ where: { status: 'PENDING' } }),
      c.prisma.position.groupBy({ by: ['venue'], where: { status: 'OPEN' }, _count: { _all: true }, _sum: { volume: true } }),
      c.prisma.position.findMany({ where: { closeReason: 'STOP_OUT', closeTime: { gte: since } }, distinct: ['accountId'], select: { accountId: true } }),
      this.audit.lastReconciliation(),
      // LP orders whose outcome is not established (no answer, after a restart or a timeout) and their client orders still waiting.
      sql.query<{ n: string; waiting: string }>(
        `SELECT count(*)::text AS n, count(*) FILTER (WHERE o.status = 'PENDING')::text AS waiting FROM lp_orders l LEFT JOIN orders o ON o.id = l.order_id WHERE l.status = 'UNKNOWN'`,
      ),
    ]);
    let openPositions = 0;
    let pendingOrders = 0;
    for (const id of c.book.accountIds()) {
      openPositions += c.book.openPositions(id).length;
      pendingOrders += c.book.pendingOrders(id).length;
    }
    const alerts: DashboardAlert[] = [];
    for (const e of exposure.rows)
      if (e.limitUsedPercent?.gte(NEAR_LIMIT))
        alerts.push({ kind: 'EXPOSURE_NEAR_LIMIT', severity: e.limitUsedPercent.gte(100) ? 'critical' : 'warning', symbol: e.symbol, message: `${e.symbol}: the house carries ${e.limitUsedPercent.toFixed(0)}% of its exposure limit` });
    for (const accountId of c.flow.marginCalled())
      alerts.push({ kind: 'MARGIN_CALL', severity: 'warning', accountId, message: `Account ${accountId} is in margin call` });
    for (const s of stopped) alerts.push({ kind: 'STOPPED_OUT', severity: 'critical', accountId: s.accountId, message: `Account ${s.accountId} was stopped out today` });
    for (const lp of c.lpManager.status()) {
      if (!lp.enabled) continue;
      if (lp.state === 'DISCONNECTED' || lp.state === 'UNAVAILABLE')
        alerts.push({ kind: 'LP_DOWN', severity: 'critical', lp: lp.name, message: `${lp.name} is ${lp.state.toLowerCase()}${lp.reason ? `: ${lp.reason}` : ''}` });
      else if ((lp.state as string) === 'DEGRADED') alerts.push({ kind: 'LP_DEGRADED', severity: 'warning', lp: lp.name, message: `${lp.name} is degraded${lp.reason ? `: ${lp.reason}` : ''}` });
    }
    for (const [name, info] of c.symbolTable) {
      if (!info.spec.enabled) continue;
      const q = c.quoteStore.get(name);
      if (!q || now - q.time > info.spec.staleAfterMs) alerts.push({ kind: 'NO_PRICE', severity: 'warning', symbol: name, message: `${name} has no fresh price` });
    }
    const unknown = unknownLp.rows[0]!;
    if (Number(unknown.n) > 0) {
      const waiting = Number(unknown.waiting);
      alerts.push({
        kind: 'LP_ORDER_UNKNOWN',
        severity: 'critical',
        message: `${unknown.n} LP order(s) without a confirmed outcome${waiting ? `, ${waiting} client order(s) waiting for it` : ''}: the LP has not said what it did (execution, LP orders, status UNKNOWN)`,
      });
    }
    if (lastRec?.mismatched.length)
      alerts.push({ kind: 'RECONCILIATION_MISMATCH', severity: 'critical', message: `Reconciliation found ${lastRec.mismatched.length} account(s) whose books do not match: ${lastRec.mismatched.join(', ')}` });
    const t = trades.rows[0]!;
    const moneyOf = (type: string) => dec(money.rows.find((r) => r.type === type)?.total ?? '0');
    return {
      health,
      today: {
        since,
        trades: Number(t.n),
        volumeLots: dec(t.lots ?? '0'),
        activeClients: Number(t.clients),
        newAccounts,
        deposits: moneyOf('DEPOSIT'),
        withdrawals: moneyOf('WITHDRAWAL').neg(),
      },
      openPositions,
      pendingOrders,
      pendingWithdrawals,
      split: (['BBOOK', 'ABOOK', 'CBOOK'] as const).map((venue) => {
        const g = split.find((s) => s.venue === venue);
        return { venue, positions: g?._count._all ?? 0, lots: g?._sum.volume ? dec(g._sum.volume) : ZERO };
      }),
      alerts,
    };
  }
}
