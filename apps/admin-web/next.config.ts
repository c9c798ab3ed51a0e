import type { NextConfig } from 'next';

const config: NextConfig = {
  // The shared packages ship TypeScript sources (with .ts import extensions); Next compiles them.
  transpilePackages: ['@broker/api', '@broker/ui'],
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
