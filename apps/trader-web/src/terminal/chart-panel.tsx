'use client';
import type { AccountBrief, CandleDto, OrderDto, PositionDto } from '@broker/api';
import { TIMEFRAMES as ENGINE_TIMEFRAMES, type Timeframe } from '@broker/api/schemas';
import { Button, Card, ErrorBanner, ErrorNotice, Modal, PriceCell, Spinner, cx, humanError } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
  type CandlestickData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type LineData,
  type SeriesType,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { useQuote, useQuoteStore } from '../live/quotes.tsx';
import { useSymbols } from '../live/symbols.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC, useTRPCClient } from '../trpc/react.ts';
import { INDICATORS, INDICATOR_LABELS, MACD_PARAMS, RSI_PERIOD, macd, movingAverage, rsi, type Indicator, type Point } from './indicators.ts';
import { usePendingOrders } from './orders-table.tsx';
import { PREF_KEYS, THEMES, useFlag, useLayoutMode, usePref, type Theme } from './prefs.ts';
import { useHotkeys } from './shortcuts.tsx';
import { useLiveAccount } from './use-live-account.ts';

const SECONDS: Record<Timeframe, number> = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '4h': 14_400, '1d': 86_400 };
/** Every timeframe market.candles serves, in its order. */
const TIMEFRAMES = ENGINE_TIMEFRAMES.map((tf) => ({ tf, label: tf, seconds: SECONDS[tf] }));
/** Bars asked for when a chart opens: enough for MA(50) and MACD to settle, within market.candles' limit of 5000. */
export const CANDLE_LIMIT = 300;
/** Bars asked for each time the trader scrolls to the left edge (market.candles `before`). */
export const OLDER_PAGE = 500;
/** How close (in bars) to the oldest loaded bar the view may come before older bars are fetched. */
const EDGE_BARS = 10;

const PALETTE: Record<Theme, { bg: string; text: string; grid: string; border: string }> = {
  dark: { bg: '#18181b', text: '#a1a1aa', grid: '#27272a', border: '#3f3f46' },
  light: { bg: '#ffffff', text: '#52525b', grid: '#ececef', border: '#d4d4d8' },
};
const LINE_COLORS = { ma20: '#f59e0b', ma50: '#a855f7', rsi: '#38bdf8', macd: '#38bdf8', signal: '#f97316' } as const;

// The chart library draws numbers; candles stay Decimal everywhere else (display only, no arithmetic).
const toBar = (c: CandleDto): CandlestickData<UTCTimestamp> => ({
  time: c.time as UTCTimestamp,
  open: c.open.toNumber(),
  high: c.high.toNumber(),
  low: c.low.toNumber(),
  close: c.close.toNumber(),
});
const toLine = (p: Point): LineData<UTCTimestamp> => ({ time: p.time as UTCTimestamp, value: p.value });

function useIndicatorFlags() {
  const ma20 = useFlag(PREF_KEYS.indicator('ma20'), true);
  const ma50 = useFlag(PREF_KEYS.indicator('ma50'), false);
  const rsiF = useFlag(PREF_KEYS.indicator('rsi'), false);
  const macdF = useFlag(PREF_KEYS.indicator('macd'), false);
  const flags = { ma20: ma20[0], ma50: ma50[0], rsi: rsiF[0], macd: macdF[0] } satisfies Record<Indicator, boolean>;
  const setters = { ma20: ma20[1], ma50: ma50[1], rsi: rsiF[1], macd: macdF[1] } satisfies Record<Indicator, (v: boolean) => void>;
  return { flags, toggle: (i: Indicator) => setters[i](!flags[i]) };
}

