import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { lpScorecards, type LpOrderView } from '../src/domain/lp-scorecard.ts';

const d = (v: Decimal.Value) => new Decimal(v);
const pips: Record<string, Decimal> = { EURUSD: d('0.0001'), USDJPY: d('0.01') };

function o(lpId: number, symbol: string, side: 'BUY' | 'SELL', volume: string, status: LpOrderView['status'], extra: Partial<LpOrderView> = {}): LpOrderView {
  return { lpId, symbol, side, volume: d(volume), status, filledVolume: d(0), avgPrice: null, rejectReason: null, sentAt: 0, answeredAt: null, quoteBid: null, quoteAsk: null, ...extra };
}

const ORDERS: LpOrderView[] = [
  o(1, 'EURUSD', 'BUY', '1', 'FILLED', { filledVolume: d(1), avgPrice: d('1.08453'), quoteBid: d('1.08450'), quoteAsk: d('1.08452'), sentAt: 0, answeredAt: 12 }),
  o(1, 'EURUSD', 'SELL', '2', 'FILLED', { filledVolume: d(2), avgPrice: d('1.08455'), quoteBid: d('1.08450'), quoteAsk: d('1.08452'), sentAt: 100, answeredAt: 108 }),
  o(1, 'EURUSD', 'BUY', '1', 'PARTIAL', { filledVolume: d('0.4'), avgPrice: d('1.08460'), quoteBid: d('1.08448'), quoteAsk: d('1.08450'), sentAt: 200, answeredAt: 230 }),
  o(1, 'EURUSD', 'BUY', '1', 'REJECTED', { rejectReason: 'price off market', sentAt: 300, answeredAt: 305 }),
  o(1, 'EURUSD', 'SELL', '1', 'REJECTED', { rejectReason: 'price off market', sentAt: 400, answeredAt: 403 }),
  o(1, 'EURUSD', 'BUY', '1', 'REJECTED', { sentAt: 500, answeredAt: 506 }),
  o(1, 'EURUSD', 'BUY', '0.5', 'EXPIRED', { sentAt: 550 }),
  o(1, 'EURUSD', 'BUY', '1', 'SENT', { sentAt: 700 }),
  o(1, 'EURUSD', 'BUY', '1', 'FILLED', { filledVolume: d(1), avgPrice: d('1.0846'), sentAt: 600, answeredAt: 650 }),
  o(2, 'EURUSD', 'BUY', '1', 'FILLED', { filledVolume: d(1), avgPrice: d('1.08452'), quoteAsk: d('1.08452'), quoteBid: d('1.08450'), sentAt: 0, answeredAt: 20 }),
  o(1, 'USDJPY', 'SELL', '1', 'FILLED', { filledVolume: d(1), avgPrice: d('149.990'), quoteBid: d('150.000'), quoteAsk: d('150.002'), sentAt: 0, answeredAt: 9 }),
];

describe('LP scorecards', () => {
  const cards = lpScorecards(ORDERS, (s) => pips[s]);

  it('gives one card per LP and symbol', () => {
    expect(cards.map((c) => `${c.lpId} ${c.symbol} ${c.orders}`)).toEqual(['1 EURUSD 9', '1 USDJPY 1', '2 EURUSD 1']);
  });

  it('counts outcomes, fill ratio by volume and reject reasons; orders in flight apart', () => {
    const c = cards[0]!;
    expect(c.inFlight).toBe(1);
    expect(c.byStatus).toEqual({ FILLED: 3, PARTIAL: 1, REJECTED: 3, EXPIRED: 1, UNKNOWN: 0 });
    // Filled 1 + 2 + 0.4 + 1 = 4.4 of 8.5 requested (the SENT lot not counted).
    expect(c.fillRatioPercent!.toFixed(4)).toBe('51.7647');
    expect(c.ordersFilledPercent!.toString()).toBe('50');
    expect(c.rejectReasons).toEqual({ 'price off market': 2, '': 1 });
  });

  it('measures slippage against the quote at send in pips, worse for us positive, weighted by filled volume', () => {
    const c = cards[0]!;
    // +0.1 × 1, −0.5 × 2 (a better price), +1.0 × 0.4; the fill with no quote at send is left out: −0.5 / 3.4.
    expect(c.avgSlippagePips!.toFixed(4)).toBe('-0.1471');
    expect(c.worstSlippagePips!.toString()).toBe('1');
    expect(cards[1]!.avgSlippagePips!.toString()).toBe('1'); // SELL at 149.990 against a 150.000 bid
    expect(cards[2]!.avgSlippagePips!.toString()).toBe('0');
  });

  it('gives response times by nearest rank over the answered orders', () => {
    // 3, 5, 6, 8, 12, 30, 50 ms (the expired and the in-flight order have no answer).
    expect(cards[0]!.responseMs).toEqual({ p50: 8, p99: 50, max: 50 });
  });

  it('knows nothing of an LP whose orders are all in flight', () => {
    const [c] = lpScorecards([o(3, 'EURUSD', 'BUY', '1', 'SENT')], (s) => pips[s]);
    expect(c).toMatchObject({ orders: 1, inFlight: 1, fillRatioPercent: null, ordersFilledPercent: null, avgSlippagePips: null, responseMs: null });
  });
});
