'use client';
// The account statement (design.md §7.4): a period, its opening and closing balance, every ledger line the
// client may see, the trades and a summary — all from the engine's account.statement — and the engine's own
// CSV and PDF of it (account.statementFile), saved from the base64 it returns under the filename it gives.
import type { AccountBrief, StatementDto } from '@broker/api';
import {
  Button,
  ErrorNotice,
  Input,
  MoneyCell,
  PnlCell,
  TBody,
  THead,
  Table,
  TableRows,
  Td,
  Th,
  Tr,
  cx,
  formatDateTime,
  formatMoney,
  formatVolume,
} from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC, useTRPCClient } from '../trpc/react.ts';
import { useLayoutMode, usePref } from './prefs.ts';
import {
  STATEMENT_PRESETS,
  base64Bytes,
  customPeriod,
  isoDay,
  periodLabel,
  presetPeriod,
  type StatementPeriod,
  type StatementPreset,
} from './statement-period.ts';

const PRESET_IDS = STATEMENT_PRESETS.map((p) => p.id);

/** Save bytes the engine built as a file: a Blob behind a temporary link with the engine's filename. */
function saveFile(file: { filename: string; contentType: string; base64: string }) {
  const url = URL.createObjectURL(new Blob([base64Bytes(file.base64)], { type: file.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function StatementView({ account }: { account: AccountBrief }) {
  const [preset, setPreset] = usePref<StatementPreset>('rtx.statement.preset', 'thisMonth', PRESET_IDS);
  const [now] = useState(() => new Date());
  const [fromDay, setFromDay] = useState(() => isoDay(presetPeriod('thisMonth', now).from));
  const [toDay, setToDay] = useState(() => isoDay(now));
  const custom = customPeriod(fromDay, toDay);
  const period: StatementPeriod | null = preset === 'custom' ? ('error' in custom ? null : custom) : presetPeriod(preset, now);
  const phone = useLayoutMode() === 'phone';

  return (
    <div className="flex flex-col text-xs" data-testid="statement">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-800 px-2 py-1.5">
        <div className="flex gap-0.5" role="group" aria-label="Statement period">
          {STATEMENT_PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              aria-pressed={preset === p.id}
              onClick={() => setPreset(p.id)}
              data-testid={`statement-period-${p.id}`}
              className={cx('h-7 rounded px-2 font-medium', preset === p.id ? 'bg-sky-600 text-white' : 'text-zinc-400 hover:bg-zinc-800')}
            >
              {p.label}
            </button>
          ))}
        </div>
        {preset === 'custom' && (
          <div className="flex flex-wrap items-center gap-1.5">
            <label className="flex items-center gap-1 text-zinc-400">
              From
              <Input
                type="date"
                value={fromDay}
                max={toDay}
                onChange={(e) => setFromDay(e.target.value)}
                className="h-7 w-[8.5rem] py-0 text-xs"
                data-testid="statement-from"
              />
            </label>
            <label className="flex items-center gap-1 text-zinc-400">
              to
              <Input
                type="date"
                value={toDay}
                min={fromDay}
                onChange={(e) => setToDay(e.target.value)}
                className="h-7 w-[8.5rem] py-0 text-xs"
                data-testid="statement-to"
              />
            </label>
          </div>
        )}
        {period && <DownloadButtons account={account} period={period} />}
      </div>
      {'error' in custom && preset === 'custom' ? (
        <p className="p-3 text-amber-300" data-testid="statement-period-error">
          {custom.error}
        </p>
      ) : (
        period && <StatementBody account={account} period={period} phone={phone} />
      )}
    </div>
  );
}

function DownloadButtons({ account, period }: { account: AccountBrief; period: StatementPeriod }) {
  const client = useTRPCClient();
  const [busy, setBusy] = useState<'csv' | 'pdf' | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  async function download(format: 'csv' | 'pdf') {
    setBusy(format);
    setError(null);
    try {
      saveFile(await client.account.statementFile.query({ accountId: account.id, from: period.from, to: period.to, format }));
    } catch (e) {
      setError(appError(e));
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="ml-auto flex items-center gap-1.5">
      {error && <ErrorNotice compact error={error} testId="statement-download-error" />}
      <Button
        size="sm"
        onClick={() => void download('csv')}
        loading={busy === 'csv'}
        disabled={busy !== null}
        data-testid="statement-download-csv"
      >
        Download CSV
      </Button>
      <Button
        size="sm"
        variant="primary"
        onClick={() => void download('pdf')}
        loading={busy === 'pdf'}
        disabled={busy !== null}
        data-testid="statement-download-pdf"
      >
        Download PDF
      </Button>
    </div>
  );
}

function Fact({ label, children, testId, strong }: { label: string; children: ReactNode; testId?: string; strong?: boolean }) {
  return (
    <div className="flex items-baseline justify-between gap-3">
      <dt className="text-zinc-500">{label}</dt>
      <dd className={cx('font-mono tabular-nums', strong ? 'font-semibold text-zinc-100' : 'text-zinc-300')} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function StatementBody({ account, period, phone }: { account: AccountBrief; period: StatementPeriod; phone: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.account.statement.queryOptions({ accountId: account.id, from: period.from, to: period.to }));
  const s: StatementDto | undefined = q.data;
  const ccy = account.currency;
  const money = (v: StatementDto['openingBalance']) => formatMoney(v, { currency: ccy });
  if (q.isPending) return <p className="p-4 text-center text-zinc-500">Loading the statement…</p>;
  if (q.isError) return <ErrorNotice className="m-2" error={appError(q.error)} testId="statement-error" />;
  if (!s) return null;
  const sum = s.summary;
  const change = s.openingBalance.isZero() ? null : sum.net.div(s.openingBalance).mul(100);
  // The broker's credit is shown only on accounts that have had any: it is not balance (the lines' balance
  // column never moves with it).
  const hasCredit = !s.openingCredit.isZero() || !s.closingCredit.isZero() || s.lines.some((l) => l.type === 'CREDIT');
  return (
    <div className="flex flex-col gap-3 p-2" data-testid="statement-body" data-lines={s.lines.length}>
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 px-1">
        <h3 className="text-sm font-semibold text-zinc-100">
          Account statement · {s.accountNumber}{' '}
          <span className="font-normal text-zinc-500">
            ({s.type.toLowerCase()}, {s.currency})
          </span>
        </h3>
        <span className="text-zinc-400" data-testid="statement-period-label">
          {periodLabel(period)}
        </span>
      </header>
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="flex min-w-0 flex-col gap-2">
          <Fact label="Opening balance" testId="statement-opening" strong>
            {money(s.openingBalance)}
          </Fact>
          {hasCredit && (
            <Fact label="Opening credit (not balance)" testId="statement-opening-credit">
              {money(s.openingCredit)}
            </Fact>
          )}
          {phone ? (
            // On a phone each line is a card: what and when on the left, amount and balance after on the right.
            <ul className="flex flex-col divide-y divide-zinc-800 rounded border border-zinc-800" data-testid="statement-lines">
              {s.lines.length === 0 && <li className="p-3 text-center text-zinc-500">No entries in this period</li>}
              {s.lines.map((l) => (
                <li
                  key={l.id}
                  className="flex items-start gap-2 px-2 py-1.5"
                  data-testid={`statement-line-${l.id}`}
                  data-amount={l.amount.toFixed(2)}
                  data-balance={l.balance.toFixed(2)}
                >
                  <div className="min-w-0 flex-1">
                    <div className="text-zinc-200">{l.type.replaceAll('_', ' ').toLowerCase()}</div>
                    <div className="truncate text-[11px] text-zinc-500">{l.description}</div>
                    <div className="text-[11px] text-zinc-500">{formatDateTime(l.time)}</div>
                  </div>
                  <div className="flex shrink-0 flex-col items-end font-mono tabular-nums">
                    <PnlCell value={l.amount} />
                    <span className="text-[11px] text-zinc-400">
                      <MoneyCell value={l.balance} />
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <div className="overflow-x-auto rounded border border-zinc-800">
              <Table data-testid="statement-lines">
                <THead>
                  <tr>
                    <Th>Date</Th>
                    <Th>Type</Th>
                    <Th>Description</Th>
                    <Th numeric>Amount</Th>
                    <Th numeric>Balance</Th>
                    {hasCredit && <Th numeric>Credit</Th>}
                  </tr>
                </THead>
                <TBody>
                  <TableRows colSpan={hasCredit ? 6 : 5} query={q} rows={s.lines} unavailable="Statement unavailable" emptyText="No entries in this period">
                    {(rows) =>
                      rows.map((l) => (
                        <Tr
                          key={l.id}
                          data-testid={`statement-line-${l.id}`}
                          data-amount={l.amount.toFixed(2)}
                          data-balance={l.balance.toFixed(2)}
                        >
                          <Td className="whitespace-nowrap text-zinc-400">{formatDateTime(l.time)}</Td>
                          <Td>{l.type.replaceAll('_', ' ').toLowerCase()}</Td>
                          <Td className="max-w-[22rem] truncate text-zinc-400" title={l.description}>
                            {l.description}
                          </Td>
                          <Td numeric>
                            <PnlCell value={l.amount} />
                          </Td>
                          <Td numeric>
                            <MoneyCell value={l.balance} />
                          </Td>
                          {hasCredit && (
                            <Td numeric>
                              <MoneyCell value={l.credit} />
                            </Td>
                          )}
                        </Tr>
                      ))
                    }
                  </TableRows>
                </TBody>
              </Table>
            </div>
          )}
          <Fact label="Closing balance" testId="statement-closing" strong>
            {money(s.closingBalance)}
          </Fact>
          {hasCredit && (
            <Fact label="Closing credit (not balance)" testId="statement-closing-credit">
              {money(s.closingCredit)}
            </Fact>
          )}
        </div>
        <dl className="flex flex-col gap-1 rounded border border-zinc-800 p-2" data-testid="statement-summary">
          <dt className="mb-0.5 text-[10px] font-semibold uppercase tracking-wider text-zinc-500">Summary</dt>
          <dd className="contents">
            <Fact label="Deposits" testId="statement-deposits">
              {money(s.summary.deposits)}
            </Fact>
            <Fact label="Withdrawals" testId="statement-withdrawals">
              {money(sum.withdrawals)}
            </Fact>
            <Fact label="Realized P&L" testId="statement-realized">
              {money(sum.realizedPnl)}
            </Fact>
            <Fact label="Commission" testId="statement-commissions">
              {money(sum.commissions)}
            </Fact>
            <Fact label="Swap" testId="statement-swaps">
              {money(sum.swaps)}
            </Fact>
            <Fact label="Adjustments, bonus, NBP" testId="statement-other">
              {money(sum.other)}
            </Fact>
            <Fact label="Net change" testId="statement-net" strong>
              {money(sum.net)}
              {change && ` (${change.toDecimalPlaces(2).toString()} %)`}
            </Fact>
            {hasCredit && (
              <Fact label="Credit in − out" testId="statement-credit">
                {money(sum.credit)}
              </Fact>
            )}
            <Fact label="Deals · lots" testId="statement-deals">
              {sum.trades} · {formatVolume(sum.volumeLots)}
            </Fact>
          </dd>
        </dl>
      </div>
      <section>
        <h4 className="mb-1 px-1 text-[10px] font-semibold uppercase tracking-wider text-zinc-500">Trades</h4>
        {phone ? (
          <ul className="flex flex-col divide-y divide-zinc-800 rounded border border-zinc-800" data-testid="statement-trades">
            {s.trades.length === 0 && <li className="p-3 text-center text-zinc-500">No trades in this period</li>}
            {s.trades.map((t) => (
              <li key={t.id} className="px-2 py-1.5" data-testid={`statement-trade-${t.id}`}>
                <div className="flex items-baseline gap-2">
                  <span className="font-semibold">{t.symbol}</span>
                  <span className={t.side === 'BUY' ? 'text-sky-400' : 'text-rose-400'}>
                    {t.side} {t.entry === 'OPEN' ? 'in' : 'out'}
                  </span>
                  <span className="font-mono tabular-nums">{formatVolume(t.volume)}</span>
                  <span className="font-mono tabular-nums text-zinc-400">@ {t.price.toString()}</span>
                  <span className="ml-auto font-mono tabular-nums">
                    {t.realizedPnl ? <PnlCell value={t.realizedPnl} /> : <span className="text-zinc-600">—</span>}
                  </span>
                </div>
                <div className="text-[11px] text-zinc-500">{formatDateTime(t.executedAt)}</div>
              </li>
            ))}
          </ul>
        ) : (
          <div className="overflow-x-auto rounded border border-zinc-800">
            <Table data-testid="statement-trades">
              <THead>
                <tr>
                  <Th>Time</Th>
                  <Th>Symbol</Th>
                  <Th>Side</Th>
                  <Th numeric>Lots</Th>
                  <Th numeric>Price</Th>
                  <Th numeric>Profit</Th>
                </tr>
              </THead>
              <TBody>
                <TableRows colSpan={6} query={q} rows={s.trades} unavailable="Statement unavailable" emptyText="No trades in this period">
                  {(rows) =>
                    rows.map((t) => (
                      <Tr key={t.id} data-testid={`statement-trade-${t.id}`}>
                        <Td className="whitespace-nowrap text-zinc-400">{formatDateTime(t.executedAt)}</Td>
                        <Td className="font-semibold">{t.symbol}</Td>
                        <Td className={cx('whitespace-nowrap', t.side === 'BUY' ? 'text-sky-400' : 'text-rose-400')}>
                          {t.side} {t.entry === 'OPEN' ? 'in' : 'out'}
                        </Td>
                        <Td numeric>{formatVolume(t.volume)}</Td>
                        <Td numeric className="font-mono">
                          {t.price.toString()}
                        </Td>
                        <Td numeric>{t.realizedPnl ? <PnlCell value={t.realizedPnl} /> : <span className="text-zinc-600">—</span>}</Td>
                      </Tr>
                    ))
                  }
                </TableRows>
              </TBody>
            </Table>
          </div>
        )}
      </section>
    </div>
  );
}
