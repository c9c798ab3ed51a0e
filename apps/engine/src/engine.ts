// The engine's façade: it implements the API's EngineApi on top of the books, the quote pipeline and the
// database. Every account command runs through the command queue (one writer per account).
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { Decimal } from 'decimal.js';
import type { Redis } from 'ioredis';
import type { Db } from '@broker/db';
import {
  EngineError,
  type AccountBrief,
  type AccountSummaryDto,
  type AdminAccountRow,
  type AdminAccountsInput,
  type AuthUser,
  type CandleDto,
  type CandlesInput,
  type CloseResultDto,
  type ClosePositionInput,
  type DepositInput,
  type EngineApi,
  type HealthDto,
  type LedgerDto,
  type LoginInput,
  type LoginResult,
  type MarketOrderInput,
  type OrderDto,
  type OrderResultDto,
  type PageInput,
  type PositionDto,
  type QuoteDto,
  type Role,
  type SymbolDto,
  type TradeDto,
} from '@broker/api';
import type { AccountUpdateEvent, PositionWire } from '@broker/api/socket';
import { AccountBook } from './books/account-book.ts';
import { InProcessCommandQueue, type CommandQueue } from './books/command-queue.ts';
import { DealStore } from './books/deal-store.ts';
import { dec, ledgerDto, orderDto, positionDto, symbolFromRow, tradeDto } from './books/mapping.ts';
import { TokenService } from './auth/tokens.ts';
import {
  accountFigures,
  closingPrice,
  planClosePosition,
  planMarketOrder,
  positionsAfter,
  unrealizedPnl,
  type AccountState,
  type PositionState,
  type RiskLimits,
  type SymbolSpec,
  type TradingContext,
} from './domain/index.ts';
import { EngineEvents } from './events.ts';
import { createLogger, type Logger } from './logger.ts';
import type { LpAdapter, RawQuote } from './lp/adapter.ts';
import { SimulatedLp } from './lp/simulated.ts';
import { CandleBook } from './marketdata/candles.ts';
import { applyMarkup, validateQuote } from './marketdata/markup.ts';
import { QuoteStore } from './marketdata/quote-store.ts';
import { createMetrics, type Metrics } from './metrics.ts';

export interface EngineOptions {
  db: Db;
  redis?: Redis | null;
  lp: LpAdapter;
  jwtSecret: string;
  clock?: () => number;
  logger?: Logger;
  /** 'always-open' ignores symbols' trading hours (demos and tests on a weekend); default 'enforce'. */
  marketHours?: 'enforce' | 'always-open';
  /** How often changed accounts get an account_update. */
  accountUpdateIntervalMs?: number;
  /** Minutes of made-up 1m history to show on charts when the LP is simulated. */
  historyMinutes?: number;
  queue?: CommandQueue;
}

interface SymbolInfo {
  spec: SymbolSpec;
  description: string;
  category: string;
}

const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.qF7w9s3fX6o8E0v2oC8sX9Tq2oG2';

export class Engine implements EngineApi {
  readonly events = new EngineEvents();
  readonly metrics: Metrics = createMetrics();
  readonly quoteStore: QuoteStore;
  readonly candleBook = new CandleBook();
  readonly book: AccountBook;
  readonly tokens: TokenService;
  private readonly deals: DealStore;
  private readonly queue: CommandQueue;
  private readonly clock: () => number;
  private readonly log: Logger;
  private symbolTable = new Map<string, SymbolInfo>();
  private risk: RiskLimits = { marginCallLevel: new Decimal(100), stopOutLevel: new Decimal(50), maxOpenPositions: null, maxPositionSize: null };
  private readonly dirty = new Set<number>();
  private readonly marginCall = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt: number;
  private quotesIn = 0;
  socketsConnected = 0;

