// The trading area: a trader's orders and positions — market and pending orders, modifications,
// cancellations, closes — and the ticket's margin preview and lot calculator. Every command goes to the desk
// (books/desk.ts), which validates, fills and books it on the account's command queue.
import { performance } from 'node:perf_hooks';
import { Decimal } from 'decimal.js';
import {
  EngineError,
  type AuthUser,
  type CalculateLotDto,
  type CalculateLotInput,
  type CancelOrderInput,
  type CloseAllInput,
  type CloseAllResultDto,
  type CloseResultDto,
  type ClosePositionInput,
  type MarginPreviewDto,
  type MarginPreviewInput,
  type MarketOrderInput,
  type ModifyOrderInput,
  type ModifyPositionInput,
  type OrderDto,
  type OrderResultDto,
  type PendingOrderRequest,
  type PendingOrderResultDto,
  type PositionDto,
  type RequestMeta,
  type TradingApi,
} from '@broker/api';
import { auditRow, type AuditActor } from '../books/audit-rows.ts';
import { orderDto, pendingDto } from '../books/mapping.ts';
import {
  accountFigures,
  conversionRate,
  effectiveLeverage,
  notional,
  openingPrice,
  planMarketOrder,
  positionMargin,
  positionsAfter,
  roundMoney,
  type CloseLeg,
} from '../domain/index.ts';
import type { EngineCore } from './core.ts';

/** The audit rows' actor (design.md §9.3): the signed-in user, the request's address and user agent. */
function actorOf(actor: AuthUser, meta: RequestMeta | undefined): AuditActor {
  return { actorId: actor.id, actorRole: actor.role, ip: meta?.ip ?? null, userAgent: meta?.userAgent ?? null };
}

export class TradingArea implements TradingApi {
  constructor(private readonly c: EngineCore) {}

  private async timed<T>(type: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let result = 'ok';
    try {
      return await run();
    } catch (err) {
      result = err instanceof EngineError ? 'rejected' : 'error';
      throw err;
    } finally {
      this.c.metrics.orderLatency.observe({ type, result }, (performance.now() - started) / 1000);
    }
  }

  async placeMarketOrder(actor: AuthUser, input: MarketOrderInput, meta?: RequestMeta): Promise<OrderResultDto> {
    return this.timed('MARKET', async () => {
      const req = { symbol: input.symbol, side: input.side, volume: input.volume, sl: input.sl ?? null, tp: input.tp ?? null, trailing: input.trailing ?? null };
      const fill = await this.c.desk.marketOrder(input.accountId, req, { idempotencyKey: input.idempotencyKey, comment: input.comment, by: actorOf(actor, meta) });
      const account = this.c.book.peek(input.accountId)!;
      const now = new Date(this.c.clock());
      const order: OrderDto = {
        id: fill.orderId.toString(),
        accountId: input.accountId,
        symbol: input.symbol,
        type: 'MARKET',
        side: input.side,
        volume: input.volume,
        price: null,
        stopPrice: null,
        sl: input.sl ?? null,
        tp: input.tp ?? null,
        expiresAt: null,
        status: 'FILLED',
        filledPrice: fill.price,
        positionId: fill.position?.id.toString() ?? null,
        rejectCode: null,
        createdAt: now,
      };
      if (fill.replayed) {
        const row = await this.c.prisma.order.findUniqueOrThrow({ where: { id: fill.orderId } });
        return { order: orderDto(row), position: fill.position ? this.c.positionDtoOf(fill.position, account.currency) : null, replayed: true };
      }
      this.c.log.info('order filled', { accountId: input.accountId, orderId: fill.orderId, symbol: input.symbol, side: input.side, volume: input.volume.toString(), price: fill.price.toString(), userId: actor.id });
      return { order, position: fill.position ? this.c.positionDtoOf(fill.position, account.currency) : null, replayed: false };
    });
  }

