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
    return {
      status: dbOk && redis !== 'down' ? 'ok' : 'degraded',
      database: this.c.opts.db.kind,
      redis,
      uptimeSeconds: Math.round((this.c.clock() - this.c.startedAt) / 1000),
      quotesIn: this.c.flow.quotesIn,
      socketsConnected: this.c.socketsConnected,
    };
  }
}
