import { SymbolsScreen } from '../../symbols/symbols-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Symbols · RTX Back Office' };

export default async function SymbolsPage() {
  const { session, can } = await requireStaff();
  return (
    <StaffFrame session={session} active="symbols">
      <SymbolsScreen can={can} />
    </StaffFrame>
  );
}
