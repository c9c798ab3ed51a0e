// Closing a position whose volume sits with an LP (issue 11; docs/trading-rules-notes.md, Closing at the LP).
//
// A trader's or a dealer's close of an A-Book position is an order to the LP that holds its coverage, like the
// open: the close order is recorded PENDING, the LP order SENT (ClOrdID `C<close order id>`), both before it
// goes out, as an IOC order (a limit at the LP's price plus the allowed slippage with slippage control); the
// client closes what the LP filled at the LP's average price with the markup on the client's side. An LP
// reject leaves the position open with the LP's reason, no answer in time fails the close with LP_TIMEOUT
// (the LP order stays UNKNOWN for dealers), a price beyond the slippage limit with SLIPPAGE_EXCEEDED. An LP
// that is down when the close is sent cannot trap the client: the close books at the platform quote and the
// coverage stays with the LP as the house's, and the dealers are told.
//
// Every other close of such a position — SL/TP, stop out, close all, a netting order's reduction, and any
// close of a C-Book position (the client deals with the house; only its hedge is at the LP) — books at the
// platform quote at once, and the LP gets the offset afterwards as the house's coverage order (kind COVERAGE,
// ClOrdID `C<close order id>`), so a quote's triggers never wait for an LP; any difference between the
// platform quote and the LP's fill is the house's. A C-Book position's hedge is offset by the same share: what
// stays hedged is the position's remaining volume times the hedged share, rounded down to the volume step.
//
// How much of a position is at its LP comes from lp_orders: the fills of its opening order and of the netting
// orders that added to it (`A…` or `H…`) minus those of its closes (`C…`); the hedged share is those fills over
// all the client opened and added. The offsets of one position run one after another, so each reads what the
// one before left.
import { Decimal } from 'decimal.js';
import { EngineError } from '@broker/api/errors';
import { planClosePosition, type AccountState, type CloseLeg, type PositionState } from '../domain/index.ts';
import { bookClose } from './close.ts';
import { fail, type CloseReason, type CloseResult, type DeskCore, type DeskRouting } from './desk-core.ts';
import { emptyWriteSet, type WriteSet } from './write-set.ts';

const ZERO = new Decimal(0);
const dec = (v: { toString(): string }) => new Decimal(v.toString());

interface LpCoverage {
  lp: { id: number; name: string };
  /** Lots of this position still at the LP: its opening fills minus its closes' fills. */
  openLots: Decimal;
  /** The share of the position's volume that went to the LP (A-Book: all of it; C-Book: the hedge's share). */
  share: Decimal;
}

/** Runs a position's LP closes one after another. */
export function serial<T>(core: DeskCore, positionId: bigint, fn: () => Promise<T>): Promise<T> {
  const next = (core.lpCloses.get(positionId) ?? Promise.resolve()).then(fn);
  const tail = next.then(
    () => undefined,
    () => undefined,
  );
  core.lpCloses.set(positionId, tail);
  void tail.then(() => {
    if (core.lpCloses.get(positionId) === tail) core.lpCloses.delete(positionId);
  });
  return next;
}

async function coverageOf(core: DeskCore, position: PositionState): Promise<LpCoverage | null> {
  const prisma = core.d.prisma;
  const opening = await prisma.lpOrder.findMany({
    where: { order: { positionId: position.id }, clOrdId: { startsWith: position.venue === 'ABOOK' ? 'A' : 'H' } },
    include: { lp: { select: { name: true } }, order: { select: { filledVolume: true } } },
  });
  const filled = opening.filter((o) => dec(o.filledVolume).gt(0));
  if (!filled.length) return null;
  const closes = await prisma.lpOrder.findMany({ where: { order: { closesPositionId: position.id }, clOrdId: { startsWith: 'C' } }, select: { filledVolume: true } });
  const atLp = filled.reduce((n, o) => n.plus(dec(o.filledVolume)), ZERO);
  // What the client opened and added (a netting order that adds to the position is one more opening order).
  const opens = await prisma.order.findMany({ where: { positionId: position.id, closesPositionId: null, filledVolume: { gt: 0 } }, select: { filledVolume: true } });
  const clientOpened = opens.reduce((n, o) => n.plus(dec(o.filledVolume)), ZERO);
  return {
    lp: { id: filled[0]!.lpId, name: filled[0]!.lp.name },
    openLots: closes.reduce((n, o) => n.minus(dec(o.filledVolume)), atLp),
    share: clientOpened.gt(0) ? atLp.div(clientOpened) : new Decimal(1),
  };
}

