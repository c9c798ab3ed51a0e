// The engine's lps area: liquidity providers: their state and their settings.
import type { LpUpsertInput } from '../schemas.ts';
import type { LpWire } from '../socket.ts';
import type { AuthUser } from './auth.ts';
import type { RequestMeta } from './finance.ts';

export interface LpsApi {
  lps(): Promise<LpWire[]>;
  setLpEnabled(actor: AuthUser, id: number, enabled: boolean, meta?: RequestMeta): Promise<LpWire>;
  reconnectLp(actor: AuthUser, id: number, meta?: RequestMeta): Promise<LpWire>;
  /** FIX: sequence numbers back to 1 (after the LP reset its own) and a new Logon. */
  resetLpSeqNums(actor: AuthUser, id: number, meta?: RequestMeta): Promise<LpWire>;
  /** FIX: log the session out; it stays down until reconnected. */
  logoutLp(actor: AuthUser, id: number, meta?: RequestMeta): Promise<LpWire>;
  upsertLp(actor: AuthUser, input: LpUpsertInput, meta?: RequestMeta): Promise<LpWire>;
}
