import type { PrismaClient } from '@broker/db';
import type { AccountState, PendingOrderState, PositionState } from '../domain/index.ts';
import { accountFromRow, pendingFromRow, positionFromRow } from './mapping.ts';

const NONE: ReadonlySet<number> = new Set();

/** The symbols, other than `symbol` itself, whose quotes convert its P&L into `accountCurrency`. */
export type ConversionSymbols = (symbol: string, accountCurrency: string) => readonly string[];

/**
 * The engine's in-memory view of accounts, their open positions and pending orders. The engine is the only
 * writer, so after start-up memory changes only after a transaction commits.
 */
export class AccountBook {
  private readonly accounts = new Map<number, AccountState>();
  private readonly positions = new Map<number, PositionState[]>();
  private readonly pending = new Map<number, Map<bigint, PendingOrderState>>();
  /** symbol → accounts holding a position in it (revaluation touches only these, and the dependents). */
  private readonly holders = new Map<string, Set<number>>();
  /** symbol → accounts holding a position whose P&L converts into the account currency through it. */
  private readonly dependents = new Map<string, Set<number>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly conversionSymbols: ConversionSymbols = () => [],
  ) {}

  async loadAll(): Promise<void> {
    const rows = await this.prisma.account.findMany();
    for (const r of rows) {
      this.accounts.set(r.id, accountFromRow(r));
      this.positions.set(r.id, []);
      this.pending.set(r.id, new Map());
    }
    const open = await this.prisma.position.findMany({ where: { status: 'OPEN' }, orderBy: { id: 'asc' } });
    for (const p of open) this.positions.get(p.accountId)?.push(positionFromRow(p));
    const orders = await this.prisma.order.findMany({ where: { status: 'PENDING', type: { not: 'MARKET' } }, orderBy: { id: 'asc' } });
    for (const o of orders) this.pending.get(o.accountId)?.set(o.id, pendingFromRow(o));
    for (const id of this.accounts.keys()) this.reindex(id);
  }

  /** The account, loading it if it was created after start-up; undefined when there is none. */
  async get(accountId: number): Promise<AccountState | undefined> {
    const known = this.accounts.get(accountId);
    if (known) return known;
    const row = await this.prisma.account.findUnique({ where: { id: accountId } });
    if (!row) return undefined;
    const [open, orders] = await Promise.all([
      this.prisma.position.findMany({ where: { accountId, status: 'OPEN' }, orderBy: { id: 'asc' } }),
      this.prisma.order.findMany({ where: { accountId, status: 'PENDING', type: { not: 'MARKET' } }, orderBy: { id: 'asc' } }),
    ]);
    if (this.accounts.has(accountId)) return this.accounts.get(accountId);
    this.accounts.set(accountId, accountFromRow(row));
    this.positions.set(accountId, open.map(positionFromRow));
    this.pending.set(accountId, new Map(orders.map((o) => [o.id, pendingFromRow(o)])));
    this.reindex(accountId);
    return this.accounts.get(accountId);
  }

  peek(accountId: number): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  accountIds(): IterableIterator<number> {
    return this.accounts.keys();
  }

  openPositions(accountId: number): readonly PositionState[] {
    return this.positions.get(accountId) ?? [];
  }

  pendingOrders(accountId: number): PendingOrderState[] {
    return [...(this.pending.get(accountId)?.values() ?? [])];
  }

  pendingOrder(accountId: number, id: bigint): PendingOrderState | undefined {
    return this.pending.get(accountId)?.get(id);
  }

  *allPending(): IterableIterator<PendingOrderState> {
    for (const m of this.pending.values()) yield* m.values();
  }

  *allPositions(): IterableIterator<PositionState> {
    for (const list of this.positions.values()) yield* list;
  }

  holdersOf(symbol: string): ReadonlySet<number> {
    return this.holders.get(symbol) ?? NONE;
  }

  /** Accounts whose positions' P&L converts through `symbol` (holders of it or not). */
  dependentsOf(symbol: string): ReadonlySet<number> {
    return this.dependents.get(symbol) ?? NONE;
  }

  /** Rebuilds every account's index entries (the symbol table, and so the conversion symbols, changed). */
  reindexAll(): void {
    for (const id of this.accounts.keys()) this.reindex(id);
  }

  setBalance(accountId: number, balance: AccountState['balance']): void {
    const a = this.accounts.get(accountId);
    if (a) this.accounts.set(accountId, { ...a, balance });
  }

  setCredit(accountId: number, credit: AccountState['credit']): void {
    const a = this.accounts.get(accountId);
    if (a) this.accounts.set(accountId, { ...a, credit });
  }

  setPositions(accountId: number, positions: PositionState[]): void {
    this.positions.set(accountId, positions);
    this.reindex(accountId);
  }

  putPending(order: PendingOrderState): void {
    let m = this.pending.get(order.accountId);
    if (!m) this.pending.set(order.accountId, (m = new Map()));
    m.set(order.id, order);
  }

  removePending(accountId: number, id: bigint): void {
    this.pending.get(accountId)?.delete(id);
  }

  /** Forget an account's cached state (after a failed write), so the next command reloads it. */
  evict(accountId: number): void {
    this.accounts.delete(accountId);
    this.positions.delete(accountId);
    this.pending.delete(accountId);
    for (const set of this.holders.values()) set.delete(accountId);
    for (const set of this.dependents.values()) set.delete(accountId);
  }

  private reindex(accountId: number): void {
    for (const set of this.holders.values()) set.delete(accountId);
    for (const set of this.dependents.values()) set.delete(accountId);
    const currency = this.accounts.get(accountId)?.currency;
    for (const p of this.positions.get(accountId) ?? []) {
      add(this.holders, p.symbol, accountId);
      if (currency !== undefined) for (const s of this.conversionSymbols(p.symbol, currency)) add(this.dependents, s, accountId);
    }
  }
}

function add(index: Map<string, Set<number>>, symbol: string, accountId: number): void {
  let set = index.get(symbol);
  if (!set) index.set(symbol, (set = new Set()));
  set.add(accountId);
}
