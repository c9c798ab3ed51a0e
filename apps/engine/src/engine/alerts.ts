// Price alerts (issue 15): a trader's one-shot alert on a symbol's bid or ask crossing a price. Active alerts
// live in memory in a TriggerIndex of their own (per symbol, side and direction a heap with the alert that
// fires first on top), so a quote costs four map lookups when no alert is near and O(fired · log n) when some
// are — never a scan of every alert. A fired alert leaves the index at once (it can fire only once), is marked
// triggered in the database, and only then is the price_alert event pushed to the account's room.
import { sqlOf } from '@broker/db';
import { EngineError, MAX_ACTIVE_ALERTS, type AlertsApi, type AlertsInput, type CreateAlertInput, type DeleteAlertInput, type PriceAlertDto } from '@broker/api';
import { TriggerIndex, type TriggerEntry } from '../books/trigger-index.ts';
import { dec, decOrNull } from '../books/mapping.ts';
import { formatPoints } from '../domain/points.ts';
import type { EngineCore } from './core.ts';

interface ActiveAlert {
  dto: PriceAlertDto;
  entry: TriggerEntry;
}

interface AlertRow {
  id: bigint | string;
  account_id: number;
  symbol: string;
  side: 'BID' | 'ASK';
  direction: 'ABOVE' | 'BELOW';
  price: string;
  note: string | null;
  created_at: Date;
  triggered_at: Date | null;
  triggered_price: string | null;
}

const COLUMNS = `id, account_id, symbol, side::text AS side, direction::text AS direction, price::text AS price, note, created_at, triggered_at, triggered_price::text AS triggered_price`;

const alertKey = (id: bigint) => `A${id}`;

function dtoOf(r: AlertRow): PriceAlertDto {
  return {
    id: BigInt(r.id),
    accountId: r.account_id,
    symbol: r.symbol,
    side: r.side,
    direction: r.direction,
    price: dec(r.price),
    note: r.note,
    createdAt: new Date(r.created_at),
    triggeredAt: r.triggered_at ? new Date(r.triggered_at) : null,
    triggeredPrice: decOrNull(r.triggered_price),
  };
}

function entryOf(a: PriceAlertDto): TriggerEntry {
  return {
    key: alertKey(a.id),
    kind: 'ALERT',
    id: a.id,
    accountId: a.accountId,
    symbol: a.symbol,
    side: a.side === 'BID' ? 'bid' : 'ask',
    direction: a.direction === 'ABOVE' ? 'up' : 'down',
    price: a.price,
  };
}

export class AlertsArea implements AlertsApi {
  private readonly index = new TriggerIndex();
  private readonly active = new Map<bigint, ActiveAlert>();
  /** accountId → active alerts, plus creations in flight (the bound holds under concurrent creates). */
  private readonly perAccount = new Map<number, { ids: Set<bigint>; reserved: number }>();
  /** Alerts fired whose triggered mark is being written. */
  private inFlight = 0;

  constructor(private readonly c: EngineCore) {}

  /** Active alerts at start (before quotes flow). */
  async load(): Promise<number> {
    const { rows } = await sqlOf(this.c.opts.db).query<AlertRow>(`SELECT ${COLUMNS} FROM price_alerts WHERE triggered_at IS NULL`);
    for (const r of rows) this.track(dtoOf(r));
    return rows.length;
  }

  /** Active alerts in memory (tests and metrics). */
  get size(): number {
    return this.index.size;
  }

  private slot(accountId: number) {
    let s = this.perAccount.get(accountId);
    if (!s) this.perAccount.set(accountId, (s = { ids: new Set(), reserved: 0 }));
    return s;
  }

  private track(dto: PriceAlertDto): void {
    const entry = entryOf(dto);
    this.active.set(dto.id, { dto, entry });
    this.slot(dto.accountId).ids.add(dto.id);
    this.index.upsert(entry);
  }

  private untrack(id: bigint): ActiveAlert | undefined {
    const a = this.active.get(id);
    if (!a) return undefined;
    this.active.delete(id);
    this.index.remove(a.entry.key);
    this.perAccount.get(a.dto.accountId)?.ids.delete(id);
    return a;
  }

