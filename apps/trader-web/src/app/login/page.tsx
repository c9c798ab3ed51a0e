import { redirect } from 'next/navigation';
import { getTraderSession } from '../../auth/options.ts';
import { LoginForm } from './login-form.tsx';

export const metadata = { title: 'Sign in · RTX Trader' };

export default async function LoginPage() {
  if (await getTraderSession()) redirect('/');
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-semibold tracking-tight">
            <span className="text-sky-400">RTX</span> Trader
          </p>
          <p className="mt-1 text-sm text-zinc-500">Sign in to your trading account</p>
        </div>
        <LoginForm />
      </div>
    </main>
  );
}
