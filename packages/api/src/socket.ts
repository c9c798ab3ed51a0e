// Socket.IO events (design.md §2.6). Payloads are plain JSON: money and prices are decimal strings.
export interface TickEvent {
  type: 'tick';
  symbol: string;
  bid: string;
  ask: string;
  spread: string;
  timestamp: number;
  lp: string;
}

export interface AccountUpdateEvent {
  type: 'account_update';
  accountId: number;
  balance: string;
  /** The broker's credit: counted in equity, never withdrawable. */
  credit: string;
  equity: string;
  margin: string;
  freeMargin: string;
  /** Percent, or null when no margin is used. */
  marginLevel: string | null;
  unrealizedPnL: string;
  marginCall: boolean;
}

export interface PositionWire {
  id: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: string;
  openPrice: string;
  currentPrice: string | null;
  unrealizedPnL: string;
  sl: string | null;
  tp: string | null;
  swap: string;
  commission: string;
}

export interface PositionUpdateEvent {
  type: 'position_update';
  accountId: number;
  action: 'opened' | 'modified' | 'closed' | 'partially_closed';
  /** Why it closed: MANUAL, PARTIAL, SL_HIT, TP_HIT, STOP_OUT, CLOSE_ALL, NETTING. */
  reason?: string;
  position: PositionWire;
}

export interface OrderFilledEvent {
  type: 'order_filled';
  accountId: number;
  orderId: string;
  positionId: string | null;
  symbol: string;
  side: 'BUY' | 'SELL';
  volume: string;
  filledPrice: string;
  timestamp: number;
}

export interface OrderWire {
  id: string;
  symbol: string;
  type: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  side: 'BUY' | 'SELL';
  volume: string;
  price: string | null;
  stopPrice: string | null;
  sl: string | null;
  tp: string | null;
  expiresAt: number | null;
  status: 'PENDING' | 'FILLED' | 'CANCELLED' | 'REJECTED' | 'EXPIRED';
}

export interface OrderUpdateEvent {
  type: 'order_update';
  accountId: number;
  action: 'placed' | 'modified' | 'triggered' | 'cancelled' | 'expired' | 'rejected' | 'filled';
  order: OrderWire;
  /** For rejections: the stable code and its message. */
  code?: string;
  message?: string;
}

export interface MarginCallEvent {
  type: 'margin_call' | 'stop_out';
  accountId: number;
  marginLevel: string | null;
  /** Stop out: the positions closed, largest loss first. */
  closedPositions?: string[];
}

/** A trader's price alert fired (once): pushed to the account's room (alerts.create). */
export interface PriceAlertEvent {
  type: 'price_alert';
  accountId: number;
  alertId: string;
  symbol: string;
  side: 'BID' | 'ASK';
  direction: 'ABOVE' | 'BELOW';
  /** The alert's level and the side's price that reached it (decimal strings). */
  price: string;
  triggeredPrice: string;
  note: string | null;
  /** Unix ms. */
  triggeredAt: number;
}

/** An LP's health as dealers see it (design.md §2.4.6, §8.6). */
/** A refused quote or a moved spike reference, as the dealer's LP page lists them. */
export interface LpQuoteEventWire {
  at: number;
  symbol: string;
  kind: 'invalid' | 'crossed' | 'spike' | 'stale' | 'off_market' | 'reanchored';
  bid: string;
  ask: string;
  message: string;
}