export function ChartPanel({ symbol, account }: { symbol: string; account: AccountBrief }) {
  const [tf, setTf] = usePref<Timeframe>(PREF_KEYS.timeframe, '1m', ENGINE_TIMEFRAMES);
  const { flags, toggle } = useIndicatorFlags();
  const symbols = useSymbols();
  const spec = symbols.byName.get(symbol);
  const q = useQuote(symbol);
  useHotkeys(Object.fromEntries(TIMEFRAMES.map((t, i) => [String(i + 1), () => setTf(t.tf)])));

  const button = (pressed: boolean) =>
    cx('h-6 shrink-0 rounded px-1.5 text-xs font-medium', pressed ? 'bg-sky-600 text-white' : 'text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100');

  const phone = useLayoutMode() === 'phone';
  const toolbar = (
    <>
        <div className="flex flex-wrap gap-0.5" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((t) => (
            <button key={t.tf} type="button" aria-pressed={t.tf === tf} onClick={() => setTf(t.tf)} data-testid={`chart-tf-${t.tf}`} className={button(t.tf === tf)}>
              {t.label}
            </button>
          ))}
        </div>
        <div className="flex flex-wrap gap-0.5" role="group" aria-label="Indicators">
          {INDICATORS.map((i) => (
            <button key={i} type="button" aria-pressed={flags[i]} onClick={() => toggle(i)} data-testid={`chart-ind-${i}`} className={button(flags[i])}>
              {INDICATOR_LABELS[i]}
            </button>
          ))}
        </div>
    </>
  );

  return (
    <Card
      className="min-h-0 flex-1"
      data-testid="chart-panel"
      actions={phone ? undefined : <div className="flex min-w-0 items-center gap-3">{toolbar}</div>}
      title={
        <span className="flex items-baseline gap-3 normal-case tracking-normal">
          <span className="text-sm font-semibold text-zinc-100">{symbol}</span>
          <span className="hidden text-xs font-normal text-zinc-500 xl:inline">{spec?.description}</span>
          {q && spec && (
            <span className="hidden text-xs font-normal text-zinc-400 sm:inline">
              Bid <PriceCell value={q.bid} digits={spec.digits} flash={false} />
            </span>
          )}
        </span>
      }
    >
      {/* On a phone its own row, wrapping: ten buttons do not fit beside the title at 390 px. */}
      {phone && <div className="flex shrink-0 flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-zinc-800 px-2 py-1">{toolbar}</div>}
      <CandleChart key={`${symbol}:${tf}`} symbol={symbol} timeframe={tf} digits={spec?.digits ?? 5} flags={flags} account={account} />
    </Card>
  );
}

type Lines = { series: ISeriesApi<SeriesType>[] };

/** A position's SL or TP line on the chart, as drawn (its level as a number for the chart, and as text). */
interface DragLine {
  positionId: string;
  kind: 'sl' | 'tp';
  line: IPriceLine;
  price: number;
  text: string;
}
/** How near (px) the pointer must be to grab a line. */
const DRAG_PX = 4;

function MoveStopModal({ accountId, drag, onClose }: { accountId: number; drag: { line: DragLine; to: string }; onClose: (moved: boolean) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const modify = useMutation(trpc.positions.modify.mutationOptions());
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const { line, to } = drag;
  const what = line.kind === 'sl' ? 'stop loss' : 'take profit';
  const confirm = () => {
    setError(null);
    modify.mutate(
      { accountId, positionId: BigInt(line.positionId), [line.kind]: to },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries({ queryKey: trpc.account.positions.queryKey({ accountId }) });
          onClose(true);
        },
        onError: (e) => setError(humanError(appError(e))),
      },
    );
  };
  return (
    <Modal
      title={`Move the ${what} of #${line.positionId}?`}
      onClose={() => onClose(false)}
      data-testid="chart-move-stop"
      footer={
        <>
          <Button variant="ghost" onClick={() => onClose(false)} data-testid="chart-move-cancel">
            Keep {line.text}
          </Button>
          <Button variant="primary" loading={modify.isPending} onClick={confirm} data-testid="chart-move-confirm">
            Move to {to}
          </Button>
        </>
      }
    >
      <p className="text-sm text-zinc-300">
        {line.kind === 'sl' ? 'Stop loss' : 'Take profit'} from <b className="font-mono tabular-nums">{line.text}</b> to{' '}
        <b className="font-mono tabular-nums" data-testid="chart-move-to">
          {to}
        </b>
        .
      </p>
      {error && <ErrorNotice className="mt-2" error={error} data-testid="chart-move-error" />}
    </Modal>
  );
}

