import { redirect } from 'next/navigation';
import { getStaffSession } from '../../auth/options.ts';
import { enginePublicUrl } from '../../config.ts';
import { lpPermissions } from '../../lps/roles.ts';
import { LpsScreen } from '../../lps/lps-screen.tsx';
import { AdminNav } from '../admin-nav.tsx';

export const metadata = { title: 'LPs · RTX Back Office' };

export default async function LpsPage() {
  const session = await getStaffSession();
  if (!session) redirect('/login');
  const { canManage, canReconnect } = lpPermissions(session.user.role);
  return (
    <div className="flex min-h-full flex-col">
      <AdminNav user={session.user} active="lps" />
      <LpsScreen engineUrl={enginePublicUrl()} role={session.user.role} canManage={canManage} canReconnect={canReconnect} />
    </div>
  );
}