export interface LpWire {
  id: number | null;
  name: string;
  type: 'FIX' | 'REST' | 'WEBSOCKET' | 'SIMULATED' | 'MANUAL';
  state: 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED' | 'DEGRADED' | 'UNAVAILABLE';
  reason: string | null;
  enabled: boolean;
  priority: number;
  lastQuoteAt: number | null;
  latencyMs: number | null;
  connectedSince: number | null;
  reconnects: number;
  /** Quotes the pipeline accepted in the last 60 s. */
  quotesPerMinute: number;
  /** Unix ms of the last accepted quote (`lastQuoteAt`: the last one received). */
  lastAcceptedAt: number | null;
  /** Quotes refused since start, per reason (invalid, crossed, spike, stale, off_market, unknown_symbol). */
  rejects: Record<'invalid' | 'crossed' | 'spike' | 'stale' | 'off_market' | 'unknown_symbol', number>;
  /** Share of the last 10 s of quotes refused, percent (null: none came). */
  rejectedPercent: number | null;
  /** Recent refusals and moved spike references, newest last. */
  recentEvents: LpQuoteEventWire[];
  /** The symbols this LP prices now. */
  pricing: string[];
  /** A warning for dealers (the simulated LP pricing next to real LPs), or null. */
  warning: string | null;
  uptimePercent: number | null;
  symbols: string[];
  recentErrors: { at: number; message: string }[];
  /** FIX LPs: session state (CONNECTING, LOGGED_ON, SUBSCRIBED, …), next sequence numbers, next retry (Unix ms). */
  session: { state: string; seqNums: { nextSender: number; nextTarget: number } | null; nextRetryAt: number | null } | null;
  /** Configuration (no secrets: credentials are the names of environment variables). */
  settings: Record<string, unknown>;
  credentialEnv: Record<string, string>;
  symbolMap: Record<string, string>;
}

export interface LpStatusEvent {
  type: 'lp_status';
  lp: LpWire;
}

/** Something a dealer must look at (design.md §8.1 alerts): pushed to the dealers' room. */
export interface AlertEvent {
  type: 'alert';
  kind: 'RECONCILIATION_MISMATCH' | 'LP_FILL_UNBOOKED' | 'LATE_LP_FILL' | 'COVERAGE_NOT_OFFSET' | 'LP_ORDER_UNKNOWN';
  severity: 'warning' | 'critical';
  message: string;
  accountIds: number[];
  /** The LP order concerned, where there is one. */
  clOrdId?: string;
  /** Unix ms. */
  at: number;
}

/** The house's exposure per symbol (admin.dealing.exposure), pushed to dealers when positions change and every few seconds. */
export interface ExposureEvent {
  type: 'exposure';
  /** Unix ms. */
  at: number;
  rows: {
    symbol: string;
    clientBuyLots: string;
    clientSellLots: string;
    clientNetLots: string;
    coverageNetLots: string;
    houseNetLots: string;
    houseNetNotional: string | null;
    clientUnrealizedPnl: string | null;
    coverageUnrealizedPnl: string | null;
    housePnl: string | null;
    positions: number;
    accounts: number;
    limitUsedPercent: string | null;
  }[];
  total: { clientUnrealizedPnl: string | null; coverageUnrealizedPnl: string | null; housePnl: string | null };
}

export type SubscribeRequest =
  /** `batch: true`: one `ticks` message per conflation window with every changed symbol of the client's set. */
  | { type: 'quotes'; symbols: string[]; batch?: boolean }
  | { type: 'account'; accountId: number }
  | { type: 'dealer' };

export interface ServerToClientEvents {
  tick: (e: TickEvent) => void;
  ticks: (e: TickEvent[]) => void;
  account_update: (e: AccountUpdateEvent) => void;
  position_update: (e: PositionUpdateEvent) => void;
  order_filled: (e: OrderFilledEvent) => void;
  order_update: (e: OrderUpdateEvent) => void;
  margin_call: (e: MarginCallEvent) => void;
  price_alert: (e: PriceAlertEvent) => void;
  lp_status: (e: LpStatusEvent) => void;
  alert: (e: AlertEvent) => void;
  exposure: (e: ExposureEvent) => void;
  /** A refusal; RATE_LIMITED carries the seconds to wait. */
  error_event: (e: { code: string; message: string; retryAfterSeconds?: number }) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack?: (res: { ok: true } | { ok: false; code: string; message: string; retryAfterSeconds?: number }) => void) => void;
  unsubscribe: (req: SubscribeRequest) => void;
}
