// The engine's system area: the engine's own health.

/** One LP as health reports it. */
export interface HealthLpDto {
  name: string;
  state: 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED' | 'DEGRADED' | 'UNAVAILABLE';
  reason: string | null;
  /** The symbols it prices now. */
  pricing: string[];
}

export interface HealthDto {
  /**
   * `degraded` when the database or Redis is down (then /health answers 503), or when prices are: an enabled
   * LP not CONNECTED, or an enabled symbol without a fresh price (`prices`).
   */
  status: 'ok' | 'degraded';
  database: 'postgres' | 'pglite';
  redis: 'connected' | 'memory' | 'down';
  /** The engine's own dependencies: `down` when the database or Redis is (/health answers 503). */
  core: 'ok' | 'down';
  /** `degraded` while an enabled LP is not CONNECTED or an enabled symbol has no fresh price. */
  prices: 'ok' | 'degraded';
  /** Every enabled LP but the dealers' manual one. */
  lps: HealthLpDto[];
  /** Enabled symbols with no price, or one older than their staleAfterMs. */
  symbolsWithoutPrice: string[];
  /** Changes of a symbol's source LP since start, and platform quotes withdrawn with no LP to take over. */
  failovers: number;
  withdrawals: number;
  /** Tick history: rows written, dropped (could not be kept), spilled to disk and still waiting there, in memory. */
  ticks: { written: number; dropped: number; spilled: number; spillPending: number; pending: number };
  uptimeSeconds: number;
  quotesIn: number;
  socketsConnected: number;
}

export interface SystemApi {
  health(): Promise<HealthDto>;
}
