'use client';
// Lots by venue over a period as bars (lightweight-charts, as the dashboard's daily chart). The library's
// horizontal scale is a time scale: each venue takes one slot (seconds 1, 2, 3) and the tick marks and the
// crosshair print the venue's name instead of a time. Values become JS numbers for drawing only; the legend
// under the chart prints the exact figures.
import type { Decimal } from 'decimal.js';
import { ColorType, HistogramSeries, createChart, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from 'lightweight-charts';
import { formatVolume } from '@broker/ui';
import { useEffect, useRef } from 'react';

export interface VenueBar {
  key: string;
  label: string;
  color: string;
  value: Decimal;
  orders: number;
}

export function VenueChart({ bars, height = 180, testId }: { bars: VenueBar[]; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<'Histogram'> | null>(null);
  const labels = useRef<string[]>([]);
  labels.current = bars.map((b) => b.label);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const labelOf = (t: Time) => (typeof t === 'number' ? (labels.current[t - 1] ?? '') : '');
    const chart = createChart(el, {
      width: el.clientWidth,
      height,
      layout: { background: { type: ColorType.Solid, color: '#18181b' }, textColor: '#a1a1aa', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { visible: false }, horzLines: { color: '#27272a' } },
      rightPriceScale: { borderColor: '#3f3f46' },
      timeScale: { borderColor: '#3f3f46', tickMarkFormatter: labelOf, fixLeftEdge: true, fixRightEdge: true },
      localization: { timeFormatter: labelOf },
      handleScroll: false,
      handleScale: false,
    });
    seriesRef.current = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false });
    chartRef.current = chart;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) {
        chart.resize(Math.floor(entry.contentRect.width), height);
        chart.timeScale().fitContent();
      }
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
    };
  }, [height]);

  useEffect(() => {
    seriesRef.current?.setData(bars.map((b, i) => ({ time: (i + 1) as UTCTimestamp, value: b.value.toNumber(), color: b.color })));
    chartRef.current?.timeScale().fitContent();
  }, [bars]);

  const empty = bars.every((b) => b.value.isZero());
  return (
    <div data-testid={testId} data-bars={bars.filter((b) => !b.value.isZero()).length}>
      <div className="relative">
        <div ref={box} style={{ height }} />
        {empty && <p className="absolute inset-0 flex items-center justify-center text-xs text-zinc-500">No orders in this period</p>}
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-300">
        {bars.map((b) => (
          <li key={b.key} className="flex items-center gap-1.5" data-testid={`${testId}-legend-${b.key}`}>
            <span className="inline-block size-2.5 rounded-sm" style={{ background: b.color }} />
            {b.label}: <span className="font-mono tabular-nums">{formatVolume(b.value)}</span> lots · {b.orders} {b.orders === 1 ? 'order' : 'orders'}
          </li>
        ))}
      </ul>
    </div>
  );
}
