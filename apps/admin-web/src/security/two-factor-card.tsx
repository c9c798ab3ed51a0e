'use client';
import type { TwoFactorSetup } from '@broker/api';
import { Button, Card, ErrorNotice, Field, Input, Skeleton, SuccessNotice, formatDateTime } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import QRCode from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

const CODE = /^[0-9A-Za-z -]{6,40}$/;

/** The secret in groups of four, as authenticator apps show it when typed by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * One's own two-factor sign-in: set it up (QR code and the secret as text, confirmed by the first code), the
 * ten recovery codes shown once, and turning it off with a code (the engine then ends every session).
 */
export function TwoFactorCard({ setupOnly }: { setupOnly: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.admin.security.twoFactorStatus.queryOptions());
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const begin = useMutation(trpc.admin.security.beginTwoFactor.mutationOptions());
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.security.twoFactorStatus.queryKey() });

  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} setupOnly={setupOnly} onDone={() => (setRecoveryCodes(null), setSetup(null), void refresh())} />;

  const s = status.data;
  return (
    <Card title="Two-factor sign-in" data-testid="tfa-card">
      <div className="flex flex-col gap-3 p-3 text-sm">
        {!s ? (
          status.error ? <ErrorNotice error={appError(status.error)} /> : <Skeleton className="h-10" />
        ) : s.enabled ? (
          <>
            <SuccessNotice testId="tfa-on">
              On since {s.enabledAt ? formatDateTime(s.enabledAt) : '—'}: signing in asks for a code from your authenticator app. {s.recoveryCodesLeft} of 10
              recovery codes left.
            </SuccessNotice>
            {s.required ? (
              <p className="text-zinc-400">Your role must sign in with two-factor, so it cannot be turned off here. A SUPER_ADMIN can reset it if you lose your phone.</p>
            ) : (
              <DisableForm />
            )}
          </>
        ) : setup ? (
          <ConfirmForm setup={setup} onConfirmed={setRecoveryCodes} />
        ) : (
          <>
            {setupOnly || s.required ? (
              <p className="rounded border border-amber-500/40 bg-amber-500/10 p-2 text-amber-100" role="alert" data-testid="tfa-required">
                Your role must sign in with two-factor. Set it up now; the rest of the back office opens once it is on and you sign in again.
              </p>
            ) : (
              <p className="text-zinc-300">
                Off: your password alone signs you in. With two-factor on, signing in also asks for a 6-digit code from an authenticator app on your phone
                (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…).
              </p>
            )}
            <div>
              <Button
                variant="primary"
                loading={begin.isPending}
                onClick={() => {
                  setError(null);
                  begin.mutate(undefined, { onSuccess: setSetup, onError: (e) => setError(appError(e)) });
                }}
                data-testid="tfa-begin"
              >
                Set up two-factor sign-in
              </Button>
            </div>
            {error && <ErrorNotice error={error} />}
          </>
        )}
      </div>
    </Card>
  );
}