function CandleChart({
  symbol,
  timeframe,
  digits,
  flags,
  account,
}: {
  symbol: string;
  timeframe: Timeframe;
  digits: number;
  flags: Record<Indicator, boolean>;
  account: AccountBrief;
}) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const store = useQuoteStore();
  const [theme] = usePref<Theme>(PREF_KEYS.theme, 'dark', THEMES);
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const barsRef = useRef<CandlestickData<UTCTimestamp>[]>([]);
  const indicatorsRef = useRef<Lines>({ series: [] });
  const redrawRef = useRef<(now?: boolean) => void>(() => {});
  /** The SL/TP lines of open positions, which the trader may drag to a new level (after a confirm). */
  const dragLinesRef = useRef<DragLine[]>([]);
  const [drag, setDrag] = useState<{ line: DragLine; to: string } | null>(null);
  const [ready, setReady] = useState(false);
  /** Indicators switched on that this many bars cannot carry yet (the engine's history is short). */
  const [short, setShort] = useState('');
  const seconds = SECONDS[timeframe];
  const { positions } = useLiveAccount(account.id);
  const orders = usePendingOrders(account.id);

  const candles = useQuery(
    trpc.market.candles.queryOptions({ symbol, timeframe, limit: CANDLE_LIMIT }, { staleTime: Infinity, refetchOnWindowFocus: false }),
  );

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const c = PALETTE[theme];
    const chart = createChart(el, {
      width: el.clientWidth,
      height: el.clientHeight,
      layout: { background: { type: ColorType.Solid, color: c.bg }, textColor: c.text, fontSize: 11, attributionLogo: false, panes: { separatorColor: c.border } },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      rightPriceScale: { borderColor: c.border },
      timeScale: { borderColor: c.border, timeVisible: timeframe !== '1d', secondsVisible: false },
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
    setReady(true);
    const ro = new ResizeObserver(([entry]) => {
      if (entry) chart.resize(Math.floor(entry.contentRect.width), Math.floor(entry.contentRect.height));
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
      indicatorsRef.current = { series: [] };
      setReady(false);
    };
    // the theme is applied below without a rebuild
  }, [digits, timeframe]);

  useEffect(() => {
    const c = PALETTE[theme];
    chartRef.current?.applyOptions({
      layout: { background: { type: ColorType.Solid, color: c.bg }, textColor: c.text, panes: { separatorColor: c.border } },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      rightPriceScale: { borderColor: c.border },
      timeScale: { borderColor: c.border },
    });
  }, [theme, ready]);

  useEffect(() => {
    const series = seriesRef.current;
    if (!series || !candles.data) return;
    const bars = candles.data.map(toBar);
    series.setData(bars);
    barsRef.current = bars;
    redrawRef.current(true);
    chartRef.current?.timeScale().scrollToRealTime();
    if (containerRef.current) {
      containerRef.current.dataset.bars = String(bars.length);
      containerRef.current.dataset.firstBar = String(bars[0]?.time ?? '');
    }
  }, [candles.data, ready]);

  // Older bars when the trader scrolls to the left edge: one page before the oldest bar shown, prepended with
  // the view kept where it was; a page that comes back empty means the history is all there.
  useEffect(() => {
    const chart = chartRef.current;
    const series = seriesRef.current;
    const el = containerRef.current;
    if (!chart || !series || !el || !candles.data) return;
    let loading = false;
    let exhausted = candles.data.length < CANDLE_LIMIT;
    let alive = true;
    const onRange = (range: { from: number; to: number } | null) => {
      if (!range || loading || exhausted || range.from > EDGE_BARS) return;
      const first = barsRef.current[0];
      if (!first) return;
      loading = true;
      el.dataset.loadingOlder = 'true';
      trpcClient.market.candles
        .query({ symbol, timeframe, limit: OLDER_PAGE, before: first.time as number })
        .then((older) => {
          if (!alive || seriesRef.current !== series) return;
          if (older.length < OLDER_PAGE) exhausted = true;
          if (!older.length) return;
          const view = chart.timeScale().getVisibleLogicalRange();
          const bars = [...older.map(toBar), ...barsRef.current];
          barsRef.current = bars;
          series.setData(bars);
          if (view) chart.timeScale().setVisibleLogicalRange({ from: view.from + older.length, to: view.to + older.length });
          redrawRef.current(true);
          el.dataset.bars = String(bars.length);
          el.dataset.firstBar = String(bars[0]!.time);
          el.dataset.olderPages = String(Number(el.dataset.olderPages ?? 0) + 1);
        })
        .catch(() => {
          // Left as it is: the next scroll to the edge asks again.
        })
        .finally(() => {
          loading = false;
          if (alive) el.dataset.loadingOlder = 'false';
        });
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      alive = false;
      if (chartRef.current === chart) chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
    };
  }, [candles.data, ready, symbol, timeframe, trpcClient]);

  // Indicators: rebuilt when one is switched, recomputed from the bars (at most once a second while ticking).
  const flagKey = INDICATORS.filter((i) => flags[i]).join(',');
  useEffect(() => {
    const chart = chartRef.current;
    const el = containerRef.current;
    if (!chart || !el) return;
    for (const s of indicatorsRef.current.series) chart.removeSeries(s);
    const on = new Set(flagKey ? flagKey.split(',') : []);
    const made: Partial<Record<'ma20' | 'ma50' | 'rsi' | 'macd' | 'signal' | 'hist', ISeriesApi<'Line'> | ISeriesApi<'Histogram'>>> = {};
    // MACD is a price difference: it needs the symbol's digits (0.00012 on EURUSD), RSI two decimals.
    const priceFormat = { type: 'price' as const, precision: digits, minMove: 1 / 10 ** digits };
    const line = (color: string, pane: number, format = true) =>
      chart.addSeries(
        LineSeries,
        { color, lineWidth: 1, priceLineVisible: false, lastValueVisible: true, crosshairMarkerVisible: false, ...(format ? { priceFormat } : {}) },
        pane,
      );
    let pane = 1;
    if (on.has('ma20')) made.ma20 = line(LINE_COLORS.ma20, 0);
    if (on.has('ma50')) made.ma50 = line(LINE_COLORS.ma50, 0);
    if (on.has('rsi')) {
      const r = line(LINE_COLORS.rsi, pane++, false);
      r.createPriceLine({ price: 70, color: '#71717a', lineStyle: LineStyle.Dotted, lineWidth: 1, axisLabelVisible: false, title: '' });
      r.createPriceLine({ price: 30, color: '#71717a', lineStyle: LineStyle.Dotted, lineWidth: 1, axisLabelVisible: false, title: '' });
      made.rsi = r;
    }
    if (on.has('macd')) {
      const p = pane++;
      made.hist = chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false, priceFormat }, p);
      made.macd = line(LINE_COLORS.macd, p);
      made.signal = line(LINE_COLORS.signal, p);
    }
    const panes = chart.panes();
    panes[0]?.setStretchFactor(3);
    for (const p of panes.slice(1)) p.setStretchFactor(1);
    indicatorsRef.current = { series: Object.values(made) };

    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const compute = () => {
      last = Date.now();
      const bars = barsRef.current;
      const times = bars.map((b) => b.time as number);
      const closes = bars.map((b) => b.close);
      const stats: string[] = [];
      if (made.ma20) {
        const d = movingAverage(times, closes, 20);
        made.ma20.setData(d.map(toLine));
        stats.push(`ma20:${d.length}`);
      }
      if (made.ma50) {
        const d = movingAverage(times, closes, 50);
        made.ma50.setData(d.map(toLine));
        stats.push(`ma50:${d.length}`);
      }
      if (made.rsi) {
        const d = rsi(times, closes);
        made.rsi.setData(d.map(toLine));
        stats.push(`rsi:${d.length}`);
      }
      if (made.macd && made.signal && made.hist) {
        const m = macd(times, closes);
        made.macd.setData(m.macd.map(toLine));
        made.signal.setData(m.signal.map(toLine));
        made.hist.setData(m.histogram.map((p) => ({ ...toLine(p), color: p.value >= 0 ? '#10b98199' : '#f43f5e99' })));
        stats.push(`macd:${m.macd.length}`);
      }
      // What is drawn, for the end-to-end tests and for anyone inspecting the page.
      el.dataset.indicators = stats.join(' ');
      const need = { ma20: 20, ma50: 50, rsi: RSI_PERIOD + 1, macd: MACD_PARAMS.slowPeriod + MACD_PARAMS.signalPeriod - 1 };
      const lacking = (Object.keys(need) as Indicator[]).filter((i) => on.has(i) && bars.length < need[i]).map((i) => `${INDICATOR_LABELS[i]} needs ${need[i]}`);
      setShort(lacking.length ? `${bars.length} bar${bars.length === 1 ? '' : 's'} of history: ${lacking.join(', ')}` : '');
      el.dataset.panes = String(chart.panes().length);
    };
    // Ticks redraw at most once a second; a new history (now = true) at once.
    redrawRef.current = (now = false) => {
      if (now || Date.now() - last >= 1000) {
        clearTimeout(timer);
        timer = undefined;
        compute();
      } else if (!timer) timer = setTimeout(() => ((timer = undefined), compute()), 1000 - (Date.now() - last));
    };
    compute();
    return () => clearTimeout(timer);
  }, [flagKey, ready, digits]);

  // Lines for this symbol's open positions (entry, SL, TP) and pending orders (price, stop).
  const mine = (positions.data ?? []).filter((p) => p.symbol === symbol);
  const pending = (orders.data ?? []).filter((o) => o.symbol === symbol);
  const linesKey = JSON.stringify([mine.map((p) => [p.id, p.side, p.volume, p.openPrice, p.sl, p.tp]), pending.map((o) => [o.id, o.side, o.type, o.volume, o.price, o.stopPrice])]);
  useEffect(() => {
    const series = seriesRef.current;
    const el = containerRef.current;
    if (!series || !el) return;
    const made: IPriceLine[] = [];
    const add = (price: { toNumber(): number } | null, color: string, title: string, style: LineStyle = LineStyle.Solid) => {
      if (!price) return null;
      const line = series.createPriceLine({ price: price.toNumber(), color, lineWidth: 1, lineStyle: style, axisLabelVisible: true, title });
      made.push(line);
      return line;
    };
    const draggable: DragLine[] = [];
    for (const p of mine as PositionDto[]) {
      add(p.openPrice, p.side === 'BUY' ? '#38bdf8' : '#fb7185', `#${p.id} ${p.side} ${p.volume.toString()}`);
      const sl = add(p.sl, '#f43f5e', `SL #${p.id}`, LineStyle.Dashed);
      const tp = add(p.tp, '#10b981', `TP #${p.id}`, LineStyle.Dashed);
      if (sl && p.sl) draggable.push({ positionId: p.id, kind: 'sl', line: sl, price: p.sl.toNumber(), text: p.sl.toFixed(digits) });
      if (tp && p.tp) draggable.push({ positionId: p.id, kind: 'tp', line: tp, price: p.tp.toNumber(), text: p.tp.toFixed(digits) });
    }
    dragLinesRef.current = draggable;
    for (const o of pending as OrderDto[]) {
      const label = `#${o.id} ${o.side} ${o.type.replace('_', '-')}`;
      if (o.type === 'STOP_LIMIT') add(o.stopPrice, '#eab308', `${label} stop`, LineStyle.Dotted);
      add(o.price, '#eab308', label, LineStyle.Dotted);
    }
    el.dataset.priceLines = String(made.length);
    return () => {
      dragLinesRef.current = [];
      // Not after the chart itself is gone (its cleanup runs first on unmount).
      if (seriesRef.current === series) for (const l of made) series.removePriceLine(l);
    };
  }, [linesKey, ready]);

  // Dragging an SL or TP line (mouse): grabbed within a few pixels, followed while the button is down, and a
  // confirm asks before positions.modify. The chart does not pan while a line is held (the events stop here).
  useEffect(() => {
    const el = containerRef.current;
    const series = seriesRef.current;
    if (!el || !series) return;
    let held: { line: DragLine; to: number | null } | null = null;
    const yOf = (e: MouseEvent) => e.clientY - el.getBoundingClientRect().top;
    const hit = (y: number) =>
      dragLinesRef.current.find((l) => {
        const at = series.priceToCoordinate(l.price);
        return at !== null && Math.abs(at - y) <= DRAG_PX;
      });
    const onMove = (e: MouseEvent) => {
      if (!held) return;
      e.stopPropagation();
      const p = series.coordinateToPrice(yOf(e));
      if (p === null || p <= 0) return;
      held.to = p;
      held.line.line.applyOptions({ price: p });
    };
    const onUp = (e: MouseEvent) => {
      window.removeEventListener('mousemove', onMove, true);
      window.removeEventListener('mouseup', onUp, true);
      if (!held) return;
      e.stopPropagation();
      const { line, to } = held;
      held = null;
      delete el.dataset.dragging;
      const text = to === null ? line.text : to.toFixed(digits);
      if (text === line.text) line.line.applyOptions({ price: line.price });
      else setDrag({ line, to: text });
    };
    const onDown = (e: MouseEvent) => {
      if (e.button !== 0) return;
      const line = hit(yOf(e));
      if (!line) return;
      e.stopPropagation();
      e.preventDefault();
      held = { line, to: null };
      el.dataset.dragging = `${line.kind}:${line.positionId}`;
      window.addEventListener('mousemove', onMove, true);
      window.addEventListener('mouseup', onUp, true);
    };
    const onHover = (e: MouseEvent) => {
      if (held) return;
      const line = hit(yOf(e));
      el.style.cursor = line ? 'ns-resize' : '';
      el.dataset.hoverLine = line ? `${line.kind}:${line.positionId}` : '';
    };
    el.addEventListener('mousedown', onDown, true);
    el.addEventListener('mousemove', onHover);
    return () => {
      el.removeEventListener('mousedown', onDown, true);
      el.removeEventListener('mousemove', onHover);
      window.removeEventListener('mousemove', onMove, true);
      window.removeEventListener('mouseup', onUp, true);
    };
  }, [ready, digits]);

  // Live bars from the bid: extend the current bar, or open a new one when its period rolls over.
  useEffect(() => {
    if (!candles.data) return;
    return store.subscribeSymbol(symbol, () => {
      const q = store.get(symbol);
      const series = seriesRef.current;
      if (!q || !series) return;
      const price = q.bid.toNumber();
      const time = (Math.floor(q.timestamp / 1000 / seconds) * seconds) as UTCTimestamp;
      const bars = barsRef.current;
      const last = bars.at(-1);
      let bar: CandlestickData<UTCTimestamp>;
      if (last && time === last.time) {
        bar = { ...last, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price };
        bars[bars.length - 1] = bar;
      } else if (!last || time > last.time) {
        bar = { time, open: price, high: price, low: price, close: price };
        bars.push(bar);
      } else {
        return; // a tick older than the last bar: the chart cannot go back in time
      }
      series.update(bar);
      redrawRef.current();
    });
  }, [store, symbol, seconds, candles.data]);

  return (
    <div className="relative min-h-[12rem] flex-1">
      <div ref={containerRef} className="absolute inset-0" data-testid="chart" />
      {drag && (
        <MoveStopModal
          accountId={account.id}
          drag={drag}
          onClose={(moved) => {
            // Not moved: the line goes back to where the position's level is.
            if (!moved) drag.line.line.applyOptions({ price: drag.line.price });
            setDrag(null);
          }}
        />
      )}
      {short && candles.data && (
        <p className="pointer-events-none absolute left-2 top-1 z-10 rounded bg-zinc-900/80 px-1.5 py-0.5 text-[10px] text-amber-400" data-testid="chart-short-history">
          {short}
        </p>
      )}
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
