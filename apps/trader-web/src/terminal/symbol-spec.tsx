'use client';
// The symbol specification, one click from the watchlist: what market.symbols says about the contract, and the
// leverage that really applies (trading-rules.md, Margin: ratio = max(1 / account leverage, marginPercent / 100)),
// with the engine's own margin for one lot at today's price (risk.marginPreview), not a figure made up here.
import type { AccountBrief, SymbolDto } from '@broker/api';
import { FactList, Modal, formatMoney, formatVolume } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { Decimal } from 'decimal.js';
import { useTRPC } from '../trpc/react.ts';
import { effectiveLeverage } from './live-pnl.ts';

const lev = (d: Decimal) => `1:${d.toDecimalPlaces(2).toString()}`;

export function SymbolSpecModal({ spec, account, onClose }: { spec: SymbolDto; account: AccountBrief; onClose: () => void }) {
  const trpc = useTRPC();
  const oneLot = Decimal.max(spec.minVolume, Decimal.min(new Decimal(1), spec.maxVolume));
  const preview = useQuery(
    trpc.risk.marginPreview.queryOptions({ accountId: account.id, symbol: spec.name, side: 'BUY', volume: oneLot.toString() }, { staleTime: 5_000 }),
  );
  const eff = effectiveLeverage(account.leverage, spec.marginPercent);
  const ccy = account.currency;
  return (
    <Modal title={`${spec.name} · ${spec.description}`} onClose={onClose} data-testid="symbol-spec">
      <FactList
        items={[
          { label: 'Category', value: spec.category },
          { label: 'Currencies (base / quote)', value: `${spec.baseCurrency} / ${spec.quoteCurrency}` },
          { label: 'Contract size (1 lot)', value: `${spec.contractSize.toString()} ${spec.baseCurrency}`, testId: 'spec-contract' },
          { label: 'Digits · pip size', value: `${spec.digits} · ${spec.pipSize.toString()}` },
          { label: 'Volume min / max / step', value: `${formatVolume(spec.minVolume)} / ${formatVolume(spec.maxVolume)} / ${formatVolume(spec.volumeStep)} lots` },
          { label: 'Margin', value: `${spec.marginPercent.toString()} % of notional`, testId: 'spec-margin-percent' },
          { label: 'Account leverage', value: lev(new Decimal(account.leverage)) },
          { label: 'Leverage that applies', value: lev(eff.leverage), testId: 'spec-effective-leverage' },
          {
            label: `Margin for ${formatVolume(oneLot)} lot now`,
            value: preview.data ? formatMoney(preview.data.margin, { currency: ccy }) : preview.isError ? 'unavailable' : '…',
            testId: 'spec-margin-one-lot',
          },
          { label: 'Commission', value: `${formatMoney(spec.commissionPerLot, { currency: ccy })} per lot`, testId: 'spec-commission' },
          { label: 'Swap long / short', value: `${spec.swapLong.toString()} / ${spec.swapShort.toString()} ${ccy} per lot per night`, testId: 'spec-swaps' },
          { label: 'Trading', value: spec.enabled ? 'enabled' : 'disabled' },
        ]}
      />
      <p className="mt-3 text-xs text-zinc-400" data-testid="spec-leverage-why">
        {eff.cappedBySymbol
          ? `The symbol's margin of ${spec.marginPercent.toString()} % is more than the account's 1:${account.leverage} asks (${new Decimal(100).div(account.leverage).toDecimalPlaces(2).toString()} %), so positions in ${spec.name} are margined at ${lev(eff.leverage)}.`
          : `The account's 1:${account.leverage} applies: the symbol's ${spec.marginPercent.toString()} % asks for no more.`}{' '}
        Margin = notional × max(1 / account leverage, margin % / 100). Swap is charged at the daily rollover (22:00 UTC by default), three times on the triple-swap day (Wednesday by default).
      </p>
    </Modal>
  );
}
