// The ticket's checks as the trader types: the engine's pre-trade rules, said next to the field, and the largest
// volume the free margin allows instead of a negative margin level.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { checkTicket, maxVolumeByMargin, readDecimal, type TicketDraft } from '../src/terminal/ticket-validation.ts';

const d = (s: string) => new Decimal(s);
const EURUSD = { name: 'EURUSD', minVolume: d('0.01'), maxVolume: d('100'), volumeStep: d('0.01'), digits: 5 };
const quote = { bid: d('1.08500'), ask: d('1.08510') };
const now = Date.parse('2026-12-03T12:00:00Z');
const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ({
  type: 'MARKET',
  side: 'BUY',
  volume: '0.10',
  price: '',
  stopPrice: '',
  sl: '',
  tp: '',
  trailDistance: '',
  trailStep: '',
  expiresAt: 'GTC',
  ...over,
});
const check = (over: Partial<TicketDraft>, ctx: Partial<Parameters<typeof checkTicket>[1]> = {}) =>
  checkTicket(draft(over), { spec: EURUSD, quote, now, ...ctx });

describe('volume', () => {
  it('passes a volume within the limits and on the step', () => {
    expect(check({}).errors).toEqual({});
  });
  it('says what is wrong with the volume, in words', () => {
    expect(check({ volume: '' }).errors.volume).toBe('Enter a volume in lots');
    expect(check({ volume: 'abc' }).errors.volume).toBe('Volume must be a number like 1.2345');
    expect(check({ volume: '0' }).errors.volume).toBe('Volume must be more than 0');
    expect(check({ volume: '0.001' }).errors.volume).toBe('The smallest volume for EURUSD is 0.01 lots');
    expect(check({ volume: '100000' }).errors.volume).toBe('At most 100 lots per order on EURUSD');
    expect(check({ volume: '0.125' }).errors.volume).toBe('Volume goes in steps of 0.01 lots');
  });
  it('says the largest volume the free margin allows instead of previewing a negative margin level', () => {
    // 1 lot of EURUSD at 1:30 ≈ 3,617 USD of margin and 7 USD of commission; 10,000 USD free.
    const ctx = { freeMargin: d('10000'), marginPerLot: d('3617'), commissionPerLot: d('7') };
    const r = check({ volume: '90' }, ctx);
    expect(r.maxVolume?.toString()).toBe('2.75');
    expect(r.errors.volume).toBe('Free margin allows at most 2.75 lots');
    expect(check({ volume: '2.75' }, ctx).errors.volume).toBeUndefined();
    expect(check({ volume: '2.76' }, ctx).errors.volume).toBe('Free margin allows at most 2.75 lots');
  });
  it('says when the free margin is not enough for the minimum volume', () => {
    const r = check({ volume: '0.01' }, { freeMargin: d('10'), marginPerLot: d('3617'), commissionPerLot: d('7') });
    expect(r.errors.volume).toBe('Free margin is not enough for even 0.01 lots');
  });
  it('caps the largest volume at the symbol maximum and floors it to the step', () => {
    expect(maxVolumeByMargin(d('1e9'), d('3617'), d('7'), EURUSD).toString()).toBe('100');
    expect(maxVolumeByMargin(d('-5'), d('3617'), d('7'), EURUSD).toString()).toBe('0');
    expect(maxVolumeByMargin(d('3624'), d('3617'), d('7'), EURUSD).toString()).toBe('1');
  });
});

