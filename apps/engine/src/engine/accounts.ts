// The accounts area: an account's live figures, positions, pending orders, trades and ledger, and the back
// office's account list with live balances.
import {
  type AccountsApi,
  type AccountSummaryDto,
  type AdminAccountRow,
  type AdminAccountsInput,
  type LedgerDto,
  type OrderDto,
  type PageInput,
  type PositionDto,
  type TradeDto,
} from '@broker/api';
import { ledgerDto, pendingDto, tradeDto } from '../books/mapping.ts';
import { effectiveLeverage } from '../domain/index.ts';
import type { EngineCore } from './core.ts';

export class AccountsArea implements AccountsApi {
  constructor(private readonly c: EngineCore) {}

  async accountSummary(accountId: number): Promise<AccountSummaryDto> {
    const a = await this.c.requireAccount(accountId);
    const row = await this.c.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { accountNumber: true } });
    const f = this.c.figures(a);
    return {
      accountId,
      accountNumber: row.accountNumber,
      currency: a.currency,
      // The leverage margin is computed with: the account's, capped by maxLeverage.
      leverage: effectiveLeverage(a.leverage, this.c.riskFor(accountId).maxLeverage),
      marginMode: a.marginMode,
      status: a.status,
      balance: f.balance,
      equity: f.equity,
      margin: f.margin,
      freeMargin: f.freeMargin,
      marginLevel: f.marginLevel,
      unrealizedPnl: f.unrealizedPnl,
      swap: f.swap,
      marginCall: f.marginLevel !== null && f.marginLevel.lte(this.c.riskFor(accountId).marginCallLevel),
      openPositions: this.c.book.openPositions(accountId).length,
    };
  }

  async positions(accountId: number): Promise<PositionDto[]> {
    const a = await this.c.requireAccount(accountId);
    return this.c.book.openPositions(accountId).map((p) => this.c.positionDtoOf(p, a.currency));
  }

  async orders(accountId: number): Promise<OrderDto[]> {
    await this.c.requireAccount(accountId);
    return this.c.book
      .pendingOrders(accountId)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .map(pendingDto);
  }

  async trades(input: PageInput): Promise<TradeDto[]> {
    await this.c.requireAccount(input.accountId);
    const rows = await this.c.prisma.trade.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
      include: { order: { select: { comment: true, closesPositionId: true, type: true } } },
    });
    return rows.map(tradeDto);
  }

  async ledger(input: PageInput): Promise<LedgerDto[]> {
    await this.c.requireAccount(input.accountId);
    const rows = await this.c.prisma.ledgerEntry.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
    });
    return rows.map(ledgerDto);
  }

  async adminAccounts(input: AdminAccountsInput): Promise<{ rows: AdminAccountRow[]; total: number }> {
    const search = input.search?.trim();
    const where = {
      ...(input.type ? { type: input.type } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(search
        ? {
            OR: [
              { accountNumber: { contains: search, mode: 'insensitive' as const } },
              { user: { email: { contains: search, mode: 'insensitive' as const } } },
              { user: { username: { contains: search, mode: 'insensitive' as const } } },
              { user: { name: { contains: search, mode: 'insensitive' as const } } },
            ],
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.c.prisma.account.findMany({ where, include: { user: true }, orderBy: { id: 'asc' }, skip: input.offset, take: input.limit }),
      this.c.prisma.account.count({ where }),
    ]);
    const out: AdminAccountRow[] = [];
    for (const r of rows) {
      const state = (await this.c.book.get(r.id))!;
      const f = this.c.figures(state);
      out.push({
        id: r.id,
        accountNumber: r.accountNumber,
        type: r.type,
        currency: r.currency,
        leverage: r.leverage,
        marginMode: r.marginMode,
        status: r.status,
        userId: r.userId,
        username: r.user.username,
        email: r.user.email,
        name: r.user.name,
        balance: f.balance,
        equity: f.equity,
        margin: f.margin,
        freeMargin: f.freeMargin,
        marginLevel: f.marginLevel,
        openPositions: this.c.book.openPositions(r.id).length,
        createdAt: r.createdAt,
      });
    }
    return { rows: out, total };
  }
}
