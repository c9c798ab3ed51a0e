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

export type SubscribeRequest =
  | { type: 'quotes'; symbols: string[] }
  | { type: 'account'; accountId: number }
  | { type: 'dealer' };

export interface ServerToClientEvents {
  tick: (e: TickEvent) => void;
  account_update: (e: AccountUpdateEvent) => void;
  position_update: (e: PositionUpdateEvent) => void;
  order_filled: (e: OrderFilledEvent) => void;
  error_event: (e: { code: string; message: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack?: (res: { ok: true } | { ok: false; code: string; message: string }) => void) => void;
  unsubscribe: (req: SubscribeRequest) => void;
}
