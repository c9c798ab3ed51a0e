'use client';
import { cx, formatPercent } from '@broker/ui';
import { useNoticeStore, useNotices, type NoticeTone } from '../live/notices.ts';
import { useLiveAccount } from './use-live-account.ts';

/**
 * The red bar under the account header while the account is in margin call (account_update.marginCall or a
 * margin_call event), and after a stop out until the trader dismisses it.
 */
export function MarginCallBanner({ accountId }: { accountId: number }) {
  const store = useNoticeStore();
  const { alert } = useNotices();
  const { figures } = useLiveAccount(accountId);
  const a = alert?.accountId === accountId ? alert : null;
  const inCall = Boolean(figures?.marginCall);
  if (!a && !inCall) return null;
  const stopOut = a?.type === 'stop_out';
  const level = figures?.marginLevel ?? a?.marginLevel ?? null;
  return (
    <div
      role="alert"
      data-testid="margin-call-banner"
      data-type={stopOut ? 'stop_out' : 'margin_call'}
      className="flex shrink-0 items-center gap-3 border-b border-rose-500/60 bg-rose-600/90 px-4 py-2 text-sm text-white"
    >
      <span className="rounded bg-white/15 px-2 py-0.5 text-[11px] font-bold uppercase tracking-wider">
        {stopOut ? 'Stop out' : 'Margin call'}
      </span>
      <span className="flex-1">
        {stopOut ? (
          <>
            Positions were closed to protect the account
            {a.closedPositions.length ? ` (${a.closedPositions.map((id) => `#${id}`).join(', ')})` : ''}. Margin level{' '}
            <b className="font-mono tabular-nums" data-testid="margin-call-level">
              {formatPercent(level)}
            </b>
            .
          </>
        ) : (
          <>
            Margin level{' '}
            <b className="font-mono tabular-nums" data-testid="margin-call-level">
              {formatPercent(level)}
            </b>{' '}
            is at or below the margin call level. Deposit funds or reduce positions: at the stop-out level positions are closed
            automatically, largest loss first.
          </>
        )}
      </span>
      {a && (
        <button
          type="button"
          onClick={() => store.setAlert(null)}
          className="rounded px-2 py-0.5 text-xs text-white/80 hover:bg-white/15 hover:text-white"
          data-testid="margin-call-dismiss"
        >
          Dismiss
        </button>
      )}
    </div>
  );
}

const TONES: Record<NoticeTone, string> = {
  info: 'border-sky-500/40 bg-zinc-900',
  ok: 'border-emerald-500/50 bg-zinc-900',
  warn: 'border-amber-500/50 bg-zinc-900',
  danger: 'border-rose-500/70 bg-rose-950',
};
const DOTS: Record<NoticeTone, string> = { info: 'bg-sky-400', ok: 'bg-emerald-400', warn: 'bg-amber-400', danger: 'bg-rose-500' };

/** Toast-like notices, bottom right: SL/TP hits, stop outs, pending orders filled, expired or rejected. */
export function Notices() {
  const store = useNoticeStore();
  const { notices } = useNotices();
  if (!notices.length) return null;
  return (
    <div aria-live="polite" className="pointer-events-none fixed bottom-3 right-3 z-40 flex w-80 flex-col gap-2" data-testid="notices">
      {notices.map((n) => (
        <div
          key={n.id}
          role="status"
          data-testid="notice"
          data-kind={n.kind}
          className={cx('pointer-events-auto flex gap-2 rounded-md border px-3 py-2 text-xs shadow-lg shadow-black/50', TONES[n.tone])}
        >
          <span aria-hidden className={cx('mt-1 h-2 w-2 shrink-0 rounded-full', DOTS[n.tone])} />
          <div className="min-w-0 flex-1">
            <p className="font-semibold text-zinc-100">{n.title}</p>
            <p className="break-words text-zinc-400">{n.message}</p>
          </div>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => store.dismiss(n.id)}
            className="self-start text-zinc-500 hover:text-zinc-200"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
