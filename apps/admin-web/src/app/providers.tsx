'use client';
import type { AppRouter } from '@broker/api';
import { transformer } from '@broker/api/transformer';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { Session } from 'next-auth';
import { SessionProvider, signOut } from 'next-auth/react';
import { useRef, useState, type ReactNode } from 'react';
import { appError } from '../trpc/errors.ts';
import { EngineUrlContext } from '../staff/engine-url.tsx';
import { TRPCProvider } from '../trpc/react.ts';

/** The engine no longer accepts our token (expired, or the engine restarted): sign in again. */
function onAuthError(e: unknown) {
  if (appError(e).code === 'UNAUTHENTICATED') void signOut({ callbackUrl: '/login' });
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onAuthError }),
    mutationCache: new MutationCache({ onError: onAuthError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Rejections (4xx with an app code) are answers, not outages: retry only what looks like the network.
        retry: (count, e) => count < 3 && appError(e).code === 'NETWORK',
      },
    },
  });
}

export function Providers({ session, engineUrl, children }: { session: Session | null; engineUrl: string; children: ReactNode }) {
  const tokenRef = useRef(session?.engineToken ?? '');
  tokenRef.current = session?.engineToken ?? '';
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${engineUrl}/trpc`,
          transformer,
          headers: () => (tokenRef.current ? { Authorization: `Bearer ${tokenRef.current}` } : {}),
        }),
      ],
    }),
  );

  return (
    <SessionProvider session={session} refetchOnWindowFocus={false}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <EngineUrlContext.Provider value={engineUrl}>{children}</EngineUrlContext.Provider>
        </TRPCProvider>
      </QueryClientProvider>
    </SessionProvider>
  );
}