  constructor(private readonly opts: EngineOptions) {
    this.clock = opts.clock ?? Date.now;
    this.log = opts.logger ?? createLogger('engine');
    this.quoteStore = new QuoteStore(opts.redis ?? null, this.log);
    this.book = new AccountBook(opts.db.prisma);
    this.deals = new DealStore(opts.db.prisma);
    this.tokens = new TokenService(opts.jwtSecret);
    this.queue = opts.queue ?? new InProcessCommandQueue();
    this.startedAt = this.clock();
  }

  get prisma() {
    return this.opts.db.prisma;
  }

  async start(): Promise<void> {
    await this.reloadSymbols();
    await this.reloadRisk();
    await this.book.loadAll();
    if (this.opts.lp instanceof SimulatedLp) {
      for (const [symbol, bars] of this.opts.lp.history(this.opts.historyMinutes ?? 600)) {
        for (const bar of bars) this.candleBook.addBar(symbol, bar);
      }
    }
    await this.opts.lp.start((q) => this.onRawQuote(q));
    this.timer = setInterval(() => this.flushAccountUpdates(), this.opts.accountUpdateIntervalMs ?? 250);
    this.timer.unref?.();
    this.log.info('engine started', { symbols: this.symbolTable.size, lp: this.opts.lp.name, database: this.opts.db.kind });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.opts.lp.stop();
    await this.queue.drain();
  }

  async reloadSymbols(): Promise<void> {
    const rows = await this.prisma.symbol.findMany({ orderBy: { id: 'asc' } });
    const next = new Map<string, SymbolInfo>();
    for (const r of rows) {
      const spec = symbolFromRow(r);
      if (this.opts.marketHours === 'always-open') spec.tradingHours = [];
      next.set(r.name, { spec, description: r.description, category: r.category });
    }
    this.symbolTable = next;
  }

  async reloadRisk(): Promise<void> {
    const g = await this.prisma.riskSettings.findFirst({ where: { accountId: null } });
    if (!g) return;
    this.risk = {
      marginCallLevel: g.marginCallLevel ? dec(g.marginCallLevel) : new Decimal(100),
      stopOutLevel: g.stopOutLevel ? dec(g.stopOutLevel) : new Decimal(50),
      maxOpenPositions: g.maxOpenPositions ?? null,
      maxPositionSize: g.maxPositionSize ? dec(g.maxPositionSize) : null,
    };
  }

  private readonly symbolSpec = (name: string): SymbolSpec | undefined => this.symbolTable.get(name)?.spec;

  private context(): TradingContext {
    return { symbols: this.symbolSpec, quotes: this.quoteStore.lookup, risk: this.risk, now: this.clock() };
  }

  // ───────────────────────────── quotes ─────────────────────────────

  /** architecture.md, How a quote flows: validate → markup → latest quote → revalue → stream → candles. */
  onRawQuote(raw: RawQuote): void {
    this.quotesIn++;
    const info = this.symbolTable.get(raw.symbol);
    if (!info) {
      this.metrics.quotesIn.inc({ lp: raw.lp, verdict: 'unknown_symbol' });
      return;
    }
    const now = this.clock();
    const verdict = validateQuote(raw, this.quoteStore.get(raw.symbol), info.spec, now);
    this.metrics.quotesIn.inc({ lp: raw.lp, verdict });
    if (verdict !== 'ok') return;
    const q = applyMarkup(raw, info.spec);
    this.quoteStore.set(q);
    this.candleBook.addTick(q.symbol, q.bid, q.time);
    for (const accountId of this.book.holdersOf(q.symbol)) this.dirty.add(accountId);
    this.events.emit('tick', {
      type: 'tick',
      symbol: q.symbol,
      bid: q.bid.toFixed(info.spec.digits),
      ask: q.ask.toFixed(info.spec.digits),
      spread: q.ask.minus(q.bid).toFixed(info.spec.digits),
      timestamp: q.time,
      lp: q.lp,
    });
  }

  private flushAccountUpdates(): void {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.publishAccount(id);
  }

  private figures(account: AccountState) {
    return accountFigures(account, this.book.openPositions(account.id), this.symbolSpec, this.quoteStore.lookup);
  }