/** The LP holding a position's coverage (its opening order's fills), or null when nothing of it is at an LP. */
export async function positionLp(core: DeskCore, position: PositionState): Promise<{ id: number; name: string } | null> {
  return (await coverageOf(core, position))?.lp ?? null;
}

/** What the LP must be sent so that what stays there is the remaining volume's share, rounded down to a step. */
function offsetLots(cover: LpCoverage, remaining: Decimal, step: Decimal): Decimal {
  const keep = Decimal.min(remaining.times(cover.share).div(step).floor().times(step), cover.openLots);
  return Decimal.max(ZERO, cover.openLots.minus(keep));
}

function opposite(position: PositionState): 'BUY' | 'SELL' {
  return position.side === 'BUY' ? 'SELL' : 'BUY';
}

async function endClose(core: DeskCore, accountId: number, orderId: bigint, status: 'REJECTED' | 'EXPIRED', code: string, message: string): Promise<never> {
  const ws = emptyWriteSet();
  ws.orderUpdates.push({ id: orderId, data: { status, rejectCode: code, rejectReason: message.slice(0, 255) } });
  await core.commit(accountId, ws);
  throw new EngineError(code as 'LP_REJECTED', message);
}

/** A trader's or a dealer's close of an A-Book position, at the LP (runs on the account's queue). */
export async function aBookClose(
  core: DeskCore,
  routing: DeskRouting,
  account: AccountState,
  position: PositionState,
  volume: Decimal | undefined,
  reason: CloseReason | null,
  audit?: WriteSet['audit'][number],
): Promise<CloseResult> {
  const ctx = core.ctx(account.id);
  const check = planClosePosition(account, position, volume, ctx);
  if (!check.ok) fail(check);
  const closeVolume = check.close.volume;
  const why: CloseReason = reason ?? (check.close.remaining ? 'PARTIAL' : 'MANUAL');
  const spec = core.d.symbols(position.symbol)!;
  return serial(core, position.id, async () => {
    const cover = await coverageOf(core, position);
    const lots = cover ? offsetLots(cover, position.volume.minus(closeVolume), spec.volumeStep) : ZERO;
    // Nothing of it at an LP (opened before routing, or its fill went elsewhere): the house's own book.
    if (!cover || lots.lte(0)) return bookClose(core, account, position, check, why, { audit });

    const [orderId] = await core.d.ids.take('orders', 1);
    const ws = emptyWriteSet();
    ws.orders.push({
      id: orderId!,
      accountId: account.id,
      symbol: position.symbol,
      type: 'MARKET',
      side: opposite(position),
      volume: closeVolume.toString(),
      status: 'PENDING',
      closesPositionId: position.id,
      comment: why === 'MANUAL' ? null : why,
      venue: 'ABOOK',
      routeLpId: cover.lp.id,
      createdAt: new Date(core.d.clock()),
    });
    await core.commit(account.id, ws);

    const quote = core.d.quote(position.symbol)!;
    const exec = routing.execution();
    // The platform quote is the LP's widened by the markup, half on each side.
    const half = spec.markupPips.times(spec.pipSize).div(2);
    const lpBid = quote.bid.plus(half);
    const lpAsk = quote.ask.minus(half);
    const side = opposite(position);
    const slip = exec.maxSlippagePips.times(spec.pipSize);
    const out = await routing.send({
      orderId: orderId!,
      kind: 'CLIENT',
      lp: cover.lp,
      clOrdId: `C${orderId}`,
      symbol: position.symbol,
      side,
      volume: lots,
      limitPrice: exec.slippageControl ? (side === 'BUY' ? lpAsk.plus(slip) : lpBid.minus(slip)) : null,
      quote: { bid: lpBid, ask: lpAsk },
      timeoutMs: exec.timeoutMs,
    });
    const later = core.d.clock();

    if (!out.sent) {
      // The LP is away: the client is not trapped; the coverage stays with the LP, the house's to offset.
      const again = planClosePosition(account, position, closeVolume, { ...core.ctx(account.id), now: later });
      if (!again.ok) return endClose(core, account.id, orderId!, 'REJECTED', again.code, again.message);
      const reason = `${cover.lp.name} could not take the close (${out.reason ?? 'down'}): closed at the platform quote, the coverage stays with the LP`;
      routing.coverageLeft({ accountId: account.id, orderId: orderId!, positionId: position.id, lp: cover.lp.name, volume: lots, reason });
      return bookClose(core, account, position, again, why, {
        audit,
        existingOrderId: orderId!,
        route: { venue: 'BBOOK', rule: 'LP_DOWN_FALLBACK', reason, figures: { lp: cover.lp.name, lpAnswer: out.reason ?? null }, lpId: cover.lp.id },
      });
    }
    if (out.filledVolume.lte(0) || !out.avgPrice) {
      if (out.status === 'REJECTED') return endClose(core, account.id, orderId!, 'REJECTED', 'LP_REJECTED', `${cover.lp.name}: ${out.reason ?? 'rejected'}`);
      if (out.status === 'UNKNOWN') return endClose(core, account.id, orderId!, 'EXPIRED', 'LP_TIMEOUT', `${cover.lp.name} did not answer within ${exec.timeoutMs} ms: the position stays open`);
      if (out.beyondLimit) return endClose(core, account.id, orderId!, 'REJECTED', 'SLIPPAGE_EXCEEDED', `The price moved more than ${exec.maxSlippagePips} pips: not closed (${out.reason ?? ''})`.trim());
      return endClose(core, account.id, orderId!, 'EXPIRED', 'LP_REJECTED', `${cover.lp.name} filled nothing: ${out.reason ?? 'canceled'}`);
    }
    // The client's price: the LP's fill with the markup on the client's side; the volume, what the LP filled.
    const price = (side === 'BUY' ? out.avgPrice.plus(half) : out.avgPrice.minus(half)).toDecimalPlaces(spec.digits + 1);
    const clientVolume = out.filledVolume.gte(lots) ? closeVolume : closeVolume.times(out.filledVolume).div(lots).div(spec.volumeStep).floor().times(spec.volumeStep);
    const base = core.ctx(account.id);
    const at = { ...quote, bid: price, ask: price };
    const booked = clientVolume.gt(0)
      ? planClosePosition(account, position, clientVolume, { ...base, now: later, quotes: (s) => (s === position.symbol ? at : base.quotes(s)) })
      : ({ ok: false, code: 'INVALID_VOLUME', message: `${cover.lp.name} filled ${out.filledVolume} lots, less than a volume step of the position` } as const);
    if (!booked.ok) {
      // The LP closed, the client's books cannot take it: the fill stays with the house and the dealers are told.
      routing.unbooked({ orderId: orderId!, accountId: account.id, code: booked.code, message: booked.message, volume: out.filledVolume, price: out.avgPrice, lp: cover.lp.name, clOrdId: `C${orderId}` });
      return endClose(core, account.id, orderId!, 'REJECTED', booked.code, booked.message);
    }
    return bookClose(core, account, position, booked, why, {
      audit,
      existingOrderId: orderId!,
      requestedVolume: closeVolume,
      route: { venue: 'ABOOK', rule: 'POSITION_VENUE', reason: `closes an A-Book position at ${cover.lp.name}`, figures: { lp: cover.lp.name, lpVolume: lots.toString() }, lpId: cover.lp.id, lpOrderId: out.lpOrderId },
    });
  });
}

