// The engine's system area: the engine's own health.

export interface HealthDto {
  status: 'ok' | 'degraded';
  database: 'postgres' | 'pglite';
  redis: 'connected' | 'memory' | 'down';
  uptimeSeconds: number;
  quotesIn: number;
  socketsConnected: number;
}

export interface SystemApi {
  health(): Promise<HealthDto>;
}
