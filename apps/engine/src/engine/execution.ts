// The execution area: the dealer's execution model (execution_config, client_overrides,
// symbol_routing_rules) — each change audited with before and after, and the router reloaded so the next
// order uses it — the routing report from the orders' stored decisions, and the LP side (lp_orders,
// coverage_positions).
import type { Decimal } from 'decimal.js';
import { sqlOf } from '@broker/db';
import {
  EngineError,
  type AuthUser,
  type ClientFlowDto,
  type ClientFlowInput,
  type LpScorecardDto,
  type ClientOverrideDto,
  type ClientOverrideInput,
  type CoverageDto,
  type ExecutionApi,
  type ExecutionConfigDto,
  type ExecutionConfigInput,
  type LpOrderDto,
  type LpOrdersInput,
  type RequestMeta,
  type RoutingReportDto,
  type RoutingReportInput,
  type SymbolRuleDto,
  type SymbolRuleInput,
} from '@broker/api';
import { dec } from '../books/mapping.ts';
import { lpScorecards } from '../domain/lp-scorecard.ts';
import type { EngineCore } from './core.ts';

const decOrNull = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : dec(v));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))) as object;

export class ExecutionArea implements ExecutionApi {
  constructor(private readonly c: EngineCore) {}

  private async audit(actor: AuthUser, action: string, entityId: string, before: unknown, after: unknown, meta: RequestMeta) {
    await this.c.prisma.auditLog.create({
      data: { actorId: actor.id, actorRole: actor.role, action, entityType: 'execution', entityId, details: plain({ before, after, userAgent: meta.userAgent ?? null }), ip: meta.ip ?? null },
    });
  }

  async config(): Promise<ExecutionConfigDto> {
    const r = await this.c.prisma.executionConfig.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
    return {
      globalMode: r.globalMode,
      bbookMaxVolume: dec(r.bbookMaxVolume),
      highVolatilityPercent: dec(r.highVolatilityPercent),
      maxSymbolExposure: dec(r.maxSymbolExposure),
      profitableAutoRoute: r.profitableAutoRoute,
      profitableThresholdPnl: dec(r.profitableThresholdPnl),
      profitableWinRate: dec(r.profitableWinRate),
      cbookAbookShare: dec(r.cbookAbookShare),
      toxicFlowAutoRoute: r.toxicFlowAutoRoute,
      toxicLatencyArbScore: decOrNull(r.toxicLatencyArbScore),
      toxicMarkoutPerLot: decOrNull(r.toxicMarkoutPerLot),
      toxicMarkoutHorizon: r.toxicMarkoutHorizon,
      flowMinFills: r.flowMinFills,
      slippageControl: r.slippageControl,
      maxSlippagePips: dec(r.maxSlippagePips),
      lpOrderTimeoutMs: r.lpOrderTimeoutMs,
      updatedAt: r.updatedAt,
    };
  }

  async updateConfig(actor: AuthUser, input: ExecutionConfigInput, meta: RequestMeta = {}): Promise<ExecutionConfigDto> {
    const before = await this.config();
    const s = (v: Decimal | null | undefined) => (v === undefined ? undefined : v === null ? null : v.toString());
    const r = (v: Decimal | undefined) => v?.toString();
    const data = {
      globalMode: input.globalMode,
      bbookMaxVolume: r(input.bbookMaxVolume),
      highVolatilityPercent: r(input.highVolatilityPercent),
      maxSymbolExposure: r(input.maxSymbolExposure),
      profitableAutoRoute: input.profitableAutoRoute,
      profitableThresholdPnl: r(input.profitableThresholdPnl),
      profitableWinRate: r(input.profitableWinRate),
      cbookAbookShare: r(input.cbookAbookShare),
      toxicFlowAutoRoute: input.toxicFlowAutoRoute,
      toxicLatencyArbScore: s(input.toxicLatencyArbScore),
      toxicMarkoutPerLot: s(input.toxicMarkoutPerLot),
      toxicMarkoutHorizon: input.toxicMarkoutHorizon,
      flowMinFills: input.flowMinFills,
      slippageControl: input.slippageControl,
      maxSlippagePips: r(input.maxSlippagePips),
      lpOrderTimeoutMs: input.lpOrderTimeoutMs,
    };
    await this.c.prisma.executionConfig.update({ where: { id: 1 }, data });

    const after = await this.config();
    const changed = Object.keys(data).filter((k) => (data as Record<string, unknown>)[k] !== undefined);
    const pick = (d: ExecutionConfigDto) => Object.fromEntries(changed.map((k) => [k, d[k as keyof ExecutionConfigDto]]));
    await this.audit(actor, 'execution.config', 'global', pick(before), pick(after), meta);
    await this.c.router.reload();
    return after;
  }

