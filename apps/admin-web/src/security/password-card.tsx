'use client';
import { passwordProblem, PASSWORD_MIN_LENGTH } from '@broker/api/password-policy';
import { Card, ChangePasswordForm } from '@broker/ui';
import { signOut } from 'next-auth/react';
import { appError } from '../trpc/errors.ts';
import { useTRPCClient } from '../trpc/react.ts';

/** A new password for oneself (the policy's message next to the field); every session then ends. */
export function PasswordCard({ email }: { email: string }) {
  const client = useTRPCClient();
  return (
    <Card title="Password" data-testid="password-card">
      <div className="p-3">
        <ChangePasswordForm
          email={email}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a good one. Not your email, not a common password. Changing it signs you out everywhere.`}
          check={(pw) => passwordProblem(pw, { email })?.message ?? null}
          submit={(input) =>
            client.auth.changePassword.mutate(input).then(
              () => ({ ok: true as const }),
              (e: unknown) => {
                const info = appError(e);
                return { ok: false as const, code: info.code, message: info.message, field: typeof info.details?.field === 'string' ? info.details.field : undefined };
              },
            )
          }
          onChanged={() => void signOut({ callbackUrl: '/login' })}
        />
      </div>
    </Card>
  );
}
