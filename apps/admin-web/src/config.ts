// Runtime configuration, read on the server at request time (never inlined at build), so one build runs
// against any engine and on any port.

const DEV_SECRET = 'dev-only-insecure-secret-change-me';
let warnedSecret = false;

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** Where this server reaches the engine (next-auth authorize). */
export function engineUrl(): string {
  return trimSlash(process.env.ENGINE_URL || 'http://localhost:4000');
}

/** Where the browser reaches the engine: tRPC and Socket.IO. */
export function enginePublicUrl(): string {
  return trimSlash(process.env.ENGINE_PUBLIC_URL || engineUrl());
}

export function nextAuthSecret(): string {
  const s = process.env.NEXTAUTH_SECRET;
  if (s) return s;
  if (!warnedSecret) {
    warnedSecret = true;
    console.warn('[admin-web] NEXTAUTH_SECRET is not set: using a fixed development secret. Set it in production.');
  }
  return DEV_SECRET;
}
