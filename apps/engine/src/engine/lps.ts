// The LPs area: each liquidity provider's state for the back office, and a dealer's changes to them (enable,
// reconnect, create or update), audited. The adapters themselves live in lp/.
import { EngineError, type AuthUser, type LpsApi, type LpUpsertInput, type RequestMeta } from '@broker/api';
import type { LpWire } from '@broker/api/socket';
import { LpActionError, type LpHealth } from '../lp/manager.ts';
import type { EngineCore } from './core.ts';

export function lpWire(h: LpHealth): LpWire {
  return {
    id: h.id,
    name: h.name,
    type: h.type,
    state: h.state,
    reason: h.reason ?? null,
    enabled: h.enabled,
    priority: h.priority,
    lastQuoteAt: h.lastQuoteAt,
    latencyMs: h.latencyMs,
    connectedSince: h.connectedSince,
    reconnects: h.reconnects,
    quotesPerMinute: h.quotesPerMinute,
    lastAcceptedAt: h.lastAcceptedAt,
    rejects: h.rejects,
    rejectedPercent: h.rejectedPercent,
    recentEvents: h.recentEvents.map((e) => ({ at: e.at, symbol: e.symbol, kind: e.kind, bid: e.bid, ask: e.ask, message: e.message })),
    pricing: h.pricing,
    warning: h.warning,
    uptimePercent: h.uptimePercent,
    symbols: h.symbols,
    recentErrors: h.recentErrors,
    session: h.session,
    settings: h.settings,
    credentialEnv: h.credentialEnv,
    symbolMap: h.symbolMap,
  };
}

export class LpsArea implements LpsApi {
  constructor(private readonly c: EngineCore) {}

  async lps(): Promise<LpWire[]> {
    return this.c.lpManager.status().map(lpWire);
  }

  private async lpAudit(actor: AuthUser, action: string, id: number, meta: RequestMeta, details: Record<string, unknown> = {}) {
    await this.c.prisma.auditLog.create({
      data: { actorId: actor.id, actorRole: actor.role, action, entityType: 'liquidity_provider', entityId: String(id), details: JSON.parse(JSON.stringify({ ...details, userAgent: meta.userAgent ?? null })), ip: meta.ip ?? null },
    });
  }

  async setLpEnabled(actor: AuthUser, id: number, enabled: boolean, meta: RequestMeta = {}): Promise<LpWire> {
    const row = await this.c.prisma.liquidityProvider.findUnique({ where: { id } });
    if (!row) throw new EngineError('NOT_FOUND', `No LP ${id}`);
    const h = await this.c.lpManager.setEnabled(id, enabled);
    await this.lpAudit(actor, enabled ? 'lp.enable' : 'lp.disable', id, meta);
    this.c.events.emit('lp_status', { type: 'lp_status', lp: lpWire(h) });
    return lpWire(h);
  }

  async reconnectLp(actor: AuthUser, id: number, meta: RequestMeta = {}): Promise<LpWire> {
    const row = await this.c.prisma.liquidityProvider.findUnique({ where: { id } });
    if (!row) throw new EngineError('NOT_FOUND', `No LP ${id}`);
    const h = await this.c.lpManager.reconnect(id);
    await this.lpAudit(actor, 'lp.reconnect', id, meta);
    return lpWire(h);
  }

  /** A FIX LP's sequence numbers back to 1 (the LP reset its own), and a new Logon. */
  async resetLpSeqNums(actor: AuthUser, id: number, meta: RequestMeta = {}): Promise<LpWire> {
    return this.sessionAction(actor, id, 'resetSeqNums', meta);
  }

  /** A FIX LP's session logged out by a dealer; it stays down until reconnected. */
  async logoutLp(actor: AuthUser, id: number, meta: RequestMeta = {}): Promise<LpWire> {
    return this.sessionAction(actor, id, 'logout', meta);
  }

  private async sessionAction(actor: AuthUser, id: number, action: 'resetSeqNums' | 'logout', meta: RequestMeta): Promise<LpWire> {
    const row = await this.c.prisma.liquidityProvider.findUnique({ where: { id } });
    if (!row) throw new EngineError('NOT_FOUND', `No LP ${id}`);
    let h: LpHealth;
    try {
      h = await this.c.lpManager.sessionAction(id, action);
    } catch (err) {
      if (err instanceof LpActionError) throw new EngineError('VALIDATION_ERROR', err.message);
      throw err;
    }
    await this.lpAudit(actor, action === 'logout' ? 'lp.logout' : 'lp.reset_seq_nums', id, meta);
    const wire = lpWire(h);
    this.c.events.emit('lp_status', { type: 'lp_status', lp: wire });
    return wire;
  }

  async upsertLp(actor: AuthUser, input: LpUpsertInput, meta: RequestMeta = {}): Promise<LpWire> {
    const data = {
      name: input.name,
      type: input.type,
      enabled: input.enabled,
      priority: input.priority,
      settings: input.settings,
      credentialEnv: input.credentialEnv,
      symbolMap: input.symbolMap,
    };
    const clash = await this.c.prisma.liquidityProvider.findUnique({ where: { name: input.name } });
    if (clash && clash.id !== input.id) throw new EngineError('VALIDATION_ERROR', `An LP named ${input.name} exists`);
    const before = input.id ? await this.c.prisma.liquidityProvider.findUnique({ where: { id: input.id } }) : null;
    const row = input.id
      ? await this.c.prisma.liquidityProvider.update({ where: { id: input.id }, data }).catch(() => {
          throw new EngineError('NOT_FOUND', `No LP ${input.id}`);
        })
      : await this.c.prisma.liquidityProvider.create({ data });
    // §9.3: the change with before and after. Settings and credentialEnv hold no secrets (names of LP_…
    // variables, endpoints without credentials: credentials.ts and the upsert schema see to it).
    const shape = (r: typeof data) => ({ name: r.name, type: r.type, enabled: r.enabled, priority: r.priority, settings: r.settings, credentialEnv: r.credentialEnv, symbolMap: r.symbolMap });
    await this.lpAudit(actor, input.id ? 'lp.update' : 'lp.create', row.id, meta, { before: before ? shape(before as unknown as typeof data) : null, after: shape(data) });
    return lpWire(await this.c.lpManager.reload(row.id));
  }
}
