import { LoginScreen } from '@broker/ui';
import { redirect } from 'next/navigation';
import { getTraderSession } from '../../auth/options.ts';
import { LoginForm } from './login-form.tsx';

export const metadata = { title: 'Sign in · RTX Trader' };

export default async function LoginPage() {
  if (await getTraderSession()) redirect('/');
  return (
    <LoginScreen product="Trader" subtitle="Sign in to your trading account">
      <LoginForm />
    </LoginScreen>
  );
}
