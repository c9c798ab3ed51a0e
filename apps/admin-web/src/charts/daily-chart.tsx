'use client';
// A bar per UTC day (lightweight-charts, as the terminal uses): volume or P&L over a period reads as a
// trend here where a table of days does not. Values become JS numbers for drawing only.
import type { Decimal } from 'decimal.js';
import { ColorType, HistogramSeries, createChart, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { useEffect, useRef } from 'react';

export interface DailyPoint {
  day: string;
  value: Decimal;
}

export function DailyChart({ points, signed = false, precision = 2, height = 180, testId }: { points: DailyPoint[]; signed?: boolean; precision?: number; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<'Histogram'> | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = createChart(el, {
      width: el.clientWidth,
      height,
      layout: { background: { type: ColorType.Solid, color: '#18181b' }, textColor: '#a1a1aa', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#27272a' }, horzLines: { color: '#27272a' } },
      rightPriceScale: { borderColor: '#3f3f46' },
      timeScale: { borderColor: '#3f3f46' },
      handleScroll: false,
      handleScale: false,
    });
    seriesRef.current = chart.addSeries(HistogramSeries, { color: '#0ea5e9', priceFormat: { type: 'price', precision, minMove: 1 / 10 ** precision } });
    chartRef.current = chart;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) chart.resize(Math.floor(entry.contentRect.width), height);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
    };
  }, [height, precision]);

  useEffect(() => {
    seriesRef.current?.setData(
      points.map((p) => ({ time: p.day, value: p.value.toNumber(), color: signed && p.value.isNegative() ? '#f43f5e' : signed ? '#10b981' : '#0ea5e9' })),
    );
    chartRef.current?.timeScale().fitContent();
  }, [points, signed]);

  return (
    <div className="relative" data-testid={testId} data-points={points.length}>
      <div ref={box} style={{ height }} />
      {points.length === 0 && <p className="absolute inset-0 flex items-center justify-center text-xs text-zinc-500">No activity in this period</p>}
    </div>
  );
}

/**
 * One point per UTC day from `from` up to (not including) `to`, zero where the report has no row, so a period
 * reads as a period and a lone busy day is a bar among quiet ones, not the whole chart. At most 400 days.
 */
export function fillDays(from: Date, to: Date, points: DailyPoint[], zero: Decimal): DailyPoint[] {
  const byDay = new Map(points.map((p) => [p.day, p.value]));
  const out: DailyPoint[] = [];
  const DAY = 86_400_000;
  for (let t = Math.floor(from.getTime() / DAY) * DAY; t < to.getTime() && out.length < 400; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, value: byDay.get(day) ?? zero });
  }
  return out;
}