describe('stops of a market order (checked against each button’s fill price)', () => {
  it('a stop loss below the ask suits a BUY only', () => {
    const r = check({ sl: '1.08400' });
    expect(r.bySide.BUY).toEqual({});
    expect(r.bySide.SELL.sl).toBe('For a SELL the stop loss must be above 1.08500');
  });
  it('a take profit above the bid suits a BUY; below suits a SELL', () => {
    expect(check({ tp: '1.09000' }).bySide.SELL.tp).toBe('For a SELL the take profit must be below 1.08500');
    expect(check({ tp: '1.08000' }).bySide.BUY.tp).toBe('For a BUY the take profit must be above 1.08510');
  });
  it('a stop loss and a take profit both below the market suit neither side', () => {
    const r = check({ sl: '1.08400', tp: '1.08450' });
    expect(r.bySide.BUY).toEqual({ tp: 'For a BUY the take profit must be above 1.08510' });
    expect(r.bySide.SELL).toEqual({ sl: 'For a SELL the stop loss must be above 1.08500' });
  });
  it('junk in a stop field is an error whatever the side', () => {
    expect(check({ sl: '1,0850' }).errors.sl).toBe('Stop loss must be a number like 1.2345');
  });
});

describe('pending orders (the engine’s checkPendingPrice)', () => {
  it('a BUY LIMIT rests below the ask, a SELL LIMIT above the bid', () => {
    expect(check({ type: 'LIMIT', side: 'BUY', price: '1.08400' }).errors).toEqual({});
    expect(check({ type: 'LIMIT', side: 'BUY', price: '1.08600' }).errors.price).toBe('A BUY LIMIT must be below the ask 1.08510');
    expect(check({ type: 'LIMIT', side: 'SELL', price: '1.08400' }).errors.price).toBe('A SELL LIMIT must be above the bid 1.08500');
  });
  it('a BUY STOP rests above the ask, a SELL STOP below the bid', () => {
    expect(check({ type: 'STOP', side: 'BUY', price: '1.08400' }).errors.price).toBe('A BUY STOP must be above the ask 1.08510');
    expect(check({ type: 'STOP', side: 'SELL', price: '1.08400' }).errors).toEqual({});
  });
  it('a STOP-LIMIT needs its stop through the market and its limit at or beyond the stop', () => {
    expect(check({ type: 'STOP_LIMIT', side: 'BUY', price: '1.08600', stopPrice: '' }).errors.stopPrice).toBe('Enter the stop price that triggers the order');
    expect(check({ type: 'STOP_LIMIT', side: 'BUY', price: '1.08600', stopPrice: '1.08400' }).errors.stopPrice).toBe('The stop must be above the ask 1.08510');
    expect(check({ type: 'STOP_LIMIT', side: 'BUY', price: '1.08700', stopPrice: '1.08600' }).errors.price).toBe('The limit must be at or below the stop 1.08600');
    expect(check({ type: 'STOP_LIMIT', side: 'BUY', price: '1.08600', stopPrice: '1.08600' }).errors).toEqual({});
  });
  it('checks SL/TP against the order price, not the market', () => {
    const r = check({ type: 'LIMIT', side: 'BUY', price: '1.08000', sl: '1.08100', tp: '1.08300' });
    expect(r.errors.sl).toBe('For a BUY the stop loss must be below 1.08000');
    expect(r.errors.tp).toBeUndefined();
  });
  it('wants a GTD expiry in the future', () => {
    expect(check({ type: 'LIMIT', price: '1.08000', expiresAt: new Date(now - 60_000) }).errors.expiresAt).toBe('The expiry must be in the future');
    expect(check({ type: 'LIMIT', price: '1.08000', expiresAt: null }).errors.expiresAt).toBe('Choose the date and time the order expires');
    expect(check({ type: 'LIMIT', price: '1.08000', expiresAt: new Date(now + 60_000) }).errors.expiresAt).toBeUndefined();
  });
  it('an empty price is asked for', () => {
    expect(check({ type: 'LIMIT', price: '' }).errors.price).toBe('Enter the order price');
  });
});

describe('readDecimal', () => {
  it('reads plain positive decimals and nothing else', () => {
    expect(readDecimal(' 1.5 ', 'X')).toEqual(d('1.5'));
    expect(readDecimal('', 'X')).toBeNull();
    expect(readDecimal('1e3', 'X')).toBe('X must be a number like 1.2345');
    expect(readDecimal('-1', 'X')).toBe('X must be a number like 1.2345');
  });
});
