// A client's flow from the books (domain/flow.ts): the markout of every fill at +1 s, +10 s and +60 s and the
// latency-arbitrage score from the platform's own stored quotes (the ticks table holds the marked-up quotes
// clients saw), win rate and hold times from the closed positions. Used by the dealer's view and, when a
// toxic-flow rule is on, by the router.
import { Decimal } from 'decimal.js';
import { sqlOf, type Db } from '@broker/db';
import { clientFlow, type ClientFlow, type FlowFill, type FlowQuote } from '../domain/flow.ts';
import { conversionRate, type QuoteLookup, type SymbolSpec } from '../domain/index.ts';

const MAX_FILLS = 200;
const LAST_HORIZON_MS = 60_000;

export class FlowService {
  constructor(
    private readonly d: {
      db: Db;
      symbols: (name: string) => SymbolSpec | undefined;
      quotes: QuoteLookup;
      clock: () => number;
      latencyWindowMs: () => number;
      reportingCurrency?: string;
    },
  ) {}

  async of(accountId: number, since?: Date): Promise<ClientFlow> {
    const { db, clock } = this.d;
    const prisma = db.prisma;
    const reporting = this.d.reportingCurrency ?? 'USD';
    const [opens, closed] = await Promise.all([
      prisma.trade.findMany({ where: { accountId, entry: 'OPEN', ...(since ? { executedAt: { gte: since } } : {}) }, orderBy: { executedAt: 'desc' }, take: MAX_FILLS }),
      prisma.position.findMany({ where: { accountId, status: 'CLOSED', ...(since ? { closeTime: { gte: since } } : {}) }, select: { openTime: true, closeTime: true, realizedPnl: true }, orderBy: { closeTime: 'desc' }, take: 1000 }),
    ]);
    const account = await prisma.account.findUnique({ where: { id: accountId }, select: { currency: true } });
    const toReporting = account ? conversionRate(account.currency, reporting, this.d.quotes) : undefined;
    const fills: FlowFill[] = [];
    for (const t of opens) {
      const spec = this.d.symbols(t.symbol);
      const rate = spec ? conversionRate(spec.quoteCurrency, reporting, this.d.quotes) : undefined;
      if (!spec || !rate) continue;
      fills.push({ id: t.id.toString(), symbol: t.symbol, side: t.side, volume: new Decimal(t.volume.toString()), price: new Decimal(t.price.toString()), time: t.executedAt.getTime(), contractSize: spec.contractSize, rate });
    }
    // Each symbol's path from its first fill to its last fill's last horizon.
    const paths = new Map<string, FlowQuote[]>();
    const bySymbol = new Map<string, { from: number; to: number }>();
    for (const f of fills) {
      const r = bySymbol.get(f.symbol);
      bySymbol.set(f.symbol, { from: Math.min(r?.from ?? f.time, f.time - 60_000), to: Math.max(r?.to ?? 0, f.time + LAST_HORIZON_MS) });
    }
    const sql = sqlOf(db);
    for (const [symbol, r] of bySymbol) {
      const { rows } = await sql.query<{ ms: number; bid: string; ask: string }>(
        `SELECT (extract(epoch FROM time) * 1000)::float8 AS ms, bid::text AS bid, ask::text AS ask FROM ticks WHERE symbol = $1 AND time >= $2 AND time <= $3 ORDER BY time ASC LIMIT 200000`,
        [symbol, new Date(r.from), new Date(r.to)],
      );
      paths.set(symbol, rows.map((x) => ({ time: Math.floor(Number(x.ms)), bid: new Decimal(x.bid), ask: new Decimal(x.ask) })));
    }
    return clientFlow({
      fills: fills.reverse(),
      closed: closed
        .filter((p) => p.closeTime)
        .map((p) => ({ openTime: p.openTime.getTime(), closeTime: p.closeTime!.getTime(), realizedPnl: new Decimal(p.realizedPnl.toString()).times(toReporting ?? 1) })),
      paths: (s) => paths.get(s) ?? [],
      pathEnd: clock(),
      latencyWindowMs: this.d.latencyWindowMs(),
    });
  }
}