/**
 * After a close booked at the platform quote: what the closed volume had at its LP (all of an A-Book position's,
 * a C-Book position's hedged share) is offset there as the house's coverage order. Does not wait.
 */
export function offsetCoverage(core: DeskCore, routing: DeskRouting, position: PositionState, closeOrderId: bigint, leg: CloseLeg): void {
  if (position.venue !== 'ABOOK' && position.venue !== 'CBOOK') return;
  const spec = core.d.symbols(position.symbol);
  if (!spec) return;
  const remaining = leg.remaining?.volume ?? ZERO;
  void serial(core, position.id, async () => {
    const cover = await coverageOf(core, position);
    if (!cover) return;
    const lots = offsetLots(cover, remaining, spec.volumeStep);
    if (lots.lte(0)) return;
    const out = await routing.send({ orderId: closeOrderId, kind: 'COVERAGE', lp: cover.lp, clOrdId: `C${closeOrderId}`, symbol: position.symbol, side: opposite(position), volume: lots, timeoutMs: routing.execution().timeoutMs });
    core.d.log.info('coverage offset', { positionId: position.id, orderId: closeOrderId, lp: cover.lp.name, status: out.status, filled: out.filledVolume.toString(), price: out.avgPrice?.toString() ?? null });
    if (!out.sent || out.filledVolume.lt(lots))
      routing.coverageLeft({
        accountId: position.accountId,
        orderId: closeOrderId,
        positionId: position.id,
        lp: cover.lp.name,
        volume: lots.minus(out.filledVolume),
        reason: `${cover.lp.name} ${out.sent ? `filled ${out.filledVolume} of ${lots} (${out.status.toLowerCase()}${out.reason ? `: ${out.reason}` : ''})` : `could not take the offset (${out.reason ?? 'down'})`}`,
      });
  }).catch((err: Error) => core.d.log.error('coverage offset not sent', { positionId: position.id, orderId: closeOrderId, error: err.message }));
}
