import { redirect } from 'next/navigation';
import { getStaffSession } from '../../auth/options.ts';
import { riskPermissions } from '../../risk/roles.ts';
import { RiskScreen } from '../../risk/risk-screen.tsx';
import { AdminNav } from '../admin-nav.tsx';

export const metadata = { title: 'Risk · RTX Back Office' };

export default async function RiskPage() {
  const session = await getStaffSession();
  if (!session) redirect('/login');
  const can = riskPermissions(session.user.role);
  return (
    <div className="flex min-h-full flex-col">
      <AdminNav user={session.user} active="risk" />
      <RiskScreen can={can} role={session.user.role} />
    </div>
  );
}
