// Wiring only: configuration from the environment, then the engine; stops cleanly on SIGINT/SIGTERM.
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startEngine } from './server.ts';

const log = createLogger('engine');
const running = await startEngine(loadConfig(), { logger: log });

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
