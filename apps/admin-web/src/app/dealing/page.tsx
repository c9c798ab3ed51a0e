import { DealingScreen } from '../../dealing/dealing-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Dealing · RTX Back Office' };

export default async function DealingPage({ searchParams }: { searchParams: Promise<{ symbol?: string }> }) {
  const { session, can } = await requireStaff();
  const { symbol } = await searchParams;
  return (
    <StaffFrame session={session} active="dealing">
      <DealingScreen can={can} initialSymbol={typeof symbol === 'string' ? symbol.slice(0, 20) : undefined} />
    </StaffFrame>
  );
}
