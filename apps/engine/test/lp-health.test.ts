// The LP health bookkeeping the network adapters share: status shape, recent errors, latency average, and the
// credential check's reasons.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createBinanceLp } from '../src/lp/binance/binance-lp.ts';
import { createFixLp } from '../src/lp/fix/fix-lp.ts';
import { LATENCY_WEIGHT, LpHealth, MAX_RECENT_ERRORS, missingCredential } from '../src/lp/health.ts';

describe('LpHealth', () => {
  it('reports state, reason, last quote, rounded latency average, connected since and reconnects', () => {
    let now = 1_000;
    const counts = { errors: 0 };
    const h = new LpHealth(() => now, counts);
    expect(h.status('LP1', 'REST')).toEqual({
      name: 'LP1',
      type: 'REST',
      state: 'DISCONNECTED',
      lastQuoteAt: null,
      latencyMs: null,
      connectedSince: null,
      reconnects: 0,
      failedAttempts: 0,
      recentErrors: [],
    });
    h.set('CONNECTED');
    h.connectedSince = 900;
    h.quoted(1_010, 1_000); // 10 ms
    h.quoted(1_030, 1_000); // 30 ms → 10 + 0.2 × 20 = 14
    h.quoted(1_040); // no LP timestamp: the average stays
    expect(h.status('LP1', 'REST')).toMatchObject({ state: 'CONNECTED', lastQuoteAt: 1_040, latencyMs: Math.round(10 + LATENCY_WEIGHT * 20), connectedSince: 900 });
    expect(h.status('LP1', 'REST')).not.toHaveProperty('reason');
    h.set('DISCONNECTED', 'socket hang up');
    h.reconnects++;
    now = 2_000;
    h.error('socket hang up');
    // The state can be given (the FIX adapter maps its session state).
    expect(h.status('LP1', 'FIX', 'UNAVAILABLE')).toMatchObject({
      type: 'FIX',
      state: 'UNAVAILABLE',
      reason: 'socket hang up',
      reconnects: 1,
      recentErrors: [{ at: 2_000, message: 'socket hang up' }],
    });
    expect(counts.errors).toBe(1);
  });

  it('counts successful reconnects apart from failed attempts, and gives a reason while CONNECTING', () => {
    const h = new LpHealth(() => 0, { errors: 0 });
    h.connecting();
    expect(h.status('LP1', 'REST')).toMatchObject({ state: 'CONNECTING', reason: 'connecting' });
    h.failed('connection error: connect ECONNREFUSED 127.0.0.1:1');
    h.connecting();
    h.failed('connection error: connect ECONNREFUSED 127.0.0.1:1');
    h.connecting();
    expect(h.status('LP1', 'REST')).toMatchObject({ state: 'CONNECTING', reason: 'reconnecting (after 2 failed attempts; last: connection error: connect ECONNREFUSED 127.0.0.1:1)', reconnects: 0, failedAttempts: 2 });
    h.connected(10);
    expect(h.status('LP1', 'REST')).toMatchObject({ state: 'CONNECTED', connectedSince: 10, reconnects: 0 });
    expect(h.status('LP1', 'REST')).not.toHaveProperty('reason');
    h.failed('closed by server: 1006');
    expect(h.status('LP1', 'REST')).toMatchObject({ state: 'DISCONNECTED', reason: 'closed by server: 1006', connectedSince: null });
    h.connecting();
    h.connected(20);
    expect(h.status('LP1', 'REST')).toMatchObject({ reconnects: 1, failedAttempts: 3 });
  });

  it('keeps the newest errors only, and hands out copies', () => {
    const counts = { errors: 0 };
    const h = new LpHealth(() => 5, counts);
    for (let i = 0; i < MAX_RECENT_ERRORS + 5; i++) h.error(`e${i}`);
    const errors = h.status('X', 'FIX').recentErrors;
    expect(errors).toHaveLength(MAX_RECENT_ERRORS);
    expect(errors[0]!.message).toBe('e5');
    expect(errors.at(-1)!.message).toBe(`e${MAX_RECENT_ERRORS + 4}`);
    expect(counts.errors).toBe(MAX_RECENT_ERRORS + 5);
    errors.length = 0;
    expect(h.status('X', 'FIX').recentErrors).toHaveLength(MAX_RECENT_ERRORS);
  });
});

describe('missingCredential', () => {
  it('names the first variable that is not set, with what it holds', () => {
    const env = { OANDA_TOKEN: 'secret', EMPTY: '' };
    expect(missingCredential({ token: 'OANDA_TOKEN' }, env, { token: 'OANDA API token' })).toBeUndefined();
    expect(missingCredential({ token: 'OANDA_TOKEN2' }, env, { token: 'OANDA API token' })).toBe('environment variable OANDA_TOKEN2 (OANDA API token) is not set');
    expect(missingCredential({ apiKey: 'EMPTY' }, env)).toBe('environment variable EMPTY (apiKey) is not set');
    // A credential with no variable named is not asked for.
    expect(missingCredential({ username: undefined, password: 'NOPE' }, env, { password: 'FIX password' })).toBe('environment variable NOPE (FIX password) is not set');
  });

  it('reports an empty variable name as not set, and labels only from the labels given', () => {
    expect(missingCredential({ apiKey: '' }, { '': undefined })).toBe('environment variable  (apiKey) is not set');
    expect(missingCredential({ constructor: 'NOPE' }, {})).toBe('environment variable NOPE (constructor) is not set');
  });
});

describe('credential checks in the adapters', () => {
  const silent = createLogger('test', { silent: true });

  it('Binance: every declared variable must be set, an empty name included', async () => {
    // An empty name is no LP_… name: refused by the credential policy (credentials.ts) before it is looked up.
    const lp = createBinanceLp({ name: 'BINANCE', settings: { wsUrl: 'ws://127.0.0.1:9' }, credentialEnv: { apiKey: '' }, env: {}, logger: silent });
    await lp.start(() => {});
    expect(lp.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'credentialEnv.apiKey may only name an environment variable LP_… (upper case, digits, _): "" is refused' });
    await lp.stop();
    const unset = createBinanceLp({ name: 'BINANCE', settings: { wsUrl: 'ws://127.0.0.1:9' }, credentialEnv: { apiKey: 'LP_BINANCE_KEY' }, env: {}, logger: silent });
    await unset.start(() => {});
    expect(unset.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'environment variable LP_BINANCE_KEY (apiKey) is not set' });
    await unset.stop();
  });

  it('FIX: an empty variable name declares no credential', async () => {
    const lp = createFixLp({
      name: 'YOFX',
      settings: { host: '127.0.0.1', port: 9, senderCompId: 'B', targetCompId: 'L' },
      // The username is checked first: the reason names the password, so the empty name asked for nothing.
      credentialEnv: { username: '', password: 'LP_TEST_PASSWORD' },
      env: {},
      logger: silent,
      loadQuickfix: () => ({ ok: true, binding: {} as never }),
    });
    await lp.start(() => {});
    expect(lp.status()).toMatchObject({ state: 'UNAVAILABLE', reason: 'environment variable LP_TEST_PASSWORD (FIX password) is not set' });
    await lp.stop();
  });
});
