'use client';
// The symbol specification, one click from the watchlist: the engine's account.symbolSpec for this account —
// the contract, the margin percent, the account's leverage and the leverage that really applies on the symbol
// (trading-rules.md, Margin: ratio = max(1 / account leverage, marginPercent / 100)), swaps, the triple-swap
// day, commission, markup and the UTC trading sessions — with the engine's own margin for one lot at today's
// price (risk.marginPreview). Until the engine answers, the market list's facts are shown.
import type { AccountBrief, SymbolDto } from '@broker/api';
import { FactList, Modal, formatMoney, formatVolume } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useTRPC } from '../trpc/react.ts';
import { dayName, tradingHoursLines } from './trading-hours.ts';

const lev = (d: Decimal.Value) => `1:${new Decimal(d).toDecimalPlaces(2).toString()}`;

export function SymbolSpecModal({ spec: listed, account, onClose }: { spec: SymbolDto; account: AccountBrief; onClose: () => void }) {
  const trpc = useTRPC();
  const engine = useQuery(trpc.account.symbolSpec.queryOptions({ accountId: account.id, symbol: listed.name }, { staleTime: 30_000 }));
  const e = engine.data;
  const spec = e ?? listed;
  const oneLot = Decimal.max(spec.minVolume, Decimal.min(new Decimal(1), spec.maxVolume));
  const preview = useQuery(
    trpc.risk.marginPreview.queryOptions(
      { accountId: account.id, symbol: spec.name, side: 'BUY', volume: oneLot.toString() },
      { staleTime: 5_000 },
    ),
  );
  const ccy = account.currency;
  const pending = engine.isError ? 'unavailable' : '…';
  const cappedBySymbol = e ? e.effectiveLeverage.lt(e.accountLeverage) : false;
  const hours = e ? tradingHoursLines(e.tradingHours) : null;
  return (
    <Modal title={`${spec.name} · ${spec.description}`} onClose={onClose} data-testid="symbol-spec">
      <FactList
        items={[
          { label: 'Category', value: spec.category },
          { label: 'Currencies (base / quote)', value: `${spec.baseCurrency} / ${spec.quoteCurrency}` },
          { label: 'Contract size (1 lot)', value: `${spec.contractSize.toString()} ${spec.baseCurrency}`, testId: 'spec-contract' },
          { label: 'Digits · pip size', value: `${spec.digits} · ${spec.pipSize.toString()}` },
          {
            label: 'Volume min / max / step',
            value: `${formatVolume(spec.minVolume)} / ${formatVolume(spec.maxVolume)} / ${formatVolume(spec.volumeStep)} lots`,
          },
          { label: 'Margin', value: `${spec.marginPercent.toString()} % of notional`, testId: 'spec-margin-percent' },
          { label: 'Account leverage', value: e ? lev(e.accountLeverage) : pending, testId: 'spec-account-leverage' },
          { label: 'Leverage that applies', value: e ? lev(e.effectiveLeverage) : pending, testId: 'spec-effective-leverage' },
          {
            label: `Margin for ${formatVolume(oneLot)} lot now`,
            value: preview.data ? formatMoney(preview.data.margin, { currency: ccy }) : preview.isError ? 'unavailable' : '…',
            testId: 'spec-margin-one-lot',
          },
          { label: 'Commission', value: `${formatMoney(spec.commissionPerLot, { currency: ccy })} per lot`, testId: 'spec-commission' },
          { label: 'Markup', value: e ? `${e.markupPips.toString()} pips` : pending, testId: 'spec-markup' },
          {
            label: 'Swap long / short',
            value: `${spec.swapLong.toString()} / ${spec.swapShort.toString()} ${ccy} per lot per night`,
            testId: 'spec-swaps',
          },
          { label: 'Triple swap', value: e ? dayName(e.tripleSwapDay) : pending, testId: 'spec-triple-swap' },
          {
            label: 'Trading hours (UTC)',
            value: hours ? (
              <span className="flex flex-col items-end">
                {hours.map((h) => (
                  <span key={h}>{h}</span>
                ))}
              </span>
            ) : (
              pending
            ),
            testId: 'spec-hours',
          },
          { label: 'Trading', value: spec.enabled ? 'enabled' : 'disabled' },
        ]}
      />
      <p className="mt-3 text-xs text-zinc-400" data-testid="spec-leverage-why">
        {e &&
          (cappedBySymbol
            ? `${spec.name} needs ${spec.marginPercent.toString()} %: ${lev(e.effectiveLeverage)} although the account is ${lev(e.accountLeverage)} (${new Decimal(100).div(e.accountLeverage).toDecimalPlaces(2).toString()} %), so positions in ${spec.name} are margined at ${lev(e.effectiveLeverage)}.`
            : `The account's ${lev(e.accountLeverage)} applies: the symbol's ${spec.marginPercent.toString()} % asks for no more.`)}{' '}
        Margin = notional × max(1 / account leverage, margin % / 100). Swap is charged at the daily rollover (22:00 UTC), three times on{' '}
        {e ? dayName(e.tripleSwapDay) : 'the triple-swap day'}.
      </p>
    </Modal>
  );
}
