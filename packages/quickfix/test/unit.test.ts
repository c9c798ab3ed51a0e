// Runs with or without the QuickFIX library.
import { describe, expect, it } from 'vitest';
import { stripExceptionSpecs } from '../scripts/sanitize-headers.mjs';
import { buildSettings, loadQuickfix, marketDataRequest, parseExecutionReport, parseMarketData } from '../src/index.js';

describe('loader', () => {
  it('returns the binding or a reason, never throws', () => {
    const r = loadQuickfix();
    if (r.ok) expect(typeof r.binding.FixInitiator).toBe('function');
    else expect(r.reason).toMatch(/\w/);
  });
});

describe('header sanitizer', () => {
  it('removes dynamic exception specifications only', () => {
    const src = [
      'void start() throw ( ConfigError, RuntimeError );',
      'int add( int port,',
      '         int rcv = 0 ) throw( SocketException& );',
      'Message& getGroup( unsigned num ) const throw( FieldNotFound );',
      '~Exception() throw() {}',
      'throw FieldNotFound( field );',
    ].join('\n');
    const { text, count } = stripExceptionSpecs(src);
    expect(count).toBe(3);
    expect(text).not.toMatch(/throw\s*\(\s*\w/);
    expect(text).toContain('~Exception() throw() {}');
    expect(text).toContain('throw FieldNotFound( field );');
    expect(text.split('\n')).toHaveLength(6);
  });
});

describe('settings and FIX 4.4 helpers', () => {
  it('builds QuickFIX settings from a config object', () => {
    const s = buildSettings('initiator', {
      senderCompId: 'BROKER',
      targetCompId: 'LPSIM',
      port: 9876,
      fileStorePath: '/tmp/x',
      heartBtInt: 10,
      reconnectInterval: 2,
      dataDictionary: '/dd/FIX44.xml',
    });
    expect(s).toContain('ConnectionType=initiator');
    expect(s).toContain('SocketConnectPort=9876');
    expect(s).toContain('HeartBtInt=10');
    expect(s).toContain('ReconnectInterval=2');
    expect(s).toContain('DataDictionary=/dd/FIX44.xml');
    expect(s).toContain('FileStorePath=/tmp/x');
    expect(s).toMatch(/\[SESSION\]/);
  });

  it('builds a market data request with its groups', () => {
    const m = marketDataRequest({ mdReqId: 'r1', symbols: ['EUR/USD'] });
    expect(m.header[35]).toBe('V');
    expect(m.groups?.map((g) => g.index)).toEqual([267, 146]);
  });

  it('parses W/X groups into quotes and 35=8 into reports', () => {
    const q = parseMarketData({
      header: { 35: 'X' },
      trailer: {},
      tags: { 262: 'r1' },
      groups: {
        268: [
          { tags: { 279: '1', 269: '0', 55: 'EUR/USD', 270: '1.1', 271: '5' } },
          { tags: { 279: '1', 269: '1', 55: 'EUR/USD', 270: '1.2', 271: '6' } },
        ],
      },
    });
    expect(q).toEqual([{ mdReqId: 'r1', symbol: 'EUR/USD', kind: 'incremental', bid: 1.1, bidSize: 5, ask: 1.2, askSize: 6 }]);
    const r = parseExecutionReport({
      header: { 35: '8' },
      trailer: {},
      tags: { 37: 'o', 17: 'e', 150: 'F', 39: '1', 14: '5', 151: '5', 6: '1.2', 31: '1.2', 32: '5' },
    });
    expect(r?.execType).toBe('partial');
    expect(r?.cumQty).toBe(5);
  });
});
