'use client';
// Things the engine tells the trader without being asked: margin calls, stop outs, SL/TP hits, pending orders
// that filled, expired or were rejected. Kept outside React state (like the quote store) so the socket
// handlers can push from anywhere; components read it with useSyncExternalStore.
import { createContext, useContext, useSyncExternalStore } from 'react';

export type NoticeTone = 'info' | 'ok' | 'warn' | 'danger';

export interface Notice {
  id: number;
  /** SL_HIT, TP_HIT, STOP_OUT, ORDER_FILLED, ORDER_EXPIRED, ORDER_REJECTED… */
  kind: string;
  tone: NoticeTone;
  title: string;
  message: string;
  at: number;
}

export interface MarginAlert {
  type: 'margin_call' | 'stop_out';
  accountId: number;
  marginLevel: string | null;
  closedPositions: string[];
  at: number;
}

const TOAST_MS = 8_000;

interface Snapshot {
  notices: Notice[];
  alert: MarginAlert | null;
}

export class NoticeStore {
  private snap: Snapshot = { notices: [], alert: null };
  private listeners = new Set<() => void>();
  private seq = 0;

  get = (): Snapshot => this.snap;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private set(next: Partial<Snapshot>): void {
    this.snap = { ...this.snap, ...next };
    this.listeners.forEach((l) => l());
  }

  push(n: Omit<Notice, 'id' | 'at'>): void {
    const notice: Notice = { ...n, id: ++this.seq, at: Date.now() };
    this.set({ notices: [...this.snap.notices.slice(-4), notice] });
    setTimeout(() => this.dismiss(notice.id), n.tone === 'danger' ? TOAST_MS * 2 : TOAST_MS);
  }

  dismiss(id: number): void {
    if (this.snap.notices.some((n) => n.id === id)) this.set({ notices: this.snap.notices.filter((n) => n.id !== id) });
  }

  setAlert(a: MarginAlert | null): void {
    this.set({ alert: a });
  }

  /** A margin call clears itself when the account recovers; a stop out stays until the trader dismisses it. */
  clearMarginCall(accountId: number): void {
    const a = this.snap.alert;
    if (a && a.accountId === accountId && a.type === 'margin_call') this.set({ alert: null });
  }
}

export const NoticeContext = createContext<NoticeStore | null>(null);

export function useNoticeStore(): NoticeStore {
  const s = useContext(NoticeContext);
  if (!s) throw new Error('useNoticeStore outside NoticeContext');
  return s;
}

export function useNotices(): Snapshot {
  const s = useNoticeStore();
  return useSyncExternalStore(s.subscribe, s.get, s.get);
}

export const REASON_LABELS: Record<string, string> = {
  SL_HIT: 'Stop loss',
  TP_HIT: 'Take profit',
  STOP_OUT: 'Stop out',
  CLOSE_ALL: 'Close all',
  PARTIAL: 'Partial close',
  MANUAL: 'Manual',
  NETTING: 'Netting',
  ADMIN: 'By the dealer',
};
