// Wiring only: configuration from the environment, then the engine; stops cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startEngine, type RunningEngine } from './server.ts';

const log = createLogger('engine');
let running: RunningEngine;
try {
  running = await startEngine(loadConfig(), { logger: log });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  log.error(`refusing to start: ${err.message}`);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    running.stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error('stop failed', { error: err.message });
        process.exit(1);
      },
    );
  });
}
