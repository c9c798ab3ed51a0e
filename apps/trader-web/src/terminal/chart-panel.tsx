'use client';
import type { CandleDto } from '@broker/api';
import type { Timeframe } from '@broker/api/schemas';
import { Card, ErrorBanner, PriceCell, Spinner, cx } from '@broker/ui';
import { useQuery } from '@tanstack/react-query';
import { CandlestickSeries, ColorType, createChart, type CandlestickData, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { useQuote, useQuoteStore } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { useTRPC } from '../trpc/react.ts';

const TIMEFRAMES: { tf: Timeframe; label: string; seconds: number }[] = [
  { tf: '1m', label: '1m', seconds: 60 },
  { tf: '5m', label: '5m', seconds: 300 },
  { tf: '15m', label: '15m', seconds: 900 },
  { tf: '1h', label: '1h', seconds: 3600 },
];

// The chart library draws numbers; candles stay Decimal everywhere else (display only, no arithmetic).
const toBar = (c: CandleDto): CandlestickData<UTCTimestamp> => ({
  time: c.time as UTCTimestamp,
  open: c.open.toNumber(),
  high: c.high.toNumber(),
  low: c.low.toNumber(),
  close: c.close.toNumber(),
});

export function ChartPanel({ symbol }: { symbol: string }) {
  const [tf, setTf] = useState<Timeframe>('1m');
  const symbols = useSymbols();
  const spec = symbols.byName.get(symbol);
  const q = useQuote(symbol);

  return (
    <Card
      className="min-h-0 flex-[3]"
      title={
        <span className="flex items-baseline gap-3 normal-case tracking-normal">
          <span className="text-sm font-semibold text-zinc-100">{symbol}</span>
          <span className="text-xs font-normal text-zinc-500">{spec?.description}</span>
          {q && spec && (
            <span className="text-xs font-normal text-zinc-400">
              Bid <PriceCell value={q.bid} digits={spec.digits} flash={false} />
            </span>
          )}
        </span>
      }
      actions={
        <div className="flex gap-0.5" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((t) => (
            <button
              key={t.tf}
              type="button"
              aria-pressed={t.tf === tf}
              onClick={() => setTf(t.tf)}
              data-testid={`chart-tf-${t.tf}`}
              className={cx(
                'h-6 rounded px-2 text-xs font-medium',
                t.tf === tf ? 'bg-sky-600 text-white' : 'text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100',
              )}
            >
              {t.label}
            </button>
          ))}
        </div>
      }
    >
      <CandleChart key={`${symbol}:${tf}`} symbol={symbol} timeframe={tf} digits={spec?.digits ?? 5} />
    </Card>
  );
}

function CandleChart({ symbol, timeframe, digits }: { symbol: string; timeframe: Timeframe; digits: number }) {
  const trpc = useTRPC();
  const store = useQuoteStore();
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const lastBarRef = useRef<CandlestickData<UTCTimestamp> | null>(null);
  const seconds = TIMEFRAMES.find((t) => t.tf === timeframe)?.seconds ?? 60;

  const candles = useQuery(
    trpc.market.candles.queryOptions({ symbol, timeframe, limit: 500 }, { staleTime: Infinity, refetchOnWindowFocus: false }),
  );

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = createChart(el, {
      width: el.clientWidth,
      height: el.clientHeight,
      layout: { background: { type: ColorType.Solid, color: '#18181b' }, textColor: '#a1a1aa', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#27272a' }, horzLines: { color: '#27272a' } },
      rightPriceScale: { borderColor: '#3f3f46' },
      timeScale: { borderColor: '#3f3f46', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 },
    });
    const series = chart.addSeries(CandlestickSeries, {
      upColor: '#10b981',
      downColor: '#f43f5e',
      borderVisible: false,
      wickUpColor: '#10b981',
      wickDownColor: '#f43f5e',
      priceFormat: { type: 'price', precision: digits, minMove: 1 / 10 ** digits },
    });
    chartRef.current = chart;
    seriesRef.current = series;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) chart.resize(Math.floor(entry.contentRect.width), Math.floor(entry.contentRect.height));
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
      lastBarRef.current = null;
    };
  }, [digits]);

  useEffect(() => {
    const series = seriesRef.current;
    if (!series || !candles.data) return;
    const bars = candles.data.map(toBar);
    series.setData(bars);
    lastBarRef.current = bars.at(-1) ?? null;
    chartRef.current?.timeScale().scrollToRealTime();
  }, [candles.data]);

  // Live bars from the bid: extend the current bar, or open a new one when its period rolls over.
  useEffect(() => {
    if (!candles.data) return;
    return store.subscribeSymbol(symbol, () => {
      const q = store.get(symbol);
      const series = seriesRef.current;
      if (!q || !series) return;
      const price = q.bid.toNumber();
      const time = (Math.floor(q.timestamp / 1000 / seconds) * seconds) as UTCTimestamp;
      const last = lastBarRef.current;
      let bar: CandlestickData<UTCTimestamp>;
      if (last && time === last.time) {
        bar = { ...last, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price };
      } else if (!last || time > last.time) {
        bar = { time, open: price, high: price, low: price, close: price };
      } else {
        return; // a tick older than the last bar: the chart cannot go back in time
      }
      lastBarRef.current = bar;
      series.update(bar);
    });
  }, [store, symbol, seconds, candles.data]);

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={containerRef} className="absolute inset-0" data-testid="chart" />
      {candles.isPending && (
        <div className="absolute inset-0 flex items-center justify-center text-zinc-500">
          <Spinner />
        </div>
      )}
      {candles.isError && (
        <div className="absolute inset-x-4 top-4">
          <ErrorBanner title="Chart history unavailable" message={candles.error.message} onRetry={() => void candles.refetch()} />
        </div>
      )}
    </div>
  );
}
