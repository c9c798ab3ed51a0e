import { isStaff } from '@broker/api/roles';
import type { AccountBrief, AuthUser } from '@broker/api';
import { LoginInput, zTwoFactorCode } from '@broker/api/schemas';
import type { NextAuthOptions, Session } from 'next-auth';
import { getServerSession } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { LOGIN_CREDENTIALS, authorizeSignIn, baseAuthOptions, liveSession, engineCallbacks } from '@broker/ui/auth';
import { nextAuthSecret } from '../config.ts';
import { engineLogin } from './engine-login.ts';

// next-auth builds redirects from NEXTAUTH_URL and assumes port 3000 (the trader terminal) when it is
// unset: the back office runs on 3001. ADMIN_NEXTAUTH_URL lets both apps share one environment.
if (process.env.ADMIN_NEXTAUTH_URL) process.env.NEXTAUTH_URL = process.env.ADMIN_NEXTAUTH_URL;
if (!process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = 'http://localhost:3001';

const secureCookies = process.env.NEXTAUTH_URL.startsWith('https://');

export const authOptions: NextAuthOptions = {
  // Cookies ignore ports: the trader terminal on :3000 would overwrite ours if both used next-auth's default names.
  ...baseAuthOptions('admin', secureCookies, nextAuthSecret()),
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { ...LOGIN_CREDENTIALS, code: { label: 'Code', type: 'text' } },
      authorize: (credentials) =>
        authorizeSignIn(credentials, {
          // The code is the second factor's (two-factor sign-in), sent on the form's second step.
          schema: LoginInput.extend({ code: zTwoFactorCode.optional() }),
          login: engineLogin,
          allowRole: isStaff,
          refusal: 'Client accounts cannot sign in to the back office. Use the trading terminal.',
        }),
    }),
  ],
  callbacks: engineCallbacks<AuthUser, AccountBrief>(),
};

/** The signed-in staff member, or null when signed out, the engine token has expired, or the role is CLIENT. */
export async function getStaffSession(): Promise<Session | null> {
  return liveSession<Session>(await getServerSession(authOptions), isStaff);
}
