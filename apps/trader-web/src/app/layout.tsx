import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getTraderSession } from '../auth/options.ts';
import { enginePublicUrl } from '../config.ts';
import './globals.css';
import { Providers } from './providers.tsx';

// The engine address and the session are read per request: one build runs on any host and port.
export const dynamic = 'force-dynamic';

const THEME_SCRIPT = `try{if(localStorage.getItem('rtx.theme')==='light')document.documentElement.dataset.theme='light'}catch(e){}`;

export const metadata: Metadata = { title: 'RTX Trader', description: 'Trading terminal' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getTraderSession();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <head>
        {/* The saved theme before the first paint, so a light-theme trader never sees a dark flash. */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="h-full bg-zinc-950 font-sans text-zinc-100 antialiased">
        <Providers session={session} engineUrl={enginePublicUrl()}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
