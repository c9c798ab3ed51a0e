// The web apps' security headers (issue 12), for next.config's `headers()`. Plain code, no imports: next.config
// loads it at build and start.
//
// CSP suited to Next's App Router without per-request nonces: scripts and styles from the app itself, plus
// the inline bootstrap scripts and styles Next writes ('unsafe-inline'; 'unsafe-eval' only in development for
// React Refresh). connect-src: the app, the engine (ENGINE_PUBLIC_URL / ENGINE_URL, with its ws(s) form) as
// known when the config is loaded, any https/wss endpoint (a deployment's engine behind TLS), and loopback on
// any port (development, tests). Nothing may frame the apps; no plugins; forms and <base> stay on the app.

const wsOf = (origin: string) => origin.replace(/^http/, 'ws');

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function contentSecurityPolicy(env: Readonly<Record<string, string | undefined>>): string {
  const dev = env.NODE_ENV !== 'production';
  const engines = [originOf(env.ENGINE_PUBLIC_URL), originOf(env.ENGINE_URL)].filter((o): o is string => o !== null);
  const connect = new Set(["'self'", 'https:', 'wss:', 'http://localhost:*', 'ws://localhost:*', 'http://127.0.0.1:*', 'ws://127.0.0.1:*']);
  for (const o of engines) {
    connect.add(o);
    connect.add(wsOf(o));
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': [...connect],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** next.config `headers()`: every route of the app. */
export function securityHeaders(env: Readonly<Record<string, string | undefined>>) {
  const headers = [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(env) },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    // Browsers honour it over HTTPS only (the reverse proxy's), and ignore it on plain-HTTP development.
    { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
  ];
  return [{ source: '/:path*', headers }];
}
