// Writes a deal (order, positions, trades, ledger rows, balance) in one transaction: it happens completely
// or not at all (architecture.md, How an order flows).
import type { Decimal } from 'decimal.js';
import type { Prisma, PrismaClient } from '@broker/db';
import type { AccountState, CloseLeg, DealPlan, LedgerPlan, OpenLeg, PositionState, Side } from '../domain/index.ts';

type Tx = Prisma.TransactionClient;

export type CloseReasonCode = 'MANUAL' | 'PARTIAL' | 'SL_HIT' | 'TP_HIT' | 'STOP_OUT' | 'CLOSE_ALL' | 'NETTING' | 'ADMIN';

export interface StoredDeal {
  orderId: bigint;
  /** The position opened or added to, with its stored id. */
  position: PositionState | null;
  /** Positions reduced or closed: id → what is left (null when closed). */
  closed: Map<bigint, PositionState | null>;
  balance: Decimal;
}

/** Thrown inside a transaction when the stored balance is not what the single writer expected. */
export class BalanceConflict extends Error {
  constructor(accountId: number) {
    super(`balance of account ${accountId} changed underneath the writer`);
  }
}

async function setBalance(tx: Tx, account: AccountState, balanceAfter: Decimal) {
  if (balanceAfter.eq(account.balance)) return;
  const res = await tx.account.updateMany({
    where: { id: account.id, balance: account.balance.toString() },
    data: { balance: balanceAfter.toString() },
  });
  if (res.count !== 1) throw new BalanceConflict(account.id);
}

async function writeLedger(tx: Tx, accountId: number, rows: LedgerPlan[], tradeIds: Map<string, bigint>) {
  if (!rows.length) return;
  await tx.ledgerEntry.createMany({
    data: rows.map((r) => ({
      accountId,
      type: r.type,
      amount: r.amount.toString(),
      balanceBefore: r.balanceBefore.toString(),
      balanceAfter: r.balanceAfter.toString(),
      referenceType: 'TRADE',
      referenceId: tradeIds.get(r.ref) ?? null,
    })),
  });
}

async function writeClose(tx: Tx, orderId: bigint, account: AccountState, symbol: string, orderSide: Side, leg: CloseLeg, now: Date, reason: CloseReasonCode) {
  if (leg.remaining) {
    await tx.position.update({
      where: { id: leg.positionId },
      data: {
        volume: leg.remaining.volume.toString(),
        margin: leg.remaining.margin.toString(),
        swap: leg.remaining.swap.toString(),
        realizedPnl: { increment: leg.realizedPnl.plus(leg.swap).toString() },
      },
    });
  } else {
    await tx.position.update({
      where: { id: leg.positionId },
      data: {
        status: 'CLOSED',
        closeTime: now,
        closePrice: leg.closePrice.toString(),
        currentPrice: leg.closePrice.toString(),
        closeReason: reason,
        swap: '0',
        unrealizedPnl: '0',
        realizedPnl: { increment: leg.realizedPnl.plus(leg.swap).toString() },
      },
    });
  }
  const trade = await tx.trade.create({
    data: {
      orderId,
      positionId: leg.positionId,
      accountId: account.id,
      symbol,
      side: orderSide,
      entry: 'CLOSE',
      volume: leg.volume.toString(),
      price: leg.closePrice.toString(),
      realizedPnl: leg.realizedPnl.toString(),
      swap: leg.swap.toString(),
      executedAt: now,
    },
    select: { id: true },
  });
  return trade.id;
}

async function writeOpen(tx: Tx, orderId: bigint, account: AccountState, symbol: string, leg: OpenLeg, now: Date): Promise<{ position: PositionState; tradeId: bigint }> {
  let position: PositionState;
  if (leg.mergeInto) {
    const m = leg.mergeInto;
    await tx.position.update({
      where: { id: m.id },
      data: {
        volume: m.volume.toString(),
        openPrice: m.openPrice.toString(),
        margin: m.margin.toString(),
        commission: m.commission.toString(),
        sl: m.sl?.toString() ?? null,
        tp: m.tp?.toString() ?? null,
      },
    });
    position = m;
  } else {
    const row = await tx.position.create({
      data: {
        accountId: account.id,
        symbol,
        side: leg.side,
        volume: leg.volume.toString(),
        openPrice: leg.openPrice.toString(),
        currentPrice: leg.openPrice.toString(),
        openTime: now,
        sl: leg.sl?.toString() ?? null,
        tp: leg.tp?.toString() ?? null,
        margin: leg.margin.toString(),
        commission: leg.commission.toString(),
        venue: 'BBOOK',
      },
      select: { id: true },
    });
    position = {
      id: row.id,
      accountId: account.id,
      symbol,
      side: leg.side,
      volume: leg.volume,
      openPrice: leg.openPrice,
      margin: leg.margin,
      swap: leg.commission.minus(leg.commission),
      commission: leg.commission,
      sl: leg.sl,
      tp: leg.tp,
      openTime: now.getTime(),
    };
  }
  const trade = await tx.trade.create({
    data: {
      orderId,
      positionId: position.id,
      accountId: account.id,
      symbol,
      side: leg.side,
      entry: 'OPEN',
      volume: leg.volume.toString(),
      price: leg.openPrice.toString(),
      commission: leg.commission.toString(),
      executedAt: now,
    },
    select: { id: true },
  });
  await tx.order.update({ where: { id: orderId }, data: { positionId: position.id } });
  return { position, tradeId: trade.id };
}

