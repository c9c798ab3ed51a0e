'use client';
import { LoginInput } from '@broker/api/schemas';
import { LoginForm as SharedLoginForm } from '@broker/ui';
import { signIn } from 'next-auth/react';

export function LoginForm() {
  return <SharedLoginForm schema={LoginInput} signIn={(c) => signIn('credentials', { ...c, redirect: false })} home="/" />;
}
