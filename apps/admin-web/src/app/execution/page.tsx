import { ExecutionScreen } from '../../execution/execution-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Execution · RTX Back Office' };

export default async function ExecutionPage({ searchParams }: { searchParams: Promise<{ lpStatus?: string }> }) {
  const { session, can } = await requireStaff();
  const { lpStatus } = await searchParams;
  return (
    <StaffFrame session={session} active="execution">
      <ExecutionScreen can={can} initialLpStatus={lpStatus === 'UNKNOWN' ? 'UNKNOWN' : undefined} />
    </StaffFrame>
  );
}