  async overrides(): Promise<ClientOverrideDto[]> {
    const rows = await this.c.prisma.clientOverride.findMany({ orderBy: { accountId: 'asc' }, include: { account: { select: { accountNumber: true } } } });
    return rows.map((r) => ({ accountId: r.accountId, accountNumber: r.account.accountNumber, mode: r.mode, reason: r.reason, createdAt: r.createdAt }));
  }

  async setOverride(actor: AuthUser, input: ClientOverrideInput, meta: RequestMeta = {}): Promise<ClientOverrideDto> {
    const c = this.c;
    await c.requireAccount(input.accountId);
    const before = await c.prisma.clientOverride.findUnique({ where: { accountId: input.accountId } });
    const row = await c.prisma.clientOverride.upsert({
      where: { accountId: input.accountId },
      create: { accountId: input.accountId, mode: input.mode, reason: input.reason },
      update: { mode: input.mode, reason: input.reason },
      include: { account: { select: { accountNumber: true } } },
    });
    await this.audit(actor, 'execution.override', String(input.accountId), before ? { mode: before.mode, reason: before.reason } : null, { mode: row.mode, reason: row.reason }, meta);
    await c.router.reload();
    return { accountId: row.accountId, accountNumber: row.account.accountNumber, mode: row.mode, reason: row.reason, createdAt: row.createdAt };
  }

  async removeOverride(actor: AuthUser, accountId: number, meta: RequestMeta = {}): Promise<{ removed: boolean }> {
    const before = await this.c.prisma.clientOverride.findUnique({ where: { accountId } });
    if (!before) return { removed: false };
    await this.c.prisma.clientOverride.delete({ where: { accountId } });
    await this.audit(actor, 'execution.override_remove', String(accountId), { mode: before.mode, reason: before.reason }, null, meta);
    await this.c.router.reload();
    return { removed: true };
  }

  async symbolRules(): Promise<SymbolRuleDto[]> {
    const rows = await this.c.prisma.symbolRoutingRule.findMany({ orderBy: { symbol: 'asc' } });
    return rows.map((r) => ({ symbol: r.symbol, mode: r.mode, maxBbookVolume: decOrNull(r.maxBbookVolume), priorityLp: r.priorityLp, fallbackMode: r.fallbackMode }));
  }

