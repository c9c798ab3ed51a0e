import type { AccountUpdateEvent, AlertEvent, LpStatusEvent, MarginCallEvent, OrderFilledEvent, OrderUpdateEvent, PositionUpdateEvent, PriceAlertEvent, TickEvent } from '@broker/api/socket';

/** What the engine publishes after a change commits; the Socket.IO layer (and tests) listen. */
export interface EngineEventMap {
  tick: TickEvent;
  account_update: AccountUpdateEvent;
  position_update: PositionUpdateEvent;
  order_filled: OrderFilledEvent;
  order_update: OrderUpdateEvent;
  margin_call: MarginCallEvent;
  lp_status: LpStatusEvent;
  alert: AlertEvent;
  price_alert: PriceAlertEvent;
}

type Listener<K extends keyof EngineEventMap> = (e: EngineEventMap[K]) => void;

export class EngineEvents {
  private readonly listeners: { [K in keyof EngineEventMap]?: Set<Listener<K>> } = {};

  on<K extends keyof EngineEventMap>(type: K, fn: Listener<K>): () => void {
    let set = this.listeners[type] as Set<Listener<K>> | undefined;
    if (!set) (this.listeners as Record<string, unknown>)[type] = set = new Set();
    set.add(fn);
    return () => set!.delete(fn);
  }

  /** Whether anyone listens to `type` (so a publisher can skip building the event). */
  has(type: keyof EngineEventMap): boolean {
    return (this.listeners[type]?.size ?? 0) > 0;
  }

  emit<K extends keyof EngineEventMap>(type: K, e: EngineEventMap[K]): void {
    const set = this.listeners[type] as Set<Listener<K>> | undefined;
    if (!set) return;
    for (const fn of set) {
      try {
        fn(e);
      } catch {
        // A listener's failure must not stop the engine or other listeners.
      }
    }
  }
}
