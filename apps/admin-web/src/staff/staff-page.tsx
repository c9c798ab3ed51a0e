import type { ReactNode } from 'react';
import { redirect } from 'next/navigation';
import type { Session } from 'next-auth';
import { getStaffSession } from '../auth/options.ts';
import { AdminNav, type NavId } from '../app/admin-nav.tsx';
import { permissionsOf, type Permissions } from './permissions.ts';

/** The signed-in staff member and what their role may do; signed-out visitors go to the login page. */
export async function requireStaff(opts: { setupPage?: boolean } = {}): Promise<{ session: Session; can: Permissions }> {
  const session = await getStaffSession();
  if (!session) redirect('/login');
  // The policy requires two-factor of this role and it is not on yet: the session opens only its set-up.
  if (session.user.twoFactorSetupOnly && !opts.setupPage) redirect('/security');
  return { session, can: permissionsOf(session.user.role) };
}

/** Every back-office page: the nav and the page under it. */
export function StaffFrame({ session, active, children }: { session: Session; active: NavId; children: ReactNode }) {
  return (
    <div className="flex min-h-full flex-col">
      <AdminNav user={session.user} active={active} />
      {children}
    </div>
  );
}