  private publishAccount(accountId: number): void {
    const account = this.book.peek(accountId);
    if (!account) return;
    const f = this.figures(account);
    // trading-rules.md: margin level <= marginCallLevel flags the account.
    const call = f.marginLevel !== null && f.marginLevel.lte(this.risk.marginCallLevel);
    if (call && !this.marginCall.has(accountId)) {
      this.marginCall.add(accountId);
      this.log.warn('margin call', { accountId, marginLevel: f.marginLevel?.toFixed(2) });
    } else if (!call) this.marginCall.delete(accountId);
    const e: AccountUpdateEvent = {
      type: 'account_update',
      accountId,
      balance: f.balance.toFixed(2),
      equity: f.equity.toFixed(2),
      margin: f.margin.toFixed(2),
      freeMargin: f.freeMargin.toFixed(2),
      marginLevel: f.marginLevel ? f.marginLevel.toFixed(2) : null,
      unrealizedPnL: f.unrealizedPnl.toFixed(2),
      marginCall: call,
    };
    this.events.emit('account_update', e);
  }

  private positionWire(p: PositionState): PositionWire {
    const spec = this.symbolSpec(p.symbol);
    const q = this.quoteStore.get(p.symbol);
    const account = this.book.peek(p.accountId);
    const pnl = spec && account ? unrealizedPnl(p, spec, account.currency, this.quoteStore.lookup) : undefined;
    return {
      id: p.id.toString(),
      symbol: p.symbol,
      side: p.side,
      volume: p.volume.toString(),
      openPrice: p.openPrice.toString(),
      currentPrice: q ? closingPrice(p.side, q).toString() : null,
      unrealizedPnL: (pnl ?? new Decimal(0)).toFixed(2),
      sl: p.sl?.toString() ?? null,
      tp: p.tp?.toString() ?? null,
      swap: p.swap.toFixed(2),
      commission: p.commission.toFixed(2),
    };
  }

  // ───────────────────────────── auth ─────────────────────────────