function ConfirmForm({ setup, onConfirmed }: { setup: TwoFactorSetup; onConfirmed: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const confirm = useMutation(trpc.admin.security.confirmTwoFactor.mutationOptions());
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(setup.otpauthUri, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [setup.otpauthUri]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const typed = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(typed)) return setFieldError('Enter the 6-digit code the app shows now');
    setFieldError(undefined);
    confirm.mutate(
      { code: typed },
      {
        onSuccess: (res) => onConfirmed(res.recoveryCodes),
        onError: (err) => {
          const info = appError(err);
          if (info.code === 'INVALID_TWO_FACTOR_CODE') setFieldError(info.message);
          else setError(info);
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" data-testid="tfa-setup">
      <ol className="list-decimal space-y-1 pl-5 text-zinc-300">
        <li>Open your authenticator app and add an account by scanning this QR code, or by typing the key below.</li>
        <li>Enter the 6-digit code the app then shows.</li>
      </ol>
      <div className="flex flex-col items-start gap-3 sm:flex-row sm:items-center">
        <div className="flex h-[200px] w-[200px] shrink-0 items-center justify-center rounded bg-white">
          {qr ? <img src={qr} alt="QR code for the authenticator app" width={200} height={200} data-testid="tfa-qr" /> : <Skeleton className="h-full w-full" />}
        </div>
        <div className="flex min-w-0 flex-col gap-1">
          <span className="text-xs font-medium text-zinc-400">Key (if you cannot scan)</span>
          <code className="break-words rounded bg-zinc-950 px-2 py-1.5 font-mono text-base tracking-wider text-zinc-100 select-all" data-testid="tfa-secret" data-secret={setup.secret}>
            {grouped(setup.secret)}
          </code>
          <span className="text-xs text-zinc-500">Time-based, 6 digits, 30 seconds. It is shown this once.</span>
        </div>
      </div>
      <Field label="Code from the app" error={fieldError} errorTestId="tfa-code-error" className="max-w-xs">
        {(a) => (
          <Input
            {...a}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            className="font-mono tracking-widest"
            data-testid="tfa-code"
          />
        )}
      </Field>
      <div>
        <Button type="submit" variant="primary" loading={confirm.isPending} data-testid="tfa-confirm">
          Turn on
        </Button>
      </div>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

function RecoveryCodes({ codes, setupOnly, onDone }: { codes: string[]; setupOnly: boolean; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Card title="Two-factor sign-in is on" data-testid="tfa-recovery">
      <div className="flex flex-col gap-3 p-3 text-sm">
        <p className="rounded border border-amber-500/40 bg-amber-500/10 p-2 text-amber-100" role="alert">
          These recovery codes are shown now and never again. Keep them somewhere safe, apart from your phone: each signs you in once if you lose it.
        </p>
        <ol className="grid grid-cols-1 gap-1 font-mono text-base text-zinc-100 sm:grid-cols-2" data-testid="tfa-recovery-codes">
          {codes.map((c) => (
            <li key={c} className="rounded bg-zinc-950 px-2 py-1 select-all">
              {c}
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap gap-2">
          <Button
            onClick={() => {
              void navigator.clipboard?.writeText(codes.join('\n')).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
            data-testid="tfa-recovery-copy"
          >
            {copied ? 'Copied' : 'Copy codes'}
          </Button>
          {setupOnly ? (
            <Button variant="primary" onClick={() => void signOut({ callbackUrl: '/login' })} data-testid="tfa-recovery-done">
              I have saved them: sign in again
            </Button>
          ) : (
            <Button variant="primary" onClick={onDone} data-testid="tfa-recovery-done">
              I have saved them
            </Button>
          )}
        </div>
      </div>
    </Card>
  );
}

function DisableForm() {
  const trpc = useTRPC();
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const disable = useMutation(trpc.admin.security.disableTwoFactor.mutationOptions());
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!CODE.test(code.trim())) return setFieldError('Enter the 6-digit code from the app, or a recovery code');
    setFieldError(undefined);
    disable.mutate(
      { code: code.trim() },
      {
        // Every session of the user ends (this one too): sign in again with the password alone.
        onSuccess: () => void signOut({ callbackUrl: '/login' }),
        onError: (err) => {
          const info = appError(err);
          if (info.code === 'INVALID_TWO_FACTOR_CODE') setFieldError(info.message);
          else setError(info);
        },
      },
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 border-t border-zinc-800 pt-3" data-testid="tfa-disable">
      <p className="text-zinc-400">Turning it off needs a current code or a recovery code, and signs you out everywhere.</p>
      <div className="flex flex-wrap items-start gap-2">
        <Field label="Code" error={fieldError} errorTestId="tfa-disable-error" className="w-56">
          {(a) => <Input {...a} autoComplete="one-time-code" maxLength={40} value={code} onChange={(e) => setCode(e.target.value)} className="font-mono" data-testid="tfa-disable-code" />}
        </Field>
        <Button type="submit" variant="danger" loading={disable.isPending} className="mt-5" data-testid="tfa-disable-submit">
          Turn off
        </Button>
      </div>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