  async setSymbolRule(actor: AuthUser, input: SymbolRuleInput, meta: RequestMeta = {}): Promise<SymbolRuleDto> {
    const c = this.c;
    if (!c.symbolTable.has(input.symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    if (input.priorityLp && !(await c.prisma.liquidityProvider.findUnique({ where: { name: input.priorityLp } }))) throw new EngineError('VALIDATION_ERROR', `priorityLp: no LP named ${input.priorityLp}`);
    const before = await c.prisma.symbolRoutingRule.findUnique({ where: { symbol: input.symbol } });
    const data = { mode: input.mode, maxBbookVolume: input.maxBbookVolume?.toString() ?? null, priorityLp: input.priorityLp ?? null, fallbackMode: input.fallbackMode ?? null };
    const row = await c.prisma.symbolRoutingRule.upsert({ where: { symbol: input.symbol }, create: { symbol: input.symbol, ...data }, update: data });
    const dto = { symbol: row.symbol, mode: row.mode, maxBbookVolume: decOrNull(row.maxBbookVolume), priorityLp: row.priorityLp, fallbackMode: row.fallbackMode };
    await this.audit(actor, 'execution.symbol_rule', input.symbol, before, dto, meta);
    await c.router.reload();
    return dto;
  }

  async removeSymbolRule(actor: AuthUser, symbol: string, meta: RequestMeta = {}): Promise<{ removed: boolean }> {
    const before = await this.c.prisma.symbolRoutingRule.findUnique({ where: { symbol } });
    if (!before) return { removed: false };
    await this.c.prisma.symbolRoutingRule.delete({ where: { symbol } });
    await this.audit(actor, 'execution.symbol_rule_remove', symbol, before, null, meta);
    await this.c.router.reload();
    return { removed: true };
  }

  async report(input: RoutingReportInput): Promise<RoutingReportDto> {
    const sql = sqlOf(this.c.opts.db);
    const where = `o.created_at >= $1 AND o.created_at < $2 AND o.type = 'MARKET' AND o.status IN ('FILLED', 'PARTIALLY_FILLED') AND o.closes_position_id IS NULL`;
    const params = [input.from, input.to];
    type Row = { key: string; venue?: string; account_id?: number; account_number?: string; client_name?: string; n: string; lots: string | null };
    const q = (select: string, group: string, join = '') =>
      sql.query<Row>(`SELECT ${select}, count(*)::text AS n, sum(o.filled_volume)::text AS lots FROM orders o ${join} WHERE ${where} GROUP BY ${group} ORDER BY sum(o.filled_volume) DESC`, params);
    const [venue, rule, symbol, client] = await Promise.all([
      q(`coalesce(o.venue::text, 'BBOOK') AS key`, '1'),
      q(`coalesce(o.route_rule, 'UNROUTED') AS key`, '1'),
      q(`o.symbol AS key, coalesce(o.venue::text, 'BBOOK') AS venue`, '1, 2'),
      // Issue 14: a dealer reads the account's number and the client's name, not the database id.
      q(
        `o.account_id::text AS key, coalesce(o.venue::text, 'BBOOK') AS venue, o.account_id, a.account_number, u.name AS client_name`,
        '1, 2, 3, 4, 5',
        'JOIN accounts a ON a.id = o.account_id JOIN users u ON u.id = a.user_id',
      ),
    ]);
    const row = (r: Row) => ({ key: r.key, orders: Number(r.n), lots: dec(r.lots ?? '0') });
    return {
      from: input.from,
      to: input.to,
      byVenue: venue.rows.map(row),
      byRule: rule.rows.map(row),
      bySymbol: symbol.rows.map((r) => ({ ...row(r), venue: r.venue! })),
      byClient: client.rows.map((r) => ({ ...row(r), venue: r.venue!, accountId: Number(r.account_id), accountNumber: r.account_number!, clientName: r.client_name! })),
    };
  }

  async lpOrders(input: LpOrdersInput): Promise<LpOrderDto[]> {
    const rows = await this.c.prisma.lpOrder.findMany({ where: input.status ? { status: input.status } : {}, orderBy: { id: 'desc' }, take: input.limit, include: { lp: { select: { name: true } } } });
    return rows.map((r) => ({
      id: r.id.toString(),
      orderId: r.orderId?.toString() ?? null,
      lp: r.lp.name,
      kind: r.kind,
      clOrdId: r.clOrdId,
      symbol: r.symbol,
      side: r.side,
      volume: dec(r.volume),
      status: r.status,
      filledVolume: dec(r.filledVolume),
      avgPrice: decOrNull(r.avgPrice),
      lpOrderId: r.lpOrderId,
      rejectReason: r.rejectReason,
      sentAt: r.sentAt,
      answeredAt: r.answeredAt,
      quoteBid: decOrNull(r.quoteBid),
      quoteAsk: decOrNull(r.quoteAsk),
    }));
  }

  async coverage(): Promise<CoverageDto[]> {
    const rows = await this.c.prisma.coveragePosition.findMany({ orderBy: [{ lpId: 'asc' }, { symbol: 'asc' }], include: { lp: { select: { name: true } } } });
    return rows.map((r) => ({ lp: r.lp.name, symbol: r.symbol, netVolume: dec(r.netVolume), avgPrice: dec(r.avgPrice), realizedPnl: dec(r.realizedPnl), updatedAt: r.updatedAt }));
  }

  async clientFlow(input: ClientFlowInput): Promise<ClientFlowDto> {
    await this.c.requireAccount(input.accountId);
    const flow = await this.c.flows.of(input.accountId, input.since);
    return { accountId: input.accountId, ...flow, latencyWindowMs: this.c.router.latencyWindowMs };
  }

  async scorecards(input: RoutingReportInput): Promise<LpScorecardDto[]> {
    const rows = await this.c.prisma.lpOrder.findMany({ where: { sentAt: { gte: input.from, lt: input.to } }, include: { lp: { select: { name: true } } } });
    const names = new Map(rows.map((r) => [r.lpId, r.lp.name]));
    const cards = lpScorecards(
      rows.map((r) => ({
        lpId: r.lpId,
        symbol: r.symbol,
        side: r.side,
        volume: dec(r.volume),
        status: r.status,
        filledVolume: dec(r.filledVolume),
        avgPrice: decOrNull(r.avgPrice),
        rejectReason: r.rejectReason,
        sentAt: r.sentAt.getTime(),
        answeredAt: r.answeredAt?.getTime() ?? null,
        quoteBid: decOrNull(r.quoteBid),
        quoteAsk: decOrNull(r.quoteAsk),
      })),
      (s) => this.c.symbolSpec(s)?.pipSize,
    );
    return cards.map(({ lpId, ...card }) => ({ lp: names.get(lpId) ?? String(lpId), ...card }));
  }
}
