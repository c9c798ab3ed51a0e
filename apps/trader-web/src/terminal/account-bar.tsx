'use client';
import type { AccountBrief, AuthUser } from '@broker/api';
import { passwordProblem, PASSWORD_MIN_LENGTH } from '@broker/api/password-policy';
import { Button, ChangePasswordForm, formatPercent, Modal, MoneyCell, PnlCell, Select, Skeleton, StatusDot, cx } from '@broker/ui';
import { signOut } from 'next-auth/react';
import { useEffect, useState, type ReactNode } from 'react';
import { useConnectionState } from '../live/socket.tsx';
import { appError } from '../trpc/errors.ts';
import { useTRPCClient } from '../trpc/react.ts';
import { LAYOUTS, PREF_KEYS, THEMES, usePref, type LayoutPref, type Theme } from './prefs.ts';
import { BreakdownDialog, ExplainButton } from './breakdown.tsx';
import { ACCOUNT_FIGURES, ACCOUNT_FIGURES_WITH_CREDIT, type AccountFigure } from './breakdown-text.ts';
import { useLiveAccount } from './use-live-account.ts';

// Fixed widths and tabular figures: a balance going from $9,999.99 to $10,000.00 moves nothing around it.
// A figure the engine can explain is a button (keyboard reachable) that opens its breakdown.
function Figure({
  label,
  children,
  testId,
  phone,
  explain,
  onExplain,
}: {
  label: string;
  children: ReactNode;
  testId: string;
  phone: boolean;
  explain?: AccountFigure;
  onExplain?: (f: AccountFigure) => void;
}) {
  const value = (
    <span className={cx('font-medium tabular-nums', phone ? 'text-xs' : 'text-sm')} data-testid={testId}>
      {children}
    </span>
  );
  return (
    <div className={cx('flex flex-col', phone ? 'min-w-0 items-start px-2 py-0.5' : 'w-[7rem] shrink-0 items-end px-2')}>
      <span className="text-[10px] font-medium uppercase tracking-wider text-zinc-500">{label}</span>
      {explain && onExplain ? (
        <ExplainButton label={label.toLowerCase()} onExplain={() => onExplain(explain)} testId={`explain-${explain}`}>
          {value}
        </ExplainButton>
      ) : (
        value
      )}
    </div>
  );
}

const LAYOUT_LABELS: Record<LayoutPref, string> = { auto: 'Auto (by width)', desktop: 'Columns', phone: 'Tabs (phone)' };

/** The light theme is a data attribute on <html> (globals.css); the choice is remembered. */
export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = usePref<Theme>(PREF_KEYS.theme, 'dark', THEMES);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [theme, setTheme];
}

