import { describe, expect, it } from 'vitest';
import { quoteDistanceOf } from '../src/risk/quote-distance.ts';

// The details risk.pushQuote attaches to QUOTE_TOO_FAR (apps/engine/src/engine/risk.ts).
const details = {
  symbol: 'XAUUSD',
  bid: '2200.00',
  ask: '2200.50',
  reference: { bid: '2000.00', ask: '2000.50', lp: 'SIMULATED', from: 'feed' },
  deviation: '0.099975',
  bound: '0.05',
  confirmed: false,
};

describe('quoteDistanceOf', () => {
  it('says the distance and the bound in per cent, with the live feed it was measured against', () => {
    expect(quoteDistanceOf(details)).toEqual({
      symbol: 'XAUUSD',
      bid: '2200.00',
      ask: '2200.50',
      reference: { bid: '2000.00', ask: '2000.50', lp: 'SIMULATED', from: 'feed' },
      distancePercent: '10.00',
      boundPercent: '5.00',
    });
  });
  it('rounds exactly, never through a float', () => {
    expect(quoteDistanceOf({ ...details, deviation: '0.0500049999' })!.distancePercent).toBe('5.00');
    expect(quoteDistanceOf({ ...details, deviation: '0.050005' })!.distancePercent).toBe('5.00');
    expect(quoteDistanceOf({ ...details, deviation: '0.05005' })!.distancePercent).toBe('5.01');
  });
  it('keeps a quote with no reference (the first price of a symbol) and refuses details it cannot read', () => {
    expect(quoteDistanceOf({ ...details, reference: null })!.reference).toBeNull();
    expect(quoteDistanceOf(undefined)).toBeNull();
    expect(quoteDistanceOf({ ...details, deviation: null })).toBeNull();
    expect(quoteDistanceOf({ ...details, bid: 2200 })).toBeNull();
  });
});
