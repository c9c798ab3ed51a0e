import { Decimal } from 'decimal.js';
import type { Bar } from '../marketdata/candles.ts';
import type { LpAdapter, RawQuote } from './adapter.ts';

/** How the simulated LP prices one symbol: a random walk around a start mid with a realistic raw spread. */
export interface SimulatedSpec {
  symbol: string;
  mid: number;
  /** Raw LP spread in price units (the platform's markup is added on top). */
  spread: number;
  /** Standard deviation of one tick's move, as a fraction of price. */
  volatility: number;
  digits: number;
}

export const DEFAULT_SIM_SPECS: SimulatedSpec[] = [
  { symbol: 'EURUSD', mid: 1.0845, spread: 0.00006, volatility: 0.00003, digits: 5 },
  { symbol: 'GBPUSD', mid: 1.265, spread: 0.00009, volatility: 0.000035, digits: 5 },
  { symbol: 'USDJPY', mid: 150.2, spread: 0.008, volatility: 0.00003, digits: 3 },
  { symbol: 'USDCHF', mid: 0.885, spread: 0.00012, volatility: 0.00003, digits: 5 },
  { symbol: 'AUDUSD', mid: 0.655, spread: 0.00009, volatility: 0.00004, digits: 5 },
  { symbol: 'EURGBP', mid: 0.857, spread: 0.0001, volatility: 0.000025, digits: 5 },
  { symbol: 'XAUUSD', mid: 2350, spread: 0.25, volatility: 0.00005, digits: 2 },
  { symbol: 'BTCUSD', mid: 67000, spread: 15, volatility: 0.0001, digits: 2 },
  { symbol: 'ETHUSD', mid: 3500, spread: 1.5, volatility: 0.00012, digits: 2 },
];

/** mulberry32: a small seeded generator, so a seeded simulation replays exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulatedLpOptions {
  specs?: SimulatedSpec[];
  /** Milliseconds between pricing rounds; each symbol ticks in a round with probability `tickChance`. */
  intervalMs?: number;
  tickChance?: number;
  seed?: number;
  clock?: () => number;
}

/** A liquidity provider that streams a random walk for every symbol: several ticks a second each. */
export class SimulatedLp implements LpAdapter {
  readonly name = 'SIMULATED';
  private readonly specs: SimulatedSpec[];
  private readonly mids = new Map<string, number>();
  private readonly random: () => number;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: SimulatedLpOptions = {}) {
    this.specs = opts.specs ?? DEFAULT_SIM_SPECS;
    this.random = opts.seed === undefined ? Math.random : seeded(opts.seed);
    this.clock = opts.clock ?? Date.now;
    for (const s of this.specs) this.mids.set(s.symbol, s.mid);
  }

  private gaussian(): number {
    // Box–Muller
    const u = 1 - this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private quote(spec: SimulatedSpec, mid: number, time: number): RawQuote {
    // Spreads breathe a little, as real ones do.
    const spread = spec.spread * (0.8 + 0.4 * this.random());
    const bid = new Decimal(mid - spread / 2).toDecimalPlaces(spec.digits, Decimal.ROUND_DOWN);
    let ask = new Decimal(mid + spread / 2).toDecimalPlaces(spec.digits, Decimal.ROUND_UP);
    if (ask.lte(bid)) ask = bid.plus(new Decimal(10).pow(-spec.digits));
    return { symbol: spec.symbol, bid, ask, time, lp: this.name };
  }

  /**
   * One-minute bars of made-up history ending at the current mid, so a chart has something to show at
   * start-up. Generated backwards from the start price with the same volatility (about 60 ticks a minute).
   */
  history(minutes: number): Map<string, Bar[]> {
    const out = new Map<string, Bar[]>();
    const nowMin = Math.floor(this.clock() / 60000) * 60;
    for (const spec of this.specs) {
      const bars: Bar[] = [];
      let close = this.mids.get(spec.symbol)!;
      const perMinute = spec.volatility * Math.sqrt(60);
      for (let i = 1; i <= minutes; i++) {
        const open = close * Math.exp(-perMinute * this.gaussian());
        const high = Math.max(open, close) * (1 + Math.abs(this.gaussian()) * perMinute * 0.5);
        const low = Math.min(open, close) * (1 - Math.abs(this.gaussian()) * perMinute * 0.5);
        const r = (x: number) => new Decimal(x).toDecimalPlaces(spec.digits);
        bars.push({ time: nowMin - i * 60, open: r(open), high: r(high), low: r(low), close: r(close), ticks: 60 });
        close = open;
      }
      out.set(spec.symbol, bars.reverse());
    }
    return out;
  }

  /**
   * Synthetic back-history for charts (SIMULATED symbols only, on a database with no bars of them): `count`
   * bars of `seconds` each, the newest ending at the current mid just before the bar that holds `nowMs`,
   * generated backwards as a random walk with this LP's volatility (scaled by √seconds, about one tick a
   * second). Each timeframe is its own walk — a plausible picture, not a consistent record — and it draws on a
   * generator seeded by symbol and timeframe, so the live stream (and a seeded replay) is untouched.
   */
  backHistory(seconds: number, count: number, nowMs: number): Map<string, Bar[]> {
    const out = new Map<string, Bar[]>();
    const current = Math.floor(nowMs / 1000 / seconds) * seconds;
    for (const spec of this.specs) {
      let h = seconds;
      for (const ch of spec.symbol) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
      const random = seeded(h);
      const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const perBar = spec.volatility * Math.sqrt(seconds);
      const r = (x: number) => new Decimal(x).toDecimalPlaces(spec.digits);
      const bars: Bar[] = [];
      let close = this.mids.get(spec.symbol)!;
      for (let i = 1; i <= count; i++) {
        const open = close * Math.exp(-perBar * gaussian());
        const high = Math.max(open, close) * (1 + Math.abs(gaussian()) * perBar * 0.5);
        const low = Math.min(open, close) * (1 - Math.abs(gaussian()) * perBar * 0.5);
        bars.push({ time: current - i * seconds, open: r(open), high: r(high), low: r(low), close: r(close), ticks: seconds });
        close = open;
      }
      out.set(spec.symbol, bars.reverse());
    }
    return out;
  }

  async start(onQuote: (q: RawQuote) => void): Promise<void> {
    const now = this.clock();
    for (const spec of this.specs) onQuote(this.quote(spec, this.mids.get(spec.symbol)!, now));
    const chance = this.opts.tickChance ?? 0.5;
    this.timer = setInterval(() => {
      const t = this.clock();
      for (const spec of this.specs) {
        if (this.random() > chance) continue;
        const mid = this.mids.get(spec.symbol)! * Math.exp(spec.volatility * this.gaussian());
        this.mids.set(spec.symbol, mid);
        onQuote(this.quote(spec, mid, t));
      }
    }, this.opts.intervalMs ?? 100);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
