// The accounts area: an account's live figures, positions, pending orders, trades and ledger, and the back
// office's account list with live balances.
import { randomBytes } from 'node:crypto';
import {
  EngineError,
  type AuthUser,
  type CreateAccountInput,
  type CreatedAccountDto,
  type RequestMeta,
  type StaffLedgerDto,
  type StaffLedgerInput,
  type UpdateAccountInput,
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
import { staffLedgerDto, type FinanceArea } from './finance.ts';
import { effectiveLeverage } from '../domain/index.ts';
import type { EngineCore } from './core.ts';
import { hashOnPool, hashPassword } from './auth.ts';

export class AccountsArea implements AccountsApi {
  constructor(
    private readonly c: EngineCore,
    private readonly finance: FinanceArea,
  ) {}

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
      credit: f.credit,
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
    for (const r of rows) out.push(await this.row(r));
    return { rows: out, total };
  }

  private async row(r: {
    id: number;
    accountNumber: string;
    type: AdminAccountRow['type'];
    currency: string;
    leverage: number;
    marginMode: AdminAccountRow['marginMode'];
    status: AdminAccountRow['status'];
    userId: number;
    createdAt: Date;
    user: { username: string; email: string; name: string };
  }): Promise<AdminAccountRow> {
    const state = (await this.c.book.get(r.id))!;
    const f = this.c.figures(state);
    return {
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
      credit: f.credit,
      equity: f.equity,
      margin: f.margin,
      freeMargin: f.freeMargin,
      marginLevel: f.marginLevel,
      openPositions: this.c.book.openPositions(r.id).length,
      createdAt: r.createdAt,
    };
  }

  async adminAccount(accountId: number): Promise<AdminAccountRow> {
    const r = await this.c.prisma.account.findUnique({ where: { id: accountId }, include: { user: true } });
    if (!r) throw new EngineError('ACCOUNT_NOT_FOUND');
    return this.row(r);
  }

  async staffLedger(input: StaffLedgerInput): Promise<StaffLedgerDto[]> {
    await this.c.requireAccount(input.accountId);
    const rows = await this.c.prisma.ledgerEntry.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
    });
    const ids = rows.map((r) => r.id);
    const reversals = ids.length
      ? await this.c.prisma.ledgerEntry.findMany({ where: { reversalOfId: { in: ids } }, select: { id: true, reversalOfId: true } })
      : [];
    const reversedBy = new Map(reversals.map((r) => [r.reversalOfId!, r.id]));
    return rows.map((r) => staffLedgerDto(r, reversedBy.get(r.id) ?? null));
  }

  /**
   * A client account: a new CLIENT user with a generated password (returned once, stored only as a hash), or a
   * further account of an existing client's; an initial deposit through the finance area's rules.
   */
  async createAccount(actor: AuthUser, input: CreateAccountInput, meta: RequestMeta = {}): Promise<CreatedAccountDto> {
    const c = this.c;
    const existing = await c.prisma.user.findUnique({ where: { email: input.email } });
    if (existing && existing.role !== 'CLIENT') throw new EngineError('VALIDATION_ERROR', 'This email belongs to a staff user');
    let password: string | null = null;
    let passwordHash: string | null = null;
    if (!existing && input.password !== undefined) {
      // A password the admin chose: the password policy applies (auth.ts hashPassword); it is not echoed back.
      passwordHash = await hashPassword(input.password, { email: input.email, username: input.email }, 'password');
    } else if (!existing) {
      password = randomBytes(12).toString('base64url');
      passwordHash = await hashOnPool(password);
    }
    let created: { id: number } | null = null;
    for (let attempt = 0; attempt < 5 && !created; attempt++) {
      const last = await c.prisma.account.findFirst({ where: { accountNumber: { startsWith: 'RTX-' } }, orderBy: { accountNumber: 'desc' }, select: { accountNumber: true } });
      const next = (Number(last?.accountNumber.slice(4)) || 0) + 1 + attempt;
      const accountNumber = `RTX-${String(next).padStart(6, '0')}`;
      try {
        created = await c.prisma.$transaction(async (tx) => {
          const user =
            existing ??
            (await tx.user.create({
              data: { email: input.email, username: input.email, name: input.name, passwordHash: passwordHash!, role: 'CLIENT' },
            }));
          const account = await tx.account.create({
            data: { accountNumber, userId: user.id, type: input.type, currency: input.currency, leverage: input.leverage, marginMode: input.marginMode },
          });
          await tx.auditLog.create({
            data: {
              actorId: actor.id,
              actorRole: actor.role,
              action: 'account.create',
              entityType: 'account',
              entityId: String(account.id),
              details: {
                after: { accountNumber, email: input.email, type: input.type, currency: input.currency, leverage: input.leverage, marginMode: input.marginMode },
                newUser: !existing,
                userAgent: meta.userAgent ?? null,
              },
              ip: meta.ip ?? null,
            },
          });
          return account;
        });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'P2002' && code !== '23505') throw err;
      }
    }
    if (!created) throw new EngineError('INTERNAL_ERROR', 'Could not allocate an account number');
    let deposit = null;
    if (input.initialDeposit) {
      // The finance area's limit and ledger rules apply to the first deposit too.
      deposit = await this.finance.deposit(
        actor,
        { accountId: created.id, amount: input.initialDeposit, method: input.depositMethod, note: 'Initial deposit' },
        meta,
      );
    }
    c.log.info('account created', { accountId: created.id, by: actor.id });
    return { account: await this.adminAccount(created.id), password, deposit };
  }

  async updateAccount(actor: AuthUser, input: UpdateAccountInput, meta: RequestMeta = {}): Promise<AdminAccountRow> {
    const c = this.c;
    // On the account's queue: no order of the account runs while its terms change, and the book reloads after.
    return c.queue.submit(input.accountId, async () => {
      const before = await c.prisma.account.findUnique({ where: { id: input.accountId } });
      if (!before) throw new EngineError('ACCOUNT_NOT_FOUND');
      const busy = c.book.openPositions(input.accountId).length > 0 || c.book.pendingOrders(input.accountId).length > 0;
      if (busy && input.marginMode !== undefined && input.marginMode !== before.marginMode)
        throw new EngineError('ACCOUNT_HAS_EXPOSURE', 'Close its positions and orders before changing the margin mode');
      if (busy && input.status === 'CLOSED') throw new EngineError('ACCOUNT_HAS_EXPOSURE', 'Close its positions and orders before closing the account');
      const data = {
        ...(input.leverage !== undefined ? { leverage: input.leverage } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.marginMode !== undefined ? { marginMode: input.marginMode } : {}),
      };
      const pick = (r: typeof before) => ({ leverage: r.leverage, status: r.status, marginMode: r.marginMode });
      await c.prisma.$transaction(async (tx) => {
        const after = await tx.account.update({ where: { id: input.accountId }, data });
        await tx.auditLog.create({
          data: {
            actorId: actor.id,
            actorRole: actor.role,
            action: 'account.update',
            entityType: 'account',
            entityId: String(input.accountId),
            details: { before: pick(before), after: pick(after), reason: input.reason, userAgent: meta.userAgent ?? null },
            ip: meta.ip ?? null,
          },
        });
      });
      await c.desk.reload(input.accountId);
      c.flow.publishAccount(input.accountId);
      return this.adminAccount(input.accountId);
    });
  }
}