  async placePendingOrder(
    actor: AuthUser,
    input: PendingOrderRequest,
    meta?: RequestMeta,
  ): Promise<PendingOrderResultDto> {
    return this.timed(input.type, async () => {
      const res = await this.c.desk.placePending(
        input.accountId,
        {
          symbol: input.symbol,
          type: input.type,
          side: input.side,
          volume: input.volume,
          price: input.price,
          stopPrice: input.type === 'STOP_LIMIT' ? input.stopPrice : null,
          sl: input.sl ?? null,
          tp: input.tp ?? null,
          trailing: input.trailing ?? null,
          expiresAt: input.expiresAt ?? null,
        },
        { idempotencyKey: input.idempotencyKey, comment: input.comment, by: actorOf(actor, meta) },
      );
      this.c.log.info('order placed', { accountId: input.accountId, orderId: res.order.id, type: input.type, userId: actor.id });
      return { order: pendingDto(res.order), replayed: res.replayed };
    });
  }

  async modifyOrder(actor: AuthUser, input: ModifyOrderInput, meta?: RequestMeta): Promise<OrderDto> {
    const o = await this.c.desk.modifyPending(
      input.accountId,
      input.orderId,
      { price: input.price, stopPrice: input.stopPrice, sl: input.sl, tp: input.tp, expiresAt: input.expiresAt },
      actorOf(actor, meta),
    );
    return pendingDto(o);
  }

  async cancelOrder(actor: AuthUser, input: CancelOrderInput, meta?: RequestMeta): Promise<OrderDto> {
    const o = await this.c.desk.cancelPending(input.accountId, input.orderId, actorOf(actor, meta));
    return { ...pendingDto(o), status: 'CANCELLED' };
  }

  async closePosition(actor: AuthUser, input: ClosePositionInput, meta?: RequestMeta): Promise<CloseResultDto> {
    return this.timed('CLOSE', async () => {
      const audit = auditRow(actorOf(actor, meta), 'position.close', 'position', input.positionId, { accountId: input.accountId, requestedVolume: input.volume?.toString() ?? null }, new Date(this.c.clock()));
      const res = await this.c.desk.closePosition(input.accountId, input.positionId, input.volume, { audit });
      const account = this.c.book.peek(input.accountId)!;
      this.c.log.info('position closed', { accountId: input.accountId, positionId: input.positionId, volume: res.leg.volume.toString(), pnl: res.leg.realizedPnl.toString(), userId: actor.id });
      return closeResultDto(this.c, res.leg, account.currency);
    });
  }



  async modifyPosition(actor: AuthUser, input: ModifyPositionInput, meta?: RequestMeta): Promise<PositionDto> {
    const p = await this.c.desk.modifyPosition(input.accountId, input.positionId, { sl: input.sl, tp: input.tp, trailing: input.trailing }, actorOf(actor, meta));
    return this.c.positionDtoOf(p, this.c.book.peek(input.accountId)!.currency);
  }

  async closeAll(actor: AuthUser, input: CloseAllInput, meta?: RequestMeta): Promise<CloseAllResultDto> {
    const res = await this.c.desk.closeAll(input.accountId, input.symbol, actorOf(actor, meta));
    const currency = this.c.book.peek(input.accountId)!.currency;
    return {
      closed: res.closed.map((c) => closeResultDto(this.c, c.leg, currency)),
      failed: res.failed.map((f) => ({ positionId: f.positionId.toString(), code: f.code, message: f.message })),
    };
  }

