import { AuditScreen } from '../../audit/audit-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Audit log · RTX Back Office' };

export default async function AuditPage() {
  const { session } = await requireStaff();
  return (
    <StaffFrame session={session} active="audit">
      <AuditScreen />
    </StaffFrame>
  );
}
