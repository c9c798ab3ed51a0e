import { isStaff } from '@broker/api/roles';
import { LoginInput } from '@broker/api/schemas';
import type { NextAuthOptions, Session } from 'next-auth';
import { getServerSession } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authCookies, liveSession, sessionFromToken, tokenWithUser, userFromSignIn } from '@broker/ui/auth';
import { nextAuthSecret } from '../config.ts';
import { engineLogin } from './engine-login.ts';

// next-auth builds redirects from NEXTAUTH_URL and assumes port 3000 (the trader terminal) when it is
// unset: the back office runs on 3001. ADMIN_NEXTAUTH_URL lets both apps share one environment.
if (process.env.ADMIN_NEXTAUTH_URL) process.env.NEXTAUTH_URL = process.env.ADMIN_NEXTAUTH_URL;
if (!process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = 'http://localhost:3001';

const secureCookies = process.env.NEXTAUTH_URL.startsWith('https://');

export const authOptions: NextAuthOptions = {
  secret: nextAuthSecret(),
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/login', error: '/login' },
  // Cookies ignore ports: the trader terminal on :3000 would overwrite ours if both used next-auth's default names.
  cookies: authCookies('admin', secureCookies),
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        const parsed = LoginInput.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error('Enter a valid email and password.');
        const outcome = await engineLogin(parsed.data.email, parsed.data.password);
        if (!outcome.ok) throw new Error(outcome.message);
        const { user } = outcome.result;
        if (!isStaff(user.role)) {
          throw new Error('Client accounts cannot sign in to the back office. Use the trading terminal.');
        }
        return userFromSignIn(outcome.result);
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      return tokenWithUser(token, user);
    },
    session({ session, token }) {
      return sessionFromToken(session, token) satisfies Session;
    },
  },
};

/** The signed-in staff member, or null when signed out, the engine token has expired, or the role is CLIENT. */
export async function getStaffSession(): Promise<Session | null> {
  return liveSession<Session>(await getServerSession(authOptions), isStaff);
}
