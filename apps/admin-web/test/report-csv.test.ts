import type { ReportDto } from '@broker/api';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { reportCsv, reportFileName } from '../src/reports/report-csv.ts';

const t = (trades: number, lots: string, pnl: string) => ({ trades, volumeLots: new Decimal(lots), realizedPnl: new Decimal(pnl), commissions: new Decimal('7'), swaps: new Decimal('-0.1') });
const report: ReportDto = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-12-01T00:00:00Z'),
  totals: t(3, '1.5', '10.005'),
  byDay: [{ day: '2026-11-02', ...t(2, '1', '-12.5') }],
  byClient: [{ accountId: 7, accountNumber: 'RTX-0000007', clientName: 'Ada Lovelace', ...t(3, '1.5', '0.1') }],
  bySymbol: [{ symbol: 'EURUSD', ...t(3, '1.5', '0.30000000000000004') }],
  byVenue: [{ venue: 'BBOOK', trades: 3, volumeLots: new Decimal('1.5') }],
};

describe('reportCsv', () => {
  it('writes one header and a row per day with money at two places', () => {
    expect(reportCsv(report, 'day')).toBe('day,trades,volume_lots,client_realized_pnl,commissions,swaps\n2026-11-02,2,1.00,-12.50,7.00,-0.10\n');
  });
  it('rounds decimals exactly, never through a float', () => {
    expect(reportCsv(report, 'symbol').split('\n')[1]).toBe('EURUSD,3,1.50,0.30,7.00,-0.10');
  });
  it('keys clients by id, number and name, venues by count and lots', () => {
    expect(reportCsv(report, 'client').split('\n')[0]).toBe('account_id,account_number,client_name,trades,volume_lots,client_realized_pnl,commissions,swaps');
    expect(reportCsv(report, 'client').split('\n')[1]).toBe('7,RTX-0000007,Ada Lovelace,3,1.50,0.10,7.00,-0.10');
    expect(reportCsv(report, 'venue')).toBe('venue,trades,volume_lots\nBBOOK,3,1.50\n');
  });
  it('quotes a field with a comma', () => {
    const odd = { ...report, bySymbol: [{ ...report.bySymbol[0]!, symbol: 'A,B' }] };
    expect(reportCsv(odd, 'symbol').split('\n')[1]).toBe('"A,B",3,1.50,0.30,7.00,-0.10');
  });
  it('names the file after the grouping and the period', () => {
    expect(reportFileName(report, 'symbol')).toBe('report-symbol-2026-11-01_2026-12-01.csv');
  });
});
