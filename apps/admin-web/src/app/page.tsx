import { DashboardScreen } from '../dashboard/dashboard-screen.tsx';
import { StaffFrame, requireStaff } from '../staff/staff-page.tsx';

export const metadata = { title: 'Dashboard · RTX Back Office' };

export default async function Home() {
  const { session, can } = await requireStaff();
  return (
    <StaffFrame session={session} active="dashboard">
      <DashboardScreen canReconcileAll={can.reconcileAll} />
    </StaffFrame>
  );
}
