import { PasswordCard } from '../../security/password-card.tsx';
import { StaffUsersCard } from '../../security/staff-users-card.tsx';
import { TwoFactorCard } from '../../security/two-factor-card.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Security · RTX Back Office' };

export default async function SecurityPage() {
  // A set-up-only session (two-factor required, not on yet) may open this page and nothing else.
  const { session, can } = await requireStaff({ setupPage: true });
  const setupOnly = session.user.twoFactorSetupOnly === true;
  return (
    <StaffFrame session={session} active="security">
      <main className="mx-auto flex w-full max-w-4xl flex-1 flex-col gap-3 p-2 md:p-3">
        <TwoFactorCard setupOnly={setupOnly} />
        {!setupOnly && <PasswordCard email={session.user.email} />}
        {!setupOnly && can.manageStaff && <StaffUsersCard selfId={session.user.id} />}
      </main>
    </StaffFrame>
  );
}