export class DealStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** A filled market order. */
  async writeMarketDeal(
    account: AccountState,
    plan: DealPlan,
    meta: { now: Date; idempotencyKey?: string; sl?: Decimal | null; tp?: Decimal | null },
  ): Promise<StoredDeal> {
    return this.prisma.$transaction(async (tx) => {
      const order = await tx.order.create({
        data: {
          accountId: account.id,
          symbol: plan.symbol,
          type: 'MARKET',
          side: plan.side,
          volume: plan.volume.toString(),
          filledVolume: plan.volume.toString(),
          sl: meta.sl?.toString() ?? null,
          tp: meta.tp?.toString() ?? null,
          status: 'FILLED',
          filledPrice: plan.price.toString(),
          filledAt: meta.now,
          idempotencyKey: meta.idempotencyKey ?? null,
          venue: 'BBOOK',
          createdAt: meta.now,
        },
        select: { id: true },
      });
      const tradeIds = new Map<string, bigint>();
      const closed = new Map<bigint, PositionState | null>();
      for (const [i, leg] of plan.closes.entries()) {
        tradeIds.set(`close:${i}`, await writeClose(tx, order.id, account, plan.symbol, plan.side, leg, meta.now, 'NETTING'));
        closed.set(leg.positionId, leg.remaining);
      }
      let position: PositionState | null = null;
      if (plan.open) {
        const opened = await writeOpen(tx, order.id, account, plan.symbol, plan.open, meta.now);
        position = opened.position;
        tradeIds.set('open', opened.tradeId);
      } else if (plan.closes[0]) {
        await tx.order.update({ where: { id: order.id }, data: { closesPositionId: plan.closes[0].positionId } });
      }
      await writeLedger(tx, account.id, plan.ledger, tradeIds);
      await setBalance(tx, account, plan.balanceAfter);
      return { orderId: order.id, position, closed, balance: plan.balanceAfter };
    });
  }

  /** Closing (part of) a position: a closing order, its trade, the ledger rows and the balance. */
  async writeClose(
    account: AccountState,
    position: PositionState,
    leg: CloseLeg,
    ledger: LedgerPlan[],
    balanceAfter: Decimal,
    meta: { now: Date; reason: CloseReasonCode },
  ): Promise<{ orderId: bigint; balance: Decimal }> {
    const side: Side = position.side === 'BUY' ? 'SELL' : 'BUY';
    return this.prisma.$transaction(async (tx) => {
      const order = await tx.order.create({
        data: {
          accountId: account.id,
          symbol: position.symbol,
          type: 'MARKET',
          side,
          volume: leg.volume.toString(),
          filledVolume: leg.volume.toString(),
          status: 'FILLED',
          filledPrice: leg.closePrice.toString(),
          filledAt: meta.now,
          closesPositionId: position.id,
          venue: 'BBOOK',
          createdAt: meta.now,
        },
        select: { id: true },
      });
      const tradeId = await writeClose(tx, order.id, account, position.symbol, side, leg, meta.now, meta.reason);
      await writeLedger(tx, account.id, ledger, new Map([['close:0', tradeId]]));
      await setBalance(tx, account, balanceAfter);
      return { orderId: order.id, balance: balanceAfter };
    });
  }

  /** A rejected order is kept for the record (the trader's journal and the dealers' view). */
  async writeRejectedOrder(
    accountId: number,
    req: { symbol: string; side: Side; volume: Decimal; sl?: Decimal | null; tp?: Decimal | null },
    code: string,
    message: string,
    now: Date,
  ): Promise<void> {
    await this.prisma.order.create({
      data: {
        accountId,
        symbol: req.symbol.slice(0, 20),
        type: 'MARKET',
        side: req.side,
        volume: req.volume.toString(),
        sl: req.sl?.toString() ?? null,
        tp: req.tp?.toString() ?? null,
        status: 'REJECTED',
        rejectCode: code,
        rejectReason: message.slice(0, 255),
        createdAt: now,
      },
    });
  }

  /** A deposit (or any staff money movement): ledger row, balance and audit entry together. */
  async writeBalanceOperation(
    account: AccountState,
    op: { type: 'DEPOSIT' | 'WITHDRAWAL' | 'ADJUSTMENT' | 'BONUS'; amount: Decimal; method?: string; reference?: string; note?: string; actorId: number; actorRole: string; now: Date },
  ) {
    const balanceAfter = account.balance.plus(op.amount);
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.ledgerEntry.create({
        data: {
          accountId: account.id,
          type: op.type,
          amount: op.amount.toString(),
          balanceBefore: account.balance.toString(),
          balanceAfter: balanceAfter.toString(),
          referenceType: op.reference ? 'EXTERNAL' : null,
          method: op.method ?? null,
          note: [op.reference ? `ref ${op.reference}` : null, op.note].filter(Boolean).join(' · ') || null,
          createdById: op.actorId,
          createdAt: op.now,
        },
      });
      await setBalance(tx, account, balanceAfter);
      await tx.auditLog.create({
        data: {
          actorId: op.actorId,
          actorRole: op.actorRole,
          action: `finance.${op.type.toLowerCase()}`,
          entityType: 'account',
          entityId: String(account.id),
          details: { amount: op.amount.toString(), method: op.method ?? null, reference: op.reference ?? null, ledgerId: row.id.toString() },
          createdAt: op.now,
        },
      });
      return { row, balance: balanceAfter };
    });
  }
}
