import type { AccountBrief, AuthUser } from '@broker/api';
import { LoginInput } from '@broker/api/schemas';
import type { NextAuthOptions, Session } from 'next-auth';
import { getServerSession } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { LOGIN_CREDENTIALS, authorizeSignIn, baseAuthOptions, liveSession, engineCallbacks } from '@broker/ui/auth';
import { nextAuthSecret } from '../config.ts';
import { engineLogin } from './engine-login.ts';

// next-auth builds redirects from NEXTAUTH_URL and assumes port 3000 when it is unset: that is this app's port.
if (!process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = 'http://localhost:3000';

const secureCookies = process.env.NEXTAUTH_URL.startsWith('https://');

export const authOptions: NextAuthOptions = {
  // Cookies ignore ports: the back office on :3001 would overwrite ours if both used next-auth's default names.
  ...baseAuthOptions('trader', secureCookies, nextAuthSecret()),
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: LOGIN_CREDENTIALS,
      authorize: (credentials) =>
        authorizeSignIn(credentials, {
          schema: LoginInput,
          login: engineLogin,
          allowRole: (role) => role === 'CLIENT',
          refusal: 'This is the trading terminal for clients. Staff sign in to the back office.',
        }),
    }),
  ],
  callbacks: engineCallbacks<AuthUser, AccountBrief>(),
};

/** The signed-in client, or null when signed out, the engine token has expired, or the role is not CLIENT. */
export async function getTraderSession(): Promise<Session | null> {
  return liveSession<Session>(await getServerSession(authOptions), (role) => role === 'CLIENT');
}
