import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../src/security-headers.ts';

describe('web app security headers (issue 12)', () => {
  it('covers every route with CSP, framing, sniffing and referrer rules', () => {
    const [rule] = securityHeaders({ NODE_ENV: 'production' });
    expect(rule!.source).toBe('/:path*');
    const h = Object.fromEntries(rule!.headers.map((x) => [x.key, x.value]));
    expect(h['X-Frame-Options']).toBe('DENY');
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(h['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(h['Content-Security-Policy']).toContain("object-src 'none'");
  });

  it("allows the engine for connections, and eval only in development", () => {
    const prod = contentSecurityPolicy({ NODE_ENV: 'production', ENGINE_PUBLIC_URL: 'https://api.broker.example/' });
    expect(prod).toMatch(/connect-src [^;]*https:\/\/api\.broker\.example/);
    expect(prod).toMatch(/connect-src [^;]*wss:\/\/api\.broker\.example/);
    expect(prod).not.toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ NODE_ENV: 'development' })).toContain("'unsafe-eval'");
    // A plain-http engine elsewhere is not reachable from the page.
    expect(prod).not.toMatch(/connect-src [^;]*\shttp:(\s|;)/);
  });
});
