// The market area: symbols, the latest quotes, candles and tick history.
import { sqlOf } from '@broker/db';
import { EngineError, type CandleDto, type CandlesInput, type MarketApi, type QuoteDto, type SymbolDto, type TickDto, type TicksInput } from '@broker/api';
import { Decimal } from 'decimal.js';
import { dec } from '../books/mapping.ts';
import type { EngineCore } from './core.ts';

/**
 * A price that prints with the symbol's digits (`2648.00`, as the socket's ticks do): the wire transformer and
 * JSON write a Decimal with toString(), which drops trailing zeros. Arithmetic on it is a plain Decimal's.
 */
export function withDigits(v: Decimal, digits: number | undefined): Decimal {
  if (digits === undefined) return v;
  const text = v.toFixed(Math.max(digits, v.decimalPlaces()));
  const d = new Decimal(v);
  Object.defineProperty(d, 'toString', { value: () => text });
  Object.defineProperty(d, 'toJSON', { value: () => text });
  return d;
}

export function quoteDto(q: { symbol: string; bid: Decimal; ask: Decimal; time: number; lp: string }, digits: number | undefined): QuoteDto {
  return { symbol: q.symbol, bid: withDigits(q.bid, digits), ask: withDigits(q.ask, digits), spread: withDigits(q.ask.minus(q.bid), digits), timestamp: q.time, lp: q.lp };
}

export class MarketArea implements MarketApi {
  constructor(private readonly c: EngineCore) {}

  async symbols(): Promise<SymbolDto[]> {
    return [...this.c.symbolTable.values()].map(({ spec, description, category }) => ({
      name: spec.name,
      description,
      category,
      baseCurrency: spec.baseCurrency,
      quoteCurrency: spec.quoteCurrency,
      contractSize: spec.contractSize,
      digits: spec.digits,
      pipSize: spec.pipSize,
      minVolume: spec.minVolume,
      maxVolume: spec.maxVolume,
      volumeStep: spec.volumeStep,
      marginPercent: spec.marginPercent,
      commissionPerLot: spec.commissionPerLot,
      swapLong: spec.swapLong,
      swapShort: spec.swapShort,
      enabled: spec.enabled,
    }));
  }

  async quotes(symbols?: string[]): Promise<QuoteDto[]> {
    const store = this.c.quoteStore;
    const list = symbols ? symbols.map((s) => store.get(s)).filter((q) => q !== undefined) : store.all();
    return list.map((q) => quoteDto(q, this.c.symbolTable.get(q.symbol)?.spec.digits));
  }

  async candles(input: CandlesInput): Promise<CandleDto[]> {
    if (!this.c.symbolTable.has(input.symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    return this.c.candleStore.query(input.symbol, input.timeframe, input.limit, input.before);
  }

  async ticks(input: TicksInput): Promise<TickDto[]> {
    const core = this.c;
    if (!core.symbolTable.has(input.symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    // Newest first by (time µs, LP) — the table's key within a symbol, so the order is total and a page ends at
    // a cursor that the next page continues from exactly, however many ticks share a millisecond.
    const beforeUs = input.before ? input.before.getTime() * 1000 : Infinity;
    const c = input.cursor;
    const older = (us: number, lp: string) => us < beforeUs && (!c || us < c.us || (us === c.us && lp < c.lp));
    const pending = core.tickWriter.recentUs(input.symbol, input.limit, older);
    const params: unknown[] = [input.symbol, input.limit + pending.length];
    let where = 'symbol = $1';
    if (input.before) {
      params.push(beforeUs);
      where += ` AND time < 'epoch'::timestamptz + $${params.length}::float8 * interval '1 microsecond'`;
    }
    if (c) {
      params.push(c.us, c.lp);
      where += ` AND (time, lp COLLATE "C") < ('epoch'::timestamptz + $${params.length - 1}::float8 * interval '1 microsecond', $${params.length}::text COLLATE "C")`;
    }
    const { rows } = await sqlOf(core.opts.db).query<{ us: number; bid: string; ask: string; spread: string; lp: string }>(
      `SELECT (extract(epoch FROM time) * 1000000)::float8 AS us, bid::text AS bid, ask::text AS ask, spread::text AS spread, lp
         FROM ticks WHERE ${where} ORDER BY time DESC, lp COLLATE "C" DESC LIMIT $2`,
      params,
    );
    // A tick of an in-flight batch may already be in the table too: the same (µs, LP) is the same row.
    const seen = new Set(pending.map((p) => `${p.us}|${p.tick.lp}`));
    const all: { us: number; dto: QuoteDto }[] = pending.map(({ tick: t, us }) => ({
      us,
      dto: { symbol: t.symbol, bid: t.bid, ask: t.ask, spread: t.ask.minus(t.bid), timestamp: t.time, lp: t.lp },
    }));
    for (const r of rows) {
      const us = Number(r.us);
      if (seen.has(`${us}|${r.lp}`)) continue;
      all.push({ us, dto: { symbol: input.symbol, bid: dec(r.bid), ask: dec(r.ask), spread: dec(r.spread), timestamp: Math.floor(us / 1000), lp: r.lp } });
    }
    all.sort((a, b) => b.us - a.us || (a.dto.lp < b.dto.lp ? 1 : a.dto.lp > b.dto.lp ? -1 : 0));
    return all.slice(0, input.limit).map(({ us, dto }) => ({ ...dto, cursor: `${us}:${dto.lp}` }));
  }
}
