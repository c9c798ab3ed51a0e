'use client';
// Keyboard shortcuts: one list (SHORTCUTS) that both the key handlers and the help dialog ("?") read, so
// what the dialog documents is what the keys do.
import { Modal } from '@broker/ui';
import { useEffect, useRef, useState } from 'react';

export const SHORTCUTS = [
  { keys: ['B'], action: 'Buy at market (asks to confirm unless one-click trading is on)' },
  { keys: ['S'], action: 'Sell at market (asks to confirm unless one-click trading is on)' },
  { keys: ['Enter'], action: 'Confirm the order being asked about' },
  { keys: ['Esc'], action: 'Cancel the confirmation, close a dialog' },
  { keys: ['+', '−'], action: 'Volume one step up / down' },
  { keys: ['M', 'L', 'O', 'K'], action: 'Order type: market, limit, stop, stop-limit' },
  { keys: ['1', '…', '6'], action: 'Chart timeframe 1m, 5m, 15m, 1h, 4h, 1d' },
  { keys: ['?'], action: 'This list' },
] as const;

/** Whether a key press is meant for a text field (or a control) rather than for the terminal. */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || Boolean(t.closest('[role="dialog"]'));
}

/** Calls handlers[key] for key presses outside text fields and dialogs, without modifier keys. */
export function useHotkeys(handlers: Record<string, (() => void) | undefined>, enabled = true) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTypingTarget(e.target)) return;
      // Enter on a focused button or link is that control's own (Cancel stays Cancel).
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a, summary')) return;
      const h = ref.current[e.key.length === 1 ? e.key.toLowerCase() : e.key];
      if (!h) return;
      e.preventDefault();
      h();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export function Shortcuts() {
  const [open, setOpen] = useState(false);
  useHotkeys({ '?': () => setOpen(true) });
  if (!open) return null;
  return (
    <Modal title="Keyboard shortcuts" onClose={() => setOpen(false)} data-testid="shortcuts-dialog">
      <table className="w-full text-xs">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action} className="border-b border-zinc-800/70">
              <td className="whitespace-nowrap py-1.5 pr-3">
                {s.keys.map((k) => (
                  <kbd key={k} className="mr-1 rounded border border-zinc-700 bg-zinc-800 px-1.5 py-0.5 font-mono text-[11px] text-zinc-200">
                    {k}
                  </kbd>
                ))}
              </td>
              <td className="py-1.5 text-zinc-300">{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-[11px] text-zinc-500">Keys act when no text field has the focus.</p>
    </Modal>
  );
}
