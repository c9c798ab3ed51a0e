import { ReportsScreen } from '../../reports/reports-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Reports · RTX Back Office' };

export default async function ReportsPage() {
  const { session } = await requireStaff();
  return (
    <StaffFrame session={session} active="reports">
      <ReportsScreen />
    </StaffFrame>
  );
}
