// The system area: the engine's own health (database, Redis, uptime, quotes in, sockets).
import type { HealthDto, SystemApi } from '@broker/api';
import type { EngineCore } from './core.ts';

export class SystemArea implements SystemApi {
  constructor(private readonly c: EngineCore) {}

  async health(): Promise<HealthDto> {
    let dbOk = true;
    try {
      await this.c.prisma.$queryRawUnsafe('SELECT 1');
    } catch {
      dbOk = false;
    }
    let redis: HealthDto['redis'] = 'memory';
    if (this.c.opts.redis) redis = this.c.opts.redis.status === 'ready' ? 'connected' : 'down';
    const c = this.c;
    const lps = c.lpManager
      .status()
      .filter((l) => l.enabled && l.name !== c.manual.name)
      .map((l) => ({ name: l.name, state: l.state, reason: l.reason ?? null, pricing: l.pricing }));
    const now = c.clock();
    const symbolsWithoutPrice: string[] = [];
    for (const [name, info] of c.symbolTable) {
      if (!info.spec.enabled) continue;
      const q = c.quoteStore.get(name);
      if (!q || now - q.time > info.spec.staleAfterMs) symbolsWithoutPrice.push(name);
    }
    const prices = symbolsWithoutPrice.length || lps.some((l) => l.state !== 'CONNECTED') ? 'degraded' : 'ok';
    return {
      status: dbOk && redis !== 'down' && prices === 'ok' ? 'ok' : 'degraded',
      database: this.c.opts.db.kind,
      redis,
      core: dbOk && redis !== 'down' ? 'ok' : 'down',
      prices,
      lps,
      symbolsWithoutPrice,
      failovers: c.aggregator.failovers,
      withdrawals: c.aggregator.withdrawals,
      ticks: (({ written, dropped, spilled, spillPending, pending }) => ({ written, dropped, spilled, spillPending, pending }))(c.tickWriter.stats()),
      uptimeSeconds: Math.round((this.c.clock() - this.c.startedAt) / 1000),
      quotesIn: this.c.flow.quotesIn,
      socketsConnected: this.c.socketsConnected,
    };
  }
}
