// The history tab's periods and totals.
import type { TradeDto } from '@broker/api';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { historyTotals, periodStart } from '../src/terminal/history-math.ts';

const d = (s: string) => new Decimal(s);
const deal = (over: Partial<TradeDto>): TradeDto => ({
  id: '1',
  orderId: '1',
  positionId: '1',
  symbol: 'EURUSD',
  side: 'BUY',
  entry: 'OPEN',
  volume: d('0.1'),
  price: d('1.1'),
  realizedPnl: null,
  commission: d('0'),
  swap: d('0'),
  executedAt: new Date(),
  closeReason: null,
  venue: 'BBOOK',
  ...over,
});

describe('history', () => {
  it('a period starts at local midnight, that many days back; All has no start', () => {
    const now = new Date(2026, 11, 3, 15, 30);
    expect(periodStart('today', now)).toEqual(new Date(2026, 11, 3));
    expect(periodStart('7d', now)).toEqual(new Date(2026, 10, 26));
    expect(periodStart('all', now)).toBeNull();
  });
  it('totals: realized profit, commission (a positive cost on the deal) and swap, and what they made of the balance', () => {
    const t = historyTotals([
      deal({ entry: 'OPEN', commission: d('0.70') }),
      deal({ entry: 'CLOSE', volume: d('0.05'), realizedPnl: d('3.21'), swap: d('-0.12') }),
      deal({ entry: 'CLOSE', volume: d('0.05'), realizedPnl: d('-1.00'), swap: d('-0.13') }),
    ]);
    expect(t.deals).toBe(3);
    expect(t.closedVolume.toString()).toBe('0.1');
    expect(t.profit.toFixed(2)).toBe('2.21');
    expect(t.commission.toFixed(2)).toBe('0.70');
    expect(t.swap.toFixed(2)).toBe('-0.25');
    // 2.21 - 0.25 - 0.70: what the balance moved by.
    expect(t.net.toFixed(2)).toBe('1.26');
  });
});
