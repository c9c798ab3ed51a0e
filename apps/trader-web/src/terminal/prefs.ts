'use client';
// The trader's own choices (layout, phone tab, chart indicators, theme, one-click trading), kept in
// localStorage so they survive a reload. Read with useSyncExternalStore: the server render and the first
// client render use the default, then the saved value, without a hydration mismatch.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';

const EVENT = 'rtx-pref';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void) {
  window.addEventListener('storage', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

export function writePref(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  window.dispatchEvent(new Event(EVENT));
}

/** A saved choice among `allowed`; anything else saved (an old or corrupt value) reads as `initial`. */
export function usePref<T extends string>(key: string, initial: T, allowed: readonly T[]): [T, (v: T) => void] {
  const raw = useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );
  const value = raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : initial;
  const set = useCallback((v: T) => writePref(key, v), [key]);
  return [value, set];
}

/** A saved on/off choice. */
export function useFlag(key: string, initial: boolean): [boolean, (v: boolean) => void] {
  const [v, set] = usePref<'1' | '0'>(key, initial ? '1' : '0', ['1', '0']);
  return [v === '1', useCallback((b: boolean) => set(b ? '1' : '0'), [set])];
}

/** Whether the media query matches; null during the server render and hydration (not known yet). */
export function useMediaQuery(query: string): boolean | null {
  return useSyncExternalStore(
    (onChange) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', onChange);
      return () => m.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => null,
  );
}

export const LAYOUTS = ['auto', 'desktop', 'phone'] as const;
export type LayoutPref = (typeof LAYOUTS)[number];
export const PHONE_TABS = ['watch', 'chart', 'trade', 'positions'] as const;
export type PhoneTab = (typeof PHONE_TABS)[number];
export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

/** Below this width the terminal is a phone layout (tabs) unless the trader chose otherwise. */
export const PHONE_QUERY = '(max-width: 1023px)';

export const PREF_KEYS = {
  layout: 'rtx.layout',
  phoneTab: 'rtx.phoneTab',
  bottomTab: 'rtx.bottomTab',
  theme: 'rtx.theme',
  oneClick: 'rtx.oneClick',
  timeframe: 'rtx.chart.timeframe',
  indicator: (name: string) => `rtx.chart.${name}`,
} as const;

/** The layout in force: the trader's choice, or by the screen width for "auto". Null until known. */
export function useLayout(): { pref: LayoutPref; setPref: (v: LayoutPref) => void; mode: 'desktop' | 'phone' | null } {
  const [pref, setPref] = usePref<LayoutPref>(PREF_KEYS.layout, 'auto', LAYOUTS);
  const narrow = useMediaQuery(PHONE_QUERY);
  const mode = pref === 'auto' ? (narrow === null ? null : narrow ? 'phone' : 'desktop') : pref;
  return { pref, setPref, mode };
}

/** 'phone' (one panel at a time, tabs at the bottom) or 'desktop' (columns); panels adapt their density. */
export const LayoutContext = createContext<'desktop' | 'phone'>('desktop');
export const useLayoutMode = () => useContext(LayoutContext);
