// The reports area: trades, clients' P&L, commissions and swaps over a period — by UTC day, client, symbol
// and venue — in plain SQL on either database; and the symbols' settings, changed live (the next quote and
// order use them) and audited with before and after.
import { Decimal } from 'decimal.js';
import { sqlOf } from '@broker/db';
import {
  EngineError,
  type AuthUser,
  type ReportDto,
  type ReportInput,
  type ReportsApi,
  type ReportTotals,
  type RequestMeta,
  type SymbolAdminDto,
  type SymbolCreateInput,
  type SymbolSettingsInput,
} from '@broker/api';
import { dec } from '../books/mapping.ts';
import type { EngineCore } from './core.ts';

type Totals = { n: string; lots: string | null; pnl: string | null; commission: string | null; swap: string | null };
const totals = (r: Totals): ReportTotals => ({
  trades: Number(r.n),
  volumeLots: dec(r.lots ?? '0'),
  realizedPnl: dec(r.pnl ?? '0'),
  commissions: dec(r.commission ?? '0'),
  swaps: dec(r.swap ?? '0'),
});
const SUMS = `count(*)::text AS n, sum(t.volume)::text AS lots, sum(coalesce(t.realized_pnl, 0))::text AS pnl, sum(t.commission)::text AS commission, sum(t.swap)::text AS swap`;

type SymbolRow = NonNullable<Awaited<ReturnType<EngineCore['prisma']['symbol']['findUnique']>>>;

function symbolAdminDto(r: SymbolRow): SymbolAdminDto {
  return {
    name: r.name,
    description: r.description,
    category: r.category,
    baseCurrency: r.baseCurrency,
    quoteCurrency: r.quoteCurrency,
    contractSize: dec(r.contractSize),
    digits: r.digits,
    pipSize: dec(r.pipSize),
    minVolume: dec(r.minVolume),
    maxVolume: dec(r.maxVolume),
    volumeStep: dec(r.volumeStep),
    marginPercent: dec(r.marginPercent),
    markupPips: dec(r.markupPips),
    commissionPerLot: dec(r.commissionPerLot),
    swapLong: dec(r.swapLong),
    swapShort: dec(r.swapShort),
    tripleSwapDay: r.tripleSwapDay,
    maxDeviation: dec(r.maxDeviation),
    staleAfterMs: r.staleAfterMs,
    tradingHours: Array.isArray(r.tradingHours) ? (r.tradingHours as SymbolAdminDto['tradingHours']) : [],
    enabled: r.enabled,
    updatedAt: r.updatedAt,
  };
}

/** A settings input as the columns Prisma writes (Decimals as strings). */
function settingsData(input: SymbolSettingsInput) {
  const s = (v: Decimal | undefined) => (v === undefined ? undefined : v.toString());
  return {
    description: input.description,
    enabled: input.enabled,
    markupPips: s(input.markupPips),
    commissionPerLot: s(input.commissionPerLot),
    minVolume: s(input.minVolume),
    maxVolume: s(input.maxVolume),
    volumeStep: s(input.volumeStep),
    marginPercent: s(input.marginPercent),
    swapLong: s(input.swapLong),
    swapShort: s(input.swapShort),
    tripleSwapDay: input.tripleSwapDay,
    maxDeviation: s(input.maxDeviation),
    staleAfterMs: input.staleAfterMs,
    tradingHours: input.tradingHours,
  };
}

export class ReportsArea implements ReportsApi {
  constructor(private readonly c: EngineCore) {}

  async report(input: ReportInput): Promise<ReportDto> {
    const sql = sqlOf(this.c.opts.db);
    const params: unknown[] = [input.from, input.to];
    let where = 't.executed_at >= $1 AND t.executed_at < $2';
    if (input.symbol) {
      params.push(input.symbol);
      where += ` AND t.symbol = $${params.length}`;
    }
    if (input.accountId) {
      params.push(input.accountId);
      where += ` AND t.account_id = $${params.length}`;
    }
    const [all, byDay, byClient, bySymbol, byVenue] = await Promise.all([
      sql.query<Totals>(`SELECT ${SUMS} FROM trades t WHERE ${where}`, params),
      sql.query<Totals & { day: string }>(`SELECT to_char(date_trunc('day', t.executed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, ${SUMS} FROM trades t WHERE ${where} GROUP BY 1 ORDER BY 1`, params),
      sql.query<Totals & { account_id: number; account_number: string; client_name: string }>(
        `SELECT t.account_id, a.account_number, u.name AS client_name, ${SUMS} FROM trades t JOIN accounts a ON a.id = t.account_id JOIN users u ON u.id = a.user_id WHERE ${where} GROUP BY t.account_id, a.account_number, u.name ORDER BY sum(coalesce(t.realized_pnl, 0)) DESC`,
        params,
      ),
      sql.query<Totals & { symbol: string }>(`SELECT t.symbol, ${SUMS} FROM trades t WHERE ${where} GROUP BY t.symbol ORDER BY t.symbol`, params),
      sql.query<{ venue: string; n: string; lots: string | null }>(`SELECT t.execution_venue::text AS venue, count(*)::text AS n, sum(t.volume)::text AS lots FROM trades t WHERE ${where} GROUP BY 1 ORDER BY 1`, params),
    ]);
    return {
      from: input.from,
      to: input.to,
      totals: totals(all.rows[0]!),
      byDay: byDay.rows.map((r) => ({ day: r.day, ...totals(r) })),
      byClient: byClient.rows.map((r) => ({ accountId: Number(r.account_id), accountNumber: r.account_number, clientName: r.client_name, ...totals(r) })),
      bySymbol: bySymbol.rows.map((r) => ({ symbol: r.symbol, ...totals(r) })),
      byVenue: byVenue.rows.map((r) => ({ venue: r.venue, trades: Number(r.n), volumeLots: dec(r.lots ?? '0') })),
    };
  }

