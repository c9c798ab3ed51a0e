import { FINANCE_ROLES } from '@broker/api/roles';
import { redirect } from 'next/navigation';
import { getStaffSession } from '../../auth/options.ts';
import { AccountsScreen } from '../../accounts/accounts-screen.tsx';
import { AdminNav } from '../admin-nav.tsx';

export const metadata = { title: 'Accounts · RTX Back Office' };

export default async function AccountsPage() {
  const session = await getStaffSession();
  if (!session) redirect('/login');
  const canMoveMoney = (FINANCE_ROLES as readonly string[]).includes(session.user.role);
  return (
    <div className="flex min-h-full flex-col">
      <AdminNav user={session.user} active="accounts" />
      <AccountsScreen canMoveMoney={canMoveMoney} />
    </div>
  );
}
