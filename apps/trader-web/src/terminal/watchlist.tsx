'use client';
import type { AccountBrief, SymbolDto } from '@broker/api';
import { Card, ErrorBanner, PriceCell, Skeleton, cx } from '@broker/ui';
import { memo, useState } from 'react';
import { useQuote } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { SymbolSpecModal } from './symbol-spec.tsx';

// Spread in points (the symbol's last digit), as MT5 shows it.
const Row = memo(function Row({
  symbol,
  selected,
  onSelect,
  onInfo,
}: {
  symbol: SymbolDto;
  selected: boolean;
  onSelect: (s: string) => void;
  onInfo: (s: string) => void;
}) {
  const q = useQuote(symbol.name);
  const spread = q ? q.ask.minus(q.bid).mul(10 ** symbol.digits).toDecimalPlaces(0).toString() : '—';
  return (
    <tr
      tabIndex={0}
      aria-selected={selected}
      onClick={() => onSelect(symbol.name)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(symbol.name);
        }
      }}
      className={cx(
        'cursor-pointer border-b border-zinc-800/60 outline-none focus-visible:bg-zinc-800',
        selected ? 'bg-sky-500/10 shadow-[inset_2px_0_0_0] shadow-sky-400' : 'hover:bg-zinc-800/50',
        !symbol.enabled && 'opacity-50',
      )}
      data-testid={`watchlist-row-${symbol.name}`}
    >
      <td className="py-1.5 pl-2 pr-0.5">
        <div className="flex items-center gap-1 text-xs font-semibold text-zinc-100">
          {symbol.name}
          <button
            type="button"
            onClick={(e) => {
              e.stopPropagation();
              onInfo(symbol.name);
            }}
            aria-label={`${symbol.name} specification`}
            title="Specification: contract, margin, leverage, swaps, commission"
            className="flex h-4 w-4 items-center justify-center rounded-full border border-zinc-700 text-[9px] font-bold text-zinc-500 hover:border-sky-500 hover:text-sky-300"
            data-testid={`watchlist-info-${symbol.name}`}
          >
            i
          </button>
        </div>
        <div className="hidden max-w-[6.5rem] truncate text-[10px] text-zinc-500 2xl:block" title={symbol.description}>
          {symbol.description}
        </div>
      </td>
      <td className="px-0.5 text-right text-xs">
        {q ? <PriceCell value={q.bid} digits={symbol.digits} data-testid={`quote-bid-${symbol.name}`} /> : <Skeleton className="w-14" />}
      </td>
      <td className="px-0.5 text-right text-xs">
        {q ? <PriceCell value={q.ask} digits={symbol.digits} data-testid={`quote-ask-${symbol.name}`} /> : <Skeleton className="w-14" />}
      </td>
      <td className="pl-0.5 pr-2 text-right font-mono text-[11px] tabular-nums text-zinc-500">{spread}</td>
    </tr>
  );
});

export function Watchlist({ selected, onSelect, account }: { selected: string; onSelect: (symbol: string) => void; account: AccountBrief }) {
  const symbols = useSymbols();
  const [info, setInfo] = useState<string | null>(null);
  const infoSpec = info ? symbols.byName.get(info) : undefined;
  return (
    <Card title="Market watch" className="min-h-0 overflow-hidden">
      <div className="min-h-0 flex-1 overflow-y-auto">
        {symbols.isError ? (
          <ErrorBanner className="m-2" title="Symbols unavailable" message={symbols.error.message} onRetry={() => void symbols.refetch()} />
        ) : (
          <table className="w-full border-collapse">
            <thead className="sticky top-0 bg-zinc-900 text-[10px] uppercase tracking-wider text-zinc-500">
              <tr className="border-b border-zinc-800">
                <th className="py-1 pl-2 text-left font-medium">Symbol</th>
                <th className="px-0.5 text-right font-medium">Bid</th>
                <th className="px-0.5 text-right font-medium">Ask</th>
                <th className="pl-0.5 pr-2 text-right font-medium" title="Spread in points">Spr</th>
              </tr>
            </thead>
            <tbody>
              {symbols.isPending
                ? Array.from({ length: 8 }, (_, i) => (
                    <tr key={i} className="border-b border-zinc-800/60">
                      <td colSpan={4} className="px-3 py-2.5">
                        <Skeleton className="w-full" />
                      </td>
                    </tr>
                  ))
                : symbols.data?.map((s) => <Row key={s.name} symbol={s} selected={s.name === selected} onSelect={onSelect} onInfo={setInfo} />)}
            </tbody>
          </table>
        )}
      </div>
      {infoSpec && <SymbolSpecModal spec={infoSpec} account={account} onClose={() => setInfo(null)} />}
    </Card>
  );
}