  async login(input: LoginInput): Promise<LoginResult> {
    const user = await this.prisma.user.findUnique({ where: { email: input.email } });
    // Compare against a dummy hash when there is no user, so timing does not reveal which emails exist.
    const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) throw new EngineError('INVALID_CREDENTIALS');
    const authUser: AuthUser = { id: user.id, role: user.role as Role, email: user.email, name: user.name };
    const { token, expiresAt } = await this.tokens.issue(authUser, this.clock());
    await this.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(this.clock()) } });
    this.log.info('login', { userId: user.id, role: user.role });
    return { token, expiresAt, user: authUser, accounts: await this.accountsOf(authUser) };
  }

  async me(user: AuthUser) {
    return { user, accounts: await this.accountsOf(user) };
  }

  private async accountsOf(user: AuthUser): Promise<AccountBrief[]> {
    if (user.role !== 'CLIENT') return [];
    const rows = await this.prisma.account.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({
      id: r.id,
      accountNumber: r.accountNumber,
      type: r.type,
      currency: r.currency,
      leverage: r.leverage,
      marginMode: r.marginMode,
      status: r.status,
    }));
  }

  async accountOwner(accountId: number): Promise<number | null> {
    const a = this.book.peek(accountId) ?? (await this.book.get(accountId));
    return a ? a.userId : null;
  }

  // ───────────────────────────── market data ─────────────────────────────

  async symbols(): Promise<SymbolDto[]> {
    return [...this.symbolTable.values()].map(({ spec, description, category }) => ({
      name: spec.name,
      description,
      category,
      baseCurrency: spec.baseCurrency,
      quoteCurrency: spec.quoteCurrency,
      contractSize: spec.contractSize,
      digits: spec.digits,
      pipSize: spec.pipSize,
      minVolume: spec.minVolume,
      maxVolume: spec.maxVolume,
      volumeStep: spec.volumeStep,
      marginPercent: spec.marginPercent,
      commissionPerLot: spec.commissionPerLot,
      swapLong: spec.swapLong,
      swapShort: spec.swapShort,
      enabled: spec.enabled,
    }));
  }

  async quotes(symbols?: string[]): Promise<QuoteDto[]> {
    const list = symbols ? symbols.map((s) => this.quoteStore.get(s)).filter((q) => q !== undefined) : this.quoteStore.all();
    return list.map((q) => ({ symbol: q.symbol, bid: q.bid, ask: q.ask, spread: q.ask.minus(q.bid), timestamp: q.time, lp: q.lp }));
  }

  async candles(input: CandlesInput): Promise<CandleDto[]> {
    if (!this.symbolTable.has(input.symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    return this.candleBook.get(input.symbol, input.timeframe, input.limit);
  }

  // ───────────────────────────── account reads ─────────────────────────────

  private async requireAccount(accountId: number): Promise<AccountState> {
    const a = await this.book.get(accountId);
    if (!a) throw new EngineError('ACCOUNT_NOT_FOUND');
    return a;
  }

  async accountSummary(accountId: number): Promise<AccountSummaryDto> {
    const a = await this.requireAccount(accountId);
    const row = await this.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { accountNumber: true } });
    const f = this.figures(a);
    return {
      accountId,
      accountNumber: row.accountNumber,
      currency: a.currency,
      leverage: a.leverage,
      marginMode: a.marginMode,
      status: a.status,
      balance: f.balance,
      equity: f.equity,
      margin: f.margin,
      freeMargin: f.freeMargin,
      marginLevel: f.marginLevel,
      unrealizedPnl: f.unrealizedPnl,
      swap: f.swap,
      marginCall: f.marginLevel !== null && f.marginLevel.lte(this.risk.marginCallLevel),
      openPositions: this.book.openPositions(accountId).length,
    };
  }

  private positionDtoOf(p: PositionState, currency: string): PositionDto {
    const spec = this.symbolSpec(p.symbol);
    const q = this.quoteStore.get(p.symbol);
    const pnl = spec ? unrealizedPnl(p, spec, currency, this.quoteStore.lookup) : undefined;
    return positionDto(p, q ? closingPrice(p.side, q) : null, pnl ?? null);
  }

  async positions(accountId: number): Promise<PositionDto[]> {
    const a = await this.requireAccount(accountId);
    return this.book.openPositions(accountId).map((p) => this.positionDtoOf(p, a.currency));
  }

  async orders(accountId: number): Promise<OrderDto[]> {
    await this.requireAccount(accountId);
    const rows = await this.prisma.order.findMany({ where: { accountId, status: 'PENDING' }, orderBy: { id: 'desc' } });
    return rows.map(orderDto);
  }

  async trades(input: PageInput): Promise<TradeDto[]> {
    await this.requireAccount(input.accountId);
    const rows = await this.prisma.trade.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
    });
    return rows.map(tradeDto);
  }

  async ledger(input: PageInput): Promise<LedgerDto[]> {
    await this.requireAccount(input.accountId);
    const rows = await this.prisma.ledgerEntry.findMany({
      where: { accountId: input.accountId, ...(input.before ? { id: { lt: input.before } } : {}) },
      orderBy: { id: 'desc' },
      take: input.limit,
    });
    return rows.map(ledgerDto);
  }

  // ───────────────────────────── trading ─────────────────────────────

  private async replay(accountId: number, key: string): Promise<OrderResultDto | null> {
    const order = await this.prisma.order.findUnique({ where: { accountId_idempotencyKey: { accountId, idempotencyKey: key } } });
    if (!order) return null;
    const account = await this.requireAccount(accountId);
    const open = order.positionId ? this.book.openPositions(accountId).find((p) => p.id === order.positionId) : undefined;
    return { order: orderDto(order), position: open ? this.positionDtoOf(open, account.currency) : null, replayed: true };
  }

  async placeMarketOrder(actor: AuthUser, input: MarketOrderInput): Promise<OrderResultDto> {
    const started = performance.now();
    let result = 'filled';
    try {
      return await this.queue.submit(input.accountId, async () => {
        if (input.idempotencyKey) {
          const previous = await this.replay(input.accountId, input.idempotencyKey);
          if (previous) {
            result = 'replayed';
            return previous;
          }
        }
        const account = await this.requireAccount(input.accountId);
        const positions = this.book.openPositions(account.id);
        const ctx = this.context();
        const req = { symbol: input.symbol, side: input.side, volume: input.volume, sl: input.sl ?? null, tp: input.tp ?? null };
        const plan = planMarketOrder(account, positions, req, ctx);
        if (!plan.ok) {
          result = 'rejected';
          this.log.info('order rejected', { accountId: account.id, symbol: input.symbol, code: plan.code, userId: actor.id });
          if (this.symbolTable.has(input.symbol)) {
            await this.deals.writeRejectedOrder(account.id, req, plan.code, plan.message, new Date(ctx.now)).catch(() => undefined);
          }
          throw new EngineError(plan.code, plan.message);
        }
        const now = new Date(ctx.now);
        let stored;
        try {
          stored = await this.deals.writeMarketDeal(account, plan, { now, idempotencyKey: input.idempotencyKey, sl: req.sl, tp: req.tp });
        } catch (err) {
          this.book.evict(account.id);
          if (input.idempotencyKey && (err as { code?: string }).code === 'P2002') {
            const previous = await this.replay(input.accountId, input.idempotencyKey);
            if (previous) return previous;
          }
          throw err;
        }
        const after = positionsAfter(positions, plan.closes, plan.open, plan.symbol, ctx.now, stored.position?.id ?? -1n, account.id);
        this.book.setPositions(account.id, after);
        this.book.setBalance(account.id, plan.balanceAfter);
        this.log.info('order filled', { accountId: account.id, orderId: stored.orderId, symbol: plan.symbol, side: plan.side, volume: plan.volume.toString(), price: plan.price.toString() });

        const orderRow = await this.prisma.order.findUniqueOrThrow({ where: { id: stored.orderId } });
        this.events.emit('order_filled', {
          type: 'order_filled',
          accountId: account.id,
          orderId: stored.orderId.toString(),
          positionId: stored.position?.id.toString() ?? null,
          symbol: plan.symbol,
          side: plan.side,
          volume: plan.volume.toString(),
          filledPrice: plan.price.toString(),
          timestamp: ctx.now,
        });
        for (const c of plan.closes) {
          const rest = stored.closed.get(c.positionId);
          const wire = rest ? this.positionWire(rest) : { ...this.positionWire({ ...positions.find((p) => p.id === c.positionId)! }), currentPrice: c.closePrice.toString(), unrealizedPnL: '0.00' };
          this.events.emit('position_update', { type: 'position_update', accountId: account.id, action: rest ? 'partially_closed' : 'closed', position: wire });
        }
        if (stored.position) {
          this.events.emit('position_update', {
            type: 'position_update',
            accountId: account.id,
            action: plan.open?.mergeInto ? 'modified' : 'opened',
            position: this.positionWire(stored.position),
          });
        }
        this.publishAccount(account.id);
        const position = stored.position ? this.positionDtoOf(stored.position, account.currency) : null;
        return { order: orderDto(orderRow), position, replayed: false };
      });
    } catch (err) {
      if (result === 'filled') result = 'error';
      throw err;
    } finally {
      this.metrics.orderLatency.observe({ type: 'MARKET', result }, (performance.now() - started) / 1000);
    }
  }

  async closePosition(actor: AuthUser, input: ClosePositionInput): Promise<CloseResultDto> {
    const started = performance.now();
    let result = 'filled';
    try {
      return await this.queue.submit(input.accountId, async () => {
        const account = await this.requireAccount(input.accountId);
        const positions = this.book.openPositions(account.id);
        const position = positions.find((p) => p.id === input.positionId);
        if (!position) throw new EngineError('POSITION_NOT_FOUND', `Position ${input.positionId} is not open on this account`);
        const ctx = this.context();
        const plan = planClosePosition(account, position, input.volume, ctx);
        if (!plan.ok) {
          result = 'rejected';
          throw new EngineError(plan.code, plan.message);
        }
        const reason = plan.close.remaining ? 'PARTIAL' : 'MANUAL';
        try {
          await this.deals.writeClose(account, position, plan.close, plan.ledger, plan.balanceAfter, { now: new Date(ctx.now), reason });
        } catch (err) {
          this.book.evict(account.id);
          throw err;
        }
        const after = positionsAfter(positions, [plan.close], null, position.symbol, ctx.now, -1n, account.id);
        this.book.setPositions(account.id, after);
        this.book.setBalance(account.id, plan.balanceAfter);
        this.log.info('position closed', { accountId: account.id, positionId: position.id, volume: plan.close.volume.toString(), pnl: plan.close.realizedPnl.toString(), userId: actor.id });
        const wire = plan.close.remaining
          ? this.positionWire(plan.close.remaining)
          : { ...this.positionWire(position), currentPrice: plan.close.closePrice.toString(), unrealizedPnL: '0.00' };
        this.events.emit('position_update', {
          type: 'position_update',
          accountId: account.id,
          action: plan.close.remaining ? 'partially_closed' : 'closed',
          position: wire,
        });
        this.publishAccount(account.id);
        return {
          positionId: position.id.toString(),
          closedVolume: plan.close.volume,
          closePrice: plan.close.closePrice,
          realizedPnl: plan.close.realizedPnl,
          swap: plan.close.swap,
          remaining: plan.close.remaining ? this.positionDtoOf(plan.close.remaining, account.currency) : null,
        };
      });
    } catch (err) {
      if (result === 'filled') result = 'error';
      throw err;
    } finally {
      this.metrics.orderLatency.observe({ type: 'CLOSE', result }, (performance.now() - started) / 1000);
    }
  }

  // ───────────────────────────── back office ─────────────────────────────

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
      this.prisma.account.findMany({ where, include: { user: true }, orderBy: { id: 'asc' }, skip: input.offset, take: input.limit }),
      this.prisma.account.count({ where }),
    ]);
    const out: AdminAccountRow[] = [];
    for (const r of rows) {
      const state = (await this.book.get(r.id))!;
      const f = this.figures(state);
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
        openPositions: this.book.openPositions(r.id).length,
        createdAt: r.createdAt,
      });
    }
    return { rows: out, total };
  }

  async deposit(actor: AuthUser, input: DepositInput): Promise<LedgerDto> {
    return this.queue.submit(input.accountId, async () => {
      const account = await this.requireAccount(input.accountId);
      if (account.status === 'CLOSED') throw new EngineError('ACCOUNT_INACTIVE', 'Account is closed');
      let written;
      try {
        written = await this.deals.writeBalanceOperation(account, {
          type: 'DEPOSIT',
          amount: input.amount,
          method: input.method,
          reference: input.reference,
          note: input.note,
          actorId: actor.id,
          actorRole: actor.role,
          now: new Date(this.clock()),
        });
      } catch (err) {
        this.book.evict(account.id);
        throw err;
      }
      this.book.setBalance(account.id, written.balance);
      this.log.info('deposit', { accountId: account.id, amount: input.amount.toString(), by: actor.id });
      this.publishAccount(account.id);
      return ledgerDto(written.row);
    });
  }

  async health(): Promise<HealthDto> {
    let dbOk = true;
    try {
      await this.prisma.$queryRawUnsafe('SELECT 1');
    } catch {
      dbOk = false;
    }
    let redis: HealthDto['redis'] = 'memory';
    if (this.opts.redis) redis = this.opts.redis.status === 'ready' ? 'connected' : 'down';
    return {
      status: dbOk && redis !== 'down' ? 'ok' : 'degraded',
      database: this.opts.db.kind,
      redis,
      uptimeSeconds: Math.round((this.clock() - this.startedAt) / 1000),
      quotesIn: this.quotesIn,
      socketsConnected: this.socketsConnected,
    };
  }
}
