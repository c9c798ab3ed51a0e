// How the execution model's codes read to a dealer.
export const MODE_LABEL = { A_BOOK: 'A-Book (to an LP)', B_BOOK: 'B-Book (house)', C_BOOK: 'C-Book (house, part hedged)' } as const;
export const MODES = ['A_BOOK', 'B_BOOK', 'C_BOOK'] as const;
export type Mode = (typeof MODES)[number];

export const VENUE_LABEL: Record<string, string> = { ABOOK: 'A-Book', BBOOK: 'B-Book', CBOOK: 'C-Book' };
export const VENUE_COLOR: Record<string, string> = { ABOOK: '#0ea5e9', BBOOK: '#a78bfa', CBOOK: '#f59e0b' };

/** The router's rule names (domain/routing.ts) in a few words. */
export const RULE_LABEL: Record<string, string> = {
  CLIENT_OVERRIDE: 'Client override',
  PROFITABLE_CLIENT: 'Profitable client',
  TOXIC_FLOW: 'Toxic flow',
  SYMBOL_RULE: 'Symbol rule',
  SYMBOL_MAX_BBOOK_VOLUME: 'Symbol’s max B-Book volume',
  MAX_BBOOK_VOLUME: 'Max B-Book volume',
  HIGH_VOLATILITY: 'High volatility',
  MAX_SYMBOL_EXPOSURE: 'Max symbol exposure',
  GLOBAL_MODE: 'Global mode',
  LP_DOWN_FALLBACK: 'LP down, fallback',
  HEDGE_BELOW_STEP: 'Hedge below the volume step',
  UNROUTED: 'Not routed (orders from before the router)',
};

export const LP_ORDER_STATUSES = ['SENT', 'FILLED', 'PARTIAL', 'REJECTED', 'EXPIRED', 'UNKNOWN'] as const;
