import type { NextConfig } from 'next';
import { PHASE_PRODUCTION_SERVER } from 'next/constants';
import { assertNextAuthSecret } from '@broker/ui/auth';
import { securityHeaders } from '@broker/ui/security-headers';

const config: NextConfig = {
  // The shared packages ship TypeScript sources (with .ts import extensions); Next compiles them.
  transpilePackages: ['@broker/api', '@broker/ui'],
  reactStrictMode: true,
  poweredByHeader: false,
  // CSP, frame-ancestors/X-Frame-Options, nosniff, Referrer-Policy… (packages/ui/src/security-headers.ts).
  async headers() {
    return securityHeaders(process.env);
  },
};

// `next start` (NODE_ENV=production) refuses to serve without a real NEXTAUTH_SECRET (issue 12).
export default function nextConfig(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_SERVER) assertNextAuthSecret('trader-web', process.env);
  return config;
}
