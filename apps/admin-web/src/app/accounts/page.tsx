import { AccountsScreen } from '../../accounts/accounts-screen.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Accounts · RTX Back Office' };

export default async function AccountsPage() {
  const { session, can } = await requireStaff();
  return (
    <StaffFrame session={session} active="accounts">
      <AccountsScreen can={can} />
    </StaffFrame>
  );
}
