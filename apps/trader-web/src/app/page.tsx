import { redirect } from 'next/navigation';
import { getTraderSession } from '../auth/options.ts';
import { Terminal } from '../terminal/terminal.tsx';

export default async function TerminalPage() {
  const session = await getTraderSession();
  if (!session) redirect('/login');
  return <Terminal user={session.user} accounts={session.accounts} />;
}
