import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getStaffSession } from '../auth/options.ts';
import { enginePublicUrl } from '../config.ts';
import './globals.css';
import { Providers } from './providers.tsx';

// The engine address and the session are read per request: one build runs on any host and port.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'RTX Back Office', description: 'Broker back office' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getStaffSession();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="h-full bg-zinc-950 font-sans text-zinc-100 antialiased">
        <Providers session={session} engineUrl={enginePublicUrl()}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
