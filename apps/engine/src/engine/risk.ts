// The risk area: risk settings (global and per account), the dealer's manual quote, and the swap rollover run
// by hand (the daily run is rollover-scheduler.ts).
import type { Decimal } from 'decimal.js';
import {
  EngineError,
  type AuthUser,
  type PushQuoteInput,
  type QuoteDto,
  type RequestMeta,
  type RiskApi,
  type RiskSettingsDto,
  type RiskSettingsInput,
  type RolloverInput,
  type RolloverResultDto,
} from '@broker/api';
import { dec } from '../books/mapping.ts';
import { lastDueTradingDay } from '../domain/rollover.ts';
import type { EngineCore } from './core.ts';
import type { RolloverScheduler } from './rollover-scheduler.ts';
import { quoteDto } from './market.ts';

export class RiskArea implements RiskApi {
  constructor(
    private readonly c: EngineCore,
    private readonly rollovers: RolloverScheduler,
  ) {}

  /**
   * A dealer's manual quote (issue 12: EURUSD 3000 against a market of 1.085 was accepted, held ~20 s and
   * stopped out five accounts). Its mid may be at most the symbol's maxDeviation (the spike threshold, 5%
   * seeded) from the live feed's mid (the other LPs; with none, the current platform quote); further is
   * QUOTE_TOO_FAR unless `confirm`. Every pushed quote, refused or not, is audited (risk.push_quote).
   */
  async pushQuote(actor: AuthUser, input: PushQuoteInput, meta: RequestMeta = {}): Promise<QuoteDto> {
    if (input.ask.lt(input.bid)) throw new EngineError('VALIDATION_ERROR', 'ask must be at or above bid');
    const info = this.c.symbolTable.get(input.symbol);
    if (!info) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const feed = this.c.aggregator.feedQuote(input.symbol);
    const current = this.c.quoteStore.get(input.symbol);
    const reference = feed ?? current ?? null;
    const mid = input.bid.plus(input.ask).div(2);
    const refMid = reference ? reference.bid.plus(reference.ask).div(2) : null;
    const deviation = refMid && refMid.gt(0) ? mid.minus(refMid).abs().div(refMid) : null;
    const bound = info.spec.maxDeviation;
    const tooFar = deviation !== null && deviation.gt(bound);
    const details = {
      symbol: input.symbol,
      bid: input.bid.toString(),
      ask: input.ask.toString(),
      reference: reference ? { bid: reference.bid.toString(), ask: reference.ask.toString(), lp: reference.lp, from: feed ? 'feed' : 'platform quote' } : null,
      deviation: deviation?.toDecimalPlaces(6).toString() ?? null,
      bound: bound.toString(),
      confirmed: input.confirm,
    };
    const audit = (outcome: string) =>
      this.c.prisma.auditLog.create({
        data: { actorId: actor.id, actorRole: actor.role, action: 'risk.push_quote', entityType: 'symbol', entityId: input.symbol, details: { ...details, outcome, userAgent: meta.userAgent ?? null }, ip: meta.ip ?? null },
      });
    if (tooFar && !input.confirm) {
      await audit('refused: too far');
      throw new EngineError('QUOTE_TOO_FAR', `The quote is ${deviation!.times(100).toDecimalPlaces(2).toString()}% from the live price (bound ${bound.times(100).toString()}%): push it again with confirm to override`, details);
    }
    const now = this.c.clock();
    const before = this.c.flow.quotesIn;
    this.c.manual.push(input.symbol, input.bid, input.ask, now);
    const q = this.c.quoteStore.get(input.symbol);
    if (!q || q.time !== now || this.c.flow.quotesIn === before) {
      await audit('refused: invalid prices');
      throw new EngineError('VALIDATION_ERROR', 'The quote was refused by validation (invalid prices)');
    }
    await audit(tooFar ? 'pushed (confirmed beyond the bound)' : 'pushed');
    this.c.log.info('manual quote', { symbol: input.symbol, bid: input.bid.toString(), ask: input.ask.toString(), by: actor.id, deviation: details.deviation, confirmed: input.confirm });
    return quoteDto(q, this.c.symbolTable.get(q.symbol)?.spec.digits);
  }

  async rollover(actor: AuthUser, input: RolloverInput, meta: RequestMeta = {}): Promise<RolloverResultDto> {
    // Before 22:00 UTC today's rollover has not happened yet: the default is the last day whose moment has.
    const tradingDay = input.tradingDay ?? lastDueTradingDay(this.c.clock());
    const res = await this.c.desk.rollover(tradingDay, actor.id);
    await this.rollovers.audit(res, actor, meta);
    return res;
  }

  async riskSettings(accountId: number | null): Promise<RiskSettingsDto> {
    const row = await this.c.prisma.riskSettings.findFirst({ where: { accountId } });
    return this.riskDto(accountId, row);
  }

  private riskDto(accountId: number | null, row: Awaited<ReturnType<typeof this.c.prisma.riskSettings.findFirst>>): RiskSettingsDto {
    const d = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : dec(v));
    return {
      accountId,
      marginCallLevel: d(row?.marginCallLevel),
      stopOutLevel: d(row?.stopOutLevel),
      maxLeverage: row?.maxLeverage ?? null,
      maxPositionSize: d(row?.maxPositionSize),
      maxDailyVolume: d(row?.maxDailyVolume),
      maxOpenPositions: row?.maxOpenPositions ?? null,
      maxSymbolExposure: d(row?.maxSymbolExposure),
      negativeBalanceProtection: row?.negativeBalanceProtection ?? null,
    };
  }

  async updateRiskSettings(actor: AuthUser, input: RiskSettingsInput, meta: RequestMeta = {}): Promise<RiskSettingsDto> {
    if (input.accountId !== null && !(await this.c.book.get(input.accountId))) throw new EngineError('ACCOUNT_NOT_FOUND');
    const s = (v: Decimal | null | undefined) => (v === undefined ? undefined : v === null ? null : v.toString());
    const data = {
      marginCallLevel: s(input.marginCallLevel),
      stopOutLevel: s(input.stopOutLevel),
      maxLeverage: input.maxLeverage,
      maxPositionSize: s(input.maxPositionSize),
      maxDailyVolume: s(input.maxDailyVolume),
      maxOpenPositions: input.maxOpenPositions,
      maxSymbolExposure: s(input.maxSymbolExposure),
      negativeBalanceProtection: input.negativeBalanceProtection,
    };
    const existing = await this.c.prisma.riskSettings.findFirst({ where: { accountId: input.accountId } });
    const row = await this.c.prisma.$transaction(async (tx) => {
      const saved = existing
        ? await tx.riskSettings.update({ where: { id: existing.id }, data })
        : await tx.riskSettings.create({ data: { accountId: input.accountId, ...data } });
      // §9.3: before and after, as the DTO shows them (null = not set).
      const dto = (r: typeof existing) => JSON.parse(JSON.stringify(this.riskDto(input.accountId, r))) as object;
      const details = JSON.parse(JSON.stringify({ before: existing ? dto(existing) : null, after: dto(saved), changed: data, userAgent: meta.userAgent ?? null }));
      await tx.auditLog.create({
        data: { actorId: actor.id, actorRole: actor.role, action: 'risk.settings', entityType: input.accountId === null ? 'global' : 'account', entityId: String(input.accountId ?? 'global'), details, ip: meta.ip ?? null },
      });
      return saved;
    });
    await this.c.reloadRisk();
    return this.riskDto(input.accountId, row);
  }
}
