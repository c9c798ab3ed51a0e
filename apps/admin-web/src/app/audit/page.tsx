import { AuditScreen } from '../../audit/audit-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Audit log · RTX Back Office' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ action?: string }> }) {
  const { session } = await requireStaff();
  const { action } = await searchParams;
  // A link from another page ("every change to the execution model"): the action prefix it filters on.
  const initialAction = typeof action === 'string' && /^[a-z_.]{1,100}$/.test(action) ? action : undefined;
  return (
    <StaffFrame session={session} active="audit">
      <AuditScreen initialAction={initialAction} />
    </StaffFrame>
  );
}
