// admin.lps.upsert's settings (issue 13): every documented setting, the objects among them (quickfix, backoff,
// contractSizes) included, within bounds; a plain value anywhere else as before.
import { describe, expect, it } from 'vitest';
import { LpUpsertInput } from '../src/schemas.ts';

const fix = (settings: Record<string, unknown>) => LpUpsertInput.safeParse({ name: 'YOFX', type: 'FIX', settings });

describe('LP settings', () => {
  it('takes the documented object settings: quickfix, backoff and contractSizes', () => {
    const r = fix({
      host: 'fix.example.com',
      port: 9876,
      senderCompId: 'BROKER',
      symbols: ['EUR/USD'],
      quickfix: { SocketConnectHost1: 'fix2.example.com', SocketConnectPort1: 9877, ValidateUserDefinedFields: false },
      backoff: { baseMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 },
      contractSizes: { XAUUSD: 100, EURUSD: '100000' },
      spikeConfirmMs: 3000,
      quietAfterMs: 60_000,
      fallback: false,
    });
    expect(r.success).toBe(true);
    expect(r.data!.settings).toMatchObject({ quickfix: { SocketConnectPort1: 9877 }, backoff: { jitter: 0.5 }, contractSizes: { XAUUSD: 100 } });
  });

  it('refuses them out of bounds or malformed', () => {
    expect(fix({ backoff: { jitter: 2 } }).success).toBe(false);
    expect(fix({ backoff: { baseMs: 1 } }).success).toBe(false);
    expect(fix({ backoff: { retries: 3 } }).success).toBe(false);
    expect(fix({ contractSizes: { XAUUSD: -1 } }).success).toBe(false);
    expect(fix({ contractSizes: { XAUUSD: '1e9' } }).success).toBe(false);
    expect(fix({ quickfix: { 'bad key': 'x' } }).success).toBe(false);
    expect(fix({ quickfix: { FileLogPath: { nested: true } } }).success).toBe(false);
    expect(fix({ spikeConfirmMs: -1 }).success).toBe(false);
    expect(fix({ quietAfterMs: 10 }).success).toBe(false);
    expect(fix({ fallback: 'yes' }).success).toBe(false);
    // Any other object is still refused: only the documented ones are objects.
    expect(fix({ somethingElse: { a: 1 } }).success).toBe(false);
  });
});
