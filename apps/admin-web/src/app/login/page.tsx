import { redirect } from 'next/navigation';
import { getStaffSession } from '../../auth/options.ts';
import { LoginForm } from './login-form.tsx';

export const metadata = { title: 'Sign in · RTX Back Office' };

export default async function LoginPage() {
  if (await getStaffSession()) redirect('/accounts');
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-semibold tracking-tight">
            <span className="text-sky-400">RTX</span> Back Office
          </p>
          <p className="mt-1 text-sm text-zinc-500">Staff sign-in</p>
        </div>
        <LoginForm />
      </div>
    </main>
  );
}
