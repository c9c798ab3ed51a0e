import { notFound } from 'next/navigation';
import { AccountScreen } from '../../../accounts/account-screen.tsx';
import { StaffFrame, requireStaff } from '../../../staff/staff-page.tsx';

export const metadata = { title: 'Account · RTX Back Office' };

export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  const { session, can } = await requireStaff();
  const { id } = await params;
  const accountId = Number(id);
  if (!/^\d{1,10}$/.test(id) || !Number.isSafeInteger(accountId) || accountId < 1 || accountId > 2_147_483_647) notFound();
  return (
    <StaffFrame session={session} active="accounts">
      <AccountScreen accountId={accountId} can={can} />
    </StaffFrame>
  );
}
