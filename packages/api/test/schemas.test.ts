import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DepositInput, MarketOrderInput, RiskSettingsInput, zDecimal, zId, zText } from '../src/schemas.ts';
import { transformer } from '../src/transformer.ts';

describe('input schemas', () => {
  it('reads decimals exactly from strings, numbers and Decimals', () => {
    expect(zDecimal.parse('0.1').toString()).toBe('0.1');
    expect(zDecimal.parse(0.1).toString()).toBe('0.1');
    expect(zDecimal.parse(new Decimal('12345678.12345678')).toString()).toBe('12345678.12345678');
  });

  it.each(['NaN', 'Infinity', '-Infinity', 'abc', '', '1e400x'])('refuses %j as a decimal', (v) => {
    expect(zDecimal.safeParse(v).success).toBe(false);
  });

  it('refuses NaN sent as a number', () => expect(zDecimal.safeParse(Number.NaN).success).toBe(false));

  it('refuses non-positive volumes', () => {
    const base = { accountId: 1, symbol: 'EURUSD', side: 'BUY' };
    expect(MarketOrderInput.safeParse({ ...base, volume: '-0.1' }).success).toBe(false);
    expect(MarketOrderInput.safeParse({ ...base, volume: '0' }).success).toBe(false);
    expect(MarketOrderInput.parse({ ...base, volume: '0.10', symbol: 'eurusd' }).symbol).toBe('EURUSD');
  });

  it('keeps deposits to cents', () => {
    expect(DepositInput.safeParse({ accountId: 1, amount: '10.005' }).success).toBe(false);
    expect(DepositInput.parse({ accountId: 1, amount: '10.05' }).method).toBe('BANK_TRANSFER');
  });

  it('reads 64-bit ids from strings', () => {
    expect(zId.parse('9007199254740993')).toBe(9007199254740993n);
    expect(zId.safeParse('0').success).toBe(false);
    expect(zId.safeParse('12a').success).toBe(false);
  });
});

describe('input bounds (issue 12)', () => {
  it.each(['1e12', '1000000000000', '-1000000000000', '1e1000000000', '1e-1000000000', '0.000000001', '1e400'])('refuses %j', (v) => {
    expect(zDecimal.safeParse(v).success).toBe(false);
  });

  it('keeps what Decimal(20,8) holds', () => {
    expect(zDecimal.parse('999999999999.99999999').toFixed()).toBe('999999999999.99999999');
    expect(zDecimal.parse('1.5e3').toFixed()).toBe('1500');
    expect(zDecimal.safeParse(1e12).success).toBe(false);
    expect(zDecimal.safeParse(new Decimal('1e1000000000')).success).toBe(false);
  });

  it("refuses '1e1000000000' in a risk setting cheaply", () => {
    // Written out, that number is a billion digits (~1 GB per call). Refusing it must cost what refusing a
    // plain out-of-range number costs: compared side by side, not against the clock.
    const cost = (v: string) => {
      const started = performance.now();
      for (let i = 0; i < 200; i++) expect(RiskSettingsInput.safeParse({ maxDailyVolume: v }).success).toBe(false);
      return performance.now() - started;
    };
    cost('1e1000000000');
    let huge = 0;
    let plain = 0;
    for (let round = 0; round < 3; round++) {
      huge += cost('1e1000000000');
      plain += cost('1e40');
    }
    expect(huge).toBeLessThan(plain * 20 + 50);
  });

  it('text: bounded, no control characters, no lone surrogates', () => {
    const t = zText(10);
    expect(t.safeParse('plain ✓ 😀').success).toBe(true);
    for (const bad of ['a\u0000b', 'tab\there', 'del\u007f', '\ud800', 'x\udc00', 'x'.repeat(11)]) expect(t.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(zText(10, { multiline: true }).safeParse('a\nb\tc').success).toBe(true);
  });

  it('ids: 64-bit signed at most', () => {
    expect(zId.safeParse('9223372036854775807').success).toBe(true);
    expect(zId.safeParse('9223372036854775808').success).toBe(false);
  });
});

describe('wire transformer', () => {
  it('carries Decimal across as an exact decimal', () => {
    const wire = JSON.stringify(transformer.serialize({ balance: new Decimal('10093.12345678') }));
    const back = transformer.deserialize<{ balance: Decimal }>(JSON.parse(wire));
    expect(Decimal.isDecimal(back.balance)).toBe(true);
    expect(back.balance.toString()).toBe('10093.12345678');
  });
});

describe('wire transformer: shapes', () => {
  const roundTrip = <T>(v: T) => transformer.deserialize<T>(JSON.parse(JSON.stringify(transformer.serialize(v))));

  it('brings back Decimal, Date and bigint wherever they sit, and leaves plain JSON plain', () => {
    const v = {
      order: { id: '12', volume: new Decimal('0.01'), price: null, createdAt: new Date('2026-11-25T04:00:00.123Z'), seq: 9007199254740993n },
      rows: [{ amount: new Decimal('-5.5') }, { amount: null }, 3, 'x', [new Decimal('1e-8')]],
      flags: { ok: true, n: 1.5, s: 'str' },
      nothing: undefined,
    };
    const back = roundTrip(v);
    expect(back.order.volume).toBeInstanceOf(Decimal);
    expect(back.order.volume.toString()).toBe('0.01');
    expect(back.order.createdAt).toBeInstanceOf(Date);
    expect(back.order.createdAt.toISOString()).toBe('2026-11-25T04:00:00.123Z');
    expect(back.order.seq).toBe(9007199254740993n);
    expect((back.rows[0] as { amount: Decimal }).amount.toString()).toBe('-5.5');
    expect(back.rows[1]).toEqual({ amount: null });
    expect(back.rows.slice(2, 4)).toEqual([3, 'x']);
    expect(((back.rows[4] as Decimal[])[0] as Decimal).eq('1e-8')).toBe(true);
    expect(back.flags).toEqual({ ok: true, n: 1.5, s: 'str' });
    expect('nothing' in back).toBe(false);
    // Plain JSON readers see the exact figures as strings.
    const wire = transformer.serialize(v) as { json: { order: { volume: string; createdAt: string } }; meta?: unknown };
    expect(wire.json.order.volume).toBe('0.01');
    expect(wire.json.order.createdAt).toBe('2026-11-25T04:00:00.123Z');
    expect(transformer.serialize({ a: 1, b: ['x'] })).toEqual({ json: { a: 1, b: ['x'] } });
  });

  it('top-level specials and undefined', () => {
    expect(roundTrip(new Decimal('3.14')).toString()).toBe('3.14');
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip(5n)).toBe(5n);
  });

  it('takes a plain JSON request body as is, and never lets meta reach the prototype', () => {
    expect(transformer.deserialize({ json: { accountId: 1, volume: '0.5' } })).toEqual({ accountId: 1, volume: '0.5' });
    const evil = transformer.deserialize<Record<string, unknown>>(JSON.parse('{"json":{"a":"1","__proto__":{"x":"1"}},"meta":{"__proto__":{"x":"D"},"a":"D","b":"D"}}'));
    expect(Object.getPrototypeOf(evil)).toBe(Object.prototype);
    expect((evil.a as Decimal).toString()).toBe('1');
    expect('b' in evil).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('rejects a Decimal tag on something that is not a number', () => {
    expect(() => transformer.deserialize({ json: { v: 'abc' }, meta: { v: 'D' } })).toThrow();
  });
});