  async marginPreview(input: MarginPreviewInput): Promise<MarginPreviewDto> {
    const account = await this.c.requireAccount(input.accountId);
    const spec = this.c.symbolSpec(input.symbol);
    if (!spec) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const quote = this.c.quoteStore.get(input.symbol);
    if (!quote) throw new EngineError('NO_QUOTE', `No quote for ${input.symbol}`);
    const price = openingPrice(input.side, quote);
    const leverage = effectiveLeverage(account.leverage, this.c.riskFor(account.id).maxLeverage);
    const margin = positionMargin(input.volume, price, spec, { currency: account.currency, leverage }, this.c.quoteStore.lookup);
    const value = notional(input.volume, price, spec, account.currency, this.c.quoteStore.lookup);
    const rate = conversionRate(spec.quoteCurrency, account.currency, this.c.quoteStore.lookup);
    if (!margin || !value || !rate) throw new EngineError('NO_QUOTE', `No quote to convert ${spec.quoteCurrency} into ${account.currency}`);
    const positions = this.c.book.openPositions(account.id);
    // The same arithmetic the order would go through, without its checks.
    const plan = planMarketOrder(
      { ...account, status: 'ACTIVE' },
      positions,
      { symbol: input.symbol, side: input.side, volume: input.volume },
      { symbols: this.c.symbolSpec, quotes: this.c.quoteStore.lookup, risk: { ...this.c.riskFor(account.id), maxOpenPositions: null, maxPositionSize: null, maxDailyVolume: null, maxSymbolExposure: null }, now: this.c.clock() },
    );
    const commission = roundMoney(input.volume.times(spec.commissionPerLot));
    let after = this.c.figures(account);
    if (plan.ok) {
      after = accountFigures({ ...account, balance: plan.balanceAfter }, positionsAfter(positions, plan.closes, plan.open, input.symbol, this.c.clock(), -1n, account.id), this.c.symbolSpec, this.c.quoteStore.lookup);
    } else {
      const used = after.margin.plus(margin);
      const equity = after.equity.minus(commission);
      after = { ...after, margin: used, equity, freeMargin: equity.minus(used), marginLevel: used.isZero() ? null : equity.div(used).times(100) };
    }
    return {
      symbol: input.symbol,
      side: input.side,
      volume: input.volume,
      price,
      notional: value,
      margin,
      commission,
      marginAfter: after.margin,
      freeMarginAfter: after.freeMargin,
      marginLevelAfter: after.marginLevel,
      pipValue: input.volume.times(spec.contractSize).times(spec.pipSize).times(rate),
    };
  }

  async calculateLot(input: CalculateLotInput): Promise<CalculateLotDto> {
    const account = await this.c.requireAccount(input.accountId);
    const spec = this.c.symbolSpec(input.symbol);
    if (!spec) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    const rate = conversionRate(spec.quoteCurrency, account.currency, this.c.quoteStore.lookup);
    if (!rate) throw new EngineError('NO_QUOTE', `No quote to convert ${spec.quoteCurrency} into ${account.currency}`);
    const equity = this.c.figures(account).equity;
    const riskAmount = roundMoney(equity.times(input.riskPercent).div(100));
    const pipValuePerLot = spec.contractSize.times(spec.pipSize).times(rate);
    const raw = riskAmount.div(pipValuePerLot.times(input.slPips));
    let volume = raw.div(spec.volumeStep).floor().times(spec.volumeStep);
    let note: string | null = null;
    if (volume.lt(spec.minVolume)) {
      note = `The risk allows ${raw.toDecimalPlaces(4)} lots, below the minimum ${spec.minVolume}`;
      volume = new Decimal(0);
    } else if (volume.gt(spec.maxVolume)) {
      note = `Capped at the symbol maximum ${spec.maxVolume} lots`;
      volume = spec.maxVolume;
    }
    return { symbol: input.symbol, volume, riskAmount, pipValuePerLot, note };
  }
}

export function closeResultDto(c: EngineCore, leg: CloseLeg, currency: string): CloseResultDto {
  return {
    positionId: leg.positionId.toString(),
    closedVolume: leg.volume,
    closePrice: leg.closePrice,
    realizedPnl: leg.realizedPnl,
    swap: leg.swap,
    remaining: leg.remaining ? c.positionDtoOf(leg.remaining, currency) : null,
  };
}
