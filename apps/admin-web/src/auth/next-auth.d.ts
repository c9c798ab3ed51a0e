import type { AccountBrief, AuthUser } from '@broker/api';
import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    user: AuthUser;
    accounts: AccountBrief[];
    /** Bearer token for the engine's tRPC and Socket.IO. */
    engineToken: string;
    /** Unix ms when the engine token expires. */
    engineTokenExpiresAt: number;
  }
  interface User {
    id: string;
    engineUser: AuthUser;
    accounts: AccountBrief[];
    engineToken: string;
    engineTokenExpiresAt: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    engineUser?: AuthUser;
    accounts?: AccountBrief[];
    engineToken?: string;
    engineTokenExpiresAt?: number;
  }
}
