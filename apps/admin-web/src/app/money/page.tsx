import { Card } from '@broker/ui';
import { DepositForm } from '../../money/deposit-form.tsx';
import { WithdrawalsQueue } from '../../money/withdrawals-queue.tsx';
import { StaffFrame, requireStaff } from '../../staff/staff-page.tsx';

export const metadata = { title: 'Money · RTX Back Office' };

/** design.md §8.5: deposits (with a confirmation) and the withdrawals queue. Adjustments are on the account page. */
export default async function MoneyPage() {
  const { session, can } = await requireStaff();
  return (
    <StaffFrame session={session} active="money">
      <main className="grid flex-1 grid-cols-1 content-start items-start gap-3 p-2 md:p-3 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <Card title="Deposit">
          <div className="p-4">
            {can.moveMoney ? (
              <DepositForm />
            ) : (
              <p className="text-sm text-zinc-400" data-testid="deposit-not-allowed">
                Your role ({can.role}) may view money movements but not make them. Deposits need an ADMIN or SUPER_ADMIN.
              </p>
            )}
          </div>
        </Card>
        <WithdrawalsQueue canDecide={can.moveMoney} />
      </main>
    </StaffFrame>
  );
}