/** A new password (the password policy next to the field); the engine then ends every session: sign in again. */
function PasswordDialog({ email, onClose }: { email: string; onClose: () => void }) {
  const client = useTRPCClient();
  return (
    <Modal title="Change password" onClose={onClose} data-testid="password-dialog">
      <ChangePasswordForm
        email={email}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a good one. Not your email, not a common password. Changing it signs you out on every device.`}
        check={(pw) => passwordProblem(pw, { email })?.message ?? null}
        submit={(input) =>
          client.auth.changePassword.mutate(input).then(
            () => ({ ok: true as const }),
            (e: unknown) => {
              const info = appError(e);
              return {
                ok: false as const,
                code: info.code,
                message: info.message,
                field: typeof info.details?.field === 'string' ? info.details.field : undefined,
              };
            },
          )
        }
        onChanged={() => void signOut({ callbackUrl: '/login' })}
      />
    </Modal>
  );
}

function SettingsMenu({ layout, email }: { layout: { pref: LayoutPref; setPref: (v: LayoutPref) => void }; email: string }) {
  const [theme, setTheme] = useTheme();
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <>
      <details className="relative" data-testid="settings-menu">
        <summary
          className="flex h-8 cursor-pointer list-none items-center rounded px-2 text-xs text-zinc-300 hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
          aria-label="Display settings"
          data-testid="settings-toggle"
        >
          View ▾
        </summary>
        <div className="absolute right-0 z-40 mt-1 flex w-56 flex-col gap-3 rounded-md border border-zinc-700 bg-zinc-900 p-3 text-xs shadow-xl shadow-black/40">
          <label className="flex flex-col gap-1 text-zinc-400">
            Layout
            <Select
              value={layout.pref}
              onChange={(e) => layout.setPref(e.target.value as LayoutPref)}
              className="h-8 text-xs"
              data-testid="settings-layout"
            >
              {LAYOUTS.map((l) => (
                <option key={l} value={l}>
                  {LAYOUT_LABELS[l]}
                </option>
              ))}
            </Select>
          </label>
          <div className="flex flex-col gap-1 text-zinc-400">
            Theme
            <div className="grid grid-cols-2 gap-1" role="radiogroup" aria-label="Theme">
              {THEMES.map((t) => (
                <button
                  key={t}
                  type="button"
                  role="radio"
                  aria-checked={theme === t}
                  onClick={() => setTheme(t)}
                  data-testid={`settings-theme-${t}`}
                  className={cx(
                    'h-7 rounded border text-xs capitalize',
                    theme === t ? 'border-sky-500 bg-sky-500/15 text-zinc-100' : 'border-zinc-700 text-zinc-400 hover:bg-zinc-800',
                  )}
                >
                  {t}
                </button>
              ))}
            </div>
          </div>
          <button
            type="button"
            onClick={(e) => {
              // The menu closes; the dialog lives outside it (a closed <details> hides its content).
              const menu = e.currentTarget.closest('details');
              if (menu) menu.open = false;
              setChangingPassword(true);
            }}
            className="h-7 rounded border border-zinc-700 text-xs text-zinc-300 hover:bg-zinc-800"
            data-testid="settings-password"
          >
            Change password…
          </button>
          <p className="text-[11px] text-zinc-500">Press ? for keyboard shortcuts.</p>
        </div>
      </details>
      {changingPassword && <PasswordDialog email={email} onClose={() => setChangingPassword(false)} />}
    </>
  );
}

export function AccountBar(props: {
  user: AuthUser;
  accounts: AccountBrief[];
  accountId: number | undefined;
  onAccountChange: (id: number) => void;
  layout: { pref: LayoutPref; setPref: (v: LayoutPref) => void; mode: 'desktop' | 'phone' | null };
}) {
  const { figures, summary } = useLiveAccount(props.accountId);
  const conn = useConnectionState();
  // Sign-out revokes the engine token too (every device; sockets close), then ends the next-auth session.
  const trpcClient = useTRPCClient();
  const signOutEverywhere = async () => {
    await trpcClient.auth.logout.mutate().catch(() => undefined);
    await signOut({ callbackUrl: '/login' });
  };
  const phone = props.layout.mode === 'phone';
  const f = figures;
  const ccy = f?.currency;
  const loading = !f;
  const sk = <Skeleton className="h-4 w-20" />;
  const [explaining, setExplaining] = useState<AccountFigure | null>(null);
  const onExplain = props.accountId === undefined ? undefined : setExplaining;
  const dialog = explaining && props.accountId !== undefined && (
    <BreakdownDialog
      key={explaining}
      target={{ accountId: props.accountId, figure: explaining, siblings: f && !f.credit.isZero() ? ACCOUNT_FIGURES_WITH_CREDIT : ACCOUNT_FIGURES, title: 'How the account figures are computed' }}
      onClose={() => setExplaining(null)}
    />
  );

  const select = (
    <>
      <label className="sr-only" htmlFor="account-select">
        Account
      </label>
      <Select
        id="account-select"
        className="h-8 text-xs"
        value={props.accountId ?? ''}
        onChange={(e) => props.onAccountChange(Number(e.target.value))}
        data-testid="account-select"
      >
        {props.accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.accountNumber} · {a.type} · {a.currency} 1:{a.leverage}
          </option>
        ))}
      </Select>
    </>
  );

  const figuresRow = (
    <>
      {summary.isError && <span className="px-3 text-xs text-rose-400">Account data unavailable</span>}
      <Figure phone={phone} label="Balance" testId="account-balance" explain="balance" onExplain={onExplain}>
        {loading ? sk : <MoneyCell value={f.balance} currency={ccy} />}
      </Figure>
      {!loading && !f.credit.isZero() && (
        // MT5 shows credit only on an account that has some; it is in equity, not in the balance.
        <Figure phone={phone} label="Credit" testId="account-credit" explain="credit" onExplain={onExplain}>
          <MoneyCell value={f.credit} currency={ccy} />
        </Figure>
      )}
      <Figure phone={phone} label="Equity" testId="account-equity" explain="equity" onExplain={onExplain}>
        {loading ? sk : <MoneyCell value={f.equity} currency={ccy} />}
      </Figure>
      <Figure phone={phone} label="Margin" testId="account-margin" explain="margin" onExplain={onExplain}>
        {loading ? sk : <MoneyCell value={f.margin} currency={ccy} />}
      </Figure>
      <Figure phone={phone} label="Free margin" testId="account-free-margin" explain="freeMargin" onExplain={onExplain}>
        {loading ? sk : <MoneyCell value={f.freeMargin} currency={ccy} className={cx(f.freeMargin.isNegative() && 'text-rose-400')} />}
      </Figure>
      <Figure phone={phone} label="Margin level" testId="account-margin-level" explain="marginLevel" onExplain={onExplain}>
        {loading ? (
          sk
        ) : (
          <span className={cx('font-mono tabular-nums', f.marginCall && 'text-amber-400')}>{formatPercent(f.marginLevel)}</span>
        )}
      </Figure>
      <Figure phone={phone} label="Floating P&L" testId="account-pnl">
        {loading ? sk : <PnlCell value={f.unrealizedPnl} currency={ccy} />}
      </Figure>
    </>
  );

  const status = (
    <StatusDot
      tone={conn === 'live' ? 'ok' : 'warn'}
      label={conn === 'live' ? 'Live' : conn === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
      data-testid="connection-status"
    />
  );
  const logout = (
    <Button size="sm" variant="ghost" onClick={() => void signOutEverywhere()} data-testid="logout" className="whitespace-nowrap">
      Log out
    </Button>
  );

  if (phone) {
    return (
      <header className="shrink-0 border-b border-zinc-800 bg-zinc-900" data-testid="account-bar">
        <div className="flex h-11 items-center gap-2 px-2">
          <span className="text-sm font-semibold tracking-tight text-sky-400">RTX</span>
          <div className="min-w-0 flex-1">{select}</div>
          {status}
          <SettingsMenu layout={props.layout} email={props.user.email} />
          {logout}
        </div>
        <div className="grid grid-cols-3 gap-y-0.5 border-t border-zinc-800/70 py-1">{figuresRow}</div>
        {dialog}
      </header>
    );
  }

  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-zinc-800 bg-zinc-900 px-3" data-testid="account-bar">
      <span className="mr-2 whitespace-nowrap text-base font-semibold tracking-tight">
        <span className="text-sky-400">RTX</span>
        <span className="hidden 2xl:inline"> Trader</span>
      </span>
      <div className="w-60 shrink-0">{select}</div>
      <div className="ml-auto flex items-center divide-x divide-zinc-800">{figuresRow}</div>
      <div className="flex items-center gap-2 border-l border-zinc-800 pl-3">
        {status}
        <span className="hidden whitespace-nowrap text-xs text-zinc-500 2xl:inline" title={props.user.email}>
          {props.user.name}
        </span>
        <SettingsMenu layout={props.layout} email={props.user.email} />
        {logout}
      </div>
      {dialog}
    </header>
  );
}