  async symbols(): Promise<SymbolAdminDto[]> {
    return (await this.c.prisma.symbol.findMany({ orderBy: { id: 'asc' } })).map(symbolAdminDto);
  }

  private checkVolumes(min: Decimal, max: Decimal, step: Decimal): void {
    if (min.gt(max)) throw new EngineError('VALIDATION_ERROR', 'minVolume: must not be above maxVolume');
    if (!min.mod(step).isZero()) throw new EngineError('VALIDATION_ERROR', 'minVolume: must be a multiple of volumeStep');
  }

  async updateSymbol(actor: AuthUser, input: SymbolSettingsInput, meta: RequestMeta = {}): Promise<SymbolAdminDto> {
    const c = this.c;
    const before = await c.prisma.symbol.findUnique({ where: { name: input.name } });
    if (!before) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.name}`);
    const data = settingsData(input);
    this.checkVolumes(new Decimal(data.minVolume ?? before.minVolume.toString()), new Decimal(data.maxVolume ?? before.maxVolume.toString()), new Decimal(data.volumeStep ?? before.volumeStep.toString()));
    const after = await c.prisma.$transaction(async (tx) => {
      const row = await tx.symbol.update({ where: { name: input.name }, data });
      const b = symbolAdminDto(before);
      const a = symbolAdminDto(row);
      const changed = Object.keys(data).filter((k) => (data as Record<string, unknown>)[k] !== undefined && JSON.stringify(b[k as keyof SymbolAdminDto]) !== JSON.stringify(a[k as keyof SymbolAdminDto]));
      const pick = (d: SymbolAdminDto) => Object.fromEntries(changed.map((k) => [k, d[k as keyof SymbolAdminDto]]));
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          actorRole: actor.role,
          action: 'symbol.update',
          entityType: 'symbol',
          entityId: input.name,
          details: JSON.parse(JSON.stringify({ before: pick(b), after: pick(a), userAgent: meta.userAgent ?? null })),
          ip: meta.ip ?? null,
        },
      });
      return row;
    });
    await c.reloadSymbols();
    c.log.info('symbol settings changed', { symbol: input.name, by: actor.id });
    return symbolAdminDto(after);
  }

  async createSymbol(actor: AuthUser, input: SymbolCreateInput, meta: RequestMeta = {}): Promise<SymbolAdminDto> {
    const c = this.c;
    if (await c.prisma.symbol.findUnique({ where: { name: input.name } })) throw new EngineError('VALIDATION_ERROR', `name: ${input.name} exists`);
    this.checkVolumes(input.minVolume, input.maxVolume, input.volumeStep);
    if (!input.pipSize.gte(new Decimal(10).pow(-input.digits))) throw new EngineError('VALIDATION_ERROR', 'pipSize: smaller than one point of the given digits');
    const row = await c.prisma.$transaction(async (tx) => {
      const created = await tx.symbol.create({
        data: {
          ...settingsData(input),
          name: input.name,
          category: input.category,
          baseCurrency: input.baseCurrency,
          quoteCurrency: input.quoteCurrency,
          contractSize: input.contractSize.toString(),
          digits: input.digits,
          pipSize: input.pipSize.toString(),
          minVolume: input.minVolume.toString(),
          maxVolume: input.maxVolume.toString(),
          volumeStep: input.volumeStep.toString(),
          marginPercent: input.marginPercent.toString(),
        },
      });
      await tx.auditLog.create({
        data: { actorId: actor.id, actorRole: actor.role, action: 'symbol.create', entityType: 'symbol', entityId: input.name, details: JSON.parse(JSON.stringify({ after: symbolAdminDto(created), userAgent: meta.userAgent ?? null })), ip: meta.ip ?? null },
      });
      return created;
    });
    await c.reloadSymbols();
    return symbolAdminDto(row);
  }
}
