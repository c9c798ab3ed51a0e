import { LoginScreen } from '@broker/ui';
import { redirect } from 'next/navigation';
import { getStaffSession } from '../../auth/options.ts';
import { LoginForm } from './login-form.tsx';

export const metadata = { title: 'Sign in · RTX Back Office' };

export default async function LoginPage() {
  if (await getStaffSession()) redirect('/accounts');
  return (
    <LoginScreen product="Back Office" subtitle="Staff sign-in">
      <LoginForm />
    </LoginScreen>
  );
}
