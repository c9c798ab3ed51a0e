// An order's idempotency key: a retry replays what the key already produced (the keys themselves live in
// DeskCore: the last day's in memory, older ones through the database's unique index).
import type { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';

/**
 * A retried request carries the same idempotency key and the same order; a key reused for a different order
 * is the client's mistake, answered as such instead of with the other order's result.
 */
export function sameRequest(
  stored: { type: string; symbol: string; side: string; volume: { toString(): string } },
  req: { type: string; symbol: string; side: string; volume: Decimal },
): void {
  const differs = stored.type !== req.type || stored.symbol !== req.symbol || stored.side !== req.side || !req.volume.eq(stored.volume.toString());
  if (differs)
    throw new EngineError('IDEMPOTENCY_KEY_REUSED', `This key was used for ${stored.type} ${stored.side} ${stored.volume.toString()} ${stored.symbol}`);
}
