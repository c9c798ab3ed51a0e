// Structured logs: one JSON line per event (style.md).
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** LOG_LEVEL (debug, info, warn, error; default info) sets the least severe level written. */
export function createLogger(name: string, opts: { silent?: boolean; level?: string } = {}): Logger {
  const min = LEVELS[(opts.level ?? process.env.LOG_LEVEL ?? 'info').toLowerCase()] ?? LEVELS.info!;
  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    if (opts.silent || (LEVELS[level] ?? 0) < min) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, name, msg, ...fields }, (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
