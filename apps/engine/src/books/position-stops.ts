// A position's SL, TP and trailing stop: a trader's change (checked against the quote), and the stored
// update a trailing stop's move makes too.
import { EngineError } from '@broker/api/errors';
import { checkStops, closingPrice, type PositionState } from '../domain/index.ts';
import type { Decimal } from 'decimal.js';
import type { Trailing } from '../domain/index.ts';
import { fail, str, type DeskCore } from './desk-core.ts';
import { auditRow, txt, type AuditActor, type AuditRow } from './audit-rows.ts';
import { emptyWriteSet } from './write-set.ts';

export async function modifyPosition(
  core: DeskCore,
  accountId: number,
  positionId: bigint,
  change: { sl?: Decimal | null; tp?: Decimal | null; trailing?: Trailing | null },
  by?: AuditActor,
): Promise<PositionState> {
  return core.d.queue.submit(accountId, async () => {
    const account = await core.account(accountId);
    if (account.status === 'READ_ONLY' || account.status === 'CLOSED')
      throw new EngineError(account.status === 'READ_ONLY' ? 'ACCOUNT_READ_ONLY' : 'ACCOUNT_INACTIVE');
    const position = core.d.book.openPositions(accountId).find((p) => p.id === positionId);
    if (!position) throw new EngineError('POSITION_NOT_FOUND', `Position ${positionId} is not open on this account`);
    const next: PositionState = {
      ...position,
      sl: change.sl === undefined ? position.sl : change.sl,
      tp: change.tp === undefined ? position.tp : change.tp,
      trailing: change.trailing === undefined ? (position.trailing ?? null) : change.trailing,
    };
    const quote = core.d.quote(position.symbol);
    if (!quote) throw new EngineError('NO_QUOTE', `No quote for ${position.symbol}`);
    // MT5: a BUY's SL below and TP above the bid; a SELL's mirror around the ask.
    const stopsReject = checkStops(position.side, closingPrice(position.side, quote), next.sl, next.tp);
    if (stopsReject) fail(stopsReject);
    const stops = (p: PositionState) => ({ sl: txt(p.sl), tp: txt(p.tp), trailingPips: txt(p.trailing?.distancePips), trailingStepPips: txt(p.trailing?.stepPips) });
    const audit = auditRow(by, 'position.modify', 'position', position.id, { accountId, symbol: position.symbol, before: stops(position), after: stops(next) }, new Date(core.d.clock()));
    await persistPositionStops(core, account.id, next, audit);
    return next;
  });
}

/** Stores a position's stops: a trader's change (with its audit row), or a trailing stop's move (none: the engine's own, many). */
export async function persistPositionStops(core: DeskCore, accountId: number, next: PositionState, audit?: AuditRow) {
  const ws = emptyWriteSet();
  if (audit) ws.audit.push(audit);
  ws.positionUpdates.push({
    id: next.id,
    data: {
      sl: str(next.sl),
      tp: str(next.tp),
      trailingPips: str(next.trailing?.distancePips),
      trailingStepPips: str(next.trailing?.stepPips),
    },
  });
  await core.commit(accountId, ws);
  const positions = core.d.book.openPositions(accountId).map((p) => (p.id === next.id ? next : p));
  core.d.book.setPositions(accountId, positions);
  core.indexPosition(next);
  core.d.publish.positionChanged(accountId, 'modified', next);
}

