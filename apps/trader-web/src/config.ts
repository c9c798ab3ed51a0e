// Runtime configuration, read on the server at request time (never inlined at build), so one build runs
// against any engine and on any port.
import { runtimeConfig } from '@broker/ui/auth';

/** engineUrl: where this server reaches the engine (next-auth authorize); enginePublicUrl: where the browser does. */
export const { engineUrl, enginePublicUrl, nextAuthSecret } = runtimeConfig('trader-web', process.env);