  async create(input: CreateAlertInput): Promise<PriceAlertDto> {
    const info = this.c.symbolTable.get(input.symbol);
    if (!info) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${input.symbol}`);
    // A level finer than the symbol's prices could never be quoted exactly; the column holds 8 places.
    if (input.price.decimalPlaces() > info.spec.digits) throw new EngineError('VALIDATION_ERROR', `${input.symbol} prices have ${info.spec.digits} decimals`);
    const q = this.c.quoteStore.get(input.symbol);
    if (q) {
      const now = input.side === 'BID' ? q.bid : q.ask;
      const reached = input.direction === 'ABOVE' ? now.gte(input.price) : now.lte(input.price);
      if (reached)
        throw new EngineError(
          'ALERT_ALREADY_REACHED',
          `The ${input.side === 'BID' ? 'bid' : 'ask'} is already ${now.toFixed(info.spec.digits)}, ${input.direction === 'ABOVE' ? 'at or above' : 'at or below'} ${input.price.toFixed(info.spec.digits)}: the alert would fire at once`,
        );
    }
    const slot = this.slot(input.accountId);
    if (slot.ids.size + slot.reserved >= MAX_ACTIVE_ALERTS) throw new EngineError('MAX_ALERTS');
    slot.reserved++;
    try {
      const note = input.note ? input.note : null;
      const { rows } = await sqlOf(this.c.opts.db).query<AlertRow>(
        `INSERT INTO price_alerts (account_id, symbol, side, direction, price, note) VALUES ($1, $2, $3::text::"PriceAlertSide", $4::text::"PriceAlertDirection", $5::numeric, $6) RETURNING ${COLUMNS}`,
        [input.accountId, input.symbol, input.side, input.direction, input.price.toString(), note],
      );
      const dto = dtoOf(rows[0]!);
      this.track(dto);
      return dto;
    } finally {
      slot.reserved--;
    }
  }

  async list(input: AlertsInput): Promise<PriceAlertDto[]> {
    const sql = sqlOf(this.c.opts.db);
    const { rows: active } = await sql.query<AlertRow>(`SELECT ${COLUMNS} FROM price_alerts WHERE account_id = $1 AND triggered_at IS NULL ORDER BY created_at, id`, [input.accountId]);
    if (!input.includeTriggered) return active.map(dtoOf);
    const { rows: fired } = await sql.query<AlertRow>(
      `SELECT ${COLUMNS} FROM price_alerts WHERE account_id = $1 AND triggered_at IS NOT NULL ORDER BY triggered_at DESC, id DESC LIMIT $2`,
      [input.accountId, input.limit],
    );
    return [...active, ...fired].map(dtoOf);
  }

  async delete(input: DeleteAlertInput): Promise<{ deleted: true }> {
    const { rows } = await sqlOf(this.c.opts.db).query<{ id: string }>(`DELETE FROM price_alerts WHERE id = $1 AND account_id = $2 RETURNING id`, [input.alertId, input.accountId]);
    if (!rows.length) throw new EngineError('ALERT_NOT_FOUND');
    this.untrack(input.alertId);
    return { deleted: true };
  }

  /** The quote path (engine/quote-flow.ts), every platform quote: fires what this quote reaches. */
  onQuotePoints(symbol: string, bidPts: number, askPts: number, digits: number, timeMs: number): void {
    if (this.index.size === 0) return;
    const fired = this.index.firePoints(symbol, bidPts, askPts, digits);
    if (!fired.length) return;
    const hits: { alert: ActiveAlert; price: string }[] = [];
    for (const e of fired) {
      const alert = this.active.get(e.id);
      if (!alert) continue;
      this.active.delete(e.id);
      this.perAccount.get(e.accountId)?.ids.delete(e.id);
      hits.push({ alert, price: formatPoints(e.side === 'bid' ? bidPts : askPts, digits) });
    }
    if (hits.length) void this.markTriggered(hits, timeMs);
  }

  /** Writes the triggered marks in one statement; pushes the events of the rows it marked (not those deleted meanwhile). */
  private async markTriggered(hits: { alert: ActiveAlert; price: string }[], timeMs: number): Promise<void> {
    this.inFlight += hits.length;
    try {
      const { rows } = await sqlOf(this.c.opts.db).query<{ id: string }>(
        `UPDATE price_alerts a SET triggered_at = to_timestamp($3::float8 / 1000), triggered_price = u.p
           FROM unnest($1::text[]::int8[], $2::text[]::numeric[]) AS u(id, p)
          WHERE a.id = u.id AND a.triggered_at IS NULL RETURNING a.id::text AS id`,
        [hits.map((h) => h.alert.dto.id.toString()), hits.map((h) => h.price), timeMs],
      );
      const marked = new Set(rows.map((r) => r.id));
      for (const { alert, price } of hits) {
        const d = alert.dto;
        if (!marked.has(d.id.toString())) continue;
        this.c.events.emit('price_alert', {
          type: 'price_alert',
          accountId: d.accountId,
          alertId: d.id.toString(),
          symbol: d.symbol,
          side: d.side,
          direction: d.direction,
          price: d.price.toFixed(this.c.symbolTable.get(d.symbol)?.spec.digits ?? d.price.decimalPlaces()),
          triggeredPrice: price,
          note: d.note,
          triggeredAt: timeMs,
        });
      }
    } catch (e) {
      // Not marked: they go back in the index and fire on a later quote that still reaches them.
      for (const { alert } of hits) if (!this.active.has(alert.dto.id)) this.track(alert.dto);
      this.c.log.warn('price alerts not marked triggered; will fire again', { alerts: hits.length, error: (e as Error).message });
    } finally {
      this.inFlight -= hits.length;
    }
  }

  /** Fired alerts whose mark is still being written (tests wait for 0). */
  get pending(): number {
    return this.inFlight;
  }
}
